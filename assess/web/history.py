"""Auditors' pages: the history of an organization, comparisons, reviews, and exports."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup

from assess.core import charts, history
from assess.records import audit, store
from assess.records.database import db
from assess.records.store import Invalid
from assess.web.access import assessment_for, can, organization_for
from assess.web.results import script_json

#: Ids are 32-bit on every database; larger ones are simply not found (not a 500).
ORGANIZATION = "/organizations/<int(min=1, max=2147483647):org_id>"
ASSESSMENT = "/assessments/<int(min=1, max=2147483647):assessment_id>"

bp = Blueprint("history", __name__)


def plot_json(fig: Any) -> Markup:
    """A figure's JSON, safe inside <script type="application/json">."""
    return Markup(script_json(charts.figure_json(fig)))  # noqa: S704 (escaped JSON)


@bp.route(f"{ORGANIZATION}/history")
@login_required
def show(org_id: int):
    org, role = organization_for(current_user, org_id)
    snapshots = audit.history_snapshots(org)
    document = history.history_document(snapshots)
    trend = plot_json(charts.trend(history.trend_points(snapshots))) if snapshots else None
    titles = {}
    for item in document["assessments"]:
        for area in item["areas"]:
            titles.setdefault(area["id"], area["title"])
    all_assessments = sorted(org.assessments, key=lambda a: a.id)
    return render_template(
        "history/show.html",
        org=org,
        role=role,
        items=list(reversed(document["assessments"])),
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
        old = audit.assessment_in(org, request.args.get("from"))
        new = audit.assessment_in(org, request.args.get("to"))
    except LookupError:
        flash("Choose two assessments of this organization to compare.", "warning")
        return redirect(url_for("history.show", org_id=org.id))
    a, b = audit.snapshot(old), audit.snapshot(new)
    result = history.compare(a, b)
    figure = charts.comparison_radar(
        a.results["areas"],
        b.results["areas"],
        from_label=a.label,
        to_label=b.label,
        title=f"{a.label} against {b.label}",
    )
    return render_template(
        "history/compare.html",
        org=org,
        old=old,
        new=new,
        a=a,
        b=b,
        result=result,
        radar_json=plot_json(figure),
    )


@bp.route(f"{ASSESSMENT}/reviews", methods=["GET", "POST"])
@login_required
def reviews(assessment_id: int):
    assessment, role = assessment_for(current_user, assessment_id)
    questionnaire = store.questionnaire_for(assessment)
    errors: dict[str, str] = {}
    if request.method == "POST":
        assessment, role = assessment_for(current_user, assessment_id, "review")
        qid = request.form.get("question_id", "")
        raw_level = request.form.get("verified_level", "")
        level: Any = None
        if raw_level != "":
            digits = raw_level.isascii() and raw_level.isdecimal() and len(raw_level) <= 2
            level = int(raw_level) if digits else raw_level
        try:
            audit.save_review(assessment, current_user, qid, level, request.form.get("comment", ""))
        except Invalid as exc:
            db.session.rollback()
            errors = {qid: "; ".join(exc.errors.values())}
        else:
            db.session.commit()
            flash("Review saved.", "success")
            return redirect(url_for("history.reviews", assessment_id=assessment.id) + f"#r-{qid}")
    snapshot = audit.snapshot(assessment)
    answers = store.answers_of(assessment)
    saved = audit.reviews_of(assessment)
    return (
        render_template(
            "history/reviews.html",
            assessment=assessment,
            org=assessment.organization,
            questionnaire=questionnaire,
            answers=answers,
            reviews=saved,
            verified=history.verified_scores(snapshot),
            can_review=can(role, "review") and assessment.locked,
            errors=errors,
        ),
        422 if errors else 200,
    )


@bp.route(f"{ORGANIZATION}/export.csv", defaults={"fmt": "csv"})
@bp.route(f"{ORGANIZATION}/export.xlsx", defaults={"fmt": "xlsx"})
@login_required
def export(org_id: int, fmt: str):
    from assess.web.api import export_response

    org, _ = organization_for(current_user, org_id, "export")
    return export_response(org, fmt)


@bp.post(f"{ORGANIZATION}/assessments/copy")
@login_required
def copy_last(org_id: int):
    """A new draft that starts from the last submitted assessment's answers."""
    org, _ = organization_for(current_user, org_id, "answer")  # CSRF: checked by CSRFProtect
    source = audit.last_submitted(org)
    if source is None:
        flash("There is no submitted assessment to copy yet.", "warning")
        return redirect(url_for("orgs.show", org_id=org.id))
    try:
        assessment = audit.copy_assessment(source, current_user)
    except Invalid as exc:  # e.g. its questionnaire is no longer offered
        db.session.rollback()
        flash(exc.errors.get("questionnaire", exc.message), "error")
        return redirect(url_for("orgs.show", org_id=org.id))
    db.session.commit()
    flash(
        f"This draft starts from the answers submitted on {source.submitted_at:%d %b %Y}.",
        "success",
    )
    return redirect(url_for("survey.page", assessment_id=assessment.id))
