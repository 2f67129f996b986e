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

from sqlalchemy import select
from sqlalchemy.orm import aliased

from assess.core import scoring
from assess.core.evaluation import build_report
from assess.core.questionnaire import Questionnaire
from assess.core.recommend import Profile
from assess.core.results import SCHEMA_VERSION, AreaScore, Overall
from assess.core.scoring import Answer
from assess.records.assessments import results_document
from assess.records.database import db
from assess.records.models import Answer as AnswerRow
from assess.records.models import Assessment, Organization, Review, User
from assess.records.organizations import profile_of
from assess.records.questionnaires import questionnaires_by_hash

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


def _scores(
    assessment: Assessment,
    answers: Mapping[str, Answer],
    questionnaire: Questionnaire,
    profile: Profile | None,
) -> tuple[list[AreaScore], Overall]:
    """The area scores and the overall score of an assessment: a submitted one's from its
    stored document (only those parts read, when it is of this schema version; otherwise
    through :func:`results_document`, which upgrades it), a draft's scored now from the
    answers already loaded (as :func:`assess.records.assessments.report_for` scores it)."""
    document = assessment.results if assessment.locked else None
    if document and document.get("schema_version") == SCHEMA_VERSION:
        try:
            areas = [AreaScore.model_validate(a) for a in document["areas"]]
            return areas, Overall.model_validate(document["overall"])
        except (KeyError, TypeError, ValueError):
            pass  # hand-edited? results_document reads what can be read
    if assessment.locked:
        results = results_document(assessment)
    else:
        targets = assessment.targets or {}
        results = build_report(questionnaire, answers, targets=targets, profile=profile).results()
    return list(results.areas), results.overall


def _loaded(org: Organization):
    """The organization's assessments (oldest first), their answer rows and current reviews
    by assessment and question, with the emails of who answered and reviewed: four queries
    at most, whatever the number of assessments."""
    assessments = list(
        db.session.scalars(
            select(Assessment).where(Assessment.organization_id == org.id).order_by(Assessment.id)
        )
    )
    ids = [a.id for a in assessments]
    answers: dict[int, dict[str, dict[str, Any]]] = {i: {} for i in ids}
    reviews: dict[int, dict[str, dict[str, Any]]] = {i: {} for i in ids}
    if ids:
        by = aliased(User)
        rows = db.session.execute(
            select(
                AnswerRow.assessment_id,
                AnswerRow.question_id,
                AnswerRow.status,
                AnswerRow.level,
                AnswerRow.note,
                AnswerRow.updated_at,
                by.email,
            )
            .outerjoin(by, by.id == AnswerRow.updated_by_id)
            .where(AnswerRow.assessment_id.in_(ids))
        )
        for assessment_id, qid, status, level, note, at, email in rows:
            answers[assessment_id][qid] = {
                "status": status,
                "level": level,
                "note": note,
                "at": at,
                "by": email,
            }
        rows = db.session.execute(
            select(
                Review.assessment_id,
                Review.question_id,
                Review.verified_level,
                Review.comment,
                Review.updated_at,
                by.email,
            )
            .outerjoin(by, by.id == Review.reviewer_id)
            .where(Review.assessment_id.in_(ids), Review.superseded_at.is_(None))
        )
        for assessment_id, qid, level, comment, at, email in rows:
            reviews[assessment_id][qid] = {
                "verified_level": level,
                "comment": comment,
                "at": at,
                "by": email,
            }
    questionnaires = questionnaires_by_hash({a.questionnaire_hash for a in assessments})
    return assessments, questionnaires, answers, reviews


def export_rows(org: Organization) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Rows for the CSV/XLSX export: one per assessment and question, one per assessment and
    area. A constant number of queries: every answer and review is loaded at once."""
    answers_out: list[dict[str, Any]] = []
    areas_out: list[dict[str, Any]] = []
    assessments, questionnaires, all_answers, all_reviews = _loaded(org)
    profile = profile_of(org)
    for assessment in assessments:
        questionnaire = questionnaires[assessment.questionnaire_hash]
        head = {
            "assessment_id": assessment.id,
            "status": assessment.status,
            "submitted_at": assessment.submitted_at,
            "questionnaire_id": assessment.questionnaire_id,
            "questionnaire_version": assessment.questionnaire_version,
        }
        answers = all_answers[assessment.id]
        reviews = all_reviews[assessment.id]
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
                    "answer": None if row is None else _answer(row["status"], row["level"]),
                    "level": row["level"] if row is not None else None,
                    "note": row["note"] if row is not None else None,
                    "answered_by": row["by"] if row is not None else None,
                    "answered_at": row["at"] if row is not None else None,
                    "verified_level": review["verified_level"] if review else None,
                    "review_comment": review["comment"] if review else None,
                    "reviewed_by": review["by"] if review else None,
                    "reviewed_at": review["at"] if review else None,
                }
            )
        core_answers = {
            qid: Answer(row["status"], row["level"], row["note"] or "")
            for qid, row in answers.items()
        }
        levels = {
            qid: r["verified_level"]
            for qid, r in reviews.items()
            if r["verified_level"] is not None
        }
        verified_areas: dict[str, float | None] = {}
        verified_overall = None
        if levels:
            verified_areas, verified_overall = verified_scores(questionnaire, core_answers, levels)
        reviewed = {qid for qid in levels if qid in questionnaire.area_of}
        area_scores, overall = _scores(assessment, core_answers, questionnaire, profile)
        for area in area_scores:
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
                "score": overall.score,
                "level": overall.level,
                **{k: sum(getattr(a, k) for a in area_scores) for k in AREA_FIELDS[3:]},
                "verified_score": verified_overall,
                "reviewed": len(reviewed),
            }
        )
    return answers_out, areas_out
