"""Paths: evidence behind answers and plan items (files and links), listed, attached,
downloaded, removed."""

from __future__ import annotations

from typing import Any

from assess.core.filetypes import KINDS
from assess.web.openapi.common import (
    ASSESSMENT,
    LOCATION,
    body,
    error,
    id_param,
    responses,
)
from assess.web.openapi_schemas import INTEGER, STRING, TIMESTAMP, nullable, obj, ref

QUESTION = {
    "name": "question_id",
    "in": "path",
    "required": True,
    "description": "A question id of the assessment's questionnaire (404 when it has none)",
    "schema": STRING,
}
EVIDENCE = id_param("evidence_id", "evidence item")
ACTION = id_param("action_id", "action")

ACCEPTED = ", ".join(f"{kind.name} (`{kind.mimetype}`)" for kind in KINDS)

UNSUPPORTED = error(
    "The file's content is not an accepted kind (judged by its bytes, never by its name or "
    f"Content-Type). Accepted: {ACCEPTED}. The message says what the file is instead."
)
FILE_TOO_LARGE = error(
    "The file is larger than ASSESS_MAX_EVIDENCE (10 MB by default). Every other route keeps "
    "the ordinary 1 MB body limit."
)

DOWNLOAD_HEADERS = {
    "Content-Disposition": {
        "schema": STRING,
        "description": 'Always `attachment; filename="…"` (with `filename*` for non-ASCII names)',
    },
    "X-Content-Type-Options": {"schema": {"const": "nosniff"}},
    "Content-Security-Policy": {
        "schema": {"const": "sandbox; default-src 'none'; frame-ancestors 'none'"}
    },
}


def paths() -> dict[str, Any]:
    def op(
        op_id: str, summary: str, ok: dict[str, Any], *errors: str, **extra: Any
    ) -> dict[str, Any]:
        return {
            "operationId": op_id,
            "summary": summary,
            "tags": ["evidence"],
            "responses": responses(ok, *errors),
            **extra,
        }

    def adding(op_id: str, summary: str, rules: str) -> dict[str, Any]:
        add = op(
            op_id,
            summary,
            {"201": body("Evidence", "Attached", headers=LOCATION)},
            "BadRequest",
            "NotFound",
            "Unprocessable",
            description=(
                "A file as `multipart/form-data` (one field, `file`), or a link as JSON "
                "`{url, title}`. A file is accepted by its sniffed content only: "
                f"{ACCEPTED}; a ZIP is a DOCX or XLSX only when it holds `[Content_Types].xml` "
                "and `word/` or `xl/` parts, and never with macros. Files are stored once per "
                f"SHA-256. {rules}"
            ),
            requestBody={
                "required": True,
                "content": {
                    "multipart/form-data": {"schema": ref("EvidenceUpload")},
                    "application/json": {"schema": ref("EvidenceLink")},
                },
            },
        )
        add["responses"]["413"] = FILE_TOO_LARGE
        add["responses"]["415"] = UNSUPPORTED
        add["responses"] = dict(sorted(add["responses"].items()))
        return add

    add = adding(
        "addEvidence",
        "Attach a file or a link to an answer (any member; drafts and submitted assessments)",
        "Evidence may be added after submission (an auditor asks for it); it is never "
        "changed, and removed only from a draft.",
    )
    add_to_action = adding(
        "addActionEvidence",
        "Attach a file or a link to a plan item (any member, auditors included; any status)",
        "Evidence is never changed; owners and contributors may remove it while the item is "
        "open or in progress, never once it is done or its risk accepted.",
    )

    download = op(
        "getEvidence",
        "Download a file (as an attachment), or a link's document",
        {
            "200": {
                "description": (
                    "A file: its bytes, as the type its content was sniffed as, always as an "
                    "attachment with `X-Content-Type-Options: nosniff` and a sandboxing "
                    "Content-Security-Policy. A link: its JSON document (`kind` is `link`)."
                ),
                "headers": DOWNLOAD_HEADERS,
                "content": {
                    **{
                        kind.mimetype: {"schema": {"type": "string", "format": "binary"}}
                        for kind in KINDS
                    },
                    "application/json": {"schema": ref("Evidence")},
                },
            }
        },
        "NotFound",
    )
    return {
        "/api/v1/assessments/{assessment_id}/answers/{question_id}/evidence": {
            "parameters": [ASSESSMENT, QUESTION],
            "get": op(
                "listEvidence",
                "The files and links attached to one answer, oldest first",
                {"200": body("EvidenceList")},
                "NotFound",
            ),
            "post": add,
        },
        "/api/v1/actions/{action_id}/evidence": {
            "parameters": [ACTION],
            "post": add_to_action,
        },
        "/api/v1/evidence/{evidence_id}": {
            "parameters": [EVIDENCE],
            "get": download,
            "delete": op(
                "deleteEvidence",
                "Remove evidence from a draft, or from a plan item open or in progress "
                "(owner or contributor); a submitted assessment, and a plan item done or "
                "risk accepted, keep their evidence (409)",
                {"204": {"description": "Removed"}},
                "Forbidden",
                "NotFound",
                "Conflict",
            ),
        },
    }


def components() -> dict[str, Any]:
    text = nullable(STRING)
    number = nullable(INTEGER)
    return {
        "Evidence": obj(
            {
                "id": INTEGER,
                "question_id": {
                    **text,
                    "description": "The question of the answer it backs; null on a plan item",
                },
                "action_id": {
                    **number,
                    "description": "The plan item it backs; null on an answer",
                },
                "kind": {"enum": ["file", "link"]},
                "filename": {
                    **text,
                    "description": "A file's name (its extension follows the sniffed kind); "
                    "null for a link",
                },
                "size": {**number, "description": "Bytes; null for a link"},
                "sha256": {**text, "description": "Hex SHA-256 of the file; null for a link"},
                "content_type": {
                    "anyOf": [{"enum": [kind.mimetype for kind in KINDS]}, {"type": "null"}],
                    "description": "The sniffed type; null for a link",
                },
                "url": {**text, "description": "A link's http(s) URL; null for a file"},
                "title": {**text, "description": "A link's title (its URL if none was given)"},
                "added_by": {**text, "description": "Who added it (null: a deleted account)"},
                "added_at": TIMESTAMP,
            },
            additionalProperties=False,
        ),
        "EvidenceList": obj({"evidence": {"type": "array", "items": ref("Evidence")}}),
        "EvidenceUpload": obj(
            {"file": {"type": "string", "format": "binary", "description": "The file"}},
            additionalProperties=False,
        ),
        "EvidenceLink": obj(
            {
                "url": {"type": "string", "maxLength": 2000, "description": "http:// or https://"},
                "title": nullable({"type": "string", "maxLength": 200}),
            },
            required=("url",),
            additionalProperties=False,
        ),
    }
