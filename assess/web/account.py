"""The account page: change the password, set up or turn off two-step verification (TOTP),
and an owner's "members must use two-step verification" setting of an organization.

Members of such an organization who have not set it up are sent to set it up before they
reach any other page (:func:`enrol_first`)."""

from __future__ import annotations

import segno
from flask import (
    Blueprint,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user
from markupsafe import Markup

from assess.records import credentials, mfa
from assess.records.database import db
from assess.records.errors import Invalid
from assess.web.access import organization_for
from assess.web.account_forms import (
    ChangePasswordForm,
    ConfirmMfaForm,
    DisableMfaForm,
    OrgSecurityForm,
    StartMfaForm,
)

bp = Blueprint("account", __name__)

#: What a member who must set up two-step verification may still reach.
OPEN_BEFORE_ENROLMENT = frozenset(
    {
        "account.show",
        "account.change_password",
        "account.mfa_page",
        "account.start_mfa",
        "account.confirm_mfa",
        "auth.logout",
        "static",
        "pages.healthz",
    }
)


@bp.before_app_request
def enrol_first():
    """A member of an organization that requires two-step verification, without it, is sent
    to set it up (the API answers 403 instead: see assess.web.api.common)."""
    if not current_user.is_authenticated or request.blueprint == "api":
        return None
    if request.endpoint in OPEN_BEFORE_ENROLMENT or not mfa.must_enrol(current_user):
        return None
    flash("Your organization requires two-step verification: set it up to continue.", "warning")
    return redirect(url_for("account.mfa_page"))


def _errors_to(form, exc: Invalid, default) -> None:
    for name, message in exc.errors.items():
        getattr(form, name, default).errors.append(message)


def _page(status: int = 200, **forms):
    forms.setdefault("password_form", ChangePasswordForm(prefix="p"))
    forms.setdefault("disable_form", DisableMfaForm(prefix="d"))
    return (
        render_template(
            "account/show.html",
            mfa_on=mfa.enabled(current_user),
            codes_left=mfa.recovery_codes_left(current_user),
            required_by=mfa.required_by(current_user),
            **forms,
        ),
        status,
    )


@bp.route("/account")
@login_required
def show():
    return _page()


@bp.route("/account/password", methods=["POST"])
@login_required
def change_password():
    form = ChangePasswordForm(prefix="p")
    if form.validate_on_submit():
        try:
            credentials.change_password(
                current_user, form.current_password.data, form.new_password.data
            )
        except Invalid as exc:
            db.session.rollback()
            _errors_to(form, exc, form.new_password)
        else:
            db.session.commit()
            # The session version moved on: every other session has ended; this one goes on.
            started = session.get("signed_in_at")
            login_user(current_user._get_current_object())
            session["signed_in_at"] = started
            flash(
                "Your password is changed. Every other session and your API tokens have ended.",
                "success",
            )
            return redirect(url_for("account.show"))
    return _page(422, password_form=form)


@bp.route("/account/mfa", methods=["GET"])
@login_required
def mfa_page():
    if mfa.enabled(current_user):
        return redirect(url_for("account.show"))
    return _mfa_page(ConfirmMfaForm(prefix="c"))


def _mfa_page(confirm_form: ConfirmMfaForm, status: int = 200):
    secret = current_user.mfa_pending_secret
    qr = None
    uri = None
    if secret:
        uri = mfa.otpauth_uri(current_user, secret)
        # segno's own SVG: paths drawn from the URI, which is never written out as text.
        svg = segno.make(uri, error="m").svg_inline(scale=5, light="#fff", title="QR code")
        qr = Markup(svg)  # noqa: S704
    return render_template(
        "account/mfa.html",
        secret=secret,
        uri=uri,
        qr=qr,
        start_form=StartMfaForm(prefix="s"),
        confirm_form=confirm_form,
        required_by=mfa.required_by(current_user),
    ), status


@bp.route("/account/mfa", methods=["POST"])
@login_required
def start_mfa():
    form = StartMfaForm(prefix="s")
    if form.validate_on_submit():
        try:
            mfa.start_enrolment(current_user)
        except mfa.EnrolmentState as exc:
            flash(str(exc), "info")
            return redirect(url_for("account.show"))
        db.session.commit()
    return redirect(url_for("account.mfa_page"))


@bp.route("/account/mfa/confirm", methods=["POST"])
@login_required
def confirm_mfa():
    form = ConfirmMfaForm(prefix="c")
    if form.validate_on_submit():
        try:
            codes = mfa.confirm_enrolment(current_user, form.code.data)
        except mfa.EnrolmentState as exc:
            flash(str(exc), "info")
            return redirect(url_for("account.show"))
        except Invalid as exc:
            db.session.rollback()
            _errors_to(form, exc, form.code)
        else:
            db.session.commit()
            return render_template("account/recovery_codes.html", codes=codes)
    return _mfa_page(form, 422)


@bp.route("/account/mfa/disable", methods=["POST"])
@login_required
def disable_mfa():
    if not mfa.enabled(current_user):
        flash("Two-step verification is off already.", "info")
        return redirect(url_for("account.show"))
    form = DisableMfaForm(prefix="d")
    if form.validate_on_submit():
        try:
            mfa.disable(current_user, form.password.data, form.code.data)
        except Invalid as exc:
            db.session.commit()  # a recovery code that was right is spent all the same
            _errors_to(form, exc, form.code)
        else:
            db.session.commit()
            flash("Two-step verification is off.", "info")
            return redirect(url_for("account.show"))
    return _page(422, disable_form=form)


@bp.route("/organizations/<int(min=1, max=2147483647):org_id>/security", methods=["GET", "POST"])
@login_required
def org_security(org_id: int):
    org, _role = organization_for(current_user, org_id, "manage")
    form = OrgSecurityForm(prefix="o")
    if request.method == "GET":
        form.require_mfa.data = org.require_mfa
    elif form.validate_on_submit():
        try:
            mfa.set_required(org, current_user, bool(form.require_mfa.data))
        except Invalid as exc:
            db.session.rollback()
            _errors_to(form, exc, form.require_mfa)
        else:
            db.session.commit()
            flash("Saved.", "success")
            return redirect(url_for("account.org_security", org_id=org.id))
    members = [(m.user, mfa.enabled(m.user)) for m in org.memberships]
    return (
        render_template("account/org_security.html", org=org, form=form, members=members),
        422 if form.errors else 200,
    )
