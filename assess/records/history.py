"""An organization's record over time: its submitted assessments (the last one, the one
before another), each loaded as a snapshot for the pure history core, and two of them
compared."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import load_only

from assess.core import comparison
from assess.core import history as history_core
from assess.core.history import Snapshot
from assess.core.scoring import Answer
from assess.records.answers import answers_of
from assess.records.assessments import assessment_in, results_document
from assess.records.database import db
from assess.records.errors import NotFound
from assess.records.models import Answer as AnswerRow
from assess.records.models import Assessment, AssessmentScores, Organization, Review
from assess.records.questionnaires import questionnaire_for, questionnaires_by_hash
from assess.records.reviews import reviews_of
from assess.records.scores import scores_of


def last_submitted(org: Organization) -> Assessment | None:
    return db.session.scalar(
        select(Assessment)
        .where(Assessment.organization_id == org.id, Assessment.status == "submitted")
        .order_by(Assessment.submitted_at.desc(), Assessment.id.desc())
        .limit(1)
    )


def submitted_assessments(org: Organization, last: int | None = None) -> list[Assessment]:
    """The organization's submitted assessments (the ``last`` few when given), oldest first;
    their questionnaires are cached (one query for those that were not)."""
    query = select(Assessment).where(
        Assessment.organization_id == org.id, Assessment.status == "submitted"
    )
    if last is None:
        found = list(db.session.scalars(query.order_by(Assessment.submitted_at, Assessment.id)))
    else:
        newest = query.order_by(Assessment.submitted_at.desc(), Assessment.id.desc()).limit(last)
        found = list(reversed(list(db.session.scalars(newest))))
    questionnaires_by_hash({a.questionnaire_hash for a in found})
    return found


def previous_submitted(assessment: Assessment) -> Assessment | None:
    """The organization's latest submitted assessment before this one, if any."""
    earlier = [
        a
        for a in assessment.organization.assessments
        if a.id != assessment.id
        and a.locked
        and (
            assessment.submitted_at is None
            or (a.submitted_at is not None and a.submitted_at <= assessment.submitted_at)
        )
    ]
    if not earlier:
        return None
    return max(earlier, key=lambda a: (a.submitted_at, a.id))


def previous_comparable(assessment: Assessment) -> Assessment | None:
    """The previous submission (:func:`previous_submitted`) when it used the same
    questionnaire (same content hash): only then are its area scores drawn beside this
    one's. Another questionnaire is another question set, not a rise or a drop; the compare
    page scores such a pair on their shared questions."""
    previous = previous_submitted(assessment)
    if previous is None or previous.questionnaire_hash != assessment.questionnaire_hash:
        return None
    return previous


def snapshot(
    assessment: Assessment,
    label: str | None = None,
    *,
    answers: dict[str, Any] | None = None,
    verified: dict[str, int] | None = None,
) -> Snapshot:
    """The pure history core's view of an assessment: its questionnaire as it was taken,
    its answers, its stored results and the auditor's verified levels (``answers`` and
    ``verified`` when the caller loaded them already)."""
    when = assessment.submitted_at or assessment.updated_at or assessment.created_at
    if verified is None:
        verified = {
            qid: review.verified_level
            for qid, review in reviews_of(assessment).items()
            if review.verified_level is not None
        }
    return Snapshot.from_answers(
        questionnaire_for(assessment),
        answers if answers is not None else answers_of(assessment),
        id=assessment.id,
        submitted_at=when,
        label=label or label_of(assessment),
        results=results_document(assessment),
        verified=verified,
    )


def label_of(assessment: Assessment) -> str:
    """How the history and the reports name a submission: ``#12 · 2026-03-01``."""
    when = assessment.submitted_at or assessment.updated_at or assessment.created_at
    return f"#{assessment.id} · {when:%Y-%m-%d}"


def history_snapshots(org: Organization, last: int | None = None) -> list[Snapshot]:
    """Snapshots of the organization's submitted assessments (the ``last`` few when given),
    oldest first: answers and verified levels for all of them in two queries, not two per
    assessment."""
    assessments = submitted_assessments(org, last)
    ids = [a.id for a in assessments]
    answers: dict[int, dict[str, Any]] = {i: {} for i in ids}
    verified: dict[int, dict[str, int]] = {i: {} for i in ids}
    if ids:
        rows = db.session.execute(
            select(
                AnswerRow.assessment_id,
                AnswerRow.question_id,
                AnswerRow.status,
                AnswerRow.level,
                AnswerRow.note,
            ).where(AnswerRow.assessment_id.in_(ids))
        )
        for assessment_id, qid, status, level, note in rows:
            answers[assessment_id][qid] = Answer(status, level, note or "")
        reviews = db.session.execute(
            select(Review.assessment_id, Review.question_id, Review.verified_level).where(
                Review.assessment_id.in_(ids),
                Review.superseded_at.is_(None),  # the current review only
                Review.verified_level.is_not(None),
            )
        )
        for assessment_id, qid, level in reviews:
            verified[assessment_id][qid] = level
    return [snapshot(a, answers=answers[a.id], verified=verified[a.id]) for a in assessments]


def trend_points(org: Organization) -> list[dict[str, Any]]:
    """The trend of the organization's submitted assessments, oldest first (the points of
    :func:`assess.core.history.trend_points`), from their scores rows: one query, and one
    for the questionnaires not cached yet, whatever the number of submissions; no results
    document is read (but a submission without a scores row has its scores taken from its
    document, all such in one more query)."""
    rows = list(
        db.session.execute(
            select(Assessment, AssessmentScores)
            .outerjoin(AssessmentScores, AssessmentScores.assessment_id == Assessment.id)
            .where(Assessment.organization_id == org.id, Assessment.status == "submitted")
            .options(
                load_only(
                    Assessment.id,
                    Assessment.questionnaire_hash,
                    Assessment.status,
                    Assessment.submitted_at,
                    Assessment.updated_at,
                    Assessment.created_at,
                )
            )
            .order_by(Assessment.submitted_at, Assessment.id)
        )
    )
    missing = [a.id for a, scores in rows if scores is None]
    documents: dict[int, dict[str, Any]] = {}
    if missing:
        documents = {
            i: scores_of(document or {})
            for i, document in db.session.execute(
                select(Assessment.id, Assessment.results).where(Assessment.id.in_(missing))
            )
        }
    questionnaires = questionnaires_by_hash({a.questionnaire_hash for a, _ in rows})
    points = []
    for assessment, scores in rows:
        values = (
            {"overall_score": scores.overall_score, "area_scores": scores.area_scores}
            if scores is not None
            else documents[assessment.id]
        )
        questionnaire = questionnaires.get(assessment.questionnaire_hash)
        titles = {a.id: a.title for a in questionnaire.areas} if questionnaire else {}
        areas = dict(values.get("area_scores") or {})
        when = assessment.submitted_at or assessment.updated_at or assessment.created_at
        points.append(
            history_core.trend_point(
                label_of(assessment),
                when,
                values.get("overall_score"),
                areas,
                {a: titles.get(a) or a for a in areas},
            )
        )
    return points


@dataclass(frozen=True)
class Comparison:
    """Two assessments of one organization, their snapshots, and what changed between them
    (:func:`assess.core.comparison.compare`)."""

    old: Assessment
    new: Assessment
    a: Snapshot
    b: Snapshot
    result: dict[str, Any]


def compare_assessments(org: Organization, old_id: Any, new_id: Any) -> Comparison:
    """Compare two of the organization's assessments by id; :class:`NotFound` when either
    is not one of them."""
    try:
        old, new = assessment_in(org, old_id), assessment_in(org, new_id)
    except NotFound:
        raise NotFound("No such assessment in this organization.") from None
    a, b = snapshot(old), snapshot(new)
    return Comparison(old, new, a, b, comparison.compare(a, b))
