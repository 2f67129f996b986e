"""The CISO-or-vCISO recommendation as the PDF reports print it: every field present and
printable, sources numbered in order of first mention ("[1]").

It reads the typed recommendation of the results contract (:mod:`assess.core.results`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from assess.core.results import (
    CisoCost,
    CostOption,
    Recommendation,
    ReportingLine,
    Transition,
    VcisoCost,
)
from assess.outputs.presentation import (
    delivers_text,
    effect_text,
    engagement_verdict,
    factor_text,
    fmt_money,
    fmt_number,
    fmt_percent,
    fmt_points,
    margin_text,
    option_name,
    plain,
    points_side,
    reason_value,
    verdict_text,
)

#: The cost options, in the order a report shows them.
OPTIONS = ("vciso", "ciso")


def texts(entries: Iterable[str]) -> list[str]:
    """Assumptions or sources as printable one-line strings.

    >>> texts(["a  b", "", "c"])
    ['a b', 'c']
    """
    return [" ".join(entry.split()) for entry in entries if entry.strip()]


class Sources:
    """Sources numbered in order of first mention, for "[1]"-style references."""

    def __init__(self, first: Iterable[str] = ()) -> None:
        self.items: list[str] = []
        self.refs(first)

    def refs(self, sources: Iterable[str]) -> str:
        numbers = []
        for text in texts(sources):
            if text not in self.items:
                self.items.append(text)
            numbers.append(self.items.index(text) + 1)
        return "[" + ", ".join(map(str, sorted(set(numbers)))) + "]" if numbers else ""


def recommendation_view(
    rec: Recommendation | None, titles: Mapping[str, str]
) -> dict[str, Any] | None:
    """The recommendation's fields, each present and printable; None without one.

    ``titles`` maps area ids to titles, for the areas to start with.
    """
    if rec is None:
        return None
    sources = Sources()
    reasons = [
        {
            "factor": factor_text(reason),
            "value": reason_value(reason),
            "effect": effect_text(reason.effect),
            "weight": fmt_points(reason.weight),
            "explanation": plain(reason.explanation),
            "refs": sources.refs(reason.sources),
        }
        for reason in rec.reasons
    ]
    costs: dict[str, CisoCost | VcisoCost] = {"ciso": rec.costs.ciso, "vciso": rec.costs.vciso}
    if rec.costs.options:
        details = {"fractional": costs["vciso"], "full_time": costs["ciso"]}
        options = [
            _option_view(option, option.engagement == rec.engagement, details, sources)
            for option in rec.costs.options
        ]
    else:
        options = [
            {
                "key": key,
                "name": option_name(key),
                "chosen": key == rec.hire,
                "annual": fmt_money(costs[key].annual_usd),
                "detail": _cost_detail(costs[key]),
                "lines": [],
                "assumptions": texts(costs[key].assumptions),
                "refs": sources.refs(costs[key].sources),
            }
            for key in OPTIONS
        ]
    first_areas = [
        {
            "title": area.title or titles.get(area.area, area.area),
            "score": area.score,
            "target": area.target,
        }
        for area in rec.first_areas
    ]
    return {
        "hire": rec.hire,
        "engagement": rec.engagement,
        "verdict": engagement_verdict(rec.engagement, rec.transition.status == "keep")
        if rec.engagement
        else verdict_text(rec.hire),
        "provisional": rec.provisional,
        "answered": fmt_percent(rec.answered_share),
        "margin": margin_text(
            rec.margin, points_side(rec.points, rec.threshold, rec.hire), rec.threshold
        ),
        "confidence": fmt_percent(rec.confidence) if rec.confidence is not None else "",
        "affordability": plain(rec.affordability.text) if rec.affordability else "",
        "points": fmt_number(rec.points),
        "threshold": fmt_number(rec.threshold),
        "summary": rec.summary,
        "reasons": reasons,
        "options": options,
        "transition": transition_view(rec.transition, sources),
        "reporting": reporting_view(rec.reporting_line, sources),
        "first_areas": first_areas,
        "notes": texts(rec.notes),
        "sources": sources.items + [t for t in texts(rec.sources) if t not in sources.items],
    }


def _option_view(
    option: CostOption,
    chosen: bool,
    details: Mapping[str, CisoCost | VcisoCost],
    sources: Sources,
) -> dict[str, Any]:
    """One engagement's card: its lines, and for the two leaders their assumptions."""
    leader = details.get(option.engagement)
    lines = [
        {
            "what": plain(line.what),
            "annual": fmt_money(line.annual_usd),
            "basis": plain(line.basis),
            "refs": sources.refs([line.source] if line.source else []),
        }
        for line in option.lines
    ]
    return {
        "key": option.engagement,
        "name": option_name(option.engagement),
        "chosen": chosen,
        "annual": fmt_money(option.annual_usd),
        "detail": plain(option.label),
        "delivers": delivers_text(option.engagement),
        "lines": lines,
        "assumptions": texts(leader.assumptions) if leader else [],
        "refs": sources.refs(leader.sources) if leader else "",
    }


def _cost_detail(cost: CisoCost | VcisoCost) -> str:
    """How an option's yearly cost is made: hours at a rate, or pay plus overheads."""
    if isinstance(cost, VcisoCost):
        return (
            f"{fmt_number(cost.hours_per_month)} hours a month at "
            f"{fmt_money(cost.hourly_rate_usd)} an hour"
        )
    return f"{fmt_money(cost.compensation_usd)} pay plus {fmt_percent(cost.overhead_rate)} for overheads"


def transition_view(transition: Transition, sources: Sources) -> dict[str, Any]:
    """``{summary, triggers: [{text, met}], refs}``."""
    return {
        "summary": plain(transition.summary),
        "triggers": [{"text": plain(t.text), "met": t.met} for t in transition.triggers],
        "refs": sources.refs(transition.sources),
    }


def reporting_view(reporting: ReportingLine, sources: Sources) -> dict[str, Any]:
    """``{reports_to, dotted_line_to, board_reporting, why, refs}``."""
    return {
        "reports_to": plain(reporting.reports_to),
        "dotted_line_to": plain(reporting.dotted_line_to or ""),
        "board_reporting": plain(reporting.board_reporting),
        "why": plain(reporting.why),
        "refs": sources.refs(reporting.sources),
    }
