"""The portfolio of every organization the token's user belongs to, its charts and its
workbook; and an assessment's anonymous peer benchmark."""

from __future__ import annotations

from flask import g

from assess.records.benchmark import benchmark_of
from assess.records.errors import Invalid
from assess.web import portfolio_files
from assess.web.access import assessment_for
from assess.web.api.common import ID, bp, require_token

FMT = "<any(png, svg, pdf, html):fmt>"


def _portfolio():
    found, errors = portfolio_files.read_portfolio(g.api_user)
    if errors:
        raise Invalid(errors, message="Some query parameters are not valid.")
    return found


@bp.get("/portfolio")
@require_token
def portfolio():
    return _portfolio().document()


@bp.get("/portfolio.xlsx")
@require_token
def portfolio_xlsx():
    return portfolio_files.xlsx_response(_portfolio())


@bp.get(f"/portfolio/charts/<any(scores, areas):name>.{FMT}")
@require_token
def portfolio_chart(name: str, fmt: str):
    return portfolio_files.chart_response(_portfolio(), name, fmt)


@bp.get(f"/assessments/<{ID}:assessment_id>/benchmark")
@require_token
def benchmark(assessment_id: int):
    found, _ = assessment_for(g.api_user, assessment_id)
    return benchmark_of(found)
