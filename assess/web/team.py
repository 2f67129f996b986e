"""Members of an organization: the list, adding by email, removing (or leaving), invitation
links (created, listed, revoked) and the join page an invitation opens."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, SubmitField
from wtforms.validators import DataRequired, Length

from assess.records import membership
from assess.records.database import db
from assess.records.errors import Invalid, Refused
from assess.web import limits
from assess.web.access import can, organization_for
from assess.web.errors import back_to
from assess.web.urls import absolute_url

bp = Blueprint("team", __name__)

ORGANIZATION = "/organizations/<int(min=1, max=2147483647):org_id>"
ID = "int(min=1, max=2147483647)"
ROLE_CHOICES = ["contributor", "auditor", "owner"]
#: The session key that keeps an invitation while its invitee signs in or registers.
PENDING = "pending_invitation"


class MemberForm(FlaskForm):
    email = EmailField("Email of an existing account", validators=[DataRequired(), Length(max=254)])
    role = SelectField("Role", choices=ROLE_CHOICES)
    submit = SubmitField("Add member or change role")


class InvitationForm(FlaskForm):
    role = SelectField("Role", choices=ROLE_CHOICES)
    submit = SubmitField("Create invitation link")


class AcceptForm(FlaskForm):
    submit = SubmitField("Join")


@bp.route(f"{ORGANIZATION}/members", methods=["GET", "POST"])
@login_required
def members(org_id: int):
    org, role = organization_for(current_user, org_id)
    form, invite = MemberForm(prefix="m"), InvitationForm(prefix="i")
    link = None
    status = 200
    if request.method == "POST":
        org, role = organization_for(current_user, org_id, "manage")
        if form.submit.data and form.validate_on_submit():
            limits.spend("ASSESS_LOOKUP_LIMIT", str(current_user.id))  # whether one exists
            try:
                membership.add_member(org, form.email.data, form.role.data, by=current_user)
            except Invalid as exc:
                db.session.rollback()
                for name, message in exc.errors.items():
                    getattr(form, name, form.email).errors.append(message)
            except Refused as exc:  # the last owner
                db.session.rollback()
                form.role.errors.append(str(exc))
                status = 409
            else:
                db.session.commit()
                flash(f"{form.email.data} is now {form.role.data}.", "success")
                return redirect(url_for("team.members", org_id=org.id))
        elif invite.submit.data and invite.validate_on_submit():
            raw = membership.create_invitation(org, current_user, invite.role.data)
            db.session.commit()
            link = absolute_url("team.accept_invitation", token=raw)
    if status == 200 and form.errors:
        status = 422
    manage = can(role, "manage")
    invitations = membership.invitations_of(org) if manage else []
    return (
        render_template(
            "team/members.html",
            org=org,
            role=role,
            members=membership.members_of(org),
            invitations=[(i, membership.invitation_status(i)) for i in invitations],
            form=form,
            invite=invite,
            link=link,
            days=membership.INVITATION_DAYS,
            can_manage=manage,
        ),
        status,
    )


@bp.post(f"{ORGANIZATION}/members/<{ID}:user_id>/remove")
@login_required
@back_to("team.members")
def remove_member(org_id: int, user_id: int):
    """An owner removes a member; anyone removes themselves (leaves). CSRF: CSRFProtect."""
    leaving = user_id == current_user.id
    org, _ = organization_for(current_user, org_id, "read" if leaving else "manage")
    email = next((u.email for u, _ in membership.members_of(org) if u.id == user_id), None)
    membership.remove_member(org, user_id, by=current_user)
    db.session.commit()
    if leaving:
        flash(f"You left {org.name}.", "success")
        return redirect(url_for("pages.home"))
    flash(f"{email} no longer belongs to {org.name}.", "success")
    return redirect(url_for("team.members", org_id=org.id))


@bp.post(f"{ORGANIZATION}/invitations/<{ID}:invitation_id>/revoke")
@login_required
@back_to("team.members")
def revoke_invitation(org_id: int, invitation_id: int):
    org, _ = organization_for(current_user, org_id, "manage")
    membership.revoke_invitation(org, invitation_id)
    db.session.commit()
    flash("The invitation link was revoked; it no longer works.", "success")
    return redirect(url_for("team.members", org_id=org.id))


def _invalid_link(message: str):
    session.pop(PENDING, None)
    return render_template("error.html", code=404, title="Invitation", message=message), 404


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    """The join page: it names the organization, the role and who invited you. Signed out,
    the link is kept in the session while you sign in or create an account, and you come
    back here after either."""
    try:
        invitation = membership.find_invitation(token)
    except Invalid as exc:
        return _invalid_link(exc.errors["invitation"])
    if not current_user.is_authenticated:
        session[PENDING] = token
        flash("Sign in, or create an account, to accept the invitation.", "info")
        return redirect(url_for("auth.login", next=request.path))
    form = AcceptForm()
    if form.validate_on_submit():
        try:
            org = membership.accept_invitation(token, current_user)
        except Invalid as exc:  # used, revoked or expired since the page was shown
            db.session.rollback()
            return _invalid_link(exc.errors["invitation"])
        db.session.commit()
        session.pop(PENDING, None)
        flash(f"You joined {org.name}.", "success")
        return redirect(url_for("orgs.show", org_id=org.id))
    org = db.session.get(membership.Organization, invitation.organization_id)
    return render_template(
        "team/accept.html",
        invitation=invitation,
        org=org,
        inviter=invitation.created_by,
        already=membership.is_member(org, current_user),
        form=form,
    )
