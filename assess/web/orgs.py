"""Organizations: create one with its profile, see it with its assessments, edit it, start an
assessment from the full or the quick questionnaire (a full one may start from the last quick
check's answers), and delete a draft."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from assess.core import portfolio, recommend
from assess.core.questionnaire import shipped_questionnaires
from assess.records import answers, assessments, organizations, plan
from assess.records.assessments import assessments_of, name_of
from assess.records.database import db
from assess.records.errors import Invalid
from assess.records.models import utcnow
from assess.records.questionnaires import questionnaire_for
from assess.web.access import assessment_for, can, organization_for
from assess.web.errors import back_to
from assess.web.org_forms import (
    PROFILE_LABELS,
    StartAssessmentForm,
    form_data_of,
    label_for,
    profile_data,
    profile_form,
    settings_data,
    settings_data_of,
)

#: Ids are 32-bit on every database; larger ones are simply not found.
ORGANIZATION = "/organizations/<int(min=1, max=2147483647):org_id>"
ASSESSMENT = "/assessments/<int(min=1, max=2147483647):assessment_id>"

bp = Blueprint("orgs", __name__)

FULL = "ciso-nine-areas"
QUICK = "ciso-nine-areas-quick"

#: Where each choice field's options come from (for the profile summary).
_OPTIONS = {
    "industry": "INDUSTRIES",
    "regulations": "REGULATIONS",
    "sensitive_data": "SENSITIVE_DATA",
    "security_leader": "SECURITY_LEADERS",
}


def _apply_errors(form: Any, errors: dict[str, str]) -> None:
    """Put each Invalid message beside its field (the name field for "organization")."""
    for key, message in errors.items():
        name = "name" if key in ("organization", "name") else key
        if name in form:
            form[name].errors = [*form[name].errors, message]
        else:
            form.form_errors.append(message)


def profile_summary(profile: dict[str, Any] | None) -> list[tuple[str, str]]:
    """(label, readable value) pairs for the organization page."""
    profile = profile or {}
    rows = []
    for key, label in PROFILE_LABELS.items():
        value = profile.get(key)
        if key in _OPTIONS:
            options = getattr(recommend, _OPTIONS[key], ())
            if isinstance(value, list):
                text = ", ".join(label_for(options, v) for v in value) or "None"
            elif value in (None, ""):
                text = "Not given"
            else:
                text = label_for(options, value)
        elif key == "customer_demands":
            text = "Yes" if value else "No"
        elif key == "annual_revenue_usd":
            text = "Not given" if value in (None, "") else f"${value:,.0f}"
        else:
            text = "Not given" if value is None else f"{value:,}"
        label = label.replace(" (US dollars, optional)", "")
        rows.append((label, text))
    return rows


def _questionnaire_choices() -> list[dict[str, Any]]:
    """The questionnaires to start, with their length computed from their text (never typed)."""
    shipped = shipped_questionnaires()
    choices = []
    for ref, primary in ((QUICK, True), (FULL, False)):
        questionnaire = shipped.get(ref)
        if questionnaire is None:
            continue
        choices.append(
            {
                "id": ref,
                "title": questionnaire.title,
                "questions": len(questionnaire.questions),
                "essential": len(questionnaire.essential_questions),
                "minutes": questionnaire.reading_minutes,
                "note": f"about {questionnaire.reading_minutes} minutes of reading",
                "primary": primary,
                "label": "Start the quick check" if ref == QUICK else "Start the full assessment",
            }
        )
    return choices


@bp.route("/organizations/new", methods=["GET", "POST"])
@login_required
def new():
    form = profile_form()
    if form.validate_on_submit():
        try:
            org = organizations.create_organization(
                current_user, form.name.data, profile_data(form)
            )
            organizations.update_settings(org, *settings_data(form))
        except Invalid as exc:
            db.session.rollback()
            _apply_errors(form, exc.errors)
        else:
            db.session.commit()
            flash(f"{org.name} was created. Start with the quick check.", "success")
            return redirect(url_for("orgs.show", org_id=org.id))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("orgs/form.html", form=form, organization=None), status


@bp.route(ORGANIZATION)
@login_required
def show(org_id: int):
    org, role = organization_for(current_user, org_id)
    assessments = []
    listed = assessments_of(org)
    counts = answers.answer_counts(listed)
    for assessment in reversed(listed):
        questionnaire = questionnaire_for(assessment)
        assessments.append(
            {
                "assessment": assessment,
                "title": name_of(assessment),
                "answered": counts.get(assessment.id, 0),
                "total": len(questionnaire.questions),
            }
        )
    quick = [a["assessment"] for a in assessments if a["assessment"].questionnaire_id == QUICK]
    last_quick = next((a for a in quick if a.locked), quick[0] if quick else None)
    return render_template(
        "orgs/show.html",
        organization=org,
        last_quick=last_quick,
        last_quick_name=name_of(last_quick) if last_quick else None,
        role=role,
        summary=profile_summary(org.profile),
        has_profile=organizations.profile_of(org) is not None,
        assessments=assessments,
        questionnaires=_questionnaire_choices(),
        can_answer=can(role, "answer"),
        can_manage=can(role, "manage"),
        plan_progress=plan.progress_of(org),
        **_due(org, listed),
    )


def _due(org: Any, listed: list[Any]) -> dict[str, Any]:
    """The next due date of the organization's reassessment, and whether it is overdue."""
    last = max((a.submitted_at for a in listed if a.locked and a.submitted_at), default=None)
    due = portfolio.due_date(last, org.cadence_months)
    return {"next_due": due, "overdue": due is not None and utcnow().date() > due}


@bp.route(f"{ORGANIZATION}/edit", methods=["GET", "POST"])
@login_required
def edit(org_id: int):
    org, _role = organization_for(current_user, org_id, need="manage")
    form = profile_form(data={**form_data_of(org.name, org.profile), **settings_data_of(org)})
    if form.validate_on_submit():
        try:
            organizations.update_organization(org, form.name.data, profile_data(form))
            organizations.update_settings(org, *settings_data(form))
        except Invalid as exc:
            db.session.rollback()
            _apply_errors(form, exc.errors)
        else:
            db.session.commit()
            flash("The profile was saved. Draft results use it from now on.", "success")
            return redirect(url_for("orgs.show", org_id=org.id))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("orgs/form.html", form=form, organization=org), status


@bp.route(f"{ORGANIZATION}/assessments", methods=["POST"])
@login_required
@back_to("orgs.show")
def start(org_id: int):
    org, _role = organization_for(current_user, org_id, need="answer")
    form = StartAssessmentForm()
    if not form.validate_on_submit():
        flash("Choose the quick or the full questionnaire.", "error")
        return redirect(url_for("orgs.show", org_id=org.id))
    if form.copy_from.data:
        source = assessments.assessment_in(org, form.copy_from.data)
        assessment = assessments.copy_assessment(source, current_user, form.questionnaire.data)
        flash(
            f"{name_of(assessment)} starts from the answers of "
            f"{name_of(source)} to the questions both share.",
            "success",
        )
    else:
        assessment = assessments.start_assessment(org, current_user, form.questionnaire.data)
    db.session.commit()
    return redirect(url_for("survey.page", assessment_id=assessment.id))


@bp.post(f"{ASSESSMENT}/delete")
@login_required
def delete_assessment(assessment_id: int):
    """Delete a draft (owners; CSRF: CSRFProtect). A submitted one is a record: 409."""
    assessment, _role = assessment_for(current_user, assessment_id, need="manage")
    org_id, name = assessment.organization_id, name_of(assessment)
    assessments.delete_draft(assessment)
    db.session.commit()
    flash(f"{name} (a draft) was deleted.", "success")
    return redirect(url_for("orgs.show", org_id=org_id))


__all__ = ["bp"]
