"""Blueprint: the portfolio of every organization the user belongs to, its charts and its
workbook (the API sends the same, :mod:`assess.web.api.portfolio`)."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from assess.core import portfolio
from assess.web import portfolio_files

bp = Blueprint("portfolio", __name__)

FMT = "<any(png, svg, pdf, html):fmt>"

#: The table's sortable columns: (sort key, heading).
COLUMNS = (
    ("name", "Organization"),
    ("last_submitted", "Last submitted"),
    ("score", "Overall"),
    ("change", "Change"),
    ("gap", "Largest gap"),
    ("regressed", "Regressed"),
    ("due", "Next due"),
)


@bp.get("/portfolio")
@login_required
def show():
    found, errors = portfolio_files.read_portfolio(current_user)
    charts = portfolio_files.chart_json(found)
    return render_template(
        "portfolio/show.html",
        found=found,
        errors=errors,
        counts=portfolio.counts(found.rows),
        columns=COLUMNS,
        filters=portfolio.FILTERS,
        charts=charts,
        link=lambda **change: portfolio_files.page_links(found, **change),
    )


@bp.get("/portfolio.xlsx")
@login_required
def xlsx():
    found, _errors = portfolio_files.read_portfolio(current_user)
    return portfolio_files.xlsx_response(found)


@bp.get(f"/portfolio/charts/<any(scores, areas):name>.{FMT}")
@login_required
def portfolio_chart(name: str, fmt: str):
    found, _errors = portfolio_files.read_portfolio(current_user)
    return portfolio_files.chart_response(found, name, fmt)
