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
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user
from itsdangerous import BadData, URLSafeTimedSerializer

from assess.records import mfa
from assess.records.accounts import authenticate, create_user
from assess.records.database import db
from assess.records.errors import Invalid
from assess.records.models import User
from assess.web import limits
from assess.web.account_forms import CodeForm
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


def _pending_invitation() -> str | None:
    """The join page of an invitation opened while signed out (kept in the session by
    ``team.accept_invitation``), to come back to after signing in or registering."""
    token = session.get("pending_invitation")
    if isinstance(token, str) and token:
        return url_for("team.accept_invitation", token=token)
    return None


def _login_limit() -> str:
    return current_app.config["ASSESS_LOGIN_LIMIT"]


def _account() -> str:
    return (request.form.get("email") or "").strip().lower()[:254]


def _login_pair_key() -> str:
    """Failures of one account from one address: the limit that refuses (429)."""
    return f"login-pair:{_account()}|{get_remote_address()}"


def _only_failures(response) -> bool:
    """Only failed sign-ins count toward the limit (a successful one redirects)."""
    return response.status_code != 302


# A device that signed in to an account before carries a signed cookie naming it; the
# account-wide slowdown passes it by (its owner is not the one guessing).
DEVICE_COOKIE = "assess_device"
DEVICE_DAYS = 365


def _device_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="assess-known-device")


def _known_device(email: str) -> bool:
    raw = request.cookies.get(DEVICE_COOKIE, "")
    if not raw or not email:
        return False
    try:
        known = _device_serializer().loads(raw, max_age=DEVICE_DAYS * 86400)
    except BadData:
        return False
    return isinstance(known, list) and email in known


def _remember_device(response, email: str) -> None:
    known: list[str] = []
    raw = request.cookies.get(DEVICE_COOKIE, "")
    if raw:
        try:
            loaded = _device_serializer().loads(raw, max_age=DEVICE_DAYS * 86400)
            known = [e for e in loaded if isinstance(e, str)] if isinstance(loaded, list) else []
        except BadData:
            known = []
    known = [email, *[e for e in known if e != email]][:5]
    response.set_cookie(
        DEVICE_COOKIE,
        _device_serializer().dumps(known),
        max_age=DEVICE_DAYS * 86400,
        httponly=True,
        samesite="Lax",
        secure=bool(current_app.config.get("ASSESS_HTTPS")),
    )


def _slow_down_if_targeted(email: str) -> None:
    """Past ASSESS_LOGIN_LIMIT failures on one account from all addresses together, every
    attempt on it waits ASSESS_LOGIN_DELAY seconds (a device that signed in to it before
    does not): guessing slows to a crawl, and the owner can still sign in."""
    if email and not _known_device(email) and limits.over("ASSESS_LOGIN_LIMIT", "account", email):
        limits.pause(float(current_app.config.get("ASSESS_LOGIN_DELAY") or 0))


@bp.route("/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("pages.home"))
    form = RegisterForm()
    if request.method == "POST":
        # Each try counts (ASSESS_REGISTER_LIMIT per address): "already exists" cannot be
        # avoided without sending mail, so asking it is throttled instead.
        limits.spend("ASSESS_REGISTER_LIMIT", get_remote_address())
    if form.validate_on_submit():
        try:
            user = create_user(form.email.data, form.password.data)
        except Invalid as exc:
            for name, message in exc.errors.items():
                getattr(form, name, form.email).errors.append(message)
        else:
            db.session.commit()
            pending = _pending_invitation()
            _sign_in(user)
            if pending:
                return redirect(pending)
            flash("Welcome. Start by describing your organization.", "success")
            return redirect(url_for("orgs.new"))
    return render_template(
        "auth/register.html", form=form, invited=_pending_invitation() is not None
    ), 422 if form.errors else 200


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_only_failures)
@limiter.limit(_login_limit, methods=["POST"], key_func=_login_pair_key, deduct_when=_only_failures)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("pages.home"))
    form = LoginForm()
    if form.validate_on_submit():
        email = _account()
        _slow_down_if_targeted(email)
        user = authenticate(form.email.data, form.password.data)
        if user is not None and mfa.enabled(user):
            # Not signed in yet: the second step (/login/mfa) has to pass first.
            session["mfa_pending"] = {
                "user": user.get_id(),
                "at": int(time.time()),
                "next": _safe_next(request.args.get("next")),
            }
            return redirect(url_for("auth.login_mfa"))
        if user is not None:
            pending = _pending_invitation()
            _sign_in(user)
            response = redirect(_safe_next(request.args.get("next") or pending))
            _remember_device(response, email)
            return response
        limits.note_failure("ASSESS_LOGIN_LIMIT", "account", email)
        form.password.errors.append("The email or the password is not right.")
    return render_template(
        "auth/login.html", form=form, invited=_pending_invitation() is not None
    ), 401 if form.errors else 200


#: The second step must follow the password within this many seconds.
MFA_STEP_SECONDS = 300


def _pending_user() -> tuple[User | None, str]:
    """The user whose password passed and whose code is awaited (None when there is none,
    it is too old, or their sessions were ended since), and where to go next."""
    pending = session.get("mfa_pending")
    if not isinstance(pending, dict):
        return None, ""
    user_id, _, version = str(pending.get("user", "")).partition(".")
    started = pending.get("at")
    if not (user_id.isdecimal() and version.isdecimal() and isinstance(started, int)):
        return None, ""
    if time.time() - started > MFA_STEP_SECONDS or len(user_id) > 10:
        return None, ""
    user = db.session.get(User, int(user_id))
    if user is None or str(user.session_version) != version or not mfa.enabled(user):
        return None, ""
    return user, str(pending.get("next") or "")


def _mfa_user_key() -> str:
    pending = session.get("mfa_pending")
    who = pending.get("user", "") if isinstance(pending, dict) else ""
    return "mfa-user:" + str(who).partition(".")[0][:10]


@bp.route("/login/mfa", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_only_failures)
@limiter.limit(_login_limit, methods=["POST"], key_func=_mfa_user_key, deduct_when=_only_failures)
def login_mfa():
    if current_user.is_authenticated:
        return redirect(url_for("pages.home"))
    user, next_url = _pending_user()
    if user is None:
        session.pop("mfa_pending", None)
        flash("Please sign in to continue.", "info")
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if form.validate_on_submit():
        if mfa.verify(user, form.code.data):
            db.session.commit()
            session.pop("mfa_pending", None)
            _sign_in(user)
            return redirect(_safe_next(next_url))
        db.session.rollback()
        form.code.errors.append("That code is not right. Try the code the app shows now.")
    return render_template("auth/login_mfa.html", form=form), 401 if form.errors else 200


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
