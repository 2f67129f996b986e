"""The OpenAPI 3.1 document of the JSON API, served at ``/api/v1/openapi.json``.

A plain dict, written next to the views it describes; ``tests/web/test_api.py`` fails when a
route under ``/api/v1`` is missing here, and checks the responses against these schemas. The
results (:mod:`assess.core.results`), the questionnaire and the organization profile are
described by their own pydantic models, so their schemas cannot drift from what the app
produces and validates.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from typing import Any

from assess.web.openapi_schemas import INTEGER, MAX_ID, STRING, audit_schemas, ref, schemas

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
        "/api/v1/assessments/{assessment_id}/csf.csv": {
            "parameters": [ASSESSMENT],
            "get": op(
                "assessmentCsfCsv",
                "The results by NIST CSF 2.0 category (current, target, gap), as CSV",
                {"200": _file("text/csv", "CSV, UTF-8 with a byte-order mark")},
                "NotFound",
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
            "schemas": {**schemas(), **audit_schemas()},
            "responses": RESPONSES,
        },
    }


def document() -> dict[str, Any]:
    """The OpenAPI document (a fresh copy: callers may change it)."""
    return copy.deepcopy(_document())
