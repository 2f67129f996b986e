"""Auditors' reviews: the level an auditor verified for an answer of a submitted assessment,
with a comment."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from assess.records.database import db
from assess.records.errors import Invalid
from assess.records.models import Assessment, Review, User, utcnow
from assess.records.questionnaires import questionnaire_for
from assess.records.text import MAX_NOTE, iso, unstorable


def reviews_of(assessment: Assessment) -> dict[str, Review]:
    rows = db.session.scalars(select(Review).where(Review.assessment_id == assessment.id))
    return {r.question_id: r for r in rows}


def save_review(
    assessment: Assessment, reviewer: User, question_id: Any, verified_level: Any, comment: Any
) -> Review:
    """Record the level an auditor verified for one answer (replacing an earlier review)."""
    errors: dict[str, str] = {}
    if not assessment.locked:
        raise Invalid({"assessment": "Only submitted assessments are reviewed."})
    questionnaire = questionnaire_for(assessment)
    if not isinstance(question_id, str) or question_id not in questionnaire.questions:
        errors["question_id"] = f"unknown question id {question_id!r}"
    if verified_level is not None and (
        isinstance(verified_level, bool)
        or not isinstance(verified_level, int)
        or not 0 <= verified_level <= 5
    ):
        errors["verified_level"] = "A verified level is a whole number from 0 to 5 (or null)."
    if comment is None:
        comment = ""
    if not isinstance(comment, str):
        errors["comment"] = "The comment must be text."
    elif len(comment) > MAX_NOTE:
        errors["comment"] = f"Use at most {MAX_NOTE} characters."
    elif problem := unstorable(comment):
        errors["comment"] = problem
    if errors:
        raise Invalid(errors, message="The review is not valid; nothing was saved.")
    review = reviews_of(assessment).get(question_id)
    now = utcnow()
    if review is None:
        review = Review(assessment_id=assessment.id, question_id=question_id, created_at=now)
        db.session.add(review)
    review.verified_level = verified_level
    review.comment = comment.strip()
    review.reviewer_id = reviewer.id
    review.updated_at = now
    db.session.flush()
    return review


def review_dict(review: Review) -> dict[str, Any]:
    return {
        "question_id": review.question_id,
        "verified_level": review.verified_level,
        "comment": review.comment,
        "reviewer": review.reviewer.email if review.reviewer else None,
        "updated_at": iso(review.updated_at),
    }
