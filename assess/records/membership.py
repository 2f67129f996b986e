"""Who belongs to an organization: members and their roles, and invitation links."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from assess.records.accounts import normalize_email
from assess.records.database import db
from assess.records.errors import Invalid
from assess.records.models import Invitation, Membership, Organization, Role, User, utcnow

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
