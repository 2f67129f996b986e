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
#: A name: no control characters but white space (collapsed to single spaces), not blank.
_NO_CONTROL = "[^\\x00-\\x08\\x0e-\\x1b\\x7f-\\x84\\x86-\\x9f]"
NAME = {
    "type": "string",
    "minLength": 1,
    "maxLength": 200,
    "pattern": f"^{_NO_CONTROL}*[^\\s\\x00-\\x1f\\x7f-\\x9f]{_NO_CONTROL}*$",
}
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


def shipped_ids() -> dict[str, list[str]]:
    """The ids the server knows, for enums: questionnaires (with their ``id@version``
    forms), every area id and every question id of the shipped questionnaires."""
    from assess.core.questionnaire import get_questionnaire, shipped_questionnaires

    refs = sorted(shipped_questionnaires())
    areas: set[str] = set()
    questions: set[str] = set()
    for name in refs:
        q = get_questionnaire(name)
        areas.update(q.area_by_id)
        questions.update(q.questions)
    return {"questionnaires": refs, "areas": sorted(areas), "questions": sorted(questions)}


def schemas() -> dict[str, Any]:
    from assess.core.questionnaire import Questionnaire
    from assess.core.results import Results

    ids = shipped_ids()
    question_id = {"type": "string", "enum": ids["questions"]}
    area_id = {"type": "string", "enum": ids["areas"]}

    brief = obj(
        {
            "id": INTEGER,
            "name": {
                **STRING,
                "description": (
                    'Its name in the organization: "Full assessment 3", "Quick check 1" '
                    "(numbered per questionnaire, from 1)"
                ),
            },
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
                "name": NAME,
                "profile": ref("ProfileInput"),
            },
            required=("name", "profile"),
            additionalProperties=False,
            example={"name": "Acme Dental", "profile": {"employees": 12, "industry": "healthcare"}},
        ),
        "OrganizationPatch": obj(
            {
                "name": NAME,
                "profile": ref("ProfilePatch"),
            },
            required=(),
            additionalProperties=False,
            example={"profile": {"employees": 65, "incidents_24m": 2}},
        ),
        "AssessmentCreate": obj(
            {
                "questionnaire": {
                    "type": "string",
                    "enum": ids["questionnaires"],
                    "description": "A questionnaire id",
                },
                "copy_from": {
                    "anyOf": [
                        {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                        {"const": "last"},
                    ],
                    "description": (
                        "Start as a copy of this organization's assessment with this id "
                        "('last': the last submitted). Alone, the copy keeps its questionnaire; "
                        "with `questionnaire` naming another one (a full assessment from a quick "
                        "check), the questions both share carry their answers and notes"
                    ),
                },
                "cadence_months": CADENCE,
                "benchmark_opt_in": OPT_IN,
            },
            required=(),
            additionalProperties=False,
            # Either or both: with both, a copy across questionnaires (issue 13).
            anyOf=[{"required": ["questionnaire"]}, {"required": ["copy_from"]}],
            example={"questionnaire": "ciso-nine-areas-quick"},
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
                    "propertyNames": question_id,
                    "additionalProperties": answer_input,
                    "description": (
                        "By question id (of the assessment's questionnaire). All or nothing: "
                        "one bad entry saves none."
                    ),
                },
                "base_versions": nullable(
                    {
                        "type": "object",
                        "propertyNames": question_id,
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
            example={"answers": {"program-oversight.accountable-owner": 2}},
        ),
        "Targets": obj(
            {
                "targets": {
                    "type": "object",
                    "propertyNames": area_id,
                    "additionalProperties": nullable(
                        {"type": "number", "minimum": 0, "maximum": 5}
                    ),
                    "description": "Target level by area id; null goes back to the proposed one.",
                }
            },
            additionalProperties=False,
            example={"targets": {"incident-response": 3.5}},
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
    given["additionalProperties"] = False
    given["description"] = (
        "it_staff and security_staff cannot exceed employees (422 otherwise). "
        + given.get("description", "")
    ).strip()
    given["example"] = {
        "employees": 60,
        "annual_revenue_usd": 12000000,
        "industry": "healthcare",
        "regulations": ["hipaa"],
        "sensitive_data": ["phi", "pii"],
        "it_staff": 2,
        "security_staff": 0,
        "security_leader": "it_manager",
        "incidents_24m": 1,
        "customer_demands": True,
    }
    patch = copy.deepcopy(given)
    patch["required"] = []
    patch["title"] = "ProfilePatch"
    patch["description"] = "Profile fields to change, merged into the stored profile."
    patch["example"] = {"employees": 65}
    return {**schemas, "ProfileInput": given, "ProfilePatch": patch}


def audit_schemas() -> dict[str, Any]:
    """Schemas of the records-and-audits routes (history, comparison, members)."""
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
        "MemberCreate": obj(
            {
                "email": {"type": "string", "format": "email", "minLength": 3, "maxLength": 254},
                "role": role,
            },
            additionalProperties=False,
            description="The email of an existing account (422 otherwise).",
            example={"email": "colleague@example.com", "role": "contributor"},
        ),
        "Member": obj({"user_id": INTEGER, "email": STRING, "role": role}),
        "MemberList": obj({"members": {"type": "array", "items": ref("Member")}}),
        "InvitationCreate": obj(
            {"role": role}, additionalProperties=False, example={"role": "auditor"}
        ),
        "Invitation": obj({"id": INTEGER, "role": role, "url": STRING, "expires_in_days": INTEGER}),
    }
