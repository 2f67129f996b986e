"""The OpenAPI 3.1 document of the JSON API, served at ``/api/v1/openapi.json``.

A plain dict, written next to the views it describes; ``tests/web/test_api.py`` fails when a
route under ``/api/v1`` is missing here, and checks the responses against these schemas. The
questionnaire and the organization profile are described by their own pydantic models, so
their schemas cannot drift from what the app validates.
"""

from __future__ import annotations

import copy
from functools import lru_cache
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
ANSWER_VALUE = {
    "anyOf": [LEVEL, {"type": "string", "enum": ["na", "unknown"]}],
    "description": "A level 0–5, `na` (not applicable) or `unknown` (don't know, scored 0).",
}


def _schemas() -> dict[str, Any]:
    from assess.core.questionnaire import Questionnaire

    identity = obj(
        {
            "id": STRING,
            "version": STRING,
            "hash": {**STRING, "description": "SHA-256 of the content"},
        }
    )
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
    area_result = obj(
        {
            "id": STRING,
            "title": STRING,
            "weight": NUMBER,
            "score": SCORE,
            "target": NUMBER,
            "gap": nullable(NUMBER),
            "answered": COUNT,
            "total": COUNT,
            "unknown": COUNT,
            "na": COUNT,
        }
    )
    roadmap_step = obj(
        {
            "rank": {"type": "integer", "minimum": 1},
            "area": STRING,
            "question": STRING,
            "text": STRING,
            "current_level": LEVEL,
            "unknown": {"type": "boolean"},
            "next_level": LEVEL,
            "step": {**STRING, "description": "The next level's description: what to do next."},
            "priority": NUMBER,
            "first_90_days": {"type": "boolean"},
        }
    )
    results = obj(
        {
            "questionnaire": ref("QuestionnaireIdentity"),
            "overall": obj({"score": SCORE, "level": nullable(LEVEL), "label": nullable(STRING)}),
            "areas": {"type": "array", "items": area_result},
            "roadmap": {"type": "array", "items": roadmap_step},
            "unanswered": {"type": "array", "items": STRING},
            "recommendation": ref("Recommendation"),
        },
        required=("questionnaire", "overall", "areas", "roadmap", "unanswered"),
        description=(
            "The same document as `assess score --format json`; `recommendation` is there when "
            "the organization has a complete profile."
        ),
    )
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
        "QuestionnaireIdentity": identity,
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
        **_profile_schemas(),
        "Organization": obj(
            {
                "id": INTEGER,
                "name": STRING,
                "role": {"type": "string", "enum": ["owner", "contributor", "auditor"]},
                "profile": ref("Profile"),
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
        "Results": results,
        "Recommendation": _recommendation_schema(),
    }


def _recommendation_schema() -> dict[str, Any]:
    """The ``recommendation`` object of the results (``Recommendation.to_dict``)."""
    strings = {"type": "array", "items": STRING}
    money = {"type": "integer", "minimum": 0, "description": "US dollars"}
    return obj(
        {
            "organization": STRING,
            "hire": {"type": "string", "enum": ["ciso", "vciso"]},
            "hire_label": STRING,
            "confidence": {"type": "number", "minimum": 0, "maximum": 1},
            "points": {**NUMBER, "description": "Total points; at the threshold or above: ciso"},
            "threshold": NUMBER,
            "summary": STRING,
            "reasons": {
                "type": "array",
                "items": obj(
                    {
                        "factor": STRING,
                        "title": STRING,
                        "value": {"description": "The profile's value for this factor"},
                        "effect": {
                            "type": "string",
                            "enum": ["toward_ciso", "toward_vciso", "neutral"],
                        },
                        "weight": NUMBER,
                        "explanation": STRING,
                        "sources": strings,
                    }
                ),
            },
            "costs": obj(
                {
                    "ciso": obj(
                        {
                            "annual_usd": money,
                            "compensation_usd": money,
                            "overhead_rate": NUMBER,
                            "assumptions": strings,
                            "sources": strings,
                        }
                    ),
                    "vciso": obj(
                        {
                            "annual_usd": money,
                            "monthly_usd": money,
                            "hours_per_month": COUNT,
                            "hourly_rate_usd": NUMBER,
                            "base_hours": NUMBER,
                            "gap_hours": NUMBER,
                            "capped": {"type": "boolean"},
                            "assumptions": strings,
                            "sources": strings,
                        }
                    ),
                }
            ),
            "transition": obj(
                {
                    "status": {"type": "string", "enum": ["hire_now", "plan_now", "revisit"]},
                    "summary": STRING,
                    "triggers": {
                        "type": "array",
                        "items": obj({"id": STRING, "text": STRING, "met": {"type": "boolean"}}),
                    },
                    "sources": strings,
                }
            ),
            "reporting_line": obj(
                {
                    "reports_to": STRING,
                    "dotted_line_to": nullable(STRING),
                    "board_reporting": STRING,
                    "why": STRING,
                    "sources": strings,
                }
            ),
            "first_areas": {
                "type": "array",
                "items": obj(
                    {
                        "area": STRING,
                        "title": STRING,
                        "score": SCORE,
                        "target": NUMBER,
                        "gap": NUMBER,
                        "weighted_gap": NUMBER,
                    }
                ),
            },
            "targets_proposed": {"type": "object", "additionalProperties": NUMBER},
            "notes": strings,
            "sources": {**strings, "description": "Every source cited, in order"},
            "policy": obj({"id": STRING, "version": STRING}),
        },
        description="Hire a full-time CISO or a vCISO: the reasons, costs, transition and first areas.",
    )


def _profile_schemas() -> dict[str, Any]:
    """``Profile`` as stored and returned; ``ProfileInput`` as sent (the organization's name
    comes from the organization)."""
    from assess.core.recommend import Profile

    schemas = model_schemas(Profile)
    given = copy.deepcopy(schemas["Profile"])
    given["properties"].pop("organization", None)
    given["required"] = [name for name in given.get("required", []) if name != "organization"]
    given["title"] = "ProfileInput"
    return {**schemas, "ProfileInput": given}


# --------------------------------------------------------------------------- responses


def error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": ref("Error")}}}


def body(schema: str, description: str = "OK", **extra: Any) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": ref(schema)}},
        **extra,
    }


def request_body(schema: str) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": ref(schema)}}}


RESPONSES = {
    "BadRequest": error("The body is not JSON, or not a JSON object."),
    "Unauthorized": {
        **error("No API token, or one that is not valid."),
        "headers": {"WWW-Authenticate": {"schema": STRING, "description": 'Bearer realm="assess"'}},
    },
    "Forbidden": error("Your role in this organization does not allow it."),
    "NotFound": error("No such thing, or not one of yours: the two are indistinguishable."),
    "Conflict": error(
        "The assessment was submitted (locked), or answers changed since you read them "
        "(details: the conflicting answers by question id)."
    ),
    "TooLarge": error("The body is larger than the server accepts."),
    "Unavailable": error("Images and PDFs cannot be made: no Chromium on the server."),
    "Unprocessable": error(
        "Some values are not valid (details: a message per field or question id)."
    ),
}


def responses(ok: dict[str, dict[str, Any]], *errors: str, auth: bool = True) -> dict[str, Any]:
    codes = {
        "BadRequest": "400",
        "Unauthorized": "401",
        "Forbidden": "403",
        "NotFound": "404",
        "Conflict": "409",
        "TooLarge": "413",
        "Unprocessable": "422",
        "Unavailable": "503",
    }
    names = (["Unauthorized"] if auth else []) + list(errors)
    if any(n in names for n in ("BadRequest", "Unprocessable")):
        names.append("TooLarge")
    out = dict(ok)
    for name in sorted(set(names), key=codes.__getitem__):
        out[codes[name]] = {"$ref": f"#/components/responses/{name}"}
    return out


def id_param(name: str, what: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": f"The {what}'s id",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
    }


ORG = id_param("org_id", "organization")
ASSESSMENT = id_param("assessment_id", "assessment")
LOCATION = {"Location": {"schema": STRING, "description": "The new resource's URL"}}

TARGETS_OPERATION = {
    "tags": ["assessments"],
    "requestBody": request_body("Targets"),
    "responses": responses(
        {"200": body("Results", "The results with the new targets")},
        "BadRequest",
        "Forbidden",
        "NotFound",
        "Unprocessable",
    ),
}


def _paths() -> dict[str, Any]:
    return {
        "/api/v1/openapi.json": {
            "get": {
                "operationId": "openapi",
                "summary": "This document",
                "tags": ["meta"],
                "security": [],
                "responses": {"200": {"description": "The OpenAPI 3.1 document"}},
            }
        },
        "/api/v1/questionnaires": {
            "get": {
                "operationId": "listQuestionnaires",
                "summary": "The questionnaires an assessment can use",
                "tags": ["questionnaires"],
                "responses": responses({"200": body("QuestionnaireList")}),
            }
        },
        "/api/v1/questionnaires/{questionnaire_id}": {
            "get": {
                "operationId": "getQuestionnaire",
                "summary": "A questionnaire in full: areas, questions and each level's description",
                "tags": ["questionnaires"],
                "parameters": [
                    {
                        "name": "questionnaire_id",
                        "in": "path",
                        "required": True,
                        "schema": STRING,
                    }
                ],
                "responses": responses({"200": body("Questionnaire")}, "NotFound"),
            }
        },
        "/api/v1/organizations": {
            "get": {
                "operationId": "listOrganizations",
                "summary": "The organizations you belong to, with your role",
                "tags": ["organizations"],
                "responses": responses({"200": body("OrganizationList")}),
            },
            "post": {
                "operationId": "createOrganization",
                "summary": "Create an organization (you become its owner)",
                "tags": ["organizations"],
                "requestBody": request_body("OrganizationCreate"),
                "responses": responses(
                    {"201": body("Organization", "Created", headers=LOCATION)},
                    "BadRequest",
                    "Unprocessable",
                ),
            },
        },
        "/api/v1/organizations/{org_id}": {
            "parameters": [ORG],
            "get": {
                "operationId": "getOrganization",
                "summary": "One organization",
                "tags": ["organizations"],
                "responses": responses({"200": body("Organization")}, "NotFound"),
            },
            "patch": {
                "operationId": "updateOrganization",
                "summary": "Rename it or change profile fields (owner only)",
                "tags": ["organizations"],
                "requestBody": request_body("OrganizationPatch"),
                "responses": responses(
                    {"200": body("Organization")},
                    "BadRequest",
                    "Forbidden",
                    "NotFound",
                    "Unprocessable",
                ),
            },
        },
        "/api/v1/organizations/{org_id}/assessments": {
            "parameters": [ORG],
            "get": {
                "operationId": "listAssessments",
                "summary": "The organization's assessments (without their answers)",
                "tags": ["assessments"],
                "responses": responses({"200": body("AssessmentList")}, "NotFound"),
            },
            "post": {
                "operationId": "startAssessment",
                "summary": "Start a draft assessment on a questionnaire (owner or contributor)",
                "tags": ["assessments"],
                "requestBody": request_body("AssessmentCreate"),
                "responses": responses(
                    {"201": body("Assessment", "Created", headers=LOCATION)},
                    "BadRequest",
                    "Forbidden",
                    "NotFound",
                    "Unprocessable",
                ),
            },
        },
        "/api/v1/assessments/{assessment_id}": {
            "parameters": [ASSESSMENT],
            "get": {
                "operationId": "getAssessment",
                "summary": "An assessment with its answers",
                "tags": ["assessments"],
                "responses": responses({"200": body("Assessment")}, "NotFound"),
            },
        },
        "/api/v1/assessments/{assessment_id}/answers": {
            "parameters": [ASSESSMENT],
            "patch": {
                "operationId": "saveAnswers",
                "summary": "Save answers, all or nothing (owner or contributor)",
                "tags": ["assessments"],
                "requestBody": request_body("AnswersPatch"),
                "responses": responses(
                    {"200": body("Assessment", "Saved; the assessment as it is now")},
                    "BadRequest",
                    "Forbidden",
                    "NotFound",
                    "Conflict",
                    "Unprocessable",
                ),
            },
        },
        "/api/v1/assessments/{assessment_id}/targets": {
            "parameters": [ASSESSMENT],
            "put": {
                **TARGETS_OPERATION,
                "operationId": "replaceTargets",
                "summary": "Set every area's target; areas left out go back to the proposal (owner)",
            },
            "patch": {
                **TARGETS_OPERATION,
                "operationId": "updateTargets",
                "summary": "Set the targets of the areas named (owner)",
            },
        },
        "/api/v1/assessments/{assessment_id}/results": {
            "parameters": [ASSESSMENT],
            "get": {
                "operationId": "getResults",
                "summary": "Scores, gaps, roadmap and (with a profile) the recommendation",
                "tags": ["assessments"],
                "responses": responses({"200": body("Results")}, "NotFound"),
            },
        },
    }


def _audit_schemas() -> dict[str, Any]:
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


def _file(mimetype: str, description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {mimetype: {"schema": {"type": "string", "format": "binary"}}},
    }


FORMAT = {
    "name": "fmt",
    "in": "path",
    "required": True,
    "schema": {"enum": ["png", "svg", "pdf", "html"]},
}
PAGE_SIZE = {"name": "size", "in": "query", "required": False, "schema": {"enum": ["a4", "letter"]}}
CHART_FILES = {
    "200": {
        "description": "The chart",
        "content": {
            m: {"schema": {"type": "string", "format": "binary"}}
            for m in ("image/png", "image/svg+xml", "application/pdf", "text/html")
        },
    }
}


def _audit_paths() -> dict[str, Any]:
    def op(
        op_id: str, summary: str, ok: dict[str, Any], *errors: str, **extra: Any
    ) -> dict[str, Any]:
        return {
            "operationId": op_id,
            "summary": summary,
            "tags": ["audits"],
            "responses": responses(ok, *errors),
            **extra,
        }

    return {
        "/api/v1/assessments/{assessment_id}/submit": {
            "parameters": [ASSESSMENT],
            "post": op(
                "submitAssessment",
                "Submit: lock the answers for good (owner or contributor)",
                {"200": body("Assessment", "Submitted; status is 'submitted'")},
                "Forbidden",
                "NotFound",
                "Conflict",
            ),
        },
        "/api/v1/organizations/{org_id}/history": {
            "parameters": [ORG],
            "get": op(
                "getHistory",
                "Submitted assessments with their scores, oldest first",
                {"200": body("History")},
                "NotFound",
            ),
        },
        "/api/v1/organizations/{org_id}/compare": {
            "parameters": [
                ORG,
                {"name": "from", "in": "query", "required": True, "schema": INTEGER},
                {"name": "to", "in": "query", "required": True, "schema": INTEGER},
            ],
            "get": op(
                "compareAssessments",
                "Area deltas and changed answers between two assessments",
                {"200": body("Comparison")},
                "NotFound",
                "Unprocessable",
            ),
        },
        "/api/v1/organizations/{org_id}/members": {
            "parameters": [ORG],
            "get": op(
                "listMembers", "Members and their roles", {"200": body("MemberList")}, "NotFound"
            ),
            "post": op(
                "addMember",
                "Give an existing user a role (owner)",
                {"201": body("Member", "Added", headers=LOCATION)},
                "BadRequest",
                "Forbidden",
                "NotFound",
                "Unprocessable",
                requestBody=request_body("MemberCreate"),
            ),
        },
        "/api/v1/organizations/{org_id}/invitations": {
            "parameters": [ORG],
            "post": op(
                "createInvitation",
                "A single-use invitation link, valid for 7 days (owner)",
                {"201": body("Invitation", "Created", headers=LOCATION)},
                "BadRequest",
                "Forbidden",
                "NotFound",
                "Unprocessable",
                requestBody=request_body("InvitationCreate"),
            ),
        },
        "/api/v1/assessments/{assessment_id}/reviews": {
            "parameters": [ASSESSMENT],
            "get": op(
                "listReviews", "The auditor's reviews", {"200": body("ReviewList")}, "NotFound"
            ),
            "post": op(
                "addReview",
                "Record a verified level and a comment for one answer (auditor or owner)",
                {"201": body("Review", "Recorded", headers=LOCATION)},
                "BadRequest",
                "Forbidden",
                "NotFound",
                "Unprocessable",
                requestBody=request_body("ReviewCreate"),
            ),
        },
        "/api/v1/assessments/{assessment_id}/charts/{name}.{fmt}": {
            "parameters": [
                ASSESSMENT,
                {
                    "name": "name",
                    "in": "path",
                    "required": True,
                    "schema": {"enum": ["radar", "gaps"]},
                },
                FORMAT,
            ],
            "get": op(
                "assessmentChart",
                "The radar or the gap bars as PNG, SVG, PDF or self-contained HTML",
                CHART_FILES,
                "NotFound",
                "Unavailable",
            ),
        },
        "/api/v1/organizations/{org_id}/charts/trend.{fmt}": {
            "parameters": [ORG, FORMAT],
            "get": op(
                "trendChart",
                "The trend of submitted assessments as PNG, SVG, PDF or HTML",
                CHART_FILES,
                "NotFound",
                "Unavailable",
            ),
        },
        "/api/v1/assessments/{assessment_id}/report.pdf": {
            "parameters": [ASSESSMENT, PAGE_SIZE],
            "get": op(
                "assessmentReport",
                "The assessment's PDF report",
                {"200": _file("application/pdf", "PDF")},
                "NotFound",
                "Unavailable",
            ),
        },
        "/api/v1/organizations/{org_id}/report.pdf": {
            "parameters": [ORG, PAGE_SIZE],
            "get": op(
                "organizationReport",
                "The organization's PDF report: trend, last two compared, advice",
                {"200": _file("application/pdf", "PDF")},
                "NotFound",
                "Unavailable",
            ),
        },
        "/api/v1/organizations/{org_id}/export.csv": {
            "parameters": [ORG],
            "get": op(
                "exportCsv",
                "Every answer of every assessment, as CSV (owner or auditor)",
                {"200": _file("text/csv", "CSV, UTF-8 with a byte-order mark")},
                "Forbidden",
                "NotFound",
            ),
        },
        "/api/v1/organizations/{org_id}/export.xlsx": {
            "parameters": [ORG],
            "get": op(
                "exportXlsx",
                "Answers and area scores as an Excel workbook (owner or auditor)",
                {
                    "200": _file(
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"
                    )
                },
                "Forbidden",
                "NotFound",
            ),
        },
    }


@lru_cache(maxsize=1)
def _document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Assess API",
            "version": "1",
            "description": (
                "Cybersecurity maturity self-assessment: organizations, assessments, answers, "
                "scores and the CISO-or-vCISO recommendation. Authenticate with "
                "`Authorization: Bearer <token>` (create one with `assess tokens create EMAIL`). "
                'Every error is `{"error": {"message", "details"}}`.'
            ),
        },
        "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
        "security": [{"bearerAuth": []}],
        "tags": [
            {"name": "questionnaires"},
            {"name": "organizations"},
            {"name": "assessments"},
            {"name": "audits"},
            {"name": "meta"},
        ],
        "paths": {**_paths(), **_audit_paths()},
        "components": {
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A token from `assess tokens create EMAIL`",
                }
            },
            "schemas": {**_schemas(), **_audit_schemas()},
            "responses": RESPONSES,
        },
    }


def document() -> dict[str, Any]:
    """The OpenAPI document (a fresh copy: callers may change it)."""
    return copy.deepcopy(_document())
