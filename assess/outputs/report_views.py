"""What the PDF reports show, as plain data for their templates.

:func:`assessment_report_context` gathers one assessment (scores, recommendation, every
answer with its review) from a ``Report``; :func:`assessment_view` and
:func:`organization_view` turn a context into the fields ``templates/report/*.html`` print.
Charts come in through ``svg``, a function from a figure and its label to inline markup, so
these builders need no browser (:mod:`assess.outputs.pdf` passes the real one).

The results come in as the typed contract (:mod:`assess.core.results`); the history and
comparison documents as the plain dicts :mod:`assess.core.history` and
:mod:`assess.core.comparison` make.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import plotly.graph_objects as go
from markupsafe import Markup

from assess.core import charts
from assess.core.questionnaire import Questionnaire
from assess.core.results import AreaScore, Results
from assess.outputs.presentation import (
    answer_text,
    fmt_date,
    fmt_delta,
    fmt_timestamp,
    level_text,
    step_kind,
)
from assess.outputs.recommendation_view import recommendation_view

#: Turns a figure and its accessible label into inline SVG markup.
Svg = Callable[[go.Figure, str], Markup]


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


# --------------------------------------------------------------------------- assessment report


def assessment_report_context(
    results: Results,
    *,
    questionnaire: Questionnaire,
    answers: Mapping[str, Any],
    organization: str | None = None,
    reviews: Mapping[str, Any] | None = None,
    date: dt.date | str | None = None,
) -> dict[str, Any]:
    """Everything :func:`assess.outputs.pdf.report_pdf` shows, as plain data.

    ``questionnaire`` is the one the results were scored with; ``answers`` maps question id
    to ``scoring.Answer``; ``reviews`` maps question id to a review (an object with
    ``verified_level``, ``comment`` and optionally ``reviewer``); ``organization`` is the
    name on the cover (by default the recommendation's); ``date`` is the assessment's date
    (today by default).
    """
    reviews = reviews or {}
    rows = [
        _answer_row(questionnaire, area, question, answers.get(question.id), reviews)
        for area in questionnaire.areas
        for question in area.questions
    ]
    if isinstance(date, dt.datetime):
        date = date.date()
    recommendation = results.recommendation
    if not organization and recommendation is not None:
        organization = recommendation.organization
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
    verified_level = getattr(review, "verified_level", None)
    reviewer = getattr(review, "reviewer", None)
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
            else "evidence requested"
            if getattr(review, "status", None) == "request_evidence"
            else "not rated"
            if verified_level is None
            else level_text(int(verified_level), questionnaire)
        ),
        "confirmed": (
            verified_level is not None and level is not None and int(verified_level) == level
        ),
        "comment": (getattr(review, "comment", "") or "") if review is not None else "",
        "reviewer": reviewer or "",
    }


def _clause(sentence: str) -> str:
    """A sentence turned into a clause: first letter lowered, final full stop dropped.

    >>> _clause("Done informally; nothing is written down.")
    'done informally; nothing is written down'
    """
    text = " ".join(sentence.split()).rstrip(".")
    return text[:1].lower() + text[1:]


def _scored(area: AreaScore) -> bool:
    return area.score is not None and not math.isnan(area.score)


def largest_gaps(areas: Sequence[AreaScore], n: int = 3) -> list[AreaScore]:
    """The ``n`` scored areas furthest below target, largest gap first (ties keep order).

    >>> def area(id, score, gap):
    ...     return AreaScore(id=id, title=id, weight=1, score=score, target=3, gap=gap,
    ...                      answered=1, total=1, unknown=0, na=0)
    >>> [a.id for a in largest_gaps([area("a", 1, 1), area("b", None, None), area("c", 1, 2)])]
    ['c', 'a']
    """
    scored = [a for a in areas if _scored(a) and (a.gap or 0) > 0]
    return sorted(scored, key=lambda a: -float(a.gap or 0))[:n]


def overall_meaning(score: float | None, level: int | None, scale: Mapping[int, Any]) -> str:
    """What the overall level means, as a clause, for the level actually reached: level 0's
    "nothing is in place" only when nothing scored above 0; a score between 0 and 1 says
    that a first step exists but not enough to reach level 1 (named by its label).

    >>> scale = {0: {"description": "Nothing is in place."},
    ...          1: {"description": "A first step.", "label": "Initial"}}
    >>> overall_meaning(0.0, 0, scale)
    'nothing is in place'
    >>> overall_meaning(0.9965, 0, scale)
    'at least one first step is in place, but not enough to reach level 1, “Initial”, overall'
    >>> overall_meaning(1.2, 1, scale)
    'a first step'
    """
    if level is None or level not in scale:
        return ""
    if level == 0 and score is not None and not math.isnan(score) and score > 0:
        label = scale.get(1, {}).get("label")
        named = f", “{label}”," if label else ""
        return (
            f"at least one first step is in place, but not enough to reach level 1{named} overall"
        )
    return _clause(scale[level]["description"])


def assessment_view(context: Mapping[str, Any], page_size: str, svg: Svg) -> dict[str, Any]:
    """The fields of ``report/assessment.html`` (see :func:`assessment_report_context`)."""
    results: Results = context["results"]
    areas = list(results.areas)
    titles = {a.id: a.title for a in areas}
    questionnaire = context["questionnaire"]
    scale = {s["level"]: s for s in questionnaire["scale"]}
    level = results.overall.level
    roadmap = [
        {
            "rank": step.rank,
            "area_title": titles.get(step.area, step.area),
            "text": step.text,
            "unknown": step.unknown,
            "current_level": step.current_level,
            "next_level": step.next_level,
            "step": step.step,
            "action": step.action,
            "kind": step.kind,
            "kind_label": step_kind(step),
            "essential": step.essential,
            "source": step.source,
        }
        for step in results.roadmap
        if step.first_90_days
    ]
    answers = list(context["answers"])
    groups: list[dict[str, Any]] = []
    for row in answers:
        if not groups or groups[-1]["area"] != row["area"]:
            groups.append({"area": row["area"], "rows": []})
        groups[-1]["rows"].append(row)
    return {
        "page_size": page_size,
        "organization": context["organization"],
        "name": context.get("name") or "",
        "date": fmt_date(context.get("date")),
        "draft": bool(context.get("draft")),
        "attestations": [
            {"statement": a["statement"], "by": a["by"], "at": fmt_timestamp(a["at"])}
            for a in context.get("attestations") or ()
        ],
        "generated_at": fmt_timestamp(context.get("generated_at")),
        "questionnaire": {
            "id": questionnaire["id"],
            "version": questionnaire["version"],
            "hash": questionnaire["hash"],
            "title": questionnaire.get("title") or questionnaire["id"],
            "scale": [scale[k] for k in sorted(scale)],
        },
        "overall": {
            "score": results.overall.score,
            "level": level,
            "label": results.overall.label or "",
            "meaning": overall_meaning(results.overall.score, level, scale),
        },
        "areas": areas,
        "largest_gaps": largest_gaps(areas),
        "targets_met": sum(1 for a in areas if _scored(a) and (a.gap or 0) == 0),
        "unanswered": len(results.unanswered),
        "unknown": sum(a.unknown for a in areas),
        "questions": sum(a.total for a in areas),
        "roadmap": roadmap,
        "recommendation": recommendation_view(context.get("recommendation"), titles),
        "answer_groups": groups,
        "reviewed": sum(1 for r in answers if r["reviewed"]),
        "radar_svg": svg(
            print_layout(charts.radar(chart_areas(areas)), height=540),
            "Radar chart of each area's score against its target",
        ),
        "gaps_svg": svg(
            print_layout(charts.gap_bars(chart_areas(areas))),
            "Bar chart of the gap to target per area",
        ),
    }


def chart_areas(areas: Sequence[AreaScore]) -> list[dict[str, Any]]:
    """The areas as the charts take them: plain mappings with the contract's keys."""
    return [area.model_dump() for area in areas]


#: Layout width of a chart drawn for a report page: near the 170–180 mm text width at 96 px
#: an inch, so the charts' 12–13 px labels print at about 9 pt.
PRINT_WIDTH = 700


def print_layout(fig: go.Figure, *, height: int | None = None) -> go.Figure:
    """A copy of ``fig`` laid out for a page: narrower than the screen export, so text is
    larger once the chart is scaled to the column."""
    return go.Figure(fig).update_layout(width=PRINT_WIDTH, height=height or fig.layout.height)


# --------------------------------------------------------------------------- organization report


def comparison_sides(
    comparison: Mapping[str, Any],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``from`` and ``to`` area lists for ``charts.comparison_radar``.

    An area whose ``status`` is ``added`` is left out of ``from``; ``removed``, out of ``to``.

    >>> comparison_sides({"areas": [{"id": "a", "title": "A", "from": None, "to": 2,
    ...     "status": "added"}]})
    ([], [{'id': 'a', 'title': 'A', 'score': 2}])
    """
    from_areas, to_areas = [], []
    for area in comparison.get("areas") or []:
        status = area.get("status")
        area_id, title = area["id"], area["title"]
        if status != "added":
            from_areas.append({"id": area_id, "title": title, "score": area.get("from")})
        if status != "removed":
            to_areas.append({"id": area_id, "title": title, "score": area.get("to")})
    return from_areas, to_areas


#: How many of the latest submissions the organization report's table lists (a history of
#: 200 would otherwise take eight pages of the report, and most of its drawing time).
HISTORY_ROWS = charts.TREND_MARKS


def organization_view(context: Mapping[str, Any], page_size: str, svg: Svg) -> dict[str, Any]:
    """The fields of ``report/organization.html`` (see ``pdf.organization_report_pdf``)."""
    history = list(context.get("history") or [])
    titles: dict[str, str] = {}
    for point in history:
        titles.update(point.get("area_titles") or {})
    view: dict[str, Any] = {
        "page_size": page_size,
        "organization": context["organization"],
        "date": fmt_date(context.get("date") or now().date()),
        "generated_at": fmt_timestamp(context.get("generated_at") or now()),
        "history": history,
        #: The table lists the latest submissions; the chart above it draws every one, and the
        #: organization's CSV and XLSX exports list every one.
        "history_rows": history[-HISTORY_ROWS:],
        "trend_svg": (
            svg(print_layout(charts.trend(history)), "Line chart of maturity over time")
            if history
            else None
        ),
        "comparison": None,
        "recommendation": None,
    }
    comparison = context.get("comparison") or {}
    if comparison.get("areas"):
        view["comparison"] = _comparison_view(comparison, svg)
        titles.update({a["id"]: a["title"] for a in comparison["areas"]})
    view["recommendation"] = recommendation_view(context.get("recommendation"), titles)
    view["plan"] = _plan_view(context.get("plan"))
    return view


def _plan_view(plan: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The action plan's section: its progress in words and one row per item (``items``:
    ``title``, ``status``, ``owner``, ``due_date`` (a date or None), ``overdue``,
    ``met_in``), or None when the organization has no plan."""
    if not plan or not plan.get("items"):
        return None
    words = {"open": "Open", "in_progress": "In progress", "done": "Done"}
    words["risk_accepted"] = "Risk accepted"
    return {
        "progress": plan.get("progress") or "",
        "items": [
            {
                "title": item["title"],
                "status": words.get(item.get("status"), item.get("status")),
                "owner": item.get("owner") or "Nobody yet",
                "due": fmt_date(item["due_date"]) if item.get("due_date") else "No date",
                "overdue": bool(item.get("overdue")),
                "met_in": item.get("met_in"),
            }
            for item in plan["items"]
        ],
    }


def _comparison_view(comparison: Mapping[str, Any], svg: Svg) -> dict[str, Any]:
    from_areas, to_areas = comparison_sides(comparison)
    from_label = str(comparison.get("from_label") or "Earlier")
    to_label = str(comparison.get("to_label") or "Latest")
    notes = {"added": f"new in {to_label}", "removed": f"not in {to_label}"}
    rows = [
        {
            "id": area["id"],
            "title": area["title"],
            "from": area.get("from"),
            "to": area.get("to"),
            "status": area.get("status"),
            "delta_text": fmt_delta(area.get("delta"), area.get("from"), area.get("to")),
            "note": notes.get(area.get("status") or "", ""),
        }
        for area in comparison["areas"]
    ]
    overall_from, overall_to = comparison.get("overall_from"), comparison.get("overall_to")
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
