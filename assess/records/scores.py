"""Each submission's overall and area scores, kept beside its results document so that the
portfolio and the benchmark read a few hundred bytes per organization, not tens of KB."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from assess.records.database import db
from assess.records.models import Assessment, AssessmentScores

AREA_KEYS = ("id", "title", "score", "target", "gap")
OVERALL_KEYS = ("score", "level", "label")


def scores_of(document: Mapping[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The overall and the areas of a results document (as stored, JSON-ready)."""
    overall = document.get("overall") or {}
    areas = [
        {key: area.get(key) for key in AREA_KEYS}
        for area in document.get("areas") or ()
        if isinstance(area, Mapping)
    ]
    return {key: overall.get(key) for key in OVERALL_KEYS}, areas


def keep_scores(assessment: Assessment) -> None:
    """Copy the submitted assessment's stored results' scores into its scores row."""
    if not assessment.locked or not assessment.results:
        return
    overall, areas = scores_of(assessment.results)
    row = db.session.get(AssessmentScores, assessment.id)
    if row is None:
        db.session.add(AssessmentScores(assessment_id=assessment.id, overall=overall, areas=areas))
    else:
        row.overall, row.areas = overall, areas
