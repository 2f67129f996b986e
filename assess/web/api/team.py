"""Who belongs to an organization: members and invitations."""

from __future__ import annotations

from typing import Any

from flask import g, url_for

from assess.records import membership
from assess.records.database import db
from assess.web import limits
from assess.web.access import organization_for
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
    member = membership.add_member(org, body["email"], body["role"])
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
    return created(
        {"role": body["role"], "url": link, "expires_in_days": membership.INVITATION_DAYS}, link
    )
