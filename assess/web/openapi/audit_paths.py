"""Paths: submission, history, comparison, members, exports and downloads (reviews:
:mod:`assess.web.openapi.review_paths`)."""

from __future__ import annotations

from typing import Any

from assess.web.openapi.common import (
    ASSESSMENT,
    CHART_FILES,
    FORMAT,
    LOCATION,
    ORG,
    PAGE_SIZE,
    body,
    file_response,
    request_body,
    responses,
)
from assess.web.openapi_schemas import INTEGER, audit_schemas


def paths() -> dict[str, Any]:
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
                "Give an existing user a role, or change a member's role (owner); 409 when "
                "that would leave no owner",
                {"201": body("Member", "Added", headers=LOCATION)},
                "BadRequest",
                "Forbidden",
                "NotFound",
                "Conflict",
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
                {"200": file_response("application/pdf", "PDF")},
                "NotFound",
                "Unprocessable",
                "Unavailable",
            ),
        },
        "/api/v1/assessments/{assessment_id}/csf.csv": {
            "parameters": [ASSESSMENT],
            "get": op(
                "assessmentCsfCsv",
                "The results by NIST CSF 2.0 category (current, target, gap), as CSV",
                {"200": file_response("text/csv", "CSV, UTF-8 with a byte-order mark")},
                "NotFound",
            ),
        },
        "/api/v1/organizations/{org_id}/report.pdf": {
            "parameters": [ORG, PAGE_SIZE],
            "get": op(
                "organizationReport",
                "The organization's PDF report: trend, last two compared, advice",
                {"200": file_response("application/pdf", "PDF")},
                "NotFound",
                "Unprocessable",
                "Unavailable",
            ),
        },
        "/api/v1/organizations/{org_id}/export.csv": {
            "parameters": [ORG],
            "get": op(
                "exportCsv",
                "Every answer of every assessment, as CSV (owner or auditor)",
                {"200": file_response("text/csv", "CSV, UTF-8 with a byte-order mark")},
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
                    "200": file_response(
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"
                    )
                },
                "Forbidden",
                "NotFound",
            ),
        },
    }


def components() -> dict[str, Any]:
    return audit_schemas()
