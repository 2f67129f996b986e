"""Who may see and do what. Every lookup of an organization or an assessment goes through
these helpers, which scope the query to the organizations the user belongs to: anything else
answers 404 (it might as well not exist), and a member without the right gets 403.
"""

from __future__ import annotations

from typing import Any

from flask import abort
from sqlalchemy import func, select

from assess.records.database import db
from assess.records.models import (
    Action,
    Assessment,
    Evidence,
    Membership,
    Organization,
    Role,
    User,
)

NO_SUCH_ASSESSMENT = "No such assessment."

#: What each role may do in its organization.
PERMISSIONS: dict[str, frozenset[str]] = {
    "read": frozenset({Role.OWNER, Role.CONTRIBUTOR, Role.AUDITOR}),
    "answer": frozenset({Role.OWNER, Role.CONTRIBUTOR}),
    # Evidence may be added by every member, after submission too (an auditor asks for it);
    # removing it (from a draft only) is for those who answer.
    "evidence": frozenset({Role.OWNER, Role.CONTRIBUTOR, Role.AUDITOR}),
    "submit": frozenset({Role.OWNER, Role.CONTRIBUTOR}),
    # Only auditors verify: an owner can no longer overwrite (or remove) a finding.
    "review": frozenset({Role.AUDITOR}),
    # Owners answer a review with a comment that never changes the verified level.
    "reply": frozenset({Role.OWNER}),
    # Signing a submitted assessment off is an auditor's statement.
    "attest": frozenset({Role.AUDITOR}),
    "export": frozenset({Role.OWNER, Role.AUDITOR}),
    "manage": frozenset({Role.OWNER}),
    # The action plan: owners and contributors edit it; every member reads and comments.
    "plan": frozenset({Role.OWNER, Role.CONTRIBUTOR}),
    "comment": frozenset({Role.OWNER, Role.CONTRIBUTOR, Role.AUDITOR}),
}


def can(role: str | None, need: str) -> bool:
    return role is not None and role in PERMISSIONS[need]


def role_in(user: User, organization_id: int) -> str | None:
    return db.session.scalar(
        select(Membership.role).where(
            Membership.user_id == user.id, Membership.organization_id == organization_id
        )
    )


def organizations_of(user: User) -> list[tuple[Organization, str]]:
    rows = db.session.execute(
        select(Organization, Membership.role)
        .join(Membership, Membership.organization_id == Organization.id)
        .where(Membership.user_id == user.id)
        .order_by(Organization.name, Organization.id)
    )
    return [(org, role) for org, role in rows]


def organization_for(
    user: User, organization_id: int, need: str = "read"
) -> tuple[Organization, str]:
    """The organization with its user's role, or 404 / 403."""
    query = (
        select(Organization, Membership.role)
        .join(Membership, Membership.organization_id == Organization.id)
        .where(Membership.user_id == user.id, Organization.id == organization_id)
    )
    return _allowed(query, need, "No such organization.")


def assessment_for(user: User, assessment_id: int, need: str = "read") -> tuple[Assessment, str]:
    """The assessment with its user's role in its organization, or 404 / 403."""
    query = (
        select(Assessment, Membership.role)
        .join(Membership, Membership.organization_id == Assessment.organization_id)
        .where(Membership.user_id == user.id, Assessment.id == assessment_id)
    )
    return _allowed(query, need, NO_SUCH_ASSESSMENT)


def action_for(user: User, action_id: int, need: str = "read") -> tuple[Action, str]:
    """An item of an action plan with its user's role in its organization, or 404 / 403."""
    query = (
        select(Action, Membership.role)
        .join(Membership, Membership.organization_id == Action.organization_id)
        .where(Membership.user_id == user.id, Action.id == action_id)
    )
    return _allowed(query, need, "No such action.")


def evidence_for(
    user: User, evidence_id: int, need: str = "read"
) -> tuple[Evidence, Assessment | Action, str]:
    """An evidence item with what it backs (its assessment, or its plan item) and the user's
    role in their organization, or 404 / 403. ``need="remove"``: the right to remove it,
    which is "answer" for an answer's evidence and "plan" for a plan item's."""
    query = (
        select(Evidence, Membership.role)
        .outerjoin(Assessment, Assessment.id == Evidence.assessment_id)
        .outerjoin(Action, Action.id == Evidence.action_id)
        .join(
            Membership,
            Membership.organization_id
            == func.coalesce(Assessment.organization_id, Action.organization_id),
        )
        .where(Membership.user_id == user.id, Evidence.id == evidence_id)
    )
    item, role = _allowed(query, "read", "No such evidence.")
    owner: Assessment | Action | None
    if item.action_id is not None:
        owner, right = db.session.get(Action, item.action_id), "plan"
    else:
        owner, right = db.session.get(Assessment, item.assessment_id), "answer"
    assert owner is not None  # the join above found it
    if not can(role, right if need == "remove" else need):
        abort(403, description=f"Your role ({role}) does not allow this.")
    return item, owner, role


def _allowed(query: Any, need: str, missing: str) -> tuple[Any, str]:
    """The (thing, role) row of a scoped query: 404 when there is none, 403 when the role
    may not do ``need``."""
    row = db.session.execute(query).first()
    found, role = row if row is not None else (None, None)
    check_role(role, need, missing)
    return found, role


def check_role(role: str | None, need: str, missing: str) -> None:
    """404 with ``missing`` when there is no role (not a member, or nothing there), 403 when
    the role may not do ``need``."""
    if role is None:
        abort(404, description=missing)
    if not can(role, need):
        abort(403, description=f"Your role ({role}) does not allow this.")
