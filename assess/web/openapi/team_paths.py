"""Paths: removing members (or leaving), listing and revoking invitation links, and
deleting a draft assessment."""

from __future__ import annotations

from typing import Any

from assess.web.openapi.common import ASSESSMENT, ORG, body, id_param, responses
from assess.web.openapi_schemas import INTEGER, STRING, TIMESTAMP, nullable, obj, ref

NO_CONTENT = {"204": {"description": "Done; no body"}}


def paths() -> dict[str, Any]:
    return {
        "/api/v1/organizations/{org_id}/members/{user_id}": {
            "parameters": [ORG, id_param("user_id", "member's user")],
            "delete": {
                "operationId": "removeMember",
                "summary": (
                    "Remove a member (owner), or leave (your own user id, any role). The "
                    "removed user gets 404 for the organization from the next request on; "
                    "409 for the last owner"
                ),
                "tags": ["organizations"],
                "responses": responses(NO_CONTENT, "Forbidden", "NotFound", "Conflict"),
            },
        },
        "/api/v1/organizations/{org_id}/invitations": {
            "parameters": [ORG],
            "get": {
                "operationId": "listInvitations",
                "summary": "Every invitation link, newest first, with who made and used it (owner)",
                "tags": ["organizations"],
                "responses": responses({"200": body("InvitationList")}, "Forbidden", "NotFound"),
            },
        },
        "/api/v1/organizations/{org_id}/invitations/{invitation_id}": {
            "parameters": [ORG, id_param("invitation_id", "invitation")],
            "delete": {
                "operationId": "revokeInvitation",
                "summary": (
                    "Revoke a link (owner): it no longer works (its page answers 404). "
                    "Revoked already: 410; used already: 409"
                ),
                "tags": ["organizations"],
                "responses": responses(NO_CONTENT, "Forbidden", "NotFound", "Conflict", "Gone"),
            },
        },
        "/api/v1/assessments/{assessment_id}": {
            "parameters": [ASSESSMENT],
            "delete": {
                "operationId": "deleteAssessment",
                "summary": "Delete a draft (owner); a submitted assessment is a record: 409",
                "tags": ["assessments"],
                "responses": responses(NO_CONTENT, "Forbidden", "NotFound", "Conflict"),
            },
        },
    }


def components() -> dict[str, Any]:
    email = nullable({**STRING, "description": "The account's email (null: deleted since)"})
    return {
        "InvitationSummary": obj(
            {
                "id": INTEGER,
                "role": {"enum": ["owner", "contributor", "auditor"]},
                "status": {
                    "enum": ["open", "used", "revoked", "expired", "void"],
                    "description": "void: its creator is no longer an owner, so it cannot be used",
                },
                "created_by": email,
                "created_at": TIMESTAMP,
                "expires_at": TIMESTAMP,
                "used": {"type": "boolean"},
                "used_at": nullable(TIMESTAMP),
                "used_by": email,
                "revoked_at": nullable(TIMESTAMP),
            },
            additionalProperties=False,
        ),
        "InvitationList": obj(
            {"invitations": {"type": "array", "items": ref("InvitationSummary")}}
        ),
    }
