"""What the PDF reports show, as plain data for their templates.

:func:`assessment_report_context` gathers one assessment (scores, recommendation, every
answer with its review) from a ``Report``; :func:`assessment_view` and
:func:`organization_view` turn a context into the fields ``templates/report/*.html`` print.
Charts come in through ``svg``, a function from a figure and its label to inline markup, so
these builders need no browser (:mod:`assess.outputs.pdf` passes the real one).

The results are read only through :func:`assess.outputs.fields.field` (dict or model).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import plotly.graph_objects as go
from markupsafe import Markup

from assess.core import charts
from assess.outputs.fields import field, items
from assess.outputs.presentation import (
    answer_text,
    fmt_date,
    fmt_delta,
    fmt_timestamp,
    level_text,
)
from assess.outputs.recommendation_view import recommendation_view

#: Turns a figure and its accessible label into inline SVG markup.
Svg = Callable[[go.Figure, str], Markup]


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


# --------------------------------------------------------------------------- assessment report


def assessment_report_context(
    report: Any,
    *,
    organization: str | None = None,
    answers: Mapping[str, Any],
    questionnaire: Any = None,
    reviews: Mapping[str, Any] | None = None,
    date: dt.date | str | None = None,
) -> dict[str, Any]:
    """Everything :func:`assess.outputs.pdf.report_pdf` shows, as plain data, from a Report.

    ``organization`` is the name on the cover (by default the profile's, if any);
    ``answers`` maps question id to ``scoring.Answer``; ``reviews`` maps question id to a
    review (a mapping or an object with ``verified_level``, ``comment`` and optionally
    ``reviewer``); ``date`` is the assessment's date (today by default). ``questionnaire``
    defaults to the one the report was scored with.
    """
    questionnaire = questionnaire or report.result.questionnaire
    reviews = reviews or {}
    results = report.to_dict()
    recommendation = results.pop("recommendation", None)
    if recommendation is None and getattr(report, "recommendation", None) is not None:
        recommendation = report.recommendation.to_dict()
    rows = [
        _answer_row(questionnaire, area, question, answers.get(question.id), reviews)
        for area in questionnaire.areas
        for question in area.questions
    ]
    if isinstance(date, dt.datetime):
        date = date.date()
    if not organization:
        organization = getattr(getattr(report, "profile", None), "organization", None)
    return {
        "organization": str(organization or "Your organization"),
        "date": (date or now().date()).isoformat() if not isinstance(date, str) else date,
        "questionnaire": {
            **questionnaire.identity,
            "title": questionnaire.title,
            "scale": [
                {"level": level, "label": s.label, "description": s.description}
                for level, s in sorted(questionnaire.scale.items())
            ],
        },
        "results": results,
        "recommendation": recommendation,
        "answers": rows,
        "generated_at": now().isoformat(),
    }


def _answer_row(
    questionnaire: Any, area: Any, question: Any, answer: Any, reviews: Mapping[str, Any]
) -> dict[str, Any]:
    """One line of the appendix: the question, its answer, and its review if any."""
    review = reviews.get(question.id)
    verified_level = field(review, "verified_level")
    reviewer = field(review, "reviewer")
    if reviewer is not None and not isinstance(reviewer, str):
        reviewer = getattr(reviewer, "name", None) or getattr(reviewer, "email", None)
    level = None if answer is None else answer.level
    return {
        "area": area.title,
        "area_id": area.id,
        "question": question.id,
        "text": question.text,
        "answer": answer_text(answer, questionnaire),
        "value": None if answer is None else answer.value,
        "note": (getattr(answer, "note", "") or "") if answer is not None else "",
        "reviewed": review is not None,
        "verified": (
            ""
            if review is None
            else "not rated"
            if verified_level is None
            else level_text(int(verified_level), questionnaire)
        ),
        "confirmed": (
            verified_level is not None and level is not None and int(verified_level) == level
        ),
        "comment": (field(review, "comment") or "") if review is not None else "",
        "reviewer": reviewer or "",
    }


def _clause(sentence: str) -> str:
    """A sentence turned into a clause: first letter lowered, final full stop dropped.

    >>> _clause("Done informally; nothing is written down.")
    'done informally; nothing is written down'
    """
    text = " ".join(sentence.split()).rstrip(".")
    return text[:1].lower() + text[1:]


def _scored(area: Any) -> bool:
    score = field(area, "score")
    return score is not None and not (isinstance(score, float) and math.isnan(score))


def largest_gaps(areas: Sequence[Any], n: int = 3) -> list[Any]:
    """The ``n`` scored areas furthest below target, largest gap first (ties keep order).

    >>> [a["id"] for a in largest_gaps([{"id": "a", "score": 1, "gap": 1},
    ...     {"id": "b", "score": None, "gap": 3}, {"id": "c", "score": 1, "gap": 2}])]
    ['c', 'a']
    """
    scored = [a for a in areas if _scored(a) and (field(a, "gap") or 0) > 0]
    return sorted(scored, key=lambda a: -float(field(a, "gap")))[:n]


def assessment_view(context: Mapping[str, Any], page_size: str, svg: Svg) -> dict[str, Any]:
    """The fields of ``report/assessment.html`` (see :func:`assessment_report_context`)."""
    results = field(context, "results")
    areas = items(results, "areas")
    titles = {field(a, "id"): field(a, "title") for a in areas}
    questionnaire = field(context, "questionnaire") or field(results, "questionnaire") or {}
    scale = {field(s, "level"): s for s in items(questionnaire, "scale")}
    overall = field(results, "overall")
    level = field(overall, "level")
    roadmap = [
        {
            "rank": field(step, "rank"),
            "area_title": titles.get(field(step, "area"), field(step, "area")),
            "text": field(step, "text"),
            "unknown": field(step, "unknown"),
            "current_level": field(step, "current_level"),
            "next_level": field(step, "next_level"),
            "step": field(step, "step"),
        }
        for step in items(results, "roadmap")
        if field(step, "first_90_days")
    ]
    answers = items(context, "answers")
    groups: list[dict[str, Any]] = []
    for row in answers:
        if not groups or groups[-1]["area"] != field(row, "area"):
            groups.append({"area": field(row, "area"), "rows": []})
        groups[-1]["rows"].append(row)
    return {
        "page_size": page_size,
        "organization": field(context, "organization"),
        "date": fmt_date(field(context, "date")),
        "draft": bool(field(context, "draft")),
        "generated_at": fmt_timestamp(field(context, "generated_at")),
        "questionnaire": {
            "id": field(questionnaire, "id", ""),
            "version": field(questionnaire, "version", ""),
            "hash": field(questionnaire, "hash", ""),
            "title": field(questionnaire, "title") or field(questionnaire, "id", ""),
            "scale": [scale[k] for k in sorted(scale)],
        },
        "overall": {
            "score": field(overall, "score"),
            "level": level,
            "label": field(overall, "label") or "",
            "meaning": _clause(field(scale.get(level), "description") or ""),
        },
        "areas": areas,
        "largest_gaps": largest_gaps(areas),
        "targets_met": sum(1 for a in areas if _scored(a) and (field(a, "gap") or 0) == 0),
        "unanswered": len(items(results, "unanswered")),
        "unknown": sum(int(field(a, "unknown") or 0) for a in areas),
        "questions": sum(int(field(a, "total") or 0) for a in areas),
        "roadmap": roadmap,
        "recommendation": recommendation_view(field(context, "recommendation"), titles),
        "answer_groups": groups,
        "reviewed": sum(1 for r in answers if field(r, "reviewed")),
        "radar_svg": svg(
            print_layout(charts.radar(chart_areas(areas)), height=540),
            "Radar chart of each area's score against its target",
        ),
        "gaps_svg": svg(
            print_layout(charts.gap_bars(chart_areas(areas))),
            "Bar chart of the gap to target per area",
        ),
    }


#: The fields of an area that the charts read: always, and when present (the hover counts).
CHART_FIELDS = ("id", "title", "score", "target", "gap")
CHART_COUNTS = ("answered", "total", "unknown", "na")


def chart_areas(areas: Sequence[Any]) -> list[dict[str, Any]]:
    """The areas as the charts take them (mappings), whatever shape they came in.

    >>> chart_areas([{"id": "a", "title": "A", "score": None, "total": 3}])
    [{'id': 'a', 'title': 'A', 'score': None, 'target': None, 'gap': None, 'total': 3}]
    """
    return [
        {name: field(a, name) for name in CHART_FIELDS}
        | {name: field(a, name) for name in CHART_COUNTS if field(a, name) is not None}
        for a in areas
    ]


#: Layout width of a chart drawn for a report page: near the 170–180 mm text width at 96 px
#: an inch, so the charts' 12–13 px labels print at about 9 pt.
PRINT_WIDTH = 700


def print_layout(fig: go.Figure, *, height: int | None = None) -> go.Figure:
    """A copy of ``fig`` laid out for a page: narrower than the screen export, so text is
    larger once the chart is scaled to the column."""
    return go.Figure(fig).update_layout(width=PRINT_WIDTH, height=height or fig.layout.height)


# --------------------------------------------------------------------------- organization report


def comparison_sides(comparison: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``from`` and ``to`` area lists for ``charts.comparison_radar``.

    An area whose ``status`` is ``added`` is left out of ``from``; ``removed``, out of ``to``.

    >>> comparison_sides({"areas": [{"id": "a", "title": "A", "from": None, "to": 2,
    ...     "status": "added"}]})
    ([], [{'id': 'a', 'title': 'A', 'score': 2}])
    """
    from_areas, to_areas = [], []
    for area in items(comparison, "areas"):
        status = field(area, "status")
        area_id, title = field(area, "id"), field(area, "title")
        if status != "added":
            from_areas.append({"id": area_id, "title": title, "score": field(area, "from")})
        if status != "removed":
            to_areas.append({"id": area_id, "title": title, "score": field(area, "to")})
    return from_areas, to_areas


def organization_view(context: Mapping[str, Any], page_size: str, svg: Svg) -> dict[str, Any]:
    """The fields of ``report/organization.html`` (see ``pdf.organization_report_pdf``)."""
    history = items(context, "history")
    titles: dict[str, str] = {}
    for point in history:
        titles.update(field(point, "area_titles") or {})
    view: dict[str, Any] = {
        "page_size": page_size,
        "organization": field(context, "organization"),
        "date": fmt_date(field(context, "date") or now().date()),
        "generated_at": fmt_timestamp(field(context, "generated_at") or now()),
        "history": history,
        "trend_svg": (
            svg(print_layout(charts.trend(history)), "Line chart of maturity over time")
            if history
            else None
        ),
        "comparison": None,
        "recommendation": None,
    }
    comparison = field(context, "comparison")
    if items(comparison, "areas"):
        view["comparison"] = _comparison_view(comparison, svg)
        titles.update({field(a, "id"): field(a, "title") for a in items(comparison, "areas")})
    view["recommendation"] = recommendation_view(field(context, "recommendation"), titles)
    return view


def _comparison_view(comparison: Any, svg: Svg) -> dict[str, Any]:
    from_areas, to_areas = comparison_sides(comparison)
    from_label = str(field(comparison, "from_label") or "Earlier")
    to_label = str(field(comparison, "to_label") or "Latest")
    notes = {"added": f"new in {to_label}", "removed": f"not in {to_label}"}
    rows = [
        {
            "id": field(area, "id"),
            "title": field(area, "title"),
            "from": field(area, "from"),
            "to": field(area, "to"),
            "status": field(area, "status"),
            "delta_text": fmt_delta(field(area, "delta"), field(area, "from"), field(area, "to")),
            "note": notes.get(field(area, "status") or "", ""),
        }
        for area in items(comparison, "areas")
    ]
    overall_from, overall_to = field(comparison, "overall_from"), field(comparison, "overall_to")
    return {
        "from_label": from_label,
        "to_label": to_label,
        "overall_from": overall_from,
        "overall_to": overall_to,
        "overall_delta": (
            None
            if overall_from is None or overall_to is None
            else fmt_delta(None, overall_from, overall_to)
        ),
        "rows": rows,
        "svg": svg(
            print_layout(
                charts.comparison_radar(
                    from_areas, to_areas, from_label=from_label, to_label=to_label
                ),
                height=540,
            ),
            f"Radar chart comparing {from_label} with {to_label}",
        ),
    }
