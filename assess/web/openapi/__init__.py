"""The OpenAPI 3.1 document of the JSON API, served at ``/api/v1/openapi.json``.

Each module of this package describes the routes of one job: ``paths()`` and ``components()``
(its schemas); :data:`PARTS` lists them. A new group of routes adds a module and a line there.

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

from assess.web.openapi import (
    account_paths,
    audit_paths,
    core_paths,
    evidence_paths,
    plan_paths,
    portfolio_paths,
    review_paths,
    team_paths,
)
from assess.web.openapi.common import RESPONSES

#: The modules whose paths and schemas make the document.
PARTS = (
    core_paths,
    audit_paths,
    team_paths,
    review_paths,
    account_paths,
    plan_paths,
    evidence_paths,
    portfolio_paths,
)


def _paths() -> dict[str, Any]:
    """Every part's paths; two parts may describe different methods of one path."""
    merged: dict[str, Any] = {}
    for part in PARTS:
        for path, item in part.paths().items():
            merged.setdefault(path, {}).update(item)
    return merged


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
                'Every error is `{"error": {"message", "details"}}`. A member of an '
                "organization that requires two-step verification gets 403 from every route "
                "but the enrolment (`/account/mfa`) until they have set it up."
            ),
        },
        "jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base",
        "security": [{"bearerAuth": []}],
        "tags": [
            {"name": "questionnaires"},
            {"name": "organizations"},
            {"name": "assessments"},
            {"name": "audits"},
            {"name": "account"},
            {"name": "plan"},
            {"name": "evidence"},
            {"name": "meta"},
        ],
        "paths": _paths(),
        "components": {
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A token from `assess tokens create EMAIL`",
                }
            },
            "schemas": {k: v for part in PARTS for k, v in part.components().items()},
            "responses": RESPONSES,
        },
    }


def document() -> dict[str, Any]:
    """The OpenAPI document (a fresh copy: callers may change it)."""
    return copy.deepcopy(_document())
