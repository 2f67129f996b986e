"""The portfolio of every organization the token's user belongs to, its charts and its
workbook; and an assessment's anonymous peer benchmark."""

from __future__ import annotations

from flask import g, request

from assess.records.benchmark import benchmark_of
from assess.records.errors import Invalid
from assess.web import portfolio_files
from assess.web.access import assessment_for
from assess.web.api.common import ID, bp, require_token

FMT = "<any(png, svg, pdf, html):fmt>"


def _portfolio():
    found, errors = portfolio_files.read_portfolio(g.api_user)
    errors.update(_strict_query())
    if errors:
        raise Invalid(errors, message="Some query parameters are not valid.")
    return found


def _strict_query() -> dict[str, str]:
    """What the API refuses beyond the page's parsing (which falls back to defaults for an
    empty value): a parameter given twice, or given empty (but ``q``)."""
    errors = {}
    for name in ("sort", "order", "filter", "q", "page", "per_page"):
        given = request.args.getlist(name)
        if len(given) > 1:
            errors[name] = f"Give {name} once."
        elif given and given[0] == "" and name != "q":
            errors[name] = f"{name} cannot be empty; leave it out for the default."
    return errors


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
