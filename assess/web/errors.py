"""Errors turned into responses in one place: JSON for the API (and clients that ask for
JSON), a page otherwise. The records' domain errors (:mod:`assess.records.errors`) are mapped
here too, so views raise them instead of catching them; a view keeps a small try/except only
where the error goes beside a form field."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import (
    Flask,
    Response,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, SecurityError
from werkzeug.exceptions import NotFound as NotFoundError

from assess.core.filetypes import Unsupported
from assess.records.database import db
from assess.records.errors import Conflict, Gone, Invalid, Locked, NotFound, Refused, TooLarge
from assess.web.config import LARGE_BODIES


def wants_json() -> bool:
    if request.blueprint == "api" or request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def error_response(status: int, message: str, details: Any = None):
    """The API's error body: ``{"error": {"message": ..., "details": ...}}``."""
    body: dict[str, Any] = {"error": {"message": message}}
    if details is not None:
        body["error"]["details"] = details
    response = jsonify(body)
    response.status_code = status
    return response


def back_to(endpoint: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Pages: a domain error raised by the view is flashed, and the browser sent to
    ``endpoint`` with the view's own URL arguments (say, the organization's page)."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            g.back_to = endpoint
            return view(*args, **kwargs)

        return wrapper

    return decorate


def _domain_error(
    status: int,
    message: str,
    details: Any = None,
    *,
    page_message: str | None = None,
    category: str = "error",
    title: str = "Not saved",
):
    """Nothing of the failed use case is kept. A page that said where to go back
    (:func:`back_to`) flashes ``page_message`` and goes there; the API (and clients that
    ask for JSON) get ``status`` with the error body; other pages show the error page."""
    db.session.rollback()
    endpoint = g.get("back_to")
    if endpoint:
        flash(page_message or message, category)
        return redirect(url_for(endpoint, **(request.view_args or {})))
    if wants_json():
        return error_response(status, message, details)
    page = render_template("error.html", code=status, title=title, message=page_message or message)
    return page, status


def _in_one_line(exc: Invalid) -> str:
    """The message a page flashes: the field's own message when there is one field."""
    return next(iter(exc.errors.values())) if len(exc.errors) == 1 else exc.message


#: The error pages in the app's words (title, message) instead of the framework's.
OWN_WORDS = {
    403: (
        "Not allowed",
        "Your role in this organization does not allow this. An owner of the organization can "
        "change your role on its Members page.",
    ),
    404: (
        "Page not found",
        "There is no page at this address, or it belongs to an organization you are not a "
        "member of. Check the link, or start again from your organizations.",
    ),
    405: ("Not possible here", "This address does not accept that kind of request."),
}


def register_domain_errors(app: Flask) -> None:
    """Invalid is 422 with a message per field; Locked 409; Conflict 409 with theirs and
    yours per question; NotFound 404; Refused 409; Gone 410; a file of a kind not accepted 415;
    too large 413."""

    @app.errorhandler(Invalid)
    def invalid(exc: Invalid):
        return _domain_error(422, exc.message, exc.errors, page_message=_in_one_line(exc))

    @app.errorhandler(Locked)
    def locked(exc: Locked):
        return _domain_error(409, str(exc), category="info", title="Submitted")

    @app.errorhandler(Conflict)
    def conflict(exc: Conflict):
        return _domain_error(409, f"{exc}; nothing was saved.", exc.questions, category="warning")

    @app.errorhandler(NotFound)
    def not_found(exc: NotFound):
        return _domain_error(404, str(exc), category="warning", title="Not found")

    @app.errorhandler(Refused)
    def refused(exc: Refused):
        return _domain_error(409, str(exc), category="error", title="Not done")

    @app.errorhandler(Gone)
    def gone(exc: Gone):
        return _domain_error(410, str(exc), category="warning", title="Gone")

    @app.errorhandler(Unsupported)
    def unsupported(exc: Unsupported):
        return _domain_error(415, str(exc), title="File not accepted")

    @app.errorhandler(TooLarge)
    def too_large(exc: TooLarge):
        return _domain_error(413, str(exc), title="File too large")


def _no_route_at_all() -> bool:
    from werkzeug.exceptions import MethodNotAllowed
    from werkzeug.exceptions import NotFound as Missing

    if request.url_rule is not None:
        return False
    urls = current_app.url_map.bind_to_environ(request.environ)
    for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
        try:
            urls.match(request.path, method=method)
        except (MethodNotAllowed, Missing):
            continue
        except HTTPException:  # a redirect: something is there
            return False
        return False
    return True


def _untrusted_host():
    """A Host that is not in TRUSTED_HOSTS: no URL can be built for it (no template, no
    url_for), so a bare answer, JSON for the API."""
    message = "This host name is not served here (ASSESS_BASE_URL, ASSESS_TRUSTED_HOSTS)."
    if request.path.startswith("/api/"):
        return error_response(400, message)
    return Response(message + "\n", status=400, mimetype="text/plain")


def register(app: Flask) -> None:
    register_domain_errors(app)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        message = exc.description or exc.name
        if isinstance(exc, SecurityError):
            return _untrusted_host()
        if exc.code == 405 and _no_route_at_all():
            # Werkzeug answers 405 when a path fails a converter's bounds (an id of 0) for
            # one method; no route is there for any method, so it is simply not found.
            exc = NotFoundError()
            message = exc.description or exc.name
        title = exc.name
        if exc.code in OWN_WORDS and not wants_json():
            title, default = OWN_WORDS[exc.code]
            # The framework's stock text is replaced; a view's own description is kept.
            if type(exc).description == exc.description:
                message = default
        if exc.code == 413 and request.endpoint in LARGE_BODIES:
            limit = app.config["ASSESS_MAX_EVIDENCE"]
            message = f"The file is larger than the {limit:,} bytes allowed for evidence."
        elif exc.code == 413:
            limit = app.config.get("MAX_CONTENT_LENGTH")
            message = f"The request body is larger than the {limit:,} bytes allowed."
        if exc.code == 429:
            message = "Too many attempts. Wait a few minutes and try again."
        if wants_json():
            response = error_response(exc.code or 500, message)
        else:
            response = app.response_class(
                render_template("error.html", code=exc.code, title=title, message=message),
                status=exc.code,
            )
        if exc.code == 401 and wants_json():
            response.headers["WWW-Authenticate"] = 'Bearer realm="assess"'
        if exc.code == 405 and getattr(exc, "valid_methods", None):
            response.headers["Allow"] = ", ".join(exc.valid_methods)
        return response

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        message = "The form expired or was sent from elsewhere. Reload the page and try again."
        if wants_json():
            return error_response(400, message)
        return render_template("error.html", code=400, title="Form expired", message=message), 400

    from assess.outputs.images import ExportUnavailable

    @app.errorhandler(ExportUnavailable)
    def export_unavailable(exc: ExportUnavailable):
        message = f"Downloads of images and PDFs are not available on this server: {exc}"
        if wants_json():
            return error_response(503, message)
        return render_template(
            "error.html", code=503, title="Download unavailable", message=message
        ), 503

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        db.session.rollback()
        app.logger.exception("unhandled error")
        message = "Something went wrong on our side. Nothing you saved before was lost."
        if wants_json():
            return error_response(500, message)
        return render_template("error.html", code=500, title="Server error", message=message), 500
