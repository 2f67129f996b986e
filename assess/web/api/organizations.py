"""Organizations, and starting assessments in them."""

from __future__ import annotations

from typing import Any

from flask import g, url_for

from assess.records import assessments, history, organizations
from assess.records.database import db
from assess.records.errors import Invalid, NotFound
from assess.records.models import Assessment, Organization
from assess.web.access import organization_for, organizations_of
from assess.web.api.common import (
    ID,
    bp,
    created,
    json_object,
    organization_document,
    require_object,
    require_token,
)


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
    body = json_object({"name", "profile", "cadence_months", "benchmark_opt_in"})
    if "name" in body and not isinstance(body["name"], str):
        raise Invalid({"name": "name must be a string."})
    for key in ("cadence_months", "benchmark_opt_in"):
        if key in body and body[key] is None:
            raise Invalid({key: f"{key} cannot be null."})
    profile = require_object(body, "profile") if "profile" in body else None
    organizations.update_settings(org, body.get("cadence_months"), body.get("benchmark_opt_in"))
    organizations.update_organization(org, name=body.get("name"), profile=profile)
    db.session.commit()
    return organization_document(org, role)


@bp.get(f"/organizations/<{ID}:org_id>/assessments", endpoint="assessments")
@require_token
def list_assessments(org_id: int):
    org, _ = organization_for(g.api_user, org_id)
    return {"assessments": assessments.assessment_briefs(org)}


@bp.post(f"/organizations/<{ID}:org_id>/assessments")
@require_token
def start_assessment(org_id: int):
    org, _ = organization_for(g.api_user, org_id, "answer")
    body = json_object({"questionnaire", "copy_from"})
    if "copy_from" in body:  # null is not a source: leave the key out instead
        # With a questionnaire too, the copy may cross questionnaires (a full assessment
        # pre-filled from a quick check): the questions both share carry their answers.
        source = _source_for_copy(org, body["copy_from"])
        assessment = assessments.copy_assessment(source, g.api_user, body.get("questionnaire"))
    else:
        if "questionnaire" not in body:
            raise Invalid({"questionnaire": "This field is required."})
        assessment = assessments.start_assessment(org, g.api_user, body["questionnaire"])
    db.session.commit()
    location = url_for("api.assessment", assessment_id=assessment.id)
    return created(assessments.assessment_summary(assessment), location)


def _source_for_copy(org: Organization, copy_from: Any) -> Assessment:
    if isinstance(copy_from, float) and copy_from.is_integer():
        copy_from = int(copy_from)  # 3.0 is the integer 3, as JSON has it
    if copy_from != "last" and (isinstance(copy_from, bool) or not isinstance(copy_from, int)):
        raise Invalid({"copy_from": 'copy_from is "last" or an assessment id.'})
    if copy_from == "last":
        source = history.last_submitted(org)
        if source is None:
            raise Invalid({"copy_from": "This organization has no submitted assessment to copy."})
        return source
    try:
        return assessments.assessment_in(org, copy_from)
    except NotFound as exc:
        raise Invalid({"copy_from": str(exc)}) from None
