"""Paths: questionnaires, organizations and assessments."""

from __future__ import annotations

from typing import Any

from assess.web.openapi.common import (
    ASSESSMENT,
    LOCATION,
    ORG,
    TARGETS_OPERATION,
    body,
    request_body,
    responses,
)
from assess.web.openapi_schemas import STRING, schemas


def paths() -> dict[str, Any]:
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


def components() -> dict[str, Any]:
    return schemas()
