"""What the portfolio page and the API share: the portfolio read from the request's
parameters, its charts and its workbook as files."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import plotly.graph_objects as go
from flask import Response, request
from markupsafe import Markup

from assess.core import portfolio, portfolio_charts
from assess.outputs.portfolio_sheet import portfolio_xlsx
from assess.records.models import User, utcnow
from assess.records.portfolio import Portfolio, portfolio_of
from assess.web.figures import script_json
from assess.web.files import XLSX, figure_response

CHARTS = ("scores", "areas")


def read_portfolio(user: User) -> tuple[Portfolio, dict[str, str]]:
    """The user's portfolio as the request's parameters ask for it, and a message per
    parameter that was not valid (its default was used instead)."""
    query, errors = portfolio.parse_query(request.args)
    return portfolio_of(user.id, query), errors


def figures(found: Portfolio) -> dict[str, dict[str, Any]]:
    """The two charts, of the clients that pass the filter and the search (every page), as
    Plotly figure specs (:mod:`assess.core.portfolio_charts`)."""
    return {
        "scores": portfolio_charts.client_scores(found.matching_rows()),
        "areas": portfolio_charts.area_spread(
            portfolio.area_spread(found.selected_clients(), found.area_titles())
        ),
    }


def chart_response(found: Portfolio, name: str, fmt: str) -> Response:
    heading = f"Portfolio · {utcnow():%Y-%m-%d}"
    return figure_response(go.Figure(figures(found)[name]), fmt, f"portfolio-{name}", heading)


def xlsx_response(found: Portfolio) -> Response:
    response = Response(portfolio_xlsx(found.sheet_rows()), mimetype=XLSX)
    name = f"portfolio-{utcnow():%Y-%m-%d}.xlsx"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def page_links(found: Portfolio, **change: Any) -> dict[str, Any]:
    """The query parameters of the current view with some changed (for links)."""
    params = {k: v for k, v in found.query.as_dict().items() if v not in (None, "")}
    params.update(change)
    return {k: v for k, v in params.items() if v not in (None, "")}


#: The page's chart JSON by what it is drawn from (:meth:`Portfolio.chart_key`): sorting and
#: paging keep the charts, and building them for 500 clients cost more than the table.
_CHARTS: OrderedDict[tuple[Any, ...], dict[str, Markup]] = OrderedDict()
_CHARTS_SIZE = 64


def chart_json(found: Portfolio) -> dict[str, Markup]:
    """The two charts' JSON, safe inside ``<script type="application/json">``."""
    key = found.chart_key()
    cached = _CHARTS.get(key)
    if cached is None:
        cached = _CHARTS[key] = {
            name: Markup(script_json(portfolio_charts.figure_json(spec)))  # noqa: S704 (escaped)
            for name, spec in figures(found).items()
        }
        if len(_CHARTS) > _CHARTS_SIZE:
            _CHARTS.popitem(last=False)
    return cached
