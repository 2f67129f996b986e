"""Who belongs to an organization: members (added, removed, leaving) and invitations
(created, listed, revoked)."""

from __future__ import annotations

from typing import Any

from flask import abort, g, url_for

from assess.records import membership
from assess.records.database import db
from assess.records.models import Invitation
from assess.records.text import iso
from assess.web import limits
from assess.web.access import can, organization_for
from assess.web.api.common import (
    ID,
    bp,
    created,
    json_object,
    require_token,
)
from assess.web.urls import absolute_url


def _member_document(user: Any, role: str) -> dict[str, Any]:
    return {"user_id": user.id, "email": user.email, "role": role}


@bp.get(f"/organizations/<{ID}:org_id>/members")
@require_token
def members(org_id: int):
    org, _ = organization_for(g.api_user, org_id)
    return {"members": [_member_document(u, r) for u, r in membership.members_of(org)]}


@bp.post(f"/organizations/<{ID}:org_id>/members")
@require_token
def add_member(org_id: int):
    org, _ = organization_for(g.api_user, org_id, "manage")
    body = json_object({"email", "role"}, required={"email", "role"})
    limits.spend("ASSESS_LOOKUP_LIMIT", str(g.api_user.id))  # it tells whether one exists
    member = membership.add_member(org, body["email"], body["role"], by=g.api_user)
    db.session.commit()
    document = _member_document(member.user, member.role)
    return created(document, url_for("api.members", org_id=org.id))


@bp.post(f"/organizations/<{ID}:org_id>/invitations")
@require_token
def invite(org_id: int):
    org, _ = organization_for(g.api_user, org_id, "manage")
    body = json_object({"role"}, required={"role"})
    raw = membership.create_invitation(org, g.api_user, body["role"])
    db.session.commit()
    link = absolute_url("team.accept_invitation", token=raw)
    invitation = membership.invitations_of(org)[0]
    return created(
        {
            "id": invitation.id,
            "role": body["role"],
            "url": link,
            "expires_in_days": membership.INVITATION_DAYS,
        },
        link,
    )


@bp.delete(f"/organizations/<{ID}:org_id>/members/<{ID}:user_id>")
@require_token
def remove_member(org_id: int, user_id: int):
    """An owner removes a member; anyone may remove themselves (leave). 409 for the last
    owner; the removed user gets 404 for the organization from the next request on."""
    org, role = organization_for(g.api_user, org_id)
    if user_id != g.api_user.id and not can(role, "manage"):
        abort(403, description=f"Your role ({role}) does not allow this.")
    membership.remove_member(org, user_id, by=g.api_user)
    db.session.commit()
    return "", 204


def _invitation_document(invitation: Invitation) -> dict[str, Any]:
    creator, user = invitation.created_by, invitation.used_by
    return {
        "id": invitation.id,
        "role": invitation.role,
        "status": membership.invitation_status(invitation),
        "created_by": creator.email if creator else None,
        "created_at": iso(invitation.created_at),
        "expires_at": iso(invitation.expires_at),
        "used": invitation.used_at is not None,
        "used_at": iso(invitation.used_at),
        "used_by": user.email if user else None,
        "revoked_at": iso(invitation.revoked_at),
    }


@bp.get(f"/organizations/<{ID}:org_id>/invitations")
@require_token
def invitations(org_id: int):
    org, _ = organization_for(g.api_user, org_id, "manage")
    return {"invitations": [_invitation_document(i) for i in membership.invitations_of(org)]}


@bp.delete(f"/organizations/<{ID}:org_id>/invitations/<{ID}:invitation_id>")
@require_token
def revoke_invitation(org_id: int, invitation_id: int):
    """204; the link no longer works. Revoked already: 410 Gone. Used: 409."""
    org, _ = organization_for(g.api_user, org_id, "manage")
    membership.revoke_invitation(org, invitation_id)
    db.session.commit()
    return "", 204
