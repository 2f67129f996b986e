"""The recommendation put together: the JSON contract, another policy, the real questionnaire,
the profile notes, and the properties the issue promises (Hypothesis)."""

from __future__ import annotations

import json

from hypothesis import given

from assess.core.recommend import Profile, load_policy, load_profile, propose_targets, recommend
from assess.outputs.recommendation_text import format_recommendation
from tests.unit.recommend.cases import (
    EXAMPLES,
    PROPERTY,
    areas_frame,
    gap_maps,
    growth,
    profile,
    profiles,
)

# --------------------------------------------------------------------------- the JSON contract


def test_the_json_has_the_contract_keys() -> None:
    """Does the recommendation JSON carry every key the issue names, with plain JSON types?"""
    rec = recommend(load_profile(EXAMPLES / "profile.yaml"), areas_frame(1.5)).model_dump(
        mode="json"
    )
    for key in (
        "hire",
        "engagement",
        "engagement_label",
        "provisional",
        "answered_share",
        "margin",
        "affordability",
        "summary",
        "reasons",
        "costs",
        "transition",
        "reporting_line",
        "first_areas",
        "targets_proposed",
        "policy",
    ):
        assert key in rec
    assert rec["hire"] in ("ciso", "vciso")
    assert rec["engagement"] in ("basics", "fractional", "fractional_with_manager", "full_time")
    assert rec["margin"] >= 0 and 0 <= rec["answered_share"] <= 1
    assert "confidence" not in rec  # only version 1 documents carry it
    options = rec["costs"]["options"]
    assert [o["engagement"] for o in options] == [
        "basics",
        "fractional",
        "fractional_with_manager",
        "full_time",
    ]
    for option in options:
        assert {"engagement", "label", "annual_usd", "lines"} <= set(option)
        for line in option["lines"]:
            assert {"what", "annual_usd", "basis", "source"} <= set(line)
    for reason in rec["reasons"]:
        assert {"factor", "value", "effect", "weight", "explanation"} <= set(reason)
        assert reason["effect"] in ("toward_ciso", "toward_vciso", "neutral")
    assert {"annual_usd", "assumptions", "sources"} <= set(rec["costs"]["ciso"])
    assert {"annual_usd", "hours_per_month", "hourly_rate_usd", "assumptions", "sources"} <= set(
        rec["costs"]["vciso"]
    )
    assert rec["policy"] == {"id": "recommendation-policy", "version": load_policy().version}
    json.dumps(rec, allow_nan=False)


JSON_KEYS = [
    "organization",
    "hire",
    "hire_label",
    "engagement",
    "engagement_label",
    "provisional",
    "answered_share",
    "margin",
    "points",
    "threshold",
    "summary",
    "reasons",
    "costs",
    "affordability",
    "transition",
    "reporting_line",
    "first_areas",
    "targets_proposed",
    "notes",
    "sources",
    "policy",
]


def test_the_json_keys_keep_their_order() -> None:
    """Are the recommendation's and each reason's keys in the order stored documents have?"""
    rec = recommend(load_profile(EXAMPLES / "profile.yaml"), areas_frame(1.5))
    data = rec.model_dump(mode="json")
    assert list(data) == JSON_KEYS
    assert [list(reason) for reason in data["reasons"]] == [
        ["factor", "title", "value", "effect", "weight", "explanation", "sources"]
    ] * len(data["reasons"])
    assert list(data["first_areas"][0]) == [
        "area",
        "title",
        "score",
        "target",
        "gap",
        "weighted_gap",
    ]


def test_the_json_rounds_and_memory_keeps_full_precision() -> None:
    """Are weights, points and gaps two decimals in JSON but exact in memory?"""
    subject = profile(employees=60, sensitive_data=["pii"])
    rec = recommend(subject, areas_frame(1.333333))
    data = rec.model_dump(mode="json")
    assert data["costs"]["vciso"]["gap_hours"] == round(rec.costs.vciso.gap_hours, 2)
    assert rec.costs.vciso.gap_hours != round(rec.costs.vciso.gap_hours, 2)
    assert data["first_areas"][0]["gap"] == round(rec.first_areas[0].gap, 2)
    assert data["margin"] == round(rec.margin, 2)
    assert "phrase" not in data["reasons"][0] and "shown" not in data["reasons"][0]


def test_another_policy_changes_the_answer() -> None:
    """Does a policy with a lower threshold turn the same profile into a CISO case?"""
    policy = load_policy()
    decision = policy.decision.model_copy(
        update={"threshold": policy.decision.threshold.model_copy(update={"value": 0.0})}
    )
    strict = policy.model_copy(update={"decision": decision})
    subject = load_profile(EXAMPLES / "profile.yaml")
    assert recommend(subject, areas_frame(1.0)).hire == "vciso"
    assert recommend(subject, areas_frame(1.0), strict).hire == "ciso"


def test_works_with_the_real_questionnaire_and_scoring() -> None:
    """Do proposed targets flow through scoring into the recommendation?"""
    from assess.core.questionnaire import get_questionnaire
    from assess.core.scoring import Answer, score

    questionnaire = get_questionnaire("ciso-nine-areas")
    subject = load_profile(EXAMPLES / "profile.yaml")
    targets = propose_targets(subject, [a.id for a in questionnaire.areas])
    answers = {qid: Answer("level", 1) for qid in questionnaire.questions}
    result = score(questionnaire, answers, targets)
    rec = recommend(subject, result.areas)
    assert rec.hire == "vciso"
    assert dict(rec.targets_proposed) == targets
    assert len(rec.first_areas) == 3


def test_profile_notes_catch_likely_omissions() -> None:
    """Does a profile holding card and health data without PCI DSS or HIPAA get a note?"""
    rec = recommend(
        profile(employees=60, industry="healthcare", sensitive_data=["phi", "payment"]),
        areas_frame(1.0),
    )
    assert any("HIPAA" in n for n in rec.notes)
    assert any("PCI DSS" in n for n in rec.notes)


# --------------------------------------------------------------------------- properties


@PROPERTY
@given(growth(), gap_maps)
def test_growing_never_moves_the_answer_from_ciso_to_vciso(
    pair: tuple[Profile, Profile], gaps: dict[str, float]
) -> None:
    base, grown = pair
    frame = areas_frame(gaps)
    before, after = recommend(base, frame), recommend(grown, frame)
    assert after.points >= before.points
    assert not (before.hire == "ciso" and after.hire == "vciso")


@PROPERTY
@given(profiles, gap_maps)
def test_the_same_inputs_always_give_the_same_output(
    subject: Profile, gaps: dict[str, float]
) -> None:
    first = recommend(subject, areas_frame(gaps))
    again = recommend(Profile.model_validate(subject.model_dump()), areas_frame(dict(gaps)))
    assert first == again
    assert json.dumps(first.model_dump(mode="json"), allow_nan=False) == json.dumps(
        again.model_dump(mode="json")
    )
    assert format_recommendation(first) == format_recommendation(again)
    assert abs(first.margin - abs(first.points - first.threshold)) < 1e-6
    assert max(len(line) for line in format_recommendation(first).splitlines()) <= 100
