"""Who belongs to an organization: members and their roles, removing them (or leaving), and
invitation links (created, listed, revoked, accepted).

"Keep at least one owner" holds under concurrency: every change of a role or a membership
first locks the organization (:func:`lock_organization`), so two owners demoting or removing
each other at once take turns, and the second sees the first's change before it counts."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from sqlalchemy import exists, func, select, text, update

from assess.records.accounts import normalize_email
from assess.records.database import db
from assess.records.errors import Gone, Invalid, NotFound, Refused
from assess.records.models import Invitation, Membership, Organization, Role, User, utcnow

ROLES = tuple(r.value for r in Role)
INVITATION_DAYS = 7
LAST_OWNER = "An organization keeps at least one owner: make someone else owner first."
NOT_VALID = "This invitation link is not valid or was already used."


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


def lock_organization(organization_id: int) -> None:
    """Changes of one organization's members take turns: the transaction locks the
    organization's row first (PostgreSQL: SELECT ... FOR UPDATE; SQLite: a write, which takes
    the database's write lock, queued by the busy timeout), so what is read after this is
    the latest and nobody else changes it before the commit."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(
            select(Organization.id).where(Organization.id == organization_id).with_for_update()
        )
    else:
        db.session.execute(
            text("UPDATE organizations SET id = id WHERE id = :id"), {"id": organization_id}
        )


def _membership(organization_id: int, user_id: int) -> Membership | None:
    """The membership as stored now (never a stale copy from the session)."""
    return db.session.scalar(
        select(Membership)
        .where(Membership.user_id == user_id, Membership.organization_id == organization_id)
        .execution_options(populate_existing=True)
    )


def _owners(organization_id: int) -> int:
    return db.session.scalar(
        select(func.count(Membership.id)).where(
            Membership.organization_id == organization_id, Membership.role == Role.OWNER
        )
    )


def _still_owner(org: Organization, by: User | None) -> None:
    """The one making the change was an owner when the request began; after the lock, make
    sure they still are (another owner may have demoted them meanwhile)."""
    if by is not None:
        current = _membership(org.id, by.id)
        if current is None or current.role != Role.OWNER:
            raise Refused("You are no longer an owner of this organization.")


def add_member(org: Organization, email: Any, role: Any, by: User | None = None) -> Membership:
    """Give an existing user a role in the organization (or change their role);
    :class:`Refused` when that would leave no owner, or when ``by`` is no longer an owner."""
    if not isinstance(email, str):
        raise Invalid({"email": "An email address is required."})
    role = _role(role)
    address = normalize_email(email)
    user = db.session.scalar(select(User).where(User.email == address))
    if user is None:
        raise Invalid({"email": "No account uses this email; create an invitation link instead."})
    lock_organization(org.id)
    _still_owner(org, by)
    membership = _membership(org.id, user.id)
    if membership is None:
        membership = Membership(user_id=user.id, organization_id=org.id, role=role)
        db.session.add(membership)
    else:
        if membership.role == Role.OWNER and role != Role.OWNER and _owners(org.id) <= 1:
            raise Refused(LAST_OWNER)
        membership.role = role
    db.session.flush()
    return membership


def remove_member(org: Organization, user_id: int, by: User | None = None) -> None:
    """End a user's membership (an owner removing them, or the user leaving);
    :class:`NotFound` when they are not a member, :class:`Refused` for the last owner (or
    when ``by``, removing someone else, is no longer an owner). Their open invitation links
    stop working with it (a link needs an owner behind it)."""
    lock_organization(org.id)
    if by is not None and by.id != user_id:
        _still_owner(org, by)
    membership = _membership(org.id, user_id)
    if membership is None:
        raise NotFound("No such member of this organization.")
    if membership.role == Role.OWNER and _owners(org.id) <= 1:
        raise Refused(LAST_OWNER)
    db.session.delete(membership)
    db.session.flush()


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


def creator_is_owner(invitation: Invitation) -> bool:
    """A link speaks for its creator: it works only while they are an owner of its
    organization (an owner demoted to auditor no longer hands out owner links)."""
    if invitation.created_by_id is None:
        return False
    return db.session.scalar(
        select(
            exists().where(
                Membership.user_id == invitation.created_by_id,
                Membership.organization_id == invitation.organization_id,
                Membership.role == Role.OWNER,
            )
        )
    )


def invitation_status(invitation: Invitation) -> str:
    """``open``, ``used``, ``revoked``, ``expired``, or ``void`` (its creator is no longer an
    owner of the organization)."""
    if invitation.revoked_at is not None:
        return "revoked"
    if invitation.used_at is not None:
        return "used"
    if invitation.expires_at < utcnow():
        return "expired"
    if not creator_is_owner(invitation):
        return "void"
    return "open"


def _by_token(raw: str) -> Invitation | None:
    return db.session.scalar(
        select(Invitation)
        .where(Invitation.token_hash == _digest(raw or ""))
        .execution_options(populate_existing=True)
    )


def find_invitation(raw: str) -> Invitation:
    """The invitation a link stands for while it can still be accepted; :class:`Invalid`
    otherwise (unknown, used, revoked, expired, or its creator is no longer an owner)."""
    invitation = _by_token(raw)
    status = "missing" if invitation is None else invitation_status(invitation)
    if status == "expired":
        raise Invalid({"invitation": "This invitation link has expired; ask for a new one."})
    if status != "open":
        raise Invalid({"invitation": NOT_VALID})
    return invitation


def accept_invitation(raw: str, user: User) -> Organization:
    """Join the invitation's organization. The organization is locked first (as for every
    change of its members), so the checks of :func:`find_invitation` hold until the commit,
    and the link is claimed by one conditional update: two people opening it at the same
    moment cannot both join."""
    invitation = find_invitation(raw)
    lock_organization(invitation.organization_id)
    invitation = find_invitation(raw)  # again, now that nobody else changes the members
    now = utcnow()
    claimed = db.session.execute(
        update(Invitation)
        .where(
            Invitation.id == invitation.id,
            Invitation.used_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > now,
        )
        .values(used_at=now, used_by_id=user.id)
    )
    if claimed.rowcount != 1:
        raise Invalid({"invitation": NOT_VALID})
    org = db.session.get(Organization, invitation.organization_id)
    if _membership(org.id, user.id) is None:
        db.session.add(Membership(user_id=user.id, organization_id=org.id, role=invitation.role))
    db.session.flush()
    return org


def invitations_of(org: Organization) -> list[Invitation]:
    """Every invitation link of the organization, newest first."""
    return list(
        db.session.scalars(
            select(Invitation)
            .where(Invitation.organization_id == org.id)
            .order_by(Invitation.created_at.desc(), Invitation.id.desc())
        )
    )


def revoke_invitation(org: Organization, invitation_id: Any) -> Invitation:
    """End a link before it is used: :class:`NotFound` when it is not one of the
    organization's, :class:`Gone` when it was revoked already, :class:`Refused` when it was
    used (remove the member instead)."""
    try:
        number = int(invitation_id)
    except (TypeError, ValueError):
        number = -1
    invitation = db.session.get(Invitation, number) if 0 < number < 2**31 else None
    if invitation is None or invitation.organization_id != org.id:
        raise NotFound("No such invitation in this organization.")
    # The conditional update decides, so two owners revoking at once get one 204 and one 410.
    now = utcnow()
    revoked = db.session.execute(
        update(Invitation)
        .where(
            Invitation.id == invitation.id,
            Invitation.revoked_at.is_(None),
            Invitation.used_at.is_(None),
        )
        .values(revoked_at=now)
    )
    db.session.refresh(invitation)
    if revoked.rowcount != 1:
        if invitation.revoked_at is not None:
            raise Gone("This invitation was revoked already.")
        raise Refused("This invitation was used already; remove the member instead.")
    return invitation


def is_member(org: Organization, user: User) -> bool:
    return _membership(org.id, user.id) is not None
