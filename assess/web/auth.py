"""Sign-up, sign-in and sign-out."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user

from assess.records.accounts import authenticate, create_user
from assess.records.database import db
from assess.records.errors import Invalid
from assess.web.forms import LoginForm, RegisterForm
from assess.web.limits import limiter

bp = Blueprint("auth", __name__)


def _sign_in(user) -> None:
    login_user(user)
    session["signed_in_at"] = int(time.time())


@bp.before_app_request
def end_old_sessions() -> None:
    """A session lasts ASSESS_SESSION_HOURS from sign-in, however active (ASVS V3.3.2)."""
    if not current_user.is_authenticated:
        return
    started = session.get("signed_in_at")
    limit = float(current_app.config.get("ASSESS_SESSION_HOURS") or 12) * 3600
    if not isinstance(started, int) or time.time() - started > limit:
        logout_user()
        session.pop("signed_in_at", None)
        flash("Your session has ended; please sign in again.", "info")


def _safe_next(target: str | None) -> str:
    """Only local paths are followed after sign-in (no open redirect); anything else, a
    path with a line break or control character included, goes home."""
    if (
        target
        and len(target) <= 2000
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target  # browsers read "/\\evil.example" as "//evil.example"
        and target.isprintable()  # no CR/LF (a header cannot hold them), no controls
        and " " not in target
        and not urlsplit(target).netloc
    ):
        return target
    return url_for("pages.home")


def _login_limit() -> str:
    return current_app.config["ASSESS_LOGIN_LIMIT"]


def _login_email_key() -> str:
    return "login-email:" + (request.form.get("email") or "").strip().lower()[:254]


def _only_failures(response) -> bool:
    """Only failed sign-ins count toward the limit (a successful one redirects)."""
    return response.status_code != 302


@bp.route("/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("pages.home"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = create_user(form.email.data, form.password.data)
        except Invalid as exc:
            for name, message in exc.errors.items():
                getattr(form, name, form.email).errors.append(message)
        else:
            db.session.commit()
            _sign_in(user)
            flash("Welcome. Start by describing your organization.", "success")
            return redirect(url_for("orgs.new"))
    return render_template("auth/register.html", form=form), 422 if form.errors else 200


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_only_failures)
@limiter.limit(
    _login_limit, methods=["POST"], key_func=_login_email_key, deduct_when=_only_failures
)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("pages.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            _sign_in(user)
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append("The email or the password is not right.")
    return render_template("auth/login.html", form=form), 401 if form.errors else 200


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    # Sign out everywhere: the session id carries the version, so every copy of this
    # session cookie (another tab, another device, a stolen one) stops working.
    current_user.session_version = (current_user.session_version or 1) + 1
    db.session.commit()
    logout_user()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))
