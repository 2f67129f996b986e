"""Quotas: how much one user or one assessment may grow, each a setting, each refused with a
422 that names the setting.

| setting | what | default |
|---|---|---|
| ASSESS_MAX_ORGANIZATIONS | organizations one user owns | 100 |
| ASSESS_MAX_DRAFTS | drafts (unsubmitted assessments) of one organization | 20 |
| ASSESS_MAX_CHANGES | answer-history rows of one assessment | 10,000 |
"""

from __future__ import annotations

from flask import current_app, has_app_context
from sqlalchemy import func, select

from assess.records.database import db
from assess.records.errors import Invalid
from assess.records.models import AnswerChange, Assessment, Membership, Organization, Role, User

DEFAULTS = {
    "ASSESS_MAX_ORGANIZATIONS": 100,
    "ASSESS_MAX_DRAFTS": 20,
    "ASSESS_MAX_CHANGES": 10_000,
}


def limit(name: str) -> int:
    if has_app_context():
        value = current_app.config.get(name)
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
    return DEFAULTS[name]


def check_organizations(user: User) -> None:
    """One more organization owned by ``user``?"""
    most = limit("ASSESS_MAX_ORGANIZATIONS")
    owned = db.session.scalar(
        select(func.count(Membership.id)).where(
            Membership.user_id == user.id, Membership.role == Role.OWNER
        )
    )
    if (owned or 0) >= most:
        raise Invalid(
            {
                "organizations": f"You own {owned:,} organizations, the most allowed "
                f"(ASSESS_MAX_ORGANIZATIONS = {most:,})."
            },
            message=f"Limit reached: ASSESS_MAX_ORGANIZATIONS is {most:,} organizations per user.",
        )


def check_drafts(org: Organization) -> None:
    """One more draft in ``org``?"""
    most = limit("ASSESS_MAX_DRAFTS")
    drafts = db.session.scalar(
        select(func.count(Assessment.id)).where(
            Assessment.organization_id == org.id, Assessment.status == "draft"
        )
    )
    if (drafts or 0) >= most:
        raise Invalid(
            {
                "assessments": f"This organization has {drafts:,} drafts, the most allowed "
                f"(ASSESS_MAX_DRAFTS = {most:,}); submit or finish one first."
            },
            message=f"Limit reached: ASSESS_MAX_DRAFTS is {most:,} drafts per organization.",
        )


def check_changes(assessment: Assessment, adding: int) -> None:
    """``adding`` more answer-history rows for ``assessment``?"""
    if adding <= 0:
        return
    most = limit("ASSESS_MAX_CHANGES")
    kept = db.session.scalar(
        select(func.count(AnswerChange.id)).where(AnswerChange.assessment_id == assessment.id)
    )
    if (kept or 0) + adding > most:
        raise Invalid(
            {
                "answers": f"This assessment has {kept:,} answer changes recorded, the most "
                f"allowed (ASSESS_MAX_CHANGES = {most:,}); nothing was saved."
            },
            message=f"Limit reached: ASSESS_MAX_CHANGES is {most:,} answer changes per assessment.",
        )
