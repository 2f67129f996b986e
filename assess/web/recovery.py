"""Forgotten passwords: a "forgot password" form that mails a reset link (when
ASSESS_SMTP_URL is set), and the page of a reset link, which sets a new password."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)

from assess.records import credentials
from assess.records.database import db
from assess.records.errors import Invalid
from assess.web import mail
from assess.web.account_forms import ForgotForm, ResetForm
from assess.web.limits import limiter
from assess.web.urls import absolute_url

bp = Blueprint("recovery", __name__)

SENT = (
    "If an account exists for that address, a link to set a new password is on its way. "
    "It works once, for an hour."
)


def _limit() -> str:
    return current_app.config["ASSESS_LOGIN_LIMIT"]


def _email_key() -> str:
    return "forgot-email:" + (request.form.get("email") or "").strip().lower()[:254]


def reset_link(raw: str) -> str:
    return absolute_url("recovery.reset_password", reset_token=raw)


@bp.route("/login/forgot", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"])
@limiter.limit(_limit, methods=["POST"], key_func=_email_key)
def forgot_password():
    smtp = mail.smtp_url()
    form = ForgotForm()
    if request.method == "POST" and not smtp:
        abort(404, description="Mail is not set up on this server.")
    if form.validate_on_submit():
        user = credentials.user_by_email(form.email.data)
        if user is not None:
            raw = credentials.create_reset(user)
            db.session.commit()
            mail.send_later(
                smtp,
                current_app.config.get("ASSESS_MAIL_FROM") or "assess@localhost",
                user.email,
                "Set a new password for Assess",
                "Someone (we hope you) asked to set a new password for your Assess account.\n\n"
                f"Open this link within an hour to choose one (it works once):\n{reset_link(raw)}\n\n"
                "If it was not you, ignore this mail: your password stays as it is.\n",
            )
        flash(SENT, "info")
        return redirect(url_for("auth.login"))
    status = 422 if form.errors else 200
    return render_template("auth/forgot.html", form=form, mail=bool(smtp)), status


@bp.route("/reset/<reset_token>", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"])
def reset_password(reset_token: str):
    if credentials.open_reset(reset_token) is None:
        abort(404, description="This link was used already or has expired. Ask for a new one.")
    form = ResetForm()
    if form.validate_on_submit():
        try:
            user = credentials.reset_password(reset_token, form.password.data)
        except Invalid as exc:
            db.session.rollback()
            for name, message in exc.errors.items():
                getattr(form, name, form.password).errors.append(message)
        else:
            if user is None:
                abort(404, description="This link was used already or has expired.")
            db.session.commit()
            flash("Your password is set. Every other session has ended; sign in.", "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form), 422 if form.errors else 200
