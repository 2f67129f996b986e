"""Members of an organization: the list, adding by email, invitation links."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, SubmitField
from wtforms.validators import DataRequired, Length

from assess.records import membership
from assess.records.database import db
from assess.records.errors import Invalid
from assess.web import limits
from assess.web.access import organization_for
from assess.web.urls import absolute_url

bp = Blueprint("team", __name__)

ROLE_CHOICES = ["contributor", "auditor", "owner"]


class MemberForm(FlaskForm):
    email = EmailField("Email of an existing account", validators=[DataRequired(), Length(max=254)])
    role = SelectField("Role", choices=ROLE_CHOICES)
    submit = SubmitField("Add member")


class InvitationForm(FlaskForm):
    role = SelectField("Role", choices=ROLE_CHOICES)
    submit = SubmitField("Create invitation link")


class AcceptForm(FlaskForm):
    submit = SubmitField("Join")


@bp.route("/organizations/<int(min=1, max=2147483647):org_id>/members", methods=["GET", "POST"])
@login_required
def members(org_id: int):
    org, role = organization_for(current_user, org_id)
    form, invite = MemberForm(prefix="m"), InvitationForm(prefix="i")
    link = None
    if request.method == "POST":
        org, role = organization_for(current_user, org_id, "manage")
        if form.submit.data and form.validate_on_submit():
            limits.spend("ASSESS_LOOKUP_LIMIT", str(current_user.id))  # whether one exists
            try:
                membership.add_member(org, form.email.data, form.role.data)
            except Invalid as exc:
                for name, message in exc.errors.items():
                    getattr(form, name, form.email).errors.append(message)
            else:
                db.session.commit()
                flash(f"{form.email.data} is now {form.role.data}.", "success")
                return redirect(url_for("team.members", org_id=org.id))
        elif invite.submit.data and invite.validate_on_submit():
            raw = membership.create_invitation(org, current_user, invite.role.data)
            db.session.commit()
            link = absolute_url("team.accept_invitation", token=raw)
    status = 422 if form.errors else 200
    return (
        render_template(
            "team/members.html",
            org=org,
            role=role,
            members=membership.members_of(org),
            form=form,
            invite=invite,
            link=link,
            days=membership.INVITATION_DAYS,
        ),
        status,
    )


@bp.route("/invitations/<token>", methods=["GET", "POST"])
@login_required
def accept_invitation(token: str):
    try:
        invitation = membership.find_invitation(token)
    except Invalid as exc:
        return render_template(
            "error.html", code=404, title="Invitation", message=exc.errors["invitation"]
        ), 404
    form = AcceptForm()
    if form.validate_on_submit():
        try:
            org = membership.accept_invitation(token, current_user)
        except Invalid as exc:  # used or expired since the page was shown
            db.session.rollback()
            message = exc.errors["invitation"]
            return render_template("error.html", code=404, title="Invitation", message=message), 404
        db.session.commit()
        flash(f"You joined {org.name}.", "success")
        return redirect(url_for("orgs.show", org_id=org.id))
    return render_template("team/accept.html", invitation=invitation, form=form)
