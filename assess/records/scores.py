"""Each submission's overall score, area scores and largest gap, kept beside its results
document so that the portfolio and the benchmark read about a hundred bytes per organization,
not tens of KB."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from assess.core.portfolio import largest_gap
from assess.records.database import db
from assess.records.models import Assessment, AssessmentScores


def scores_of(document: Mapping[str, Any]) -> dict[str, Any]:
    """The scores row's columns from a results document (as stored)."""
    overall = document.get("overall") or {}
    areas = [a for a in document.get("areas") or () if isinstance(a, Mapping)]
    gap = largest_gap(areas) or {}
    return {
        "overall_score": overall.get("score"),
        "overall_level": overall.get("level"),
        "overall_label": overall.get("label"),
        "gap_area": gap.get("area"),
        "gap_title": gap.get("title"),
        "gap": gap.get("gap"),
        "area_scores": {a.get("id"): a.get("score") for a in areas},
    }


def keep_scores(assessment: Assessment) -> None:
    """Copy the submitted assessment's stored results' scores into its scores row."""
    if not assessment.locked or not assessment.results:
        return
    values = scores_of(assessment.results)
    row = db.session.get(AssessmentScores, assessment.id)
    if row is None:
        db.session.add(AssessmentScores(assessment_id=assessment.id, **values))
    else:
        for key, value in values.items():
            setattr(row, key, value)
