"""What every view of the JSON API shares: the blueprint, authentication, bodies, documents.

Every view has one rhythm: authenticate (:func:`require_token`), read the JSON body
(:func:`json_object`), look the resource up through :mod:`assess.web.access` (404 when not
yours, 403 when your role may not), call a use case of :mod:`assess.records`, commit, return
JSON. Problems become ``{"error": {"message", "details"}}``: the domain errors (``Invalid`` 422,
``Locked`` and ``Conflict`` 409) through the handlers of :mod:`assess.web.errors`.
The document describing all of it is built in :mod:`assess.web.openapi`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping
from functools import wraps
from typing import Any

from flask import Blueprint, abort, g, jsonify, request

from assess.core.questionnaire import Questionnaire
from assess.records import accounts, api_callers, assessments
from assess.records.database import db
from assess.records.errors import Invalid
from assess.records.models import Assessment, Organization
from assess.web.errors import error_response

bp = Blueprint("api", __name__)

#: Ids in paths: larger numbers than the database's integers are simply not found (404),
#: instead of overflowing in the query.
ID = "int(min=1, max=2147483647)"


# --------------------------------------------------------------------------- plumbing

#: What a member who must set up two-step verification may still call: its enrolment.
MFA_ENROLMENT = frozenset({"api.start_mfa", "api.confirm_mfa"})


def require_token(view: Callable[..., Any]) -> Callable[..., Any]:
    """Authenticate with ``Authorization: Bearer <token>`` (never a session cookie): the
    token, its user and their organizations' two-step requirement in one query."""
    return _authenticated(view, with_assessment=False)


def require_token_and_assessment(view: Callable[..., Any]) -> Callable[..., Any]:
    """:func:`require_token` whose one query also reads the caller's role in the organization
    of the view's ``assessment_id`` and that assessment's stored results (``g.api_caller``)."""
    return _authenticated(view, with_assessment=True)


def _authenticated(view: Callable[..., Any], *, with_assessment: bool) -> Callable[..., Any]:
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            return _unauthorized("Send an API token: Authorization: Bearer <token>.")
        caller = api_callers.caller_for(
            raw.strip(), kwargs.get("assessment_id") if with_assessment else None
        )
        if caller is None:
            return _unauthorized("The API token is not valid.", 'error="invalid_token"')
        if accounts.note_token_use(caller.token):
            db.session.commit()
        g.api_user = caller.user
        g.api_caller = caller
        if request.endpoint not in MFA_ENROLMENT and caller.must_enrol:
            return error_response(
                403,
                "An organization you belong to requires two-step verification: set it up on "
                "the account page or with POST /api/v1/account/mfa before using the API.",
            )
        return view(*args, **kwargs)

    return wrapper


def _unauthorized(message: str, extra: str = ""):
    response = error_response(401, message)
    response.headers["WWW-Authenticate"] = 'Bearer realm="assess"' + (f", {extra}" if extra else "")
    return response


def json_object(allowed: Collection[str], required: Collection[str] = ()) -> dict[str, Any]:
    """The request body as a JSON object with only ``allowed`` keys: 400 when it is not
    JSON or not an object, 422 naming each unknown or missing key."""
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # absurdly nested JSON
        body = None
    if not isinstance(body, dict):
        abort(
            400,
            description="The request body must be a JSON object (Content-Type: application/json).",
        )
    errors = {key: "Unknown field." for key in body if key not in allowed}
    errors.update({key: "This field is required." for key in required if key not in body})
    for path in non_finite(body):  # named by the innermost key, as other field errors are
        name = next((str(p) for p in reversed(path) if isinstance(p, str)), "(body)")
        errors[name] = "Numbers must be finite (no NaN or Infinity)."
    if errors:
        raise Invalid(errors)
    return body


def non_finite(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Where a JSON value holds NaN or Infinity: Python's JSON reader (and so Flask's) takes
    those tokens, which no JSON document may hold and no number in Assess can be.

    >>> non_finite({"a": 1, "b": [2.0, float("inf")], "c": {"d.e": float("nan")}})
    [('b', 1), ('c', 'd.e')]
    """
    if isinstance(value, float):
        return [] if math.isfinite(value) else [path]
    if isinstance(value, dict):
        items: Any = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return []
    found: list[tuple[Any, ...]] = []
    for key, item in items:
        found += non_finite(item, (*path, key))
    return found


def require_object(body: Mapping[str, Any], key: str) -> dict[str, Any]:
    value = body.get(key)
    if not isinstance(value, dict):
        raise Invalid({key: f"{key} must be an object."})
    return value


def created(document: dict[str, Any], location: str):
    response = jsonify(document)
    response.status_code = 201
    response.headers["Location"] = location
    return response


# --------------------------------------------------------------------------- documents


def questionnaire_brief(q: Questionnaire) -> dict[str, Any]:
    return {
        **q.identity,
        "title": q.title,
        "areas": len(q.areas),
        "questions": len(q.questions),
    }


def organization_document(org: Organization, role: str) -> dict[str, Any]:
    return {
        "id": org.id,
        "name": org.name,
        "role": role,
        "profile": org.profile or {},
        "cadence_months": org.cadence_months,
        "benchmark_opt_in": org.benchmark_opt_in,
    }


def assessment_brief(assessment: Assessment) -> dict[str, Any]:
    summary = assessments.assessment_summary(assessment)
    summary.pop("answers")
    return summary
