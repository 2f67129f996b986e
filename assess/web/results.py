"""The results page: overall score, radar and gap charts, the table per area, the first 90
days, the CISO-or-vCISO recommendation, and the targets form."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from assess.core.results import CsfScore
from assess.records import assessments, attestations, plan, reviews
from assess.records.benchmark import benchmark_of
from assess.records.database import db
from assess.records.errors import Invalid
from assess.records.history import previous_comparable, previous_submitted
from assess.records.models import Assessment
from assess.records.organizations import profile_of
from assess.records.questionnaires import questionnaire_for
from assess.web.access import assessment_for, can
from assess.web.errors import back_to
from assess.web.figures import chart_json
from assess.web.survey_forms import TargetsFormBase, targets_form

#: Ids are 32-bit on every database; larger ones are simply not found.
ASSESSMENT = "/assessments/<int(min=1, max=2147483647):assessment_id>"

bp = Blueprint("results", __name__)


def csf_by_function(categories: Iterable[CsfScore]) -> list[dict[str, Any]]:
    """The CSF view's categories grouped by function, in the order they come."""
    groups: dict[str, dict[str, Any]] = {}
    for c in categories:
        group = groups.setdefault(
            c.function, {"id": c.function, "name": c.function_name, "categories": []}
        )
        group["categories"].append(c)
    return list(groups.values())


def _targets_editable(assessment: Assessment, role: str) -> bool:
    """Targets are the owner's decision (as in the API), on drafts only."""
    return can(role, "manage") and not assessment.locked


def _audit(assessment: Assessment, questionnaire: Any) -> dict[str, Any]:
    """The auditor's sign-off and requests for evidence (current reviews only)."""
    if not assessment.locked:
        return {"attestations": [], "evidence_requests": []}
    order = {qid: i for i, qid in enumerate(questionnaire.questions)}
    requests = [
        r for r in reviews.reviews_of(assessment).values() if r.status == "request_evidence"
    ]
    return {
        "attestations": attestations.attestations_of(assessment),
        "evidence_requests": sorted(requests, key=lambda r: order.get(r.question_id, 0)),
    }


def _render(
    assessment: Assessment, role: str, form: TargetsFormBase | None = None, status: int = 200
):
    results = assessments.results_document(assessment)
    questionnaire = questionnaire_for(assessment)
    areas = results.areas
    previous = previous_comparable(assessment)
    earlier = previous_submitted(assessment) if previous is None else None
    charts_json = chart_json(assessment, previous, results)
    editable = _targets_editable(assessment, role)
    if editable and form is None:
        form = targets_form(questionnaire, {a.id: a.target for a in areas})
    overridden = set((assessment.targets or {}).keys())
    roadmap = [step for step in results.roadmap if step.first_90_days]
    tagged = any(q.csf for q in questionnaire.questions.values())
    titles = {a.id: a.title for a in areas}
    return (
        render_template(
            "results/show.html",
            assessment=assessment,
            organization=assessment.organization,
            questionnaire=questionnaire,
            results=results,
            overall=results.overall,
            areas=areas,
            roadmap=roadmap,
            safeguards=[step for step in roadmap if step.kind != "obligation"],
            obligations=[step for step in roadmap if step.kind == "obligation"],
            roadmap_total=len(results.roadmap),
            csf=csf_by_function(results.csf),
            csf_withheld=tagged and not results.csf,
            area_titles=titles,
            recommendation=results.recommendation,
            has_profile=profile_of(assessment.organization) is not None,
            radar_json=charts_json["radar"],
            gaps_json=charts_json["gaps"],
            previous=previous,
            other_questionnaire=earlier,
            targets_form=form if editable else None,
            overridden=overridden,
            role=role,
            can_manage=can(role, "manage"),
            can_plan=can(role, "plan"),
            plan_progress=plan.progress_of(assessment.organization),
            unanswered=len(results.unanswered),
            **_audit(assessment, questionnaire),
            benchmark=benchmark_of(assessment, results) if assessment.locked else None,
        ),
        status,
    )


@bp.route(f"{ASSESSMENT}/results")
@login_required
def show(assessment_id: int):
    assessment, role = assessment_for(current_user, assessment_id)
    return _render(assessment, role)


@bp.route(f"{ASSESSMENT}/targets", methods=["POST"])
@login_required
@back_to("results.show")
def targets(assessment_id: int):
    """Change the target of some areas; an emptied field goes back to the proposed target."""
    assessment, role = assessment_for(current_user, assessment_id, need="manage")
    if assessment.locked:
        flash(
            "This assessment was submitted, so its targets and results no longer change. "
            "Nothing was saved.",
            "warning",
        )
        return redirect(url_for("results.show", assessment_id=assessment.id))
    questionnaire = questionnaire_for(assessment)
    current = {a.id: a.target for a in assessments.results_document(assessment).areas}
    form = targets_form(questionnaire, current, formdata=request.form)
    if form.validate_on_submit():
        changes = form.changes(current, assessment.targets or {})
        try:
            assessments.set_targets(assessment, changes)
        except Invalid as exc:
            db.session.rollback()
            ids = [a.id for a in questionnaire.areas]
            for area_id, message in exc.errors.items():
                if area_id in ids:
                    field = form[form.field_name(ids.index(area_id) + 1)]
                    field.errors = [*field.errors, message]
            return _render(assessment, role, form, 422)
        db.session.commit()
        if changes:
            flash("Targets updated: the gaps, the charts and the roadmap use them now.", "success")
        else:
            flash("No target changed.", "info")
        return redirect(url_for("results.show", assessment_id=assessment.id, _anchor="areas"))
    return _render(assessment, role, form, 422)
