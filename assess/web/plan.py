"""The action plan's pages: the list with its filters and progress, an item with its history,
comments and evidence, adding and editing items, attaching evidence to one, closing a met one,
the first 90 days turned into a plan from the results page, and the plan as CSV, XLSX or
iCalendar. (Downloading and removing evidence are the evidence pages' routes.)"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from assess.core.filetypes import Unsupported
from assess.core.plan import CLOSED, STATUS_LABELS
from assess.records import evidence, membership, plan
from assess.records.database import db
from assess.records.errors import Invalid, TooLarge
from assess.records.models import Action, Organization
from assess.records.plan_documents import action_dict, plan_document
from assess.web import files
from assess.web.access import action_for, assessment_for, can, organization_for
from assess.web.evidence_files import add_upload_to_action
from assess.web.plan_forms import ActionForm, ButtonForm, CommentForm, EvidenceForm, form_data_of

#: Ids are 32-bit on every database; larger ones are simply not found.
ORGANIZATION = "/organizations/<int(min=1, max=2147483647):org_id>"
ACTION = "/actions/<int(min=1, max=2147483647):action_id>"
ASSESSMENT = "/assessments/<int(min=1, max=2147483647):assessment_id>"

bp = Blueprint("plan", __name__)


def _apply_errors(form: ActionForm, errors: dict[str, str]) -> None:
    for key, message in errors.items():
        name = "question_id" if key == "area_id" else key
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, message]
        else:
            form.form_errors.append(message)


def _action_form(org: Organization, **kwargs: Any) -> ActionForm:
    form = ActionForm(**kwargs)
    form.set_members(membership.members_of(org))
    return form


def _show(org: Organization, role: str, form: ActionForm | None = None, status: int = 200):
    filter_errors: dict[str, str] = {}
    try:
        filters = plan.parse_filters(request.args)
    except Invalid as exc:
        filter_errors = exc.errors
        filters = {"status": None, "owner": None, "overdue": None}
    today = date.today()
    document = plan_document(org, plan.actions_of(org, **filters, today=today), today)
    owners = sorted(
        {o for o in (plan.owner_of(a) for a in plan.actions_of(org)) if o}, key=str.casefold
    )
    editable = can(role, "plan")
    if editable and form is None:
        form = _action_form(org, formdata=None)
    return (
        render_template(
            "plan/show.html",
            org=org,
            role=role,
            items=document["actions"],
            progress=document["progress"],
            filters=filters,
            filter_errors=filter_errors,
            filtered=any(v is not None for v in filters.values()),
            owners=owners,
            statuses=STATUS_LABELS,
            form=form if editable else None,
            button=ButtonForm(),
            can_edit=editable,
        ),
        status,
    )


@bp.route(f"{ORGANIZATION}/plan")
@login_required
def show(org_id: int):
    org, role = organization_for(current_user, org_id)
    return _show(org, role)


@bp.post(f"{ORGANIZATION}/plan")
@login_required
def add(org_id: int):
    org, role = organization_for(current_user, org_id, "plan")
    form = _action_form(org)
    if form.validate_on_submit():
        try:
            item = plan.create_action(org, current_user, form.values())
        except Invalid as exc:
            db.session.rollback()
            _apply_errors(form, exc.errors)
        else:
            db.session.commit()
            flash("Action added to the plan.", "success")
            return redirect(url_for("plan.show", org_id=org.id, _anchor=f"a-{item.id}"))
    return _show(org, role, form, 422)


def _item_page(
    item: Action,
    role: str,
    form: ActionForm | None = None,
    status: int = 200,
    comment_form: CommentForm | None = None,
    evidence_form: EvidenceForm | None = None,
):
    org = db.session.get(Organization, item.organization_id)
    editable = can(role, "plan")
    if evidence_form is None and can(role, "evidence"):
        evidence_form = EvidenceForm(formdata=None)
    if editable and form is None:
        form = _action_form(org, formdata=None, data=form_data_of(item))
    return (
        render_template(
            "plan/item.html",
            org=org,
            role=role,
            item=action_dict(item),
            form=form if editable else None,
            comment_form=comment_form
            or (CommentForm(formdata=None) if can(role, "comment") else None),
            button=ButtonForm(),
            statuses=STATUS_LABELS,
            can_edit=editable,
            evidence_form=evidence_form,
            # Owners and contributors remove evidence while the item is open or in progress.
            evidence_removable=editable and item.status not in CLOSED,
        ),
        status,
    )


@bp.route(ACTION)
@login_required
def item(action_id: int):
    found, role = action_for(current_user, action_id)
    return _item_page(found, role)


@bp.post(ACTION)
@login_required
def edit(action_id: int):
    found, role = action_for(current_user, action_id, "plan")
    org = db.session.get(Organization, found.organization_id)
    form = _action_form(org)
    if form.validate_on_submit():
        try:
            changes = plan.update_action(found, current_user, form.values())
        except Invalid as exc:
            db.session.rollback()
            found, role = action_for(current_user, action_id, "plan")
            _apply_errors(form, exc.errors)
        else:
            db.session.commit()
            flash("Action saved." if changes else "Nothing changed.", "success")
            return redirect(url_for("plan.show", org_id=org.id, _anchor=f"a-{found.id}"))
    return _item_page(found, role, form, 422)


@bp.post(f"{ACTION}/comments")
@login_required
def comment(action_id: int):
    found, role = action_for(current_user, action_id, "comment")
    form = CommentForm()
    if form.validate_on_submit():
        try:
            plan.add_comment(found, current_user, form.text.data)
        except Invalid as exc:
            db.session.rollback()
            found, role = action_for(current_user, action_id, "comment")
            form.text.errors = [*form.text.errors, *exc.errors.values()]
        else:
            db.session.commit()
            flash("Comment added.", "success")
            return redirect(url_for("plan.item", action_id=found.id, _anchor="comments"))
    return _item_page(found, role, comment_form=form, status=422)


@bp.post(f"{ACTION}/evidence")
@login_required
def add_evidence(action_id: int):
    """Attach the form's file, or else its link; any member (auditors too, as on answers),
    whatever the item's status. A problem is shown on the form's field (422)."""
    found, role = action_for(current_user, action_id, "evidence")
    form = EvidenceForm()
    if form.validate_on_submit():
        upload = form.file.data
        url = (form.url.data or "").strip()
        try:
            if upload is not None and upload.filename:
                what = add_upload_to_action(found, current_user, upload).filename
            elif url:
                what = evidence.add_link_to_action(found, current_user, url, form.title.data).title
            else:
                raise Invalid({"file": "Choose a file, or give a link."})
        except (Invalid, Unsupported, TooLarge) as exc:
            db.session.rollback()
            found, role = action_for(current_user, action_id, "evidence")
            problems = exc.errors if isinstance(exc, Invalid) else {"file": str(exc)}
            for key, message in problems.items():
                field = getattr(form, key, form.file)
                field.errors = [*field.errors, message]
        else:
            db.session.commit()
            flash(f"Attached {what}.", "success")
            return redirect(url_for("plan.item", action_id=found.id, _anchor="evidence"))
    return _item_page(found, role, evidence_form=form, status=422)


@bp.post(f"{ACTION}/close")
@login_required
def close(action_id: int):
    """Mark an item done (the button beside "met in ...")."""
    found, _ = action_for(current_user, action_id, "plan")
    if ButtonForm().validate_on_submit():
        plan.update_action(found, current_user, {"status": "done"})
        db.session.commit()
        flash(f"Marked done: {found.title[:80]}", "success")
    return redirect(url_for("plan.show", org_id=found.organization_id, _anchor=f"a-{found.id}"))


@bp.post(f"{ASSESSMENT}/plan/from-roadmap")
@login_required
def from_roadmap(assessment_id: int):
    """The results page's button: the first 90 days become items of the plan."""
    assessment, _ = assessment_for(current_user, assessment_id, "plan")
    if not ButtonForm().validate_on_submit():
        return redirect(url_for("results.show", assessment_id=assessment.id))
    items = plan.from_roadmap(assessment, current_user)
    db.session.commit()
    if items:
        flash(
            f"{len(items)} steps of the first 90 days are now actions. Give each an owner "
            "and a due date.",
            "success",
        )
    else:
        flash("Every step of these first 90 days is already in the plan.", "info")
    return redirect(url_for("plan.show", org_id=assessment.organization_id))


@bp.route(f"{ORGANIZATION}/plan.csv", defaults={"fmt": "csv"})
@bp.route(f"{ORGANIZATION}/plan.xlsx", defaults={"fmt": "xlsx"})
@bp.route(f"{ORGANIZATION}/plan.ics", defaults={"fmt": "ics"})
@login_required
def download(org_id: int, fmt: str):
    org, _ = organization_for(current_user, org_id)
    return files.plan_response(org, fmt)
