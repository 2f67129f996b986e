"""The rows of an organization's CSV/XLSX export: every answer of every assessment with its
review, and every area score (:mod:`assess.outputs.spreadsheets` writes them)."""

from __future__ import annotations

from typing import Any

from assess.records.answers import answer_rows, value_of
from assess.records.assessments import results_document
from assess.records.models import Organization
from assess.records.questionnaires import questionnaire_for
from assess.records.reviews import reviews_of
from assess.records.text import iso

AREA_FIELDS = ("score", "target", "gap", "answered", "total", "unknown", "na")


def export_rows(org: Organization) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Rows for the CSV/XLSX export: one per assessment and question, one per assessment and area."""
    answers_out: list[dict[str, Any]] = []
    areas_out: list[dict[str, Any]] = []
    for assessment in org.assessments:
        questionnaire = questionnaire_for(assessment)
        head = {
            "assessment_id": assessment.id,
            "status": assessment.status,
            "submitted_at": iso(assessment.submitted_at),
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
                    "answer": None if row is None else value_of(row.status, row.level),
                    "level": row.level if row is not None else None,
                    "note": row.note if row is not None else None,
                    "answered_by": row.updated_by.email
                    if row is not None and row.updated_by
                    else None,
                    "answered_at": iso(row.updated_at) if row is not None else None,
                    "verified_level": review.verified_level if review else None,
                    "review_comment": review.comment if review else None,
                    "reviewed_by": review.reviewer.email if review and review.reviewer else None,
                    "reviewed_at": iso(review.updated_at) if review else None,
                }
            )
        for area in results_document(assessment).areas:
            areas_out.append(
                {
                    **head,
                    "area_id": area.id,
                    "area": area.title,
                    **{k: getattr(area, k) for k in AREA_FIELDS},
                }
            )
    return answers_out, areas_out
