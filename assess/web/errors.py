"""One error helper: JSON for the API (and clients that ask for JSON), a page otherwise."""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from assess.records.database import db


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


def register(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        message = exc.description or exc.name
        if exc.code == 413:
            limit = app.config.get("MAX_CONTENT_LENGTH")
            message = f"The request body is larger than the {limit:,} bytes allowed."
        if exc.code == 429:
            message = "Too many attempts. Wait a few minutes and try again."
        if wants_json():
            response = error_response(exc.code or 500, message)
        else:
            response = app.response_class(
                render_template("error.html", code=exc.code, title=exc.name, message=message),
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
