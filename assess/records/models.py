"""The database: users, organizations and their members, assessments, answers and history.

Typed SQLAlchemy 2 models. Computation never happens here: the pure core scores what
the use cases of :mod:`assess.records` read from these rows.
"""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime
from typing import Any

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assess.records.database import db


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Role(enum.StrEnum):
    OWNER = "owner"
    CONTRIBUTOR = "contributor"
    AUDITOR = "auditor"


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Part of the id kept in the session cookie; signing out bumps it, so a copy of an old
    #: session cookie no longer signs anyone in.
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")
    #: The TOTP secret (base32) once two-step verification is confirmed; None without it.
    mfa_secret: Mapped[str | None] = mapped_column(String(64))
    #: A secret shown for enrolment and not yet confirmed with a code.
    mfa_pending_secret: Mapped[str | None] = mapped_column(String(64))
    #: The last TOTP time step accepted: a code is never accepted twice.
    mfa_last_step: Mapped[int | None]

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    def get_id(self) -> str:
        return f"{self.id}.{self.session_version}"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class ApiToken(db.Model):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class Organization(db.Model):
    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    profile: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: Members must use two-step verification (an owner's setting).
    require_mfa: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    #: Months between reassessments (3, 6 or 12), set by the owners: due = last submission + it.
    cadence_months: Mapped[int] = mapped_column(default=12, server_default="12")
    #: The owners let the latest submission count, anonymously, in the peer benchmark.
    benchmark_opt_in: Mapped[bool] = mapped_column(default=False, server_default=false())

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="organization", cascade="all, delete-orphan"
    )
    assessments: Mapped[list[Assessment]] = relationship(
        back_populates="organization", cascade="all, delete-orphan", order_by="Assessment.id"
    )


class Membership(db.Model):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "organization_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="memberships")
    organization: Mapped[Organization] = relationship(back_populates="memberships")


class QuestionnaireSnapshot(db.Model):
    """A questionnaire exactly as an assessment used it, keyed by its content hash."""

    __tablename__ = "questionnaire_snapshots"

    hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    questionnaire_id: Mapped[str] = mapped_column(String(120))
    version: Mapped[str] = mapped_column(String(40))
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Assessment(db.Model):
    __tablename__ = "assessments"
    #: The portfolio and the benchmark read each organization's latest submissions (and the
    #: portfolio their questionnaires) from this index alone.
    __table_args__ = (
        Index(
            "ix_assessments_org_status_submitted_hash",
            "organization_id",
            "status",
            "submitted_at",
            "id",
            "questionnaire_hash",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    questionnaire_hash: Mapped[str] = mapped_column(ForeignKey("questionnaire_snapshots.hash"))
    questionnaire_id: Mapped[str] = mapped_column(String(120))
    questionnaire_version: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    targets: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    copied_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessments.id", ondelete="SET NULL")
    )
    #: Its number among the organization's assessments of the same questionnaire, from 1
    #: ("Full assessment 3"); given when it is started (the highest so far + 1), so deleting
    #: a draft never renames the others.
    number: Mapped[int | None]
    #: The results document of a submitted assessment, computed once (it never changes).
    results: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    organization: Mapped[Organization] = relationship(back_populates="assessments")
    snapshot: Mapped[QuestionnaireSnapshot] = relationship()
    answers: Mapped[list[Answer]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan", order_by="Answer.id"
    )
    reviews: Mapped[list[Review]] = relationship(cascade="all, delete-orphan", order_by="Review.id")
    attestations: Mapped[list[Attestation]] = relationship(
        cascade="all, delete-orphan", order_by="Attestation.id"
    )
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])

    @property
    def locked(self) -> bool:
        return self.status == "submitted"


class AssessmentScores(db.Model):
    """The overall score, each area's score and the largest gap of a submitted assessment,
    copied from its stored results when it is submitted: about a hundred bytes the portfolio
    and the benchmark read for hundreds of organizations at once, instead of the whole results
    document (tens of KB with the roadmap and the recommendation)."""

    __tablename__ = "assessment_scores"

    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True
    )
    overall_score: Mapped[float | None] = mapped_column(Float)
    overall_level: Mapped[int | None]
    overall_label: Mapped[str | None] = mapped_column(String(80))
    #: The area furthest below its target (none when every target is met).
    gap_area: Mapped[str | None] = mapped_column(String(120))
    gap_title: Mapped[str | None] = mapped_column(String(200))
    gap: Mapped[float | None] = mapped_column(Float)
    #: {area id: score or null}, in the questionnaire's order.
    area_scores: Mapped[dict[str, float | None]] = mapped_column(JSON)


class Answer(db.Model):
    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("assessment_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(10))  # level | na | unknown
    level: Mapped[int | None]
    note: Mapped[str] = mapped_column(Text, default="")
    #: Incremented on every change: a save based on an older version is a conflict.
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    assessment: Mapped[Assessment] = relationship(back_populates="answers")
    updated_by: Mapped[User | None] = relationship()


class AnswerChange(db.Model):
    """Every change of an answer before submission: who, when, from what to what."""

    __tablename__ = "answer_changes"
    __table_args__ = (
        Index("ix_answer_changes_assessment_question", "assessment_id", "question_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(120))
    old_value: Mapped[str | None] = mapped_column(String(10))
    new_value: Mapped[str | None] = mapped_column(String(10))
    old_note: Mapped[str | None] = mapped_column(Text)
    new_note: Mapped[str | None] = mapped_column(Text)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    changed_by: Mapped[User | None] = relationship()


class ReviewStatus(enum.StrEnum):
    #: The auditor checked the answer (``verified_level``: the level they could confirm, or
    #: None for a comment without a rating).
    VERIFIED = "verified"
    #: The auditor asks the organization for evidence before they can verify the answer.
    REQUEST_EVIDENCE = "request_evidence"


class Review(db.Model):
    """An auditor's review of one answer: the level they could confirm (or a request for
    evidence), and why.

    Append-only: a new review of the same answer supersedes the last (``superseded_at`` is
    set) and both stay. At most one review per answer is current (``superseded_at`` is
    NULL): a partial unique index holds it on every database."""

    __tablename__ = "reviews"
    __table_args__ = (
        Index(
            "uq_reviews_current",
            "assessment_id",
            "question_id",
            unique=True,
            sqlite_where=text("superseded_at IS NULL"),
            postgresql_where=text("superseded_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[str] = mapped_column(String(120))
    #: A ``ReviewStatus``. Only a server default: an import into the database at an older
    #: revision (without this column) must not send one.
    status: Mapped[str] = mapped_column(String(20), server_default=ReviewStatus.VERIFIED.value)
    verified_level: Mapped[int | None]
    comment: Mapped[str] = mapped_column(Text, default="")
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: When a later review of the same answer replaced this one (None: the current review).
    superseded_at: Mapped[datetime | None]

    reviewer: Mapped[User | None] = relationship()
    replies: Mapped[list[ReviewReply]] = relationship(
        cascade="all, delete-orphan", order_by="ReviewReply.id"
    )


class ReviewReply(db.Model):
    """The organization's answer to a review (an owner's comment): it never changes the
    verified level."""

    __tablename__ = "review_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    comment: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User | None] = relationship()


class Attestation(db.Model):
    """An auditor's sign-off of a submitted assessment: a statement, who, when."""

    __tablename__ = "attestations"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    statement: Mapped[str] = mapped_column(Text)
    attested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    attested_by: Mapped[User | None] = relationship()


class Invitation(db.Model):
    """A single-use, expiring link that adds whoever opens it to an organization."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    used_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: Set when an owner revokes the link: it no longer works, and the API answers 410.
    revoked_at: Mapped[datetime | None]

    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    used_by: Mapped[User | None] = relationship(foreign_keys=[used_by_id])


class RecoveryCode(db.Model):
    """A single-use code that stands in for a TOTP code; only its SHA-256 is stored."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]


class PasswordReset(db.Model):
    """A single-use password reset link, valid for an hour; only its SHA-256 is stored."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class Action(db.Model):
    """An item of an organization's action plan: what to do, for which question (if any), who
    does it by when, and how far it is. Evidence may point at it (``action_id``)."""

    __tablename__ = "actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(Text)
    question_id: Mapped[str | None] = mapped_column(String(120))
    area_id: Mapped[str | None] = mapped_column(String(120))
    #: The owner is a member (``owner_user_id``) or a name typed in (``owner_name``), not both.
    owner_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    owner_name: Mapped[str | None] = mapped_column(String(200))
    due_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="open")
    note: Mapped[str] = mapped_column(Text, default="")
    goal_level: Mapped[int | None]
    source_assessment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessments.id", ondelete="SET NULL")
    )
    risk_justification: Mapped[str | None] = mapped_column(Text)
    risk_accepted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    risk_accepted_at: Mapped[datetime | None]
    done_at: Mapped[datetime | None]
    #: The submission that fell below the goal of this item once done, which reopened it.
    regressed_in_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessments.id", ondelete="SET NULL")
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    owner_user: Mapped[User | None] = relationship(foreign_keys=[owner_user_id])
    risk_accepted_by: Mapped[User | None] = relationship(foreign_keys=[risk_accepted_by_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    source_assessment: Mapped[Assessment | None] = relationship(foreign_keys=[source_assessment_id])
    regressed_in: Mapped[Assessment | None] = relationship(foreign_keys=[regressed_in_id])
    changes: Mapped[list[ActionChange]] = relationship(
        cascade="all, delete-orphan", order_by="ActionChange.id"
    )
    comments: Mapped[list[ActionComment]] = relationship(
        cascade="all, delete-orphan", order_by="ActionComment.id"
    )
    #: Files and links attached to the item, oldest first (the database deletes them with it).
    evidence: Mapped[list[Evidence]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="Evidence.id"
    )


class ActionChange(db.Model):
    """One field of a plan item changed: who, when, from what to what (and why, when the app
    changed it: a regression)."""

    __tablename__ = "action_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(40))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(String(300))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    changed_by: Mapped[User | None] = relationship()


class ActionComment(db.Model):
    """A comment on a plan item (auditors comment; they do not edit)."""

    __tablename__ = "action_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User | None] = relationship()


class Evidence(db.Model):
    """A file or a link attached to one answer of an assessment, or to a plan item: who added
    it, and when.

    A file's bytes live in the instance folder under their SHA-256 (see
    :mod:`assess.records.evidence_store`); the row keeps its name, sniffed type and size.
    ``action_id``: the plan item the evidence backs, when it backs no answer.
    """

    __tablename__ = "evidence"
    __table_args__ = (
        # Exactly one owner: an answer (assessment and question) or a plan item.
        CheckConstraint(
            "(assessment_id IS NOT NULL AND question_id IS NOT NULL AND action_id IS NULL)"
            " OR (action_id IS NOT NULL AND assessment_id IS NULL AND question_id IS NULL)",
            name="one_owner",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The answer it backs (``assessment_id`` and ``question_id``), or else ``action_id``.
    assessment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[str | None] = mapped_column(String(120))
    action_id: Mapped[int | None] = mapped_column(
        ForeignKey("actions.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(10))  # file | link
    filename: Mapped[str | None] = mapped_column(String(255))
    content_type: Mapped[str | None] = mapped_column(String(120))
    size: Mapped[int | None]
    sha256: Mapped[str | None] = mapped_column(String(64))
    url: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(String(200))
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    added_by: Mapped[User | None] = relationship()
