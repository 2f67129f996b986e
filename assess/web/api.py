"""The JSON API under ``/api/v1``: the same use cases as the pages, behind bearer tokens.

Every view has one rhythm: authenticate (:func:`require_token`), read the JSON body
(:func:`json_object`), look the resource up through :mod:`assess.web.access` (404 when not
yours, 403 when your role may not), call a use case of :mod:`assess.records`, commit, return
JSON. Problems become ``{"error": {"message", "details"}}``: the domain errors (``Invalid`` 422,
``Locked`` and ``Conflict`` 409) through the handlers of :mod:`assess.web.errors`.
The document describing all of it is built in :mod:`assess.web.openapi`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from functools import wraps
from typing import Any

from flask import Blueprint, abort, g, jsonify, request, url_for

from assess.core import history as history_core
from assess.core.questionnaire import Questionnaire, shipped_questionnaires
from assess.records import (
    accounts,
    answers,
    assessments,
    history,
    membership,
    organizations,
    reviews,
)
from assess.records.database import db
from assess.records.errors import Invalid, NotFound
from assess.records.models import Assessment, Organization
from assess.records.questionnaires import questionnaire_for
from assess.web import files, openapi
from assess.web.access import assessment_for, organization_for, organizations_of
from assess.web.errors import error_response

bp = Blueprint("api", __name__)

#: Ids in paths: larger numbers than the database's integers are simply not found (404),
#: instead of overflowing in the query.
ID = "int(min=1, max=2147483647)"


# --------------------------------------------------------------------------- plumbing


def require_token(view: Callable[..., Any]) -> Callable[..., Any]:
    """Authenticate with ``Authorization: Bearer <token>`` (never a session cookie)."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            return _unauthorized("Send an API token: Authorization: Bearer <token>.")
        token = accounts.token_for(raw.strip())
        if token is None:
            return _unauthorized("The API token is not valid.", 'error="invalid_token"')
        if accounts.note_token_use(token):
            db.session.commit()
        g.api_user = token.user
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
    if errors:
        raise Invalid(errors)
    return body


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
    return {"id": org.id, "name": org.name, "role": role, "profile": org.profile or {}}


def assessment_brief(assessment: Assessment) -> dict[str, Any]:
    summary = assessments.assessment_summary(assessment)
    summary.pop("answers")
    return summary


# --------------------------------------------------------------------------- routes


@bp.get("/openapi.json")
def openapi_document():
    return jsonify(openapi.document())


@bp.get("/questionnaires")
@require_token
def questionnaires():
    shipped = shipped_questionnaires()
    return {"questionnaires": [questionnaire_brief(q) for _, q in sorted(shipped.items())]}


@bp.get("/questionnaires/<questionnaire_id>")
@require_token
def questionnaire(questionnaire_id: str):
    found = shipped_questionnaires().get(questionnaire_id)  # ids only, never a file path
    if found is None:
        abort(404, description="No such questionnaire.")
    return {**found.model_dump(mode="json"), "hash": found.content_hash}


@bp.get("/organizations", endpoint="organizations")
@require_token
def list_organizations():
    rows = organizations_of(g.api_user)
    return {"organizations": [organization_document(org, role) for org, role in rows]}


@bp.post("/organizations")
@require_token
def create_organization():
    body = json_object({"name", "profile"}, required={"name", "profile"})
    org = organizations.create_organization(
        g.api_user, body["name"], require_object(body, "profile")
    )
    db.session.commit()
    document = organization_document(org, "owner")
    return created(document, url_for("api.organization", org_id=org.id))


@bp.get(f"/organizations/<{ID}:org_id>")
@require_token
def organization(org_id: int):
    org, role = organization_for(g.api_user, org_id)
    return organization_document(org, role)


@bp.patch(f"/organizations/<{ID}:org_id>")
@require_token
def update_organization(org_id: int):
    org, role = organization_for(g.api_user, org_id, "manage")
    body = json_object({"name", "profile"})
    if "name" in body and not isinstance(body["name"], str):
        raise Invalid({"name": "name must be a string."})
    profile = require_object(body, "profile") if "profile" in body else None
    organizations.update_organization(org, name=body.get("name"), profile=profile)
    db.session.commit()
    return organization_document(org, role)


@bp.get(f"/organizations/<{ID}:org_id>/assessments", endpoint="assessments")
@require_token
def list_assessments(org_id: int):
    org, _ = organization_for(g.api_user, org_id)
    return {"assessments": [assessment_brief(a) for a in org.assessments]}


@bp.post(f"/organizations/<{ID}:org_id>/assessments")
@require_token
def start_assessment(org_id: int):
    org, _ = organization_for(g.api_user, org_id, "answer")
    body = json_object({"questionnaire", "copy_from"})
    if body.get("copy_from") is not None:
        source = _source_for_copy(org, body["copy_from"])
        assessment = assessments.copy_assessment(source, g.api_user)
    else:
        if "questionnaire" not in body:
            raise Invalid({"questionnaire": "This field is required."})
        assessment = assessments.start_assessment(org, g.api_user, body["questionnaire"])
    db.session.commit()
    location = url_for("api.assessment", assessment_id=assessment.id)
    return created(assessments.assessment_summary(assessment), location)


@bp.get(f"/assessments/<{ID}:assessment_id>")
@require_token
def assessment(assessment_id: int):
    found, _ = assessment_for(g.api_user, assessment_id)
    return assessments.assessment_summary(found)


@bp.patch(f"/assessments/<{ID}:assessment_id>/answers")
@require_token
def save_answers(assessment_id: int):
    found, _ = assessment_for(g.api_user, assessment_id, "answer")
    body = json_object({"answers", "base_versions"}, required={"answers"})
    given = require_object(body, "answers")
    base_versions = None
    if body.get("base_versions") is not None:
        base_versions = require_object(body, "base_versions")
        bad = {
            qid: "A base version is a whole number of at least 0."
            for qid, version in base_versions.items()
            if isinstance(version, bool) or not isinstance(version, int) or version < 0
        }
        if bad:
            raise Invalid(bad, message="Some base versions are not valid; nothing was saved.")
    clear = tuple(qid for qid, value in given.items() if value is None)
    values = {qid: value for qid, value in given.items() if value is not None}
    answers.save_answers(found, g.api_user, values, base_versions=base_versions, clear=clear)
    db.session.commit()
    return assessments.assessment_summary(found)


@bp.route(f"/assessments/<{ID}:assessment_id>/targets", methods=["PUT", "PATCH"])
@require_token
def set_targets(assessment_id: int):
    """PATCH changes the areas it names; PUT replaces them all (areas left out go back to
    the proposed target). ``null`` is the proposed target."""
    found, _ = assessment_for(g.api_user, assessment_id, "manage")
    targets = require_object(json_object({"targets"}, required={"targets"}), "targets")
    bad = {
        area: "A target is a number from 0 to 5, or null for the proposed one."
        for area, value in targets.items()
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float))
    }
    if bad:
        raise Invalid(bad, message="Some targets are not valid; nothing was changed.")
    if request.method == "PUT":
        areas = questionnaire_for(found).area_by_id
        targets = {**dict.fromkeys(areas), **targets}
    assessments.set_targets(found, targets)
    db.session.commit()
    return assessments.results_document(found).model_dump(mode="json")


@bp.get(f"/assessments/<{ID}:assessment_id>/results")
@require_token
def results(assessment_id: int):
    found, _ = assessment_for(g.api_user, assessment_id)
    return assessments.results_document(found).model_dump(mode="json")


def _source_for_copy(org: Organization, copy_from: Any) -> Assessment:
    if copy_from == "last":
        source = history.last_submitted(org)
        if source is None:
            raise Invalid({"copy_from": "This organization has no submitted assessment to copy."})
        return source
    try:
        return assessments.assessment_in(org, copy_from)
    except NotFound as exc:
        raise Invalid({"copy_from": str(exc)}) from None


# --------------------------------------------------------------------------- records and audits


@bp.post(f"/assessments/<{ID}:assessment_id>/submit")
@require_token
def submit(assessment_id: int):
    found, _ = assessment_for(g.api_user, assessment_id, "submit")
    assessments.submit(found, g.api_user)
    db.session.commit()
    return assessments.assessment_summary(found)


@bp.get(f"/organizations/<{ID}:org_id>/history", endpoint="history")
@require_token
def organization_history(org_id: int):
    org, _ = organization_for(g.api_user, org_id)
    return history_core.history_document(history.history_snapshots(org))


@bp.get(f"/organizations/<{ID}:org_id>/compare")
@require_token
def compare(org_id: int):
    org, _ = organization_for(g.api_user, org_id)
    ids = {key: request.args.get(key) for key in ("from", "to")}
    missing = {key: "Give an assessment id." for key, value in ids.items() if not value}
    if missing:
        raise Invalid(missing, message="Compare needs ?from=<id>&to=<id>.")
    return history.compare_assessments(org, ids["from"], ids["to"]).result  # 404: NotFound


def _member_document(user: Any, role: str) -> dict[str, Any]:
    return {"user_id": user.id, "email": user.email, "role": role}


@bp.get(f"/organizations/<{ID}:org_id>/members")
@require_token
def members(org_id: int):
    org, _ = organization_for(g.api_user, org_id)
    return {"members": [_member_document(u, r) for u, r in membership.members_of(org)]}


@bp.post(f"/organizations/<{ID}:org_id>/members")
@require_token
def add_member(org_id: int):
    org, _ = organization_for(g.api_user, org_id, "manage")
    body = json_object({"email", "role"}, required={"email", "role"})
    member = membership.add_member(org, body["email"], body["role"])
    db.session.commit()
    document = _member_document(member.user, member.role)
    return created(document, url_for("api.members", org_id=org.id))


@bp.post(f"/organizations/<{ID}:org_id>/invitations")
@require_token
def invite(org_id: int):
    org, _ = organization_for(g.api_user, org_id, "manage")
    body = json_object({"role"}, required={"role"})
    raw = membership.create_invitation(org, g.api_user, body["role"])
    db.session.commit()
    link = url_for("team.accept_invitation", token=raw, _external=True)
    return created(
        {"role": body["role"], "url": link, "expires_in_days": membership.INVITATION_DAYS}, link
    )


@bp.get(f"/assessments/<{ID}:assessment_id>/reviews", endpoint="reviews")
@require_token
def list_reviews(assessment_id: int):
    found, _ = assessment_for(g.api_user, assessment_id)
    return {"reviews": [reviews.review_dict(r) for r in reviews.reviews_of(found).values()]}


@bp.post(f"/assessments/<{ID}:assessment_id>/reviews")
@require_token
def add_review(assessment_id: int):
    found, _ = assessment_for(g.api_user, assessment_id, "review")
    body = json_object({"question_id", "verified_level", "comment"}, required={"question_id"})
    review = reviews.save_review(
        found, g.api_user, body["question_id"], body.get("verified_level"), body.get("comment")
    )
    db.session.commit()
    return created(reviews.review_dict(review), url_for("api.reviews", assessment_id=found.id))


@bp.get(f"/organizations/<{ID}:org_id>/export.csv", defaults={"fmt": "csv"})
@bp.get(f"/organizations/<{ID}:org_id>/export.xlsx", defaults={"fmt": "xlsx"})
@require_token
def export(org_id: int, fmt: str):
    org, _ = organization_for(g.api_user, org_id, "export")
    return files.export_response(org, fmt)


# --------------------------------------------------------------------------- downloads


@bp.get(
    f"/assessments/<{ID}:assessment_id>/charts/<any(radar, gaps):name>.<any(png, svg, pdf, html):fmt>"
)
@require_token
def assessment_chart(assessment_id: int, name: str, fmt: str):
    found, _ = assessment_for(g.api_user, assessment_id)
    return files.assessment_chart_response(found, name, fmt)


@bp.get(f"/organizations/<{ID}:org_id>/charts/trend.<any(png, svg, pdf, html):fmt>")
@require_token
def trend_chart(org_id: int, fmt: str):
    org, _ = organization_for(g.api_user, org_id)
    return files.trend_chart_response(org, fmt)


@bp.get(f"/assessments/<{ID}:assessment_id>/report.pdf")
@require_token
def assessment_report(assessment_id: int):
    found, _ = assessment_for(g.api_user, assessment_id)
    return files.assessment_report_response(found)


@bp.get(f"/assessments/<{ID}:assessment_id>/csf.csv")
@require_token
def assessment_csf_csv(assessment_id: int):
    found, _ = assessment_for(g.api_user, assessment_id)
    return files.csf_response(found)


@bp.get(f"/organizations/<{ID}:org_id>/report.pdf")
@require_token
def organization_report(org_id: int):
    org, _ = organization_for(g.api_user, org_id)
    return files.organization_report_response(org)
