"""The rows of an organization's CSV/XLSX export: every answer of every assessment with its
review, and every area score with an overall row per assessment and, where an auditor
verified levels, the verified scores (:mod:`assess.outputs.spreadsheets` writes them).

Values keep their types for the workbook: times as (naive UTC) datetimes, a level answer as
its number (``na`` and ``unknown`` stay words), scores unrounded (the sheet rounds by number
format); the CSV writes times as ISO 8601 with ``Z``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from assess.core import scoring
from assess.core.questionnaire import Questionnaire
from assess.core.scoring import Answer
from assess.records.answers import answer_rows, answers_of
from assess.records.assessments import results_document
from assess.records.models import Organization
from assess.records.questionnaires import questionnaire_for
from assess.records.reviews import reviews_of

AREA_FIELDS = ("score", "target", "gap", "answered", "total", "unknown", "na")
#: The ``area_id`` of the overall row of each assessment in the area sheet.
OVERALL = "overall"


def _number(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def verified_scores(
    questionnaire: Questionnaire, answers: Mapping[str, Answer], verified: Mapping[str, int]
) -> tuple[dict[str, float | None], float | None]:
    """Each area's score and the overall score with the auditor's verified levels in place of
    the reviewed answers (the rule of :func:`assess.core.comparison.verified_scores` and
    :func:`assess.core.portfolio.verified_difference`), unrounded."""
    checked = dict(answers)
    for qid, level in verified.items():
        if qid in questionnaire.questions:
            note = answers[qid].note if qid in answers else ""
            checked[qid] = Answer("level", int(level), note)
    areas = scoring.score_areas(scoring.answers_frame(questionnaire, checked))
    by_area = {str(a): _number(s) for a, s in zip(areas["area"], areas["score"], strict=True)}
    overall = scoring.overall_scores(areas)["score"]
    return by_area, _number(overall.iloc[0]) if len(overall) else None


def _answer(status: str | None, level: int | None) -> int | str | None:
    """A level answer as its number, ``na``/``unknown`` as the word, None unanswered."""
    if status is None:
        return None
    return level if status == "level" else status


def export_rows(org: Organization) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Rows for the CSV/XLSX export: one per assessment and question, one per assessment and area."""
    answers_out: list[dict[str, Any]] = []
    areas_out: list[dict[str, Any]] = []
    for assessment in org.assessments:
        questionnaire = questionnaire_for(assessment)
        head = {
            "assessment_id": assessment.id,
            "status": assessment.status,
            "submitted_at": assessment.submitted_at,
            "questionnaire_id": assessment.questionnaire_id,
            "questionnaire_version": assessment.questionnaire_version,
        }
        answers = answer_rows(assessment)
        reviews = reviews_of(assessment)
        for qid, question in questionnaire.questions.items():
            row, review = answers.get(qid), reviews.get(qid)
            area = questionnaire.area_of[qid]
            answers_out.append(
                {
                    **head,
                    "area_id": area.id,
                    "area": area.title,
                    "question_id": qid,
                    "question": question.text,
                    "answer": None if row is None else _answer(row.status, row.level),
                    "level": row.level if row is not None else None,
                    "note": row.note if row is not None else None,
                    "answered_by": row.updated_by.email
                    if row is not None and row.updated_by
                    else None,
                    "answered_at": row.updated_at if row is not None else None,
                    "verified_level": review.verified_level if review else None,
                    "review_comment": review.comment if review else None,
                    "reviewed_by": review.reviewer.email if review and review.reviewer else None,
                    "reviewed_at": review.updated_at if review else None,
                }
            )
        levels = {
            qid: r.verified_level for qid, r in reviews.items() if r.verified_level is not None
        }
        verified_areas: dict[str, float | None] = {}
        verified_overall = None
        if levels:
            verified_areas, verified_overall = verified_scores(
                questionnaire, answers_of(assessment), levels
            )
        reviewed = {qid for qid in levels if qid in questionnaire.area_of}
        results = results_document(assessment)
        for area in results.areas:
            areas_out.append(
                {
                    **head,
                    "area_id": area.id,
                    "area": area.title,
                    **{k: getattr(area, k) for k in AREA_FIELDS},
                    "level": None,
                    "verified_score": verified_areas.get(area.id),
                    "reviewed": sum(questionnaire.area_of[q].id == area.id for q in reviewed),
                }
            )
        areas_out.append(
            {
                **head,
                "area_id": OVERALL,
                "area": "Overall",
                "score": results.overall.score,
                "level": results.overall.level,
                **{k: sum(getattr(a, k) for a in results.areas) for k in AREA_FIELDS[3:]},
                "verified_score": verified_overall,
                "reviewed": len(reviewed),
            }
        )
    return answers_out, areas_out
