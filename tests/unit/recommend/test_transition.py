"""From a vCISO to a full-time CISO: the triggers, the tipping headcount, the interim."""

from __future__ import annotations

from assess.core.recommend import load_profile, recommend
from tests.unit.recommend.cases import EXAMPLES, areas_frame, profile


def test_vciso_transition_names_the_triggers() -> None:
    """Does a vCISO verdict say in plain words when to hand over to a full-time CISO?"""
    rec = recommend(load_profile(EXAMPLES / "profile.yaml"), areas_frame(1.5))
    ids = [t.id for t in rec.transition.triggers]
    assert ids == [
        "headcount",
        "next_step",
        "regulations",
        "security_team",
        "incidents",
        "vciso_hours",
        "board_requirement",
    ]
    headcount = rec.transition.triggers[0].text
    assert "Headcount reaches about" in headcount
    tipped = int(headcount.split("about ")[1].split(" ")[0].replace(",", ""))
    grown = load_profile(EXAMPLES / "profile.yaml").model_copy(update={"employees": tipped})
    assert recommend(grown, areas_frame(1.5)).hire == "ciso"


def test_the_nearer_step_up_is_a_trigger_and_is_said_in_staff() -> None:
    """Does Harborview (a vCISO, 4.5 points below the line) hear that a CISO is not close, in
    staff, and where the nearer step up (a security manager plus a vCISO) comes?"""
    harborview = load_profile(EXAMPLES / "profile.yaml")
    rec = recommend(harborview, areas_frame(1.5))
    step = next(t for t in rec.transition.triggers if t.id == "next_step")
    at = int(step.text.split("about ")[1].split(" ")[0].replace(",", ""))
    grown = recommend(harborview.model_copy(update={"employees": at}), areas_frame(1.5))
    before = recommend(harborview.model_copy(update={"employees": at - 1}), areas_frame(1.5))
    assert (before.engagement, grown.engagement) == ("fractional", "fractional_with_manager")
    option = next(o for o in grown.costs.options if o.engagement == "fractional_with_manager")
    assert f"(about ${round(option.annual_usd, -3):,.0f} a year at that size)" in step.text
    assert rec.transition.summary.startswith("A full-time CISO is not close: you would need about")
    assert f"The next step up is closer: at about {at} staff" in rec.transition.summary


def test_ciso_transition_suggests_an_interim_vciso() -> None:
    rec = recommend(profile(employees=1500), areas_frame(1.0))
    assert rec.transition.status == "hire_now"
    assert "interim vCISO" in rec.transition.summary
