"""Paths and schemas of the action plan: items, comments, the first 90 days as items, and the
plan as CSV, XLSX and iCalendar."""

from __future__ import annotations

from typing import Any

from assess.core.plan import STATUSES
from assess.web.openapi.common import (
    ASSESSMENT,
    LOCATION,
    ORG,
    body,
    file_response,
    id_param,
    responses,
)
from assess.web.openapi_schemas import (
    COUNT,
    INTEGER,
    MAX_ID,
    STRING,
    TIMESTAMP,
    nullable,
    obj,
    ref,
    shipped_ids,
)

ACTION = id_param("action_id", "action")
DATE = {"type": "string", "format": "date", "description": "YYYY-MM-DD"}
STATUS = {
    "enum": list(STATUSES),
    "description": "`risk_accepted` needs a `risk_justification`; who accepted it is recorded.",
}
GOAL = nullable({"type": "integer", "minimum": 1, "maximum": 5})
USER_ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}


def _request_body(schema: str, required: bool = True) -> dict[str, Any]:
    return {"required": required, "content": {"application/json": {"schema": ref(schema)}}}


def paths() -> dict[str, Any]:
    def op(
        op_id: str, summary: str, ok: dict[str, Any], *errors: str, **extra: Any
    ) -> dict[str, Any]:
        return {
            "operationId": op_id,
            "summary": summary,
            "tags": ["plan"],
            "responses": responses(ok, *errors),
            **extra,
        }

    def query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
        return {
            "name": name,
            "in": "query",
            "required": False,
            "schema": schema,
            "description": description,
        }

    plan_files = {
        "csv": ("text/csv", "CSV, UTF-8 with a byte-order mark; formulas stay text"),
        "xlsx": (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "XLSX: due dates as dates, a filter on the header row, the header frozen",
        ),
        "ics": (
            "text/calendar",
            "iCalendar (RFC 5545): one all-day event per item with a due date, stable UIDs",
        ),
    }
    out: dict[str, Any] = {
        "/api/v1/organizations/{org_id}/actions": {
            "parameters": [ORG],
            "get": op(
                "listActions",
                "The action plan with its progress (every member)",
                {"200": body("ActionList")},
                "NotFound",
                "Unprocessable",
                parameters=[
                    query("status", {"enum": list(STATUSES)}, "Only items with this status"),
                    query(
                        "owner",
                        STRING,
                        "Only items of this owner: a member's user id or email, or a typed "
                        "name (any case)",
                    ),
                    query(
                        "overdue",
                        {"enum": ["true", "false"]},
                        "Only overdue items (`true`) or only the others (`false`)",
                    ),
                ],
            ),
            "post": op(
                "createAction",
                "Add an item to the plan (owner or contributor)",
                {"201": body("Action", "Created", headers=LOCATION)},
                "BadRequest",
                "Forbidden",
                "NotFound",
                "Unprocessable",
                requestBody=_request_body("ActionCreate"),
            ),
        },
        "/api/v1/actions/{action_id}": {
            "parameters": [ACTION],
            "get": op(
                "getAction",
                "One item with its history, comments and evidence (every member)",
                {"200": body("Action")},
                "NotFound",
            ),
            "patch": op(
                "updateAction",
                "Change some fields of an item; each change is kept in its history "
                "(owner or contributor)",
                {"200": body("Action")},
                "BadRequest",
                "Forbidden",
                "NotFound",
                "Unprocessable",
                requestBody=_request_body("ActionUpdate"),
            ),
        },
        "/api/v1/actions/{action_id}/comments": {
            "parameters": [ACTION],
            "post": op(
                "commentOnAction",
                "Comment on an item (every member, auditors included)",
                {"201": body("ActionComment", "Added; Location is the item", headers=LOCATION)},
                "BadRequest",
                "NotFound",
                "Unprocessable",
                requestBody=_request_body("ActionCommentCreate"),
            ),
        },
        "/api/v1/assessments/{assessment_id}/actions/from-roadmap": {
            "parameters": [ASSESSMENT],
            "post": op(
                "actionsFromRoadmap",
                "Turn the assessment's first 90 days into items of the plan (owner or contributor)",
                {
                    "201": body(
                        "ActionsCreated",
                        "The items created, in the roadmap's order (title: the step's action; "
                        "goal_level: its next level). Location is the plan.",
                        headers=LOCATION,
                    ),
                    "200": body(
                        "ActionsCreated",
                        "Nothing new: every step is already in the plan (`actions` is empty)",
                    ),
                },
                "BadRequest",
                "Forbidden",
                "NotFound",
                "Unprocessable",
                requestBody=_request_body("FromRoadmap", required=False),
                description=(
                    "A step is in the plan when an item serves its question with a goal at "
                    "least the step's next level; an obligation (no question) when an item "
                    "without a question has its title. Calling it twice creates nothing the "
                    "second time."
                ),
            ),
        },
    }
    for fmt, (mimetype, what) in plan_files.items():
        out[f"/api/v1/organizations/{{org_id}}/plan.{fmt}"] = {
            "parameters": [ORG],
            "get": op(
                f"plan{fmt.capitalize()}",
                f"The action plan as {fmt.upper()} (every member)",
                {"200": file_response(mimetype, what)},
                "NotFound",
            ),
        }
    return out


def components() -> dict[str, Any]:
    ids = shipped_ids()
    writable = {
        "title": {"type": "string", "minLength": 1, "maxLength": 1000},
        "question_id": {
            **nullable({"type": "string", "enum": ids["questions"]}),
            "description": "A question of a shipped questionnaire (or of one the "
            "organization's assessments use); null for none",
        },
        "area_id": {
            **nullable({"type": "string", "enum": ids["areas"]}),
            "description": "An area; null with a question: the question's own area "
            "(another one is refused)",
        },
        "owner_user_id": {
            **nullable(USER_ID),
            "description": "A member of the organization; setting it clears owner_name",
        },
        "owner_name": {
            **nullable({"type": "string", "maxLength": 200}),
            "description": "Someone without an account; setting it clears owner_user_id",
        },
        "due_date": {
            "anyOf": [DATE, {"const": ""}, {"type": "null"}],
            "description": "YYYY-MM-DD; null or an empty string: no due date",
        },
        "status": STATUS,
        "note": nullable({"type": "string", "maxLength": 4000}),
        "goal_level": GOAL,
        "risk_justification": nullable({"type": "string", "maxLength": 4000}),
    }
    submission = obj({"assessment_id": INTEGER, "label": STRING})
    return {
        "ActionCreate": obj(
            writable,
            required=("title",),
            additionalProperties=False,
            example={"title": "Write the incident response plan", "due_date": "2026-12-31"},
        ),
        "ActionUpdate": obj(
            writable, required=(), additionalProperties=False, example={"status": "in_progress"}
        ),
        "ActionCommentCreate": obj(
            {"text": {"type": "string", "minLength": 1, "maxLength": 4000}},
            additionalProperties=False,
            example={"text": "Drafted; the partners read it on Friday."},
        ),
        "FromRoadmap": obj({}, additionalProperties=False, example={}),
        "ActionComment": obj(
            {"id": INTEGER, "text": STRING, "author": nullable(STRING), "created_at": TIMESTAMP}
        ),
        "ActionChange": obj(
            {
                "field": {
                    "description": "`created`, or the field changed (`owner` for either owner "
                    "field)",
                    "type": "string",
                },
                "from": nullable(STRING),
                "to": nullable(STRING),
                "reason": {
                    **nullable(STRING),
                    "description": "Why the app changed it, e.g. a regression reopening it",
                },
                "changed_by": nullable(STRING),
                "changed_at": TIMESTAMP,
            }
        ),
        "Action": obj(
            {
                "id": INTEGER,
                "organization_id": INTEGER,
                "title": STRING,
                "question_id": nullable(STRING),
                "area_id": nullable(STRING),
                "owner_user_id": nullable(INTEGER),
                "owner_name": nullable(STRING),
                "owner": {**nullable(STRING), "description": "The member's email or the name"},
                "due_date": nullable(DATE),
                "status": STATUS,
                "note": STRING,
                "goal_level": GOAL,
                "source_assessment_id": nullable(INTEGER),
                "risk_justification": nullable(STRING),
                "risk_accepted_by": nullable(STRING),
                "risk_accepted_at": nullable(TIMESTAMP),
                "done_at": nullable(TIMESTAMP),
                "overdue": {"type": "boolean", "description": "Past its due date and not closed"},
                "met_in": {
                    **nullable(submission),
                    "description": "A later submission that reached the goal: propose closing",
                },
                "regressed_in": {
                    **nullable(submission),
                    "description": "The submission that fell below the goal and reopened it",
                },
                "created_by": nullable(STRING),
                "created_at": TIMESTAMP,
                "updated_at": TIMESTAMP,
                "comments": {"type": "array", "items": ref("ActionComment")},
                "history": {"type": "array", "items": ref("ActionChange")},
                "evidence": {
                    "type": "array",
                    "items": ref("Evidence"),
                    "description": "Files and links attached to the item, oldest first",
                },
            }
        ),
        "PlanProgress": obj(
            {
                "total": COUNT,
                "done": COUNT,
                "risk_accepted": COUNT,
                "overdue": COUNT,
                "undated": {**COUNT, "description": "Open items without a due date"},
                "text": {**STRING, "description": "e.g. 7 of 12 done, 2 overdue"},
            }
        ),
        "ActionList": obj(
            {"actions": {"type": "array", "items": ref("Action")}, "progress": ref("PlanProgress")}
        ),
        "ActionsCreated": obj({"actions": {"type": "array", "items": ref("Action")}}),
    }
