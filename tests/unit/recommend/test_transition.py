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


def test_ciso_transition_suggests_an_interim_vciso() -> None:
    rec = recommend(profile(employees=1500), areas_frame(1.0))
    assert rec.transition.status == "hire_now"
    assert "interim vCISO" in rec.transition.summary
