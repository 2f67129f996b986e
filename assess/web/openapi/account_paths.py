"""Paths: the signed-in user's own account (setting up two-step verification)."""

from __future__ import annotations

from typing import Any

from assess.web.openapi.common import body, error, request_body, responses
from assess.web.openapi_schemas import STRING, obj

CONFLICT = {
    "409": error(
        "Two-step verification is already on (turn it off on the account page first), or, "
        "for a confirmation, no secret is waiting for one."
    )
}


def paths() -> dict[str, Any]:
    return {
        "/api/v1/account/mfa": {
            "post": {
                "operationId": "startMfaEnrolment",
                "summary": "Propose a TOTP secret for two-step verification (not on until confirmed)",
                "description": (
                    "Open to a member whose organization requires two-step verification they "
                    "have not set up (every other route answers them 403)."
                ),
                "tags": ["account"],
                "responses": {
                    **responses({"200": body("MfaEnrolment", "The secret and its otpauth URI")}),
                    **CONFLICT,
                },
            }
        },
        "/api/v1/account/mfa/confirm": {
            "post": {
                "operationId": "confirmMfaEnrolment",
                "summary": "Turn two-step verification on with a code; the ten recovery codes, once",
                "tags": ["account"],
                "requestBody": request_body("MfaConfirmation"),
                "responses": dict(
                    sorted(
                        {
                            **responses(
                                {"200": body("RecoveryCodes", "On; keep these codes")},
                                "BadRequest",
                                "Unprocessable",
                            ),
                            **CONFLICT,
                        }.items()
                    )
                ),
            }
        },
    }


def components() -> dict[str, Any]:
    return {
        "MfaEnrolment": obj(
            {
                "secret": {**STRING, "description": "The TOTP secret, base32"},
                "otpauth_uri": {
                    **STRING,
                    "description": "otpauth://totp/Assess:EMAIL?secret=...&issuer=Assess",
                },
            }
        ),
        "MfaConfirmation": obj(
            {"code": {**STRING, "description": "The six digits the app shows now"}},
            additionalProperties=False,
        ),
        "RecoveryCodes": obj(
            {
                "recovery_codes": {
                    "type": "array",
                    "items": STRING,
                    "minItems": 10,
                    "maxItems": 10,
                    "description": "Single-use codes that stand in for a TOTP code; shown once",
                }
            }
        ),
    }
