"""The home page, and the Plotly JavaScript served from the app (no CDN)."""

from __future__ import annotations

import gzip
from functools import lru_cache
from pathlib import Path

import plotly
from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from assess.core.questionnaire import shipped_questionnaires
from assess.web.access import organizations_of

bp = Blueprint("pages", __name__)

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


@lru_cache(maxsize=1)
def plotly_version() -> str:
    head = PLOTLY_JS.read_bytes()[:400].decode("utf-8", "replace")
    marker = "plotly.js v"
    start = head.find(marker)
    if start < 0:
        return plotly.__version__
    return head[start + len(marker) :].split()[0]


@lru_cache(maxsize=2)
def _plotly_bytes(compressed: bool) -> bytes:
    raw = PLOTLY_JS.read_bytes()
    return gzip.compress(raw, compresslevel=9, mtime=0) if compressed else raw


def _reading_minutes() -> dict[str, int]:
    """Minutes to read each shipped questionnaire once, by id, computed from its text."""
    return {ref: q.reading_minutes for ref, q in shipped_questionnaires().items()}


@bp.route("/")
def home():
    if not current_user.is_authenticated:
        return render_template("welcome.html", reading=_reading_minutes())
    orgs = organizations_of(current_user)
    if not orgs:
        return redirect(url_for("orgs.new"))
    return render_template("home.html", organizations=orgs)


@bp.route("/vendor/plotly-<version>.min.js")
def plotly_js(version: str):
    """plotly.js from the installed Python package, versioned, gzipped, cached for a year."""
    if version != plotly_version():
        abort(404)
    gz = "gzip" in request.headers.get("Accept-Encoding", "")
    response = Response(_plotly_bytes(gz), mimetype="text/javascript")
    if gz:
        response.headers["Content-Encoding"] = "gzip"
    response.headers["Vary"] = "Accept-Encoding"
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


@bp.app_context_processor
def plotly_url():
    return {"plotly_js_url": lambda: url_for("pages.plotly_js", version=plotly_version())}


@bp.route("/healthz")
def healthz():
    return {"status": "ok"}


__all__ = ["bp", "login_required"]
