"""Auditors' reviews: the level an auditor verified for an answer of a submitted assessment
(or their request for evidence), with a comment, and the owners' replies.

Reviews are append-only: a new review of an answer supersedes the current one, which stays
(``superseded_at`` set) as its history. Everything that reads reviews (pages, reports,
exports, verified scores) reads the current ones through :func:`reviews_of`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select, update

from assess.records.database import db
from assess.records.errors import Invalid, NotFound
from assess.records.models import Assessment, Review, ReviewReply, ReviewStatus, User, utcnow
from assess.records.questionnaires import questionnaire_for
from assess.records.text import MAX_NOTE, iso, unstorable

STATUSES = tuple(s.value for s in ReviewStatus)


def reviews_of(assessment: Assessment) -> dict[str, Review]:
    """The current review of each reviewed answer, by question id."""
    rows = db.session.scalars(
        select(Review).where(Review.assessment_id == assessment.id, Review.superseded_at.is_(None))
    )
    return {r.question_id: r for r in rows}


def earlier_reviews(assessment: Assessment) -> dict[str, list[Review]]:
    """The superseded reviews of each answer, oldest first, by question id."""
    rows = db.session.scalars(
        select(Review)
        .where(Review.assessment_id == assessment.id, Review.superseded_at.is_not(None))
        .order_by(Review.id)
    )
    out: dict[str, list[Review]] = {}
    for row in rows:
        out.setdefault(row.question_id, []).append(row)
    return out


def _text(value: Any, field: str, errors: dict[str, str], *, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors[field] = "The comment must be text."
        return ""
    if len(value) > MAX_NOTE:
        errors[field] = f"Use at most {MAX_NOTE} characters."
    elif problem := unstorable(value):
        errors[field] = problem
    elif required and not value.strip():
        errors[field] = "Write something."
    return value.strip()


def check_review(
    questionnaire: Any, question_id: Any, verified_level: Any, comment: Any, status: Any
) -> dict[str, str]:
    """What is wrong with one review, by field (nothing: an empty dict)."""
    errors: dict[str, str] = {}
    if not isinstance(question_id, str) or question_id not in questionnaire.questions:
        errors["question_id"] = f"unknown question id {question_id!r}"
    if status not in STATUSES:
        errors["status"] = f"The status is one of {', '.join(STATUSES)}."
    if verified_level is not None and (
        isinstance(verified_level, bool)
        or not isinstance(verified_level, int)
        or not 0 <= verified_level <= 5
    ):
        errors["verified_level"] = "A verified level is a whole number from 0 to 5 (or null)."
    elif verified_level is not None and status == ReviewStatus.REQUEST_EVIDENCE:
        errors["verified_level"] = "A request for evidence verifies no level (send null)."
    _text(comment, "comment", errors)
    return errors


def _lock(assessment: Assessment) -> None:
    """Reviews of one assessment take turns (the assessment row's lock on PostgreSQL, the
    write lock on SQLite), so two reviews of one answer at once both land, one after the
    other, instead of breaking the one-current-review index."""
    db.session.execute(
        update(Assessment)
        .where(Assessment.id == assessment.id)
        .values(updated_at=Assessment.updated_at)
    )


def save_reviews(
    assessment: Assessment, reviewer: User, items: Iterable[Mapping[str, Any]]
) -> list[Review]:
    """Record several reviews at once, all or nothing (:class:`Invalid` keyed by question id
    when any is wrong). Each item has ``question_id`` and optionally ``verified_level``,
    ``comment`` and ``status`` (default ``verified``). A review equal to the current one
    (same status, level and comment) is not recorded again."""
    if not assessment.locked:
        raise Invalid({"assessment": "Only submitted assessments are reviewed."})
    questionnaire = questionnaire_for(assessment)
    items = list(items)
    errors: dict[str, str] = {}
    for item in items:
        problems = check_review(
            questionnaire,
            item.get("question_id"),
            item.get("verified_level"),
            item.get("comment"),
            item.get("status", ReviewStatus.VERIFIED.value),
        )
        if problems:
            errors[str(item.get("question_id"))] = "; ".join(problems.values())
    if errors:
        raise Invalid(errors, message="The review is not valid; nothing was saved.")
    _lock(assessment)
    current = reviews_of(assessment)
    now = utcnow()
    saved = []
    for item in items:
        qid = item["question_id"]
        status = item.get("status", ReviewStatus.VERIFIED.value)
        level = item.get("verified_level")
        comment = (item.get("comment") or "").strip()
        last = current.get(qid)
        if last is not None and (last.status, last.verified_level, last.comment) == (
            status,
            level,
            comment,
        ):
            saved.append(last)
            continue
        if last is not None:
            last.superseded_at = now
            db.session.flush()  # the old one stops being current before the new one is
        review = Review(
            assessment_id=assessment.id,
            question_id=qid,
            status=status,
            verified_level=level,
            comment=comment,
            reviewer_id=reviewer.id,
            created_at=now,
            updated_at=now,
        )
        db.session.add(review)
        current[qid] = review
        saved.append(review)
    db.session.flush()
    return saved


def save_review(
    assessment: Assessment,
    reviewer: User,
    question_id: Any,
    verified_level: Any,
    comment: Any,
    status: Any = ReviewStatus.VERIFIED.value,
) -> Review:
    """Record the level an auditor verified for one answer (superseding an earlier review);
    :class:`Invalid` with a message per field when it is not valid."""
    questionnaire = questionnaire_for(assessment)
    if assessment.locked:
        errors = check_review(questionnaire, question_id, verified_level, comment, status)
        if errors:
            raise Invalid(errors, message="The review is not valid; nothing was saved.")
    item = {
        "question_id": question_id,
        "verified_level": verified_level,
        "comment": comment,
        "status": status,
    }
    return save_reviews(assessment, reviewer, [item])[0]


def reply(assessment: Assessment, author: User, question_id: Any, comment: Any) -> ReviewReply:
    """The organization's answer to the current review of one answer: a comment that never
    changes the verified level. :class:`NotFound` when the answer has no review."""
    review = reviews_of(assessment).get(question_id) if isinstance(question_id, str) else None
    if review is None:
        raise NotFound("This answer has no review to reply to.")
    errors: dict[str, str] = {}
    text = _text(comment, "comment", errors, required=True)
    if errors:
        raise Invalid(errors, message="The reply is not valid; nothing was saved.")
    row = ReviewReply(review_id=review.id, comment=text, author_id=author.id, created_at=utcnow())
    db.session.add(row)
    db.session.flush()
    return row


def reply_dict(row: ReviewReply) -> dict[str, Any]:
    return {
        "id": row.id,
        "comment": row.comment,
        "author": row.author.email if row.author else None,
        "created_at": iso(row.created_at),
    }


def review_dict(review: Review, history: Iterable[Review] | None = None) -> dict[str, Any]:
    """A review as the API writes it; ``history`` (the reviews it superseded, oldest first)
    adds the ``history`` key."""
    out: dict[str, Any] = {
        "id": review.id,
        "question_id": review.question_id,
        "status": review.status,
        "verified_level": review.verified_level,
        "comment": review.comment,
        "reviewer": review.reviewer.email if review.reviewer else None,
        "updated_at": iso(review.updated_at),
        "replies": [reply_dict(r) for r in review.replies],
    }
    if history is not None:
        out["history"] = [review_dict(r) for r in history]
    return out
