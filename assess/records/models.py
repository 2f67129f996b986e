"""The database: users, organizations and their members, assessments, answers and history.

Typed SQLAlchemy 2 models. Computation never happens here: the pure core scores what
the use cases of :mod:`assess.records` read from these rows.
"""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any

from flask_login import UserMixin
from sqlalchemy import JSON, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy import false as sa_false
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
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    #: Months between reassessments (3, 6 or 12), set by the owners: due = last submission + it.
    cadence_months: Mapped[int] = mapped_column(default=12, server_default="12")
    #: The owners let the latest submission count, anonymously, in the peer benchmark.
    benchmark_opt_in: Mapped[bool] = mapped_column(default=False, server_default=sa_false())

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
    #: The portfolio and the benchmark read each organization's latest submissions.
    __table_args__ = (
        Index("ix_assessments_org_status_submitted", "organization_id", "status", "submitted_at"),
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
    #: The results document of a submitted assessment, computed once (it never changes).
    results: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    organization: Mapped[Organization] = relationship(back_populates="assessments")
    snapshot: Mapped[QuestionnaireSnapshot] = relationship()
    answers: Mapped[list[Answer]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan", order_by="Answer.id"
    )
    reviews: Mapped[list[Review]] = relationship(cascade="all, delete-orphan", order_by="Review.id")
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


class Review(db.Model):
    """An auditor's verification of one answer: the level they could confirm, and why."""

    __tablename__ = "reviews"
    __table_args__ = (UniqueConstraint("assessment_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[str] = mapped_column(String(120))
    verified_level: Mapped[int | None]
    comment: Mapped[str] = mapped_column(Text, default="")
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    reviewer: Mapped[User | None] = relationship()


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
