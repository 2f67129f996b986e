"""Why: each factor's points, said truthfully, strongest first."""

from __future__ import annotations

from assess.core.recommend import load_profile, recommend
from tests.unit.recommend.cases import EXAMPLES, areas_frame, profile


def test_regulations_that_name_a_leader_are_described_truthfully() -> None:
    """Does every regulation naming a leader get a reason saying it needs no full-time hire?"""
    rec = recommend(
        profile(employees=60, regulations=["hipaa", "nydfs", "glba", "sox"]), areas_frame(1.0)
    )
    by_code = {r.value: r for r in rec.reasons if r.factor == "regulation"}
    for code, citation in {
        "hipaa": "45 CFR 164.308(a)(2)",
        "nydfs": "23 NYCRR 500.4",
        "glba": "16 CFR 314.4",
        "sox": "SEC Regulation S-K Item 106(c), release 33-11216",
    }.items():
        assert "does not require a full-time hire" in by_code[code].explanation
        assert citation in by_code[code].sources
    assert "third-party service" in by_code["nydfs"].explanation
    assert "none of them requires a full-time hire" in rec.summary


def test_reasons_come_strongest_first() -> None:
    """Are the reasons ordered by the size of their effect?"""
    rec = recommend(load_profile(EXAMPLES / "profile.yaml"), areas_frame(2.0))
    weights = [abs(r.weight) for r in rec.reasons]
    assert weights == sorted(weights, reverse=True)
