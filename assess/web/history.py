"""Auditors' pages: the history of an organization, comparisons and exports."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from assess.core import charts, comparison
from assess.core import history as history_core
from assess.outputs.presentation import fmt_date
from assess.records import assessments, history
from assess.records.database import db
from assess.records.errors import NotFound
from assess.web import files
from assess.web.access import can, organization_for
from assess.web.errors import back_to
from assess.web.figures import comparison_figure, plot_json

#: Ids are 32-bit on every database; larger ones are simply not found (not a 500).
ORGANIZATION = "/organizations/<int(min=1, max=2147483647):org_id>"
ASSESSMENT = "/assessments/<int(min=1, max=2147483647):assessment_id>"

bp = Blueprint("history", __name__)


def changes_on_shared_questions(snapshots: list[Any]) -> dict[int, dict[str, Any]]:
    """For each assessment taken on another questionnaire than the one before it (snapshots
    oldest first): its changes scored again on the questions both share, as the compare page
    does, by assessment id: ``overall`` and ``areas`` (area id -> delta), ``common`` (how
    many questions), and the two questionnaires. A different question set is not a change."""
    shared: dict[int, dict[str, Any]] = {}
    ordered = sorted(snapshots, key=lambda s: (s.when, s.id))
    for old, new in pairwise(ordered):
        diff = comparison.compare(old, new)
        if diff["same_questionnaire"]:
            continue
        areas = diff.get("areas_on_common_questions") or []
        shared[new.id] = {
            "overall": (diff.get("overall_on_common_questions") or {}).get("delta"),
            "areas": {row["id"]: row.get("delta") for row in areas},
            "common": diff["common"],
            "from": dict(old.questionnaire),
            "to": dict(new.questionnaire),
            "from_id": old.id,
        }
    return shared


@bp.route(f"{ORGANIZATION}/history")
@login_required
def show(org_id: int):
    org, role = organization_for(current_user, org_id)
    snapshots = history.history_snapshots(org)
    document = history_core.history_document(snapshots)
    trend = plot_json(charts.trend(history_core.trend_points(snapshots))) if snapshots else None
    titles = {}
    for item in document["assessments"]:
        for area in item["areas"]:
            titles.setdefault(area["id"], area["title"])
    all_assessments = assessments.assessments_of(org)
    return render_template(
        "history/show.html",
        org=org,
        role=role,
        items=list(reversed(document["assessments"])),
        shared=changes_on_shared_questions(snapshots),
        titles=titles,
        trend_json=trend,
        choices=all_assessments,
        can_export=can(role, "export"),
    )


@bp.route(f"{ORGANIZATION}/compare")
@login_required
def compare(org_id: int):
    org, _ = organization_for(current_user, org_id)
    try:
        found = history.compare_assessments(org, request.args.get("from"), request.args.get("to"))
    except NotFound:
        flash("Choose two assessments of this organization to compare.", "warning")
        return redirect(url_for("history.show", org_id=org.id))
    return render_template(
        "history/compare.html",
        org=org,
        old=found.old,
        new=found.new,
        a=found.a,
        b=found.b,
        result=found.result,
        radar_json=plot_json(comparison_figure(found)),
    )


@bp.route(f"{ORGANIZATION}/export.csv", defaults={"fmt": "csv"})
@bp.route(f"{ORGANIZATION}/export.xlsx", defaults={"fmt": "xlsx"})
@login_required
def export(org_id: int, fmt: str):
    org, _ = organization_for(current_user, org_id, "export")
    return files.export_response(org, fmt)


@bp.post(f"{ORGANIZATION}/assessments/copy")
@login_required
@back_to("orgs.show")  # e.g. when its questionnaire is no longer offered
def copy_last(org_id: int):
    """A new draft that starts from the last submitted assessment's answers."""
    org, _ = organization_for(current_user, org_id, "answer")  # CSRF: checked by CSRFProtect
    source = history.last_submitted(org)
    if source is None:
        flash("There is no submitted assessment to copy yet.", "warning")
        return redirect(url_for("orgs.show", org_id=org.id))
    assessment = assessments.copy_assessment(source, current_user)
    db.session.commit()
    flash(
        f"This draft starts from the answers submitted on {fmt_date(source.submitted_at)}.",
        "success",
    )
    return redirect(url_for("survey.page", assessment_id=assessment.id))
