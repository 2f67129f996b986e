"""The component schemas of the OpenAPI document: the results, the questionnaire and the
profile generated from their pydantic models; requests, lists and audit documents written
here beside the views that produce them."""

from __future__ import annotations

import copy
from typing import Any

from pydantic import BaseModel

REF = "#/components/schemas/{model}"
MAX_ID = 2_147_483_647


def ref(name: str) -> dict[str, str]:
    return {"$ref": REF.format(model=name)}


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def obj(properties: dict[str, Any], required: tuple[str, ...] | None = None, **extra: Any):
    """An object schema; every property is required unless ``required`` says otherwise."""
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties if required is None else required),
        **extra,
    }


def model_schemas(model: type[BaseModel], mode: str = "validation") -> dict[str, Any]:
    """A pydantic model's JSON Schema with its ``$defs`` lifted into the components."""
    schema = model.model_json_schema(ref_template=REF, mode=mode)
    defs = schema.pop("$defs", {})
    return {model.__name__: schema, **defs}


# --------------------------------------------------------------------------- schemas

STRING = {"type": "string"}
INTEGER = {"type": "integer"}
NUMBER = {"type": "number"}
COUNT = {"type": "integer", "minimum": 0}
SCORE = nullable({"type": "number", "minimum": 0, "maximum": 5})
TIMESTAMP = {
    "type": "string",
    "format": "date-time",
    "description": "UTC, e.g. 2025-01-31T09:00:00Z",
}
LEVEL = {"type": "integer", "minimum": 0, "maximum": 5}
CADENCE = {
    "type": "integer",
    "enum": [3, 6, 12],
    "description": "Months between reassessments, set by the owners (12 by default): "
    "the next one is due this long after the last submission.",
}
OPT_IN = {
    "type": "boolean",
    "description": "The owners let the latest submission count, anonymously, in the peer "
    "benchmark of opted-in organizations (false by default; seeing the benchmark needs it).",
}
ANSWER_VALUE = {
    "anyOf": [LEVEL, {"type": "string", "enum": ["na", "unknown"]}],
    "description": "A level 0–5, `na` (not applicable) or `unknown` (don't know, scored 0).",
}


def schemas() -> dict[str, Any]:
    from assess.core.questionnaire import Questionnaire
    from assess.core.results import Results

    brief = obj(
        {
            "id": INTEGER,
            "organization_id": INTEGER,
            "status": {"type": "string", "enum": ["draft", "submitted"]},
            "questionnaire": ref("QuestionnaireIdentity"),
            "created_at": TIMESTAMP,
            "updated_at": TIMESTAMP,
            "submitted_at": nullable(TIMESTAMP),
            "targets": {
                "type": "object",
                "additionalProperties": NUMBER,
                "description": "Targets set by the owner, by area id (others are proposed).",
            },
            "progress": obj({"answered": COUNT, "total": COUNT}),
        }
    )
    stored_answer = obj(
        {
            "value": ANSWER_VALUE,
            "note": nullable(STRING),
            "version": {
                **INTEGER,
                "description": "Raised on every change; send it back in base_versions.",
            },
            "updated_at": TIMESTAMP,
        }
    )
    answer_input = {
        "description": (
            "A level 0–5, `na`, `unknown`, `{level, note}`, or null to remove the answer. "
            'Levels may also be written as strings (`"3"`).'
        ),
        "anyOf": [
            LEVEL,
            STRING,
            {
                "type": "object",
                "properties": {
                    "level": {"anyOf": [LEVEL, STRING]},
                    "note": {"type": "string", "maxLength": 4000},
                },
                "required": ["level"],
                "additionalProperties": False,
            },
            {"type": "null"},
        ],
    }
    questionnaire = model_schemas(Questionnaire, mode="serialization")
    full = questionnaire.pop("Questionnaire")
    full["properties"]["hash"] = {**STRING, "description": "SHA-256 of the content"}
    full["required"] = [*full.get("required", []), "hash"]
    return {
        "Error": obj(
            {
                "error": obj(
                    {
                        "message": STRING,
                        "details": {
                            "type": "object",
                            "description": "A message per field or question id.",
                        },
                    },
                    required=("message",),
                )
            }
        ),
        "QuestionnaireSummary": obj(
            {
                "id": STRING,
                "version": STRING,
                "hash": STRING,
                "title": STRING,
                "areas": COUNT,
                "questions": COUNT,
            }
        ),
        "QuestionnaireList": obj(
            {"questionnaires": {"type": "array", "items": ref("QuestionnaireSummary")}}
        ),
        "Questionnaire": full,
        **questionnaire,
        **profile_schemas(),
        "Organization": obj(
            {
                "id": INTEGER,
                "name": STRING,
                "role": {"type": "string", "enum": ["owner", "contributor", "auditor"]},
                "profile": ref("Profile"),
                "cadence_months": CADENCE,
                "benchmark_opt_in": OPT_IN,
            }
        ),
        "OrganizationList": obj({"organizations": {"type": "array", "items": ref("Organization")}}),
        "OrganizationCreate": obj(
            {
                "name": {"type": "string", "minLength": 1, "maxLength": 200},
                "profile": ref("ProfileInput"),
            },
            required=("name", "profile"),
            additionalProperties=False,
        ),
        "OrganizationPatch": obj(
            {
                "name": {"type": "string", "minLength": 1, "maxLength": 200},
                "profile": {
                    "type": "object",
                    "description": (
                        "Profile fields to change (see ProfileInput), merged into the stored one."
                    ),
                },
                "cadence_months": CADENCE,
                "benchmark_opt_in": OPT_IN,
            },
            required=(),
            additionalProperties=False,
        ),
        "AssessmentCreate": obj(
            {
                "questionnaire": {**STRING, "description": "A questionnaire id"},
                "copy_from": {
                    "anyOf": [INTEGER, {"const": "last"}],
                    "description": "Start as a copy of this assessment's answers ('last': the last submitted)",
                },
            },
            required=(),
            additionalProperties=False,
        ),
        "AssessmentBrief": brief,
        "AssessmentList": obj({"assessments": {"type": "array", "items": ref("AssessmentBrief")}}),
        "Assessment": {
            "allOf": [
                ref("AssessmentBrief"),
                obj({"answers": {"type": "object", "additionalProperties": stored_answer}}),
            ]
        },
        "AnswersPatch": obj(
            {
                "answers": {
                    "type": "object",
                    "additionalProperties": answer_input,
                    "description": "By question id. All or nothing: one bad entry saves none.",
                },
                "base_versions": nullable(
                    {
                        "type": "object",
                        "additionalProperties": COUNT,
                        "description": (
                            "The answer versions you read, by question id (0: not answered). "
                            "An answer changed since is a 409 conflict and nothing is saved."
                        ),
                    }
                ),
            },
            required=("answers",),
            additionalProperties=False,
        ),
        "Targets": obj(
            {
                "targets": {
                    "type": "object",
                    "additionalProperties": nullable(
                        {"type": "number", "minimum": 0, "maximum": 5}
                    ),
                    "description": "Target level by area id; null goes back to the proposed one.",
                }
            },
            additionalProperties=False,
        ),
        **model_schemas(Results, mode="serialization"),
    }


def profile_schemas() -> dict[str, Any]:
    """``Profile`` as stored and returned; ``ProfileInput`` as sent (the organization's name
    comes from the organization)."""
    from assess.core.recommend import Profile

    schemas = model_schemas(Profile)
    given = copy.deepcopy(schemas["Profile"])
    given["properties"].pop("organization", None)
    given["required"] = [name for name in given.get("required", []) if name != "organization"]
    given["title"] = "ProfileInput"
    return {**schemas, "ProfileInput": given}


def audit_schemas() -> dict[str, Any]:
    """Schemas of the records-and-audits routes (history, comparison, members, reviews)."""
    delta = nullable(NUMBER)
    area_change = obj({"id": STRING, "title": STRING, "from": SCORE, "to": SCORE, "delta": delta})
    value = nullable({"anyOf": [LEVEL, {"enum": ["na", "unknown"]}]})
    note = nullable(STRING)
    role = {"enum": ["owner", "contributor", "auditor"]}
    return {
        "History": obj(
            {
                "assessments": {
                    "type": "array",
                    "description": "Submitted assessments, oldest first",
                    "items": obj(
                        {
                            "id": INTEGER,
                            "submitted_at": STRING,
                            "questionnaire": ref("QuestionnaireIdentity"),
                            "overall": {"type": "object"},
                            "areas": {"type": "array", "items": {"type": "object"}},
                        }
                    ),
                }
            }
        ),
        "Comparison": obj(
            {
                "areas": {"type": "array", "items": area_change},
                "questions": {
                    "type": "array",
                    "items": obj(
                        {
                            "id": STRING,
                            "from": value,
                            "to": value,
                            "note_from": note,
                            "note_to": note,
                            "change": {"enum": ["improved", "regressed", "changed"]},
                        }
                    ),
                },
                "added": {"type": "array", "items": STRING},
                "removed": {"type": "array", "items": STRING},
            }
        ),
        "MemberCreate": obj({"email": STRING, "role": role}, additionalProperties=False),
        "Member": obj({"user_id": INTEGER, "email": STRING, "role": role}),
        "MemberList": obj({"members": {"type": "array", "items": ref("Member")}}),
        "InvitationCreate": obj({"role": role}, additionalProperties=False),
        "Invitation": obj({"role": role, "url": STRING, "expires_in_days": INTEGER}),
        "ReviewCreate": obj(
            {"question_id": STRING, "verified_level": nullable(LEVEL), "comment": STRING},
            required=("question_id",),
            additionalProperties=False,
        ),
        "Review": obj(
            {
                "question_id": STRING,
                "verified_level": nullable(LEVEL),
                "comment": STRING,
                "reviewer": nullable(STRING),
                "updated_at": STRING,
            }
        ),
        "ReviewList": obj({"reviews": {"type": "array", "items": ref("Review")}}),
    }
