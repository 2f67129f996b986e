"""The action plan as documents: an item for the API and the pages (with whether it is
overdue, where its goal was met, its history, comments and evidence), and the rows of the plan's
CSV, XLSX and iCalendar files (:mod:`assess.outputs.plan_files` writes them)."""

from __future__ import annotations

from datetime import date
from typing import Any

from assess.core import plan as core
from assess.records.evidence import evidence_dict
from assess.records.models import Action, ActionChange, ActionComment, Organization
from assess.records.plan import actions_of, owner_of, progress_of
from assess.records.plan_tracking import met_in, submission_label, submissions_of
from assess.records.text import iso


def change_dict(change: ActionChange) -> dict[str, Any]:
    return {
        "field": change.field,
        "from": change.old_value,
        "to": change.new_value,
        "reason": change.reason,
        "changed_by": change.changed_by.email if change.changed_by else None,
        "changed_at": iso(change.changed_at),
    }


def comment_dict(comment: ActionComment) -> dict[str, Any]:
    return {
        "id": comment.id,
        "text": comment.text,
        "author": comment.author.email if comment.author else None,
        "created_at": iso(comment.created_at),
    }


def action_dict(
    item: Action,
    submissions: list[core.Submission] | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    """An item as the API returns it (``submissions``: the organization's, read once for a
    list)."""
    today = today or date.today()
    if submissions is None:
        submissions = submissions_of(item.organization_id)
    met = met_in(item, submissions) if item.status not in core.CLOSED else None
    regressed = item.regressed_in
    return {
        "id": item.id,
        "organization_id": item.organization_id,
        "title": item.title,
        "question_id": item.question_id,
        "area_id": item.area_id,
        "owner_user_id": item.owner_user_id,
        "owner_name": item.owner_name,
        "owner": owner_of(item),
        "due_date": item.due_date.isoformat() if item.due_date else None,
        "status": item.status,
        "note": item.note,
        "goal_level": item.goal_level,
        "source_assessment_id": item.source_assessment_id,
        "risk_justification": item.risk_justification,
        "risk_accepted_by": item.risk_accepted_by.email if item.risk_accepted_by else None,
        "risk_accepted_at": iso(item.risk_accepted_at),
        "done_at": iso(item.done_at),
        "overdue": core.is_overdue(item.due_date, item.status, today),
        "met_in": (
            {"assessment_id": met.assessment_id, "label": met.label} if met is not None else None
        ),
        "regressed_in": (
            {"assessment_id": regressed.id, "label": submission_label(regressed)}
            if regressed is not None
            else None
        ),
        "created_by": item.created_by.email if item.created_by else None,
        "created_at": iso(item.created_at),
        "updated_at": iso(item.updated_at),
        "comments": [comment_dict(c) for c in item.comments],
        "history": [change_dict(c) for c in item.changes],
        "evidence": [evidence_dict(e) for e in item.evidence],
    }


def plan_document(
    org: Organization, items: list[Action], today: date | None = None
) -> dict[str, Any]:
    """The list the API returns: the items asked for, and the whole plan's progress."""
    today = today or date.today()
    submissions = submissions_of(org.id)
    return {
        "actions": [action_dict(item, submissions, today) for item in items],
        "progress": progress_of(org, today).as_dict(),
    }


#: The columns of the plan's CSV and XLSX, in order.
PLAN_COLUMNS = [
    "id",
    "title",
    "status",
    "owner",
    "due_date",
    "overdue",
    "area_id",
    "question_id",
    "goal_level",
    "met_in",
    "note",
    "risk_justification",
    "risk_accepted_by",
    "source_assessment_id",
    "created_at",
    "updated_at",
]


def plan_rows(org: Organization, today: date | None = None) -> list[dict[str, Any]]:
    """One row per item, with typed values: the due date a :class:`date`, ``overdue`` a
    bool, levels and ids integers (the CSV writes them as text, the XLSX keeps the types)."""
    today = today or date.today()
    submissions = submissions_of(org.id)
    rows = []
    for item in actions_of(org, today=today):
        doc = action_dict(item, submissions, today)
        rows.append(
            {
                **{key: doc[key] for key in PLAN_COLUMNS if key in doc},
                "due_date": item.due_date,
                "met_in": doc["met_in"]["label"] if doc["met_in"] else None,
                "created_at": item.created_at,
                "updated_at": item.updated_at,
            }
        )
    return rows
