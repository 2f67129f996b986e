"""The action plan: its items (owners and contributors edit; auditors read and comment), the
first 90 days turned into items, and the plan as CSV, XLSX and iCalendar."""

from __future__ import annotations

from flask import g, jsonify, request, url_for

from assess.core.plan import STATUSES
from assess.records import plan
from assess.records.database import db
from assess.records.errors import Invalid
from assess.records.plan_documents import action_dict, comment_dict, plan_document
from assess.web import files
from assess.web.access import action_for, assessment_for, organization_for
from assess.web.api.common import ID, bp, created, json_object, require_token


@bp.get(f"/organizations/<{ID}:org_id>/actions", endpoint="actions")
@require_token
def list_actions(org_id: int):
    """The plan, filtered like its page: ``?status=``, ``?owner=``, ``?overdue=true|false``."""
    org, _ = organization_for(g.api_user, org_id)
    filters = plan.parse_filters(_strict_filters())  # 422 on a bad filter
    return plan_document(org, plan.actions_of(org, **filters))


def _strict_filters() -> dict[str, str]:
    """The filters as the API takes them: each at most once, ``status`` one of the statuses
    and ``overdue`` exactly ``true`` or ``false`` (the page's form is more forgiving: an
    empty value there means "any"). Anything else is refused (422), not guessed."""
    errors = {}
    out = {}
    for name in ("status", "owner", "overdue"):
        given = request.args.getlist(name)
        if len(given) > 1:
            errors[name] = f"Give {name} once."
        elif given:
            out[name] = given[0]
    if "status" in out and out["status"] not in STATUSES:
        errors["status"] = "Choose one of: " + ", ".join(STATUSES) + "."
    if "overdue" in out and out["overdue"] not in ("true", "false"):
        errors["overdue"] = "Use overdue=true or overdue=false."
    if errors:
        raise Invalid(errors, message="Some filters are not valid.")
    return out


@bp.post(f"/organizations/<{ID}:org_id>/actions")
@require_token
def create_action(org_id: int):
    org, _ = organization_for(g.api_user, org_id, "plan")
    body = json_object(plan.FIELDS, required={"title"})
    item = plan.create_action(org, g.api_user, body)
    db.session.commit()
    return created(action_dict(item), url_for("api.action", action_id=item.id))


@bp.get(f"/actions/<{ID}:action_id>", endpoint="action")
@require_token
def get_action(action_id: int):
    item, _ = action_for(g.api_user, action_id)
    return action_dict(item)


@bp.patch(f"/actions/<{ID}:action_id>")
@require_token
def update_action(action_id: int):
    item, _ = action_for(g.api_user, action_id, "plan")
    body = json_object(plan.FIELDS)
    plan.update_action(item, g.api_user, body)
    db.session.commit()
    return action_dict(item)


@bp.post(f"/actions/<{ID}:action_id>/comments")
@require_token
def add_action_comment(action_id: int):
    item, _ = action_for(g.api_user, action_id, "comment")
    body = json_object({"text"}, required={"text"})
    comment = plan.add_comment(item, g.api_user, body["text"])
    db.session.commit()
    return created(comment_dict(comment), url_for("api.action", action_id=item.id))


@bp.post(f"/assessments/<{ID}:assessment_id>/actions/from-roadmap")
@require_token
def actions_from_roadmap(assessment_id: int):
    """201 with the items created, or 200 with an empty list when the plan already held every
    step. A body is optional; when one is sent it must be an empty JSON object."""
    assessment, _ = assessment_for(g.api_user, assessment_id, "plan")
    if request.get_data():
        json_object(())
    items = plan.from_roadmap(assessment, g.api_user)
    db.session.commit()
    location = url_for("api.actions", org_id=assessment.organization_id)
    if not items:
        return {"actions": []}
    response = jsonify({"actions": [action_dict(item) for item in items]})
    response.status_code = 201
    response.headers["Location"] = location
    return response


@bp.get(f"/organizations/<{ID}:org_id>/plan.csv", defaults={"fmt": "csv"})
@bp.get(f"/organizations/<{ID}:org_id>/plan.xlsx", defaults={"fmt": "xlsx"})
@bp.get(f"/organizations/<{ID}:org_id>/plan.ics", defaults={"fmt": "ics"})
@require_token
def plan_file(org_id: int, fmt: str):
    org, _ = organization_for(g.api_user, org_id)
    return files.plan_response(org, fmt)
