"""The gaps: unscored areas left out and named, the first areas the largest weighted gaps."""

from __future__ import annotations

import math

import pytest

from assess.core.recommend import recommend, summarize_gaps
from tests.unit.recommend.cases import AREA_IDS, areas_frame, profile


def test_first_areas_are_the_largest_weighted_gaps() -> None:
    """Are the first areas the largest weight × gap, skipping unscored and on-target ones?"""
    gaps = dict.fromkeys(AREA_IDS, 0.0) | {
        "incident-response": 2.5,
        "security-budget": 1.0,
        "vendor-relationships": 2.0,
        "awareness-training": math.nan,
    }
    frame = areas_frame(gaps)
    frame.loc[frame["area"] == "security-budget", "weight"] = 3.0
    focus = recommend(profile(employees=60), frame).first_areas
    assert [a.area for a in focus] == [
        "security-budget",
        "incident-response",
        "vendor-relationships",
    ]


def test_unscored_areas_are_named_and_not_counted() -> None:
    """Does an unanswered area stay out of the gap mean, and is it named?"""
    gaps = dict.fromkeys(AREA_IDS, 1.0) | {"security-budget": math.nan}
    summary = summarize_gaps(areas_frame(gaps))
    assert summary.mean == pytest.approx(1.0)
    assert summary.scored == 8
    rec = recommend(profile(employees=60), areas_frame(gaps))
    build_out = next(
        a for a in rec.costs.vciso.assumptions if a.startswith("While the program is being built")
    )
    assert "not counted: Security budget" in build_out
    assert all(r.factor != "maturity_gap" for r in rec.reasons)  # answers add no points


def test_nothing_scored_yet_still_recommends() -> None:
    """Does a profile with no answers yet get a recommendation and a prompt to answer?"""
    rec = recommend(profile(employees=60), areas_frame(math.nan))
    assert rec.hire == "vciso"
    assert rec.first_areas == ()
    assert "Answer the questionnaire" in rec.summary


def test_missing_columns_are_a_programming_error() -> None:
    with pytest.raises(ValueError, match="gap"):
        recommend(profile(employees=60), areas_frame(1.0).drop(columns=["gap"]))
