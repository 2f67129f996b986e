"""The application factory: settings, extensions, blueprints, error pages, security headers."""

from __future__ import annotations

import secrets
from typing import Any

from flask import Flask, g, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from assess.core.documents import resource_dir
from assess.records.database import KEPT_BY_READS, db
from assess.web import config
from assess.web.extensions import csrf, login_manager, migrate


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    instance = (test_config or {}).get("INSTANCE_PATH") or config.instance_path()
    config.private_folder(instance)
    app = Flask(
        "assess",
        instance_path=instance,
        template_folder=str(resource_dir("templates")),
        static_folder=str(resource_dir("static")),
    )
    settings = config.from_environment(instance)
    if test_config and "SECRET_KEY" in test_config:
        settings.pop("SECRET_KEY")
    app.config.update(settings)
    if test_config:
        app.config.update(test_config)

    init_database(app)
    init_login(app)
    csrf.init_app(app)
    init_limiter(app)
    register_blueprints(app)
    register_filters(app)
    register_errors(app)
    init_security_headers(app)
    init_body_limit(app)
    init_proxy(app)
    init_static_versions(app)
    init_lean_api(app)
    return app


def init_database(app: Flask) -> None:
    config.private_sqlite_file(str(app.config.get("SQLALCHEMY_DATABASE_URI", "")))
    db.init_app(app)
    migrate.init_app(app, db, directory=str(resource_dir("migrations")), compare_type=True)
    from assess.records import models  # noqa: F401  (the tables must be known to the metadata)

    @app.after_request
    def keep_what_reads_kept(response: Any) -> Any:
        """Reads never commit. What one put on a record for keeping (the results of an
        assessment submitted before results were stored) is committed once the request has
        succeeded; if that fails, the answer stands and a later read keeps it."""
        if db.session.info.pop(KEPT_BY_READS, False) and response.status_code < 400:
            try:
                db.session.commit()
            except SQLAlchemyError:
                db.session.rollback()
                app.logger.warning("could not keep computed results", exc_info=True)
        return response


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """SQLite: WAL so readers never block the writer, a busy timeout so writers queue
    instead of failing, foreign keys enforced, fsync on every commit (FULL), and a page
    cache of 16 MB per connection: SQLite's 2 MB held less than one view of an adviser's
    500 clients (~3 MB of index and scores pages), so every view read them again from the
    file; a third of that view's time (``make bench``, the portfolio rows)."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA cache_size=-16000")
    cursor.close()


def init_login(app: Flask) -> None:
    from assess.records.models import User

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(session_id: str) -> User | None:
        """The user of a session id "<id>.<session version>"; an old version signs no one in."""
        user_id, _, version = session_id.partition(".")
        if not (
            user_id.isascii() and user_id.isdecimal() and version.isascii() and version.isdecimal()
        ):
            return None
        if len(user_id) > 10 or len(version) > 10:
            return None
        user = db.session.get(User, int(user_id))
        if user is None or user.session_version != int(version):
            return None
        return user


def init_limiter(app: Flask) -> None:
    from assess.web.limits import limiter

    limiter.init_app(app)


def register_blueprints(app: Flask) -> None:
    from assess.web import (
        account,
        api,
        auth,
        downloads,
        evidence,
        history,
        orgs,
        pages,
        plan,
        portfolio,
        recovery,
        results,
        reviews,
        survey,
        team,
    )

    for module in (
        pages,
        auth,
        account,
        recovery,
        orgs,
        survey,
        results,
        team,
        history,
        reviews,
        downloads,
        plan,
        evidence,
        portfolio,
    ):
        app.register_blueprint(module.bp)
    app.register_blueprint(api.bp, url_prefix="/api/v1")
    csrf.exempt(api.bp)  # bearer tokens, never cookies: no CSRF to forge


def register_filters(app: Flask) -> None:
    """The presentation filters (``score``, ``money``, ``answer``, ``verdict`` ...), the same
    ones the PDF reports use, so a page and a report say a value the same way."""
    from assess.core.naming import assessment_name
    from assess.outputs.presentation import FILTERS

    app.jinja_env.filters.update(FILTERS)
    # "Full assessment 3": an assessment's name in its organization, never its global id.
    app.jinja_env.filters["assessment_name"] = lambda a: assessment_name(
        a.questionnaire_id, a.number
    )


def register_errors(app: Flask) -> None:
    from assess.web.errors import register

    register(app)


def init_security_headers(app: Flask) -> None:
    @app.context_processor
    def inject_nonce() -> dict[str, Any]:
        """The CSP nonce, made when a template first needs one: JSON, files and redirects
        never pay for it (and their policy allows no inline script at all)."""
        if "csp_nonce" not in g:
            g.csp_nonce = secrets.token_urlsafe(16)
        return {"csp_nonce": g.csp_nonce}

    @app.after_request
    def security_headers(response: Any) -> Any:
        nonce = g.get("csp_nonce")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; "
            + (f"script-src 'self' 'nonce-{nonce}'; " if nonce else "script-src 'self'; ")
            + "style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
            "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if app.config.get("ASSESS_HTTPS"):
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        # Pages, the API, exports and reports hold an organization's data: kept out of caches.
        # Static files and the versioned plotly.js set their own.
        response.headers.setdefault("Cache-Control", "no-store")
        return response


def init_body_limit(app: Flask) -> None:
    """A body sent without Content-Length (chunked) is cut at MAX_CONTENT_LENGTH by Werkzeug
    without a word; read it first, so that one over the cap answers 413 like any other.
    Evidence uploads (``config.LARGE_BODIES``) alone get a larger cap, for this request only."""

    def refuse_long_streams() -> None:
        if request.endpoint in config.LARGE_BODIES:
            request.max_content_length = app.config["ASSESS_MAX_EVIDENCE"] + config.MULTIPART_ROOM
        if request.content_length is None and "wsgi.input_terminated" in request.environ:
            request.get_data(cache=True, parse_form_data=False)
            request.stream.read(1)  # past the cap: RequestEntityTooLarge (413)

    # First, before CSRFProtect reads the form.
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_long_streams)


def init_proxy(app: Flask) -> None:
    """Behind ASSESS_PROXY_HOPS trusted proxies, take the client's address and scheme from
    their X-Forwarded-* headers, so that sign-in limits count each client, not the proxy."""
    hops = int(app.config.get("ASSESS_PROXY_HOPS") or 0)
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]


def init_static_versions(app: Flask) -> None:
    """Static URLs carry a hash of the file (``?v=…``), so browsers may keep them for a year:
    a changed file gets a new URL. Repeat visits then fetch the page alone."""
    import hashlib
    from pathlib import Path

    hashes: dict[str, str] = {}

    def version_of(filename: str) -> str:
        if filename not in hashes:
            path = Path(app.static_folder or "") / filename
            try:
                hashes[filename] = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
            except OSError:
                hashes[filename] = "0"
        return hashes[filename]

    @app.url_defaults
    def add_version(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and "filename" in values and "v" not in values:
            values["v"] = version_of(values["filename"])

    @app.after_request
    def cache_versioned(response: Any) -> Any:
        if request.endpoint == "static" and request.args.get("v") and response.status_code == 200:
            response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response


def init_lean_api(app: Flask) -> None:
    """Bearer API requests skip what only sessions need: see :mod:`assess.web.lean`."""
    from assess.web import lean
    from assess.web.account import enrol_first
    from assess.web.auth import end_old_sessions
    from assess.web.extensions import login_manager
    from assess.web.limits import limiter

    # Flask-Limiter registers its hook only when rate limiting is on (RATELIMIT_ENABLED).
    limiting = [limiter._check_request_limit] if app.config.get("RATELIMIT_ENABLED", True) else []
    lean.init_lean(
        app,
        before=[*limiting, end_old_sessions, enrol_first],
        after=[login_manager._update_remember_cookie],
    )
