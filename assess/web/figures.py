"""The Plotly figures the pages draw and the downloads send, built from the records, and
their JSON made safe to embed in a page."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import plotly.graph_objects as go
from markupsafe import Markup

from assess.core import charts
from assess.core.results import Results
from assess.outputs.presentation import fmt_date
from assess.records import assessments, history
from assess.records.history import Comparison
from assess.records.models import Assessment, Organization


def script_json(text: str) -> str:
    r"""JSON safe inside <script type="application/json">: no "</script>" can end it early.

    >>> script_json('{"t": "</script><b>&"}')
    '{"t": "\\u003c/script\\u003e\\u003cb\\u003e\\u0026"}'
    """
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def plot_json(fig: Any) -> Markup:
    """A figure's JSON, safe inside <script type="application/json">."""
    return Markup(script_json(charts.figure_json(fig)))  # noqa: S704 (escaped JSON)


def chart_areas(results: Results) -> list[dict[str, Any]]:
    """The areas as the charts draw them: mappings with the contract's keys."""
    return [area.model_dump() for area in results.areas]


def assessment_figures(
    assessment: Assessment, results: Results | None = None
) -> dict[str, go.Figure]:
    """The radar (with the previous submission when there is one on the same questionnaire)
    and the gap bars. ``results``: the assessment's results when the caller has them already."""
    if results is None:
        results = assessments.results_document(assessment)
    areas = chart_areas(results)
    previous = history.previous_comparable(assessment)
    kwargs: dict[str, Any] = {}
    if previous is not None:
        kwargs = {
            "previous": chart_areas(assessments.results_document(previous)),
            "previous_label": f"Submitted {fmt_date(previous.submitted_at)}",
        }
    return {"radar": charts.radar(areas, **kwargs), "gaps": charts.gap_bars(areas)}


#: Chart JSON of submitted assessments, by (id, previous id): submitted answers never change,
#: so neither do their charts; a per-process cache holds nothing two workers could disagree on.
_CHART_CACHE: OrderedDict[tuple[int, int | None], dict[str, str]] = OrderedDict()
_CHART_CACHE_SIZE = 256


def chart_json(
    assessment: Assessment, previous: Assessment | None, results: Results
) -> dict[str, str]:
    """The radar and gap figures as JSON for the page (built once for a submitted one)."""
    key = (assessment.id, previous.id if previous is not None else None)
    cached = _CHART_CACHE.get(key) if assessment.locked else None
    if cached is not None:
        _CHART_CACHE.move_to_end(key)
        return cached
    figures = assessment_figures(assessment, results)
    built = {name: script_json(charts.figure_json(fig)) for name, fig in figures.items()}
    if assessment.locked:
        _CHART_CACHE[key] = built
        while len(_CHART_CACHE) > _CHART_CACHE_SIZE:
            _CHART_CACHE.popitem(last=False)
    return built


def trend_figure(org: Organization) -> go.Figure:
    """The trend chart, from the submissions' scores rows (no answers, no results documents)."""
    return charts.trend(history.trend_points(org))


def comparison_figure(comparison: Comparison) -> go.Figure:
    """The radar of two compared assessments, one over the other."""
    a, b = comparison.a, comparison.b
    return charts.comparison_radar(
        chart_areas(a.results),
        chart_areas(b.results),
        from_label=a.label,
        to_label=b.label,
        title=f"{a.label} against {b.label}",
    )
