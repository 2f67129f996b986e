"""The reporting line: the chief executive, a dotted line to IT, the board's duties."""

from __future__ import annotations

from assess.core.recommend import recommend
from assess.outputs.recommendation_text import format_recommendation
from tests.unit.recommend.cases import areas_frame, profile


def test_reporting_line_is_the_chief_executive_with_a_dotted_line_to_it() -> None:
    """Does security report to the CEO, with a dotted line to IT and yearly board reports?"""
    rec = recommend(
        profile(employees=60, security_leader="cio", it_staff=4, regulations=["nydfs"]),
        areas_frame(1.0),
    )
    line = rec.reporting_line
    assert "chief executive" in line.reports_to
    assert line.dotted_line_to == "the CIO"
    assert "at least yearly" in line.board_reporting
    assert "23 NYCRR 500.4" in line.board_reporting
    assert "chief executive" in line.why
    # The undated article once cited here is now named only inside our assumption.
    assert not any("CIO vs CISO" in s for s in line.sources)
    no_it = recommend(profile(employees=8), areas_frame(1.0)).reporting_line
    assert no_it.dotted_line_to == "your IT service provider"


def test_a_small_firm_reports_to_its_owner_or_partners_in_plain_words() -> None:
    """Below 250 staff and without SOX, is the written report for the owner or partners, and
    do the words avoid 'regimes' and 'dotted line'?"""
    rec = recommend(
        profile(employees=60, regulations=["hipaa", "pci_dss"], customer_demands=True),
        areas_frame(1.0),
    )
    assert "owner or partners" in rec.reporting_line.board_reporting
    assert "regime" not in rec.summary + " ".join(r.explanation for r in rec.reasons)
    text = format_recommendation(rec)
    assert "Dotted line" not in text and "but answers to you" in text
