"""Paths: auditors' reviews (append-only, with history), owners' replies, the auditors'
sign-off (attestation), and each answer's history of changes."""

from __future__ import annotations

from typing import Any

from assess.web.openapi.common import ASSESSMENT, LOCATION, body, request_body, responses
from assess.web.openapi_schemas import (
    INTEGER,
    LEVEL,
    STRING,
    TIMESTAMP,
    nullable,
    obj,
    ref,
    shipped_ids,
)

QUESTION = {
    "name": "question_id",
    "in": "path",
    "required": True,
    "description": "The reviewed question's id",
    "schema": {"type": "string", "maxLength": 120},
}
STATUS = {
    "enum": ["verified", "request_evidence"],
    "description": (
        "`verified`: the auditor checked the answer (`verified_level` is the level they could "
        "confirm, or null for a comment without a rating); `request_evidence`: the auditor "
        "asks the organization for evidence (`verified_level` is null)."
    ),
}
ANSWER_WORD = nullable(
    {
        "anyOf": [LEVEL, {"enum": ["na", "unknown"]}],
        "description": "A level, na, unknown; null: no answer (before the first, after removal)",
    }
)


def paths() -> dict[str, Any]:
    def op(
        op_id: str, summary: str, ok: dict[str, Any], *errors: str, tag: str = "audits", **extra
    ) -> dict[str, Any]:
        return {
            "operationId": op_id,
            "summary": summary,
            "tags": [tag],
            "responses": responses(ok, *errors),
            **extra,
        }

    return {
        "/api/v1/assessments/{assessment_id}/reviews": {
            "parameters": [ASSESSMENT],
            "get": op(
                "listReviews",
                "The current review of each reviewed answer, each with the reviews it "
                "superseded (history, oldest first) and the owners' replies",
                {"200": body("ReviewList")},
                "NotFound",
            ),
            "post": op(
                "addReview",
                "Review one answer of a submitted assessment (auditor only): a verified level "
                "and a comment, or a request for evidence. The answer's current review is "
                "superseded, never overwritten; a review equal to the current one is not "
                "recorded again. A draft: 422.",
                {"201": body("Review", "Recorded", headers=LOCATION)},
                "BadRequest",
                "Forbidden",
                "NotFound",
                "Unprocessable",
                requestBody=request_body("ReviewCreate"),
            ),
        },
        "/api/v1/assessments/{assessment_id}/reviews/{question_id}/replies": {
            "parameters": [ASSESSMENT, QUESTION],
            "post": op(
                "replyToReview",
                "Answer the current review of one answer with a comment (owner only); the "
                "verified level does not change. 404 when the answer has no review.",
                {"201": body("ReviewReply", "Recorded", headers=LOCATION)},
                "BadRequest",
                "Forbidden",
                "NotFound",
                "Unprocessable",
                requestBody=request_body("ReviewReplyCreate"),
            ),
        },
        "/api/v1/assessments/{assessment_id}/attestation": {
            "parameters": [ASSESSMENT],
            "get": op(
                "listAttestations",
                "The auditors' sign-offs of the assessment, oldest first",
                {"200": body("AttestationList")},
                "NotFound",
            ),
            "post": op(
                "attestAssessment",
                "Sign a submitted assessment off with a statement (auditor only); a draft: 409",
                {"201": body("Attestation", "Signed off", headers=LOCATION)},
                "BadRequest",
                "Forbidden",
                "NotFound",
                "Conflict",
                "Unprocessable",
                requestBody=request_body("AttestationCreate"),
            ),
        },
        "/api/v1/assessments/{assessment_id}/changes": {
            "parameters": [ASSESSMENT],
            "get": op(
                "listAnswerChanges",
                "Each change of an answer: who changed what, when, from what to what "
                "(oldest first)",
                {"200": body("AnswerChangeList")},
                "NotFound",
                tag="assessments",
            ),
        },
    }


def components() -> dict[str, Any]:
    reply = obj(
        {"id": INTEGER, "comment": STRING, "author": nullable(STRING), "created_at": TIMESTAMP}
    )
    review = {
        "id": INTEGER,
        "question_id": STRING,
        "status": STATUS,
        "verified_level": nullable(LEVEL),
        "comment": STRING,
        "reviewer": nullable(STRING),
        "updated_at": {**TIMESTAMP, "description": "When this review was recorded (UTC)"},
        "replies": {"type": "array", "items": ref("ReviewReply"), "description": "Oldest first"},
    }
    return {
        "ReviewCreate": obj(
            {
                "question_id": {"type": "string", "enum": shipped_ids()["questions"]},
                "status": {**STATUS, "default": "verified"},
                "verified_level": nullable(LEVEL),
                "comment": nullable({"type": "string", "maxLength": 4000}),
            },
            required=("question_id",),
            additionalProperties=False,
            example={
                "question_id": "program-oversight.accountable-owner",
                "verified_level": 2,
                "comment": "Seen the signed policy.",
            },
        ),
        "ReviewEarlier": obj(review),
        "Review": obj(
            {
                **review,
                "history": {
                    "type": "array",
                    "items": ref("ReviewEarlier"),
                    "description": (
                        "The earlier reviews of this answer that this one superseded, oldest "
                        "first (the current review itself is not in it)"
                    ),
                },
            }
        ),
        "ReviewList": obj(
            {
                "reviews": {
                    "type": "array",
                    "items": ref("Review"),
                    "description": "The current review of each reviewed answer",
                }
            }
        ),
        "ReviewReplyCreate": obj({"comment": STRING}, additionalProperties=False),
        "ReviewReply": reply,
        "AttestationCreate": obj({"statement": STRING}, additionalProperties=False),
        "Attestation": obj(
            {
                "id": INTEGER,
                "statement": STRING,
                "attested_by": nullable(STRING),
                "attested_at": TIMESTAMP,
            }
        ),
        "AttestationList": obj({"attestations": {"type": "array", "items": ref("Attestation")}}),
        "AnswerChange": obj(
            {
                "question_id": STRING,
                "from": ANSWER_WORD,
                "to": ANSWER_WORD,
                "note_from": nullable(STRING),
                "note_to": nullable(STRING),
                "changed_by": nullable(STRING),
                "changed_at": TIMESTAMP,
            }
        ),
        "AnswerChangeList": obj(
            {
                "changes": {
                    "type": "array",
                    "items": ref("AnswerChange"),
                    "description": "Oldest first",
                }
            }
        ),
    }
