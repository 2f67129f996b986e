"""Paths: the portfolio of the user's organizations, its charts and workbook, and an
assessment's anonymous peer benchmark."""

from __future__ import annotations

from typing import Any

from assess.core import portfolio
from assess.core.benchmark import REASONS, SIZE_BANDS
from assess.web.openapi.common import (
    ASSESSMENT,
    CHART_FILES,
    FORMAT,
    body,
    file_response,
    responses,
)
from assess.web.openapi_schemas import COUNT, INTEGER, MAX_ID, SCORE, STRING, nullable, obj

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE = {"type": "string", "format": "date", "description": "e.g. 2026-11-30"}
NUMBER = {"type": "number"}
PERCENTILE = nullable({"type": "number", "minimum": 0, "maximum": 100})


def _query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


QUERY = [
    _query(
        "sort",
        {"enum": list(portfolio.SORT_KEYS), "default": "name"},
        "The column to sort by; rows without a value come last either way",
    ),
    _query("order", {"enum": list(portfolio.ORDERS), "default": "asc"}, "asc or desc"),
    _query(
        "filter", {"enum": list(portfolio.FILTERS)}, "Only overdue, regressed or never assessed"
    ),
    _query("q", {"type": "string", "maxLength": 200}, "Part of the name, any case"),
    _query(
        "page",
        {"type": "integer", "minimum": 1, "maximum": 999_999_999, "default": 1},
        "The page, from 1 (one past the last is empty)",
    ),
    _query(
        "per_page",
        {
            "type": "integer",
            "minimum": 1,
            "maximum": portfolio.MAX_PER_PAGE,
            "default": portfolio.DEFAULT_PER_PAGE,
        },
        "Rows a page",
    ),
]
CHART_NAME = {
    "name": "name",
    "in": "path",
    "required": True,
    "schema": {"enum": ["scores", "areas"]},
    "description": "scores: each client's overall score; areas: each area's spread across clients",
}


def paths() -> dict[str, Any]:
    def op(op_id: str, summary: str, ok: dict[str, Any], *errors: str, **extra: Any):
        return {
            "operationId": op_id,
            "summary": summary,
            "tags": ["organizations"],
            "responses": responses(ok, *errors),
            **extra,
        }

    return {
        "/api/v1/portfolio": {
            "get": op(
                "getPortfolio",
                "Every organization you belong to, one row each: last submission, score, change, "
                "largest gap, regression, next due date; sorted, filtered, searched and paged",
                {"200": body("Portfolio")},
                "Unprocessable",
                parameters=QUERY,
            )
        },
        "/api/v1/portfolio.xlsx": {
            "get": op(
                "getPortfolioWorkbook",
                "The portfolio's rows (every page) as a workbook with typed cells",
                {"200": file_response(XLSX, "The workbook")},
                "Unprocessable",
                parameters=QUERY,
            )
        },
        "/api/v1/portfolio/charts/{name}.{fmt}": {
            "parameters": [CHART_NAME, FORMAT],
            "get": op(
                "portfolioChart",
                "The clients' overall scores, or each area across clients, as PNG, SVG, PDF or HTML",
                CHART_FILES,
                "NotFound",
                "Unprocessable",
                "Unavailable",
                parameters=QUERY,
            ),
        },
        "/api/v1/assessments/{assessment_id}/benchmark": {
            "parameters": [ASSESSMENT],
            "get": op(
                "getBenchmark",
                "Where a submitted assessment stands among anonymous peers of its size band "
                "(percentiles per area and overall), or why it cannot be shown",
                {"200": body("Benchmark")},
                "NotFound",
            ),
        },
    }


def components() -> dict[str, Any]:
    gap = nullable(
        obj({"area": STRING, "title": STRING, "gap": NUMBER}, additionalProperties=False)
    )
    row = obj(
        {
            "id": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
            "name": STRING,
            "role": {"enum": ["owner", "contributor", "auditor"]},
            "state": {"enum": [portfolio.NEVER_ASSESSED, portfolio.OVERDUE, portfolio.CURRENT]},
            "cadence_months": {"enum": list(portfolio.CADENCES)},
            "assessment_id": nullable(INTEGER),
            "questionnaire": nullable(
                obj({"id": STRING, "version": STRING}, additionalProperties=False)
            ),
            "last_submitted": nullable(DATE),
            "score": SCORE,
            "level": nullable({"type": "integer", "minimum": 0, "maximum": 5}),
            "level_label": nullable(STRING),
            "change": nullable(
                {**NUMBER, "description": "Latest overall − previous, same questionnaire only"}
            ),
            "change_reason": nullable(
                {
                    "enum": [portfolio.NO_PREVIOUS, portfolio.DIFFERENT_QUESTIONNAIRE],
                    "description": "Why change is null",
                }
            ),
            "largest_gap": gap,
            "regressed": nullable(
                {"type": "boolean", "description": "Null without a comparable previous one"}
            ),
            "regressed_areas": {"type": "array", "items": STRING},
            "next_due": nullable(DATE),
            "overdue": {"type": "boolean"},
            "open_plan_items": nullable(COUNT),
            "overdue_plan_items": nullable(COUNT),
            "verified_difference": nullable(
                {**NUMBER, "description": "Overall with verified levels − self-assessed overall"}
            ),
            "reviewed_answers": COUNT,
        },
        additionalProperties=False,
    )
    standing = {"percentile": PERCENTILE, "compared": COUNT}
    return {
        "PortfolioRow": row,
        "Portfolio": obj(
            {
                "organizations": {
                    "type": "array",
                    "items": {"$ref": "#/components/schemas/PortfolioRow"},
                },
                "total": COUNT,
                "page": {"type": "integer", "minimum": 1},
                "per_page": {"type": "integer", "minimum": 1, "maximum": portfolio.MAX_PER_PAGE},
                "pages": {"type": "integer", "minimum": 1},
                "sort": {"enum": list(portfolio.SORT_KEYS)},
                "order": {"enum": list(portfolio.ORDERS)},
                "filter": nullable({"enum": list(portfolio.FILTERS)}),
                "q": STRING,
                "counts": obj(
                    {
                        "total": COUNT,
                        "overdue": COUNT,
                        "regressed": COUNT,
                        "never_assessed": COUNT,
                    },
                    additionalProperties=False,
                ),
            },
            additionalProperties=False,
        ),
        "Benchmark": {
            "anyOf": [
                obj(
                    {
                        "available": {"const": True, "type": "boolean"},
                        "scope": {"enum": ["size_band", "size_band_and_industry"]},
                        "size_band": {"enum": [band[0] for band in SIZE_BANDS]},
                        "size_band_label": STRING,
                        "industry": nullable(STRING),
                        "peers": COUNT,
                        "overall": obj(standing, additionalProperties=False),
                        "areas": {
                            "type": "array",
                            "items": obj(
                                {"id": STRING, "title": STRING, **standing},
                                additionalProperties=False,
                            ),
                        },
                    },
                    additionalProperties=False,
                ),
                obj(
                    {
                        "available": {"const": False, "type": "boolean"},
                        "reason": {"enum": list(REASONS)},
                        "message": STRING,
                    },
                    additionalProperties=False,
                ),
            ],
            "description": "Percentiles (0–100, ties counted half) among at least 5 other "
            "opted-in organizations; never a peer's name, id or score",
        },
    }
