"""Use cases for auditors and owners: members and invitations, copies of the last
assessment, reviews of answers. Like :mod:`assess.records.store`, no HTTP here."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from assess.records.database import db
from assess.records.models import (
    Assessment,
    Invitation,
    Membership,
    Organization,
    Review,
    Role,
    User,
    utcnow,
)
from assess.records.store import (
    MAX_NOTE,
    Invalid,
    answers_of,
    normalize_email,
    questionnaire_for,
    save_answers,
    unstorable,
)

ROLES = tuple(r.value for r in Role)
INVITATION_DAYS = 7


def _role(value: Any) -> str:
    if value not in ROLES:
        raise Invalid({"role": f"Choose one of {', '.join(ROLES)}."})
    return str(value)


def members_of(org: Organization) -> list[tuple[User, str]]:
    rows = db.session.execute(
        select(User, Membership.role)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.organization_id == org.id)
        .order_by(User.email)
    )
    return [(user, role) for user, role in rows]


def add_member(org: Organization, email: Any, role: Any) -> Membership:
    """Give an existing user a role in the organization (or change their role)."""
    if not isinstance(email, str):
        raise Invalid({"email": "An email address is required."})
    role = _role(role)
    address = normalize_email(email)
    user = db.session.scalar(select(User).where(User.email == address))
    if user is None:
        raise Invalid({"email": "No account uses this email; create an invitation link instead."})
    membership = db.session.scalar(
        select(Membership).where(
            Membership.user_id == user.id, Membership.organization_id == org.id
        )
    )
    if membership is None:
        membership = Membership(user_id=user.id, organization_id=org.id, role=role)
        db.session.add(membership)
    else:
        if membership.role == Role.OWNER and role != Role.OWNER and _owners(org) == 1:
            raise Invalid({"role": "An organization keeps at least one owner."})
        membership.role = role
    db.session.flush()
    return membership


def _owners(org: Organization) -> int:
    return len([1 for _, role in members_of(org) if role == Role.OWNER])


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def create_invitation(org: Organization, by: User, role: Any, days: int = INVITATION_DAYS) -> str:
    """A single-use link token, valid for ``days``; only its hash is stored."""
    role = _role(role)
    raw = secrets.token_urlsafe(24)
    db.session.add(
        Invitation(
            organization_id=org.id,
            role=role,
            token_hash=_digest(raw),
            created_by_id=by.id,
            expires_at=utcnow() + timedelta(days=days),
        )
    )
    db.session.flush()
    return raw


def find_invitation(raw: str) -> Invitation:
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.token_hash == _digest(raw or ""))
    )
    if invitation is None or invitation.used_at is not None:
        raise Invalid({"invitation": "This invitation link is not valid or was already used."})
    if invitation.expires_at < utcnow():
        raise Invalid({"invitation": "This invitation link has expired; ask for a new one."})
    return invitation


def accept_invitation(raw: str, user: User) -> Organization:
    """Join the invitation's organization. The link is claimed by one conditional update, so
    two people opening it at the same moment cannot both join."""
    invitation = find_invitation(raw)
    now = utcnow()
    claimed = db.session.execute(
        update(Invitation)
        .where(
            Invitation.id == invitation.id,
            Invitation.used_at.is_(None),
            Invitation.expires_at > now,
        )
        .values(used_at=now, used_by_id=user.id)
    )
    if claimed.rowcount != 1:
        raise Invalid({"invitation": "This invitation link is not valid or was already used."})
    org = db.session.get(Organization, invitation.organization_id)
    existing = db.session.scalar(
        select(Membership).where(
            Membership.user_id == user.id, Membership.organization_id == org.id
        )
    )
    if existing is None:
        db.session.add(Membership(user_id=user.id, organization_id=org.id, role=invitation.role))
    db.session.flush()
    return org


def copy_assessment(source: Assessment, user: User) -> Assessment:
    """A new draft with the source's answers and notes, so the owner only changes what moved.
    It uses the current version of the same questionnaire; answers to questions that no longer
    exist are left behind."""
    from assess.records.store import start_assessment

    new = start_assessment(source.organization, user, source.questionnaire_id)
    new.copied_from_id = source.id
    new.targets = dict(source.targets or {})
    questionnaire = questionnaire_for(new)
    carried = {
        qid: ({"level": a.value, "note": a.note} if a.note else a.value)
        for qid, a in answers_of(source).items()
        if qid in questionnaire.questions
        and (a.status != "na" or questionnaire.questions[qid].allow_na)
    }
    if carried:
        save_answers(new, user, carried)
    db.session.flush()
    return new


def last_submitted(org: Organization) -> Assessment | None:
    return db.session.scalar(
        select(Assessment)
        .where(Assessment.organization_id == org.id, Assessment.status == "submitted")
        .order_by(Assessment.submitted_at.desc(), Assessment.id.desc())
        .limit(1)
    )


def submitted_assessments(org: Organization) -> list[Assessment]:
    return list(
        db.session.scalars(
            select(Assessment)
            .where(Assessment.organization_id == org.id, Assessment.status == "submitted")
            .order_by(Assessment.submitted_at, Assessment.id)
        )
    )


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
        "updated_at": review.updated_at.isoformat(timespec="seconds") + "Z",
    }


# --------------------------------------------------------------------------- history


def snapshot(
    assessment: Assessment,
    label: str | None = None,
    *,
    answers: dict[str, Any] | None = None,
    verified: dict[str, int] | None = None,
):
    """The pure history core's view of an assessment: its questionnaire as it was taken,
    its answers, its stored results and the auditor's verified levels (``answers`` and
    ``verified`` when the caller loaded them already)."""
    from assess.core.history import Snapshot
    from assess.records.store import results_document

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
        label=label or f"#{assessment.id} · {when:%Y-%m-%d}",
        results=results_document(assessment),
        verified=verified,
    )


def history_snapshots(org: Organization) -> list:
    """Snapshots of the organization's submitted assessments, oldest first: answers and
    verified levels for all of them in two queries, not two per assessment."""
    from assess.core.scoring import Answer
    from assess.records.models import Answer as AnswerRow

    assessments = submitted_assessments(org)
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
                Review.assessment_id.in_(ids), Review.verified_level.is_not(None)
            )
        )
        for assessment_id, qid, level in reviews:
            verified[assessment_id][qid] = level
    return [snapshot(a, answers=answers[a.id], verified=verified[a.id]) for a in assessments]


def assessment_in(org: Organization, assessment_id: Any) -> Assessment:
    """An assessment of this organization by id (the caller has checked the organization)."""
    try:
        number = int(assessment_id)
    except (TypeError, ValueError):
        number = -1
    found = db.session.get(Assessment, number) if 0 < number < 2**31 else None
    if found is None or found.organization_id != org.id:
        raise LookupError(f"No assessment {assessment_id!r} in this organization.")
    return found


def export_rows(org: Organization) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Rows for the CSV/XLSX export: one per assessment and question, one per assessment and area."""
    from assess.records.models import Answer as AnswerRow
    from assess.records.store import results_document

    answer_rows: list[dict[str, Any]] = []
    area_rows: list[dict[str, Any]] = []
    for assessment in org.assessments:
        questionnaire = questionnaire_for(assessment)
        head = {
            "assessment_id": assessment.id,
            "status": assessment.status,
            "submitted_at": _iso(assessment.submitted_at),
            "questionnaire_id": assessment.questionnaire_id,
            "questionnaire_version": assessment.questionnaire_version,
        }
        answers = {
            row.question_id: row
            for row in db.session.scalars(
                select(AnswerRow).where(AnswerRow.assessment_id == assessment.id)
            )
        }
        reviews = reviews_of(assessment)
        for qid, question in questionnaire.questions.items():
            row, review = answers.get(qid), reviews.get(qid)
            area = questionnaire.area_of[qid]
            answer_rows.append(
                {
                    **head,
                    "area_id": area.id,
                    "area": area.title,
                    "question_id": qid,
                    "question": question.text,
                    "answer": None
                    if row is None
                    else (str(row.level) if row.status == "level" else row.status),
                    "level": row.level if row is not None else None,
                    "note": row.note if row is not None else None,
                    "answered_by": row.updated_by.email
                    if row is not None and row.updated_by
                    else None,
                    "answered_at": _iso(row.updated_at) if row is not None else None,
                    "verified_level": review.verified_level if review else None,
                    "review_comment": review.comment if review else None,
                    "reviewed_by": review.reviewer.email if review and review.reviewer else None,
                    "reviewed_at": _iso(review.updated_at) if review else None,
                }
            )
        for area in results_document(assessment)["areas"]:
            area_rows.append(
                {
                    **head,
                    "area_id": area["id"],
                    "area": area["title"],
                    **{
                        k: area[k]
                        for k in ("score", "target", "gap", "answered", "total", "unknown", "na")
                    },
                }
            )
    return answer_rows, area_rows


def _iso(value: Any) -> str | None:
    return value.isoformat(timespec="seconds") + "Z" if value else None
