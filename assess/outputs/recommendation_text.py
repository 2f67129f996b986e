"""The recommendation as a plain-text block for a terminal, at most 100 columns wide.

Sources are numbered in the order the recommendation cites them; each reason, cost and the
transition points to its sources by number.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping
from itertools import zip_longest
from typing import Any

from assess.core.recommend.summary import provisional_text
from assess.core.recommend.words import about, money, number
from assess.core.results import Recommendation
from assess.outputs.presentation import (
    engagement_verdict,
    fmt_gap,
    fmt_score,
    margin_text,
    option_name,
    points_side,
)

WIDTH = 100

_EFFECT_LABELS = {
    "toward_ciso": "toward CISO",
    "toward_vciso": "toward vCISO",
    "neutral": "neutral",
}


def _wrap(text: str, indent: str = "  ", hang: str | None = None, width: int = WIDTH) -> list[str]:
    return textwrap.wrap(
        text,
        width=width,
        initial_indent=indent,
        subsequent_indent=indent if hang is None else hang,
        break_on_hyphens=False,
    ) or [indent.rstrip()]


def _refs(sources: Iterable[str], numbers: Mapping[str, int]) -> str:
    marks = sorted({numbers[s] for s in sources if s in numbers})
    return (" [" + ", ".join(map(str, marks)) + "]") if marks else ""


def _cost_columns(rec: Recommendation, numbers: Mapping[str, int]) -> list[str]:
    ciso, vciso = rec.costs.ciso, rec.costs.vciso
    column = (WIDTH - 4) // 2
    left = [f"Full-time CISO: about {about(ciso.annual_usd)} a year"]
    left += [f"{money(ciso.compensation_usd)} pay + {ciso.overhead_rate:.0%} overheads"]
    right = [f"vCISO: about {about(vciso.annual_usd)} a year"]
    right += [f"{vciso.hours_per_month} h/month × {money(vciso.hourly_rate_usd)}/h × 12"]
    for lines, cost in ((left, ciso), (right, vciso)):
        for assumption in cost.assumptions:
            lines += _wrap(assumption, "- ", "  ", column)
        lines += _wrap("Sources:" + _refs(cost.sources, numbers), "", "", column)
    return [f"  {a:<{column}}  {b}".rstrip() for a, b in zip_longest(left, right, fillvalue="")]


def _plain(value: Any) -> str:
    """A reason's value when the reason does not say how to show it (read back from JSON).

    >>> _plain(["pii", "phi"]), _plain(None), _plain(62)
    ('pii, phi', 'not given', '62')
    """
    if value is None:
        return "not given"
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    return str(value)


def format_recommendation(rec: Recommendation) -> str:
    """A plain-text block for a terminal, at most 100 columns wide."""
    numbers = {source: i + 1 for i, source in enumerate(rec.sources)}
    verdict = engagement_verdict(rec.engagement, rec.transition.status == "keep")
    out = [
        *_wrap(
            f"Recommendation for {rec.organization}: {verdict[:1].lower()}{verdict[1:]}", "", "  "
        ),
        *_wrap(
            f"Margin: {margin_text(rec.margin, points_side(rec.points, rec.threshold, rec.hire), rec.threshold)} "
            f"{number(round(rec.points, 2))} points against a threshold of "
            f"{number(rec.threshold)} (policy {rec.policy.id} {rec.policy.version})",
            "",
            "  ",
        ),
    ]
    if rec.provisional:
        out += _wrap(f"Provisional: {provisional_text(rec.answered_share)}", "")
    out += ["", *_wrap(rec.summary, ""), ""]
    if rec.affordability is not None:
        out += [*_wrap(rec.affordability.text, ""), ""]
    out += ["Why"]
    for reason in rec.reasons:
        points = f"{reason.weight:+5.1f}" if reason.weight else "  0.0"
        head = f"  {points}  {_EFFECT_LABELS[reason.effect]:<13} {reason.title}"
        out += _wrap(f"{head}: {reason.shown or _plain(reason.value)}", "", " " * 23)
        out += _wrap(reason.explanation + _refs(reason.sources, numbers), " " * 23)
    out += ["", "Yearly cost of each option (estimates, US dollars)"]
    for option in rec.costs.options:
        mark = "  (recommended)" if option.engagement == rec.engagement else ""
        out += [f"  {option_name(option.engagement)}: about {about(option.annual_usd)}{mark}"]
        for line in option.lines:
            refs = _refs([line.source] if line.source else [], numbers)
            text = f"{line.what}: {money(line.annual_usd)} ({line.basis}){refs}"
            out += _wrap(text, "    - ", "      ")
    out += ["", "How the two leaders' costs are estimated", *_cost_columns(rec, numbers), ""]
    transition = rec.transition
    out += ["From a vCISO to a full-time CISO", *_wrap(transition.summary)]
    for trigger in transition.triggers:
        text = trigger.text + (" Already true today." if trigger.met else "")
        out += _wrap(text, "  - ", "    ")
    if transition.sources:
        out += _wrap("Sources:" + _refs(transition.sources, numbers))
    line = rec.reporting_line
    out += ["", "Reporting line"]
    out += _wrap(f"Report to: {line.reports_to}", "  ", "    ")
    if line.dotted_line_to:
        out += _wrap(
            f"Works day to day with {line.dotted_line_to} but answers to you", "  ", "    "
        )
    out += _wrap(f"Written reports: {line.board_reporting}", "  ", "    ")
    out += _wrap(f"Why: {line.why}" + _refs(line.sources, numbers), "  ", "    ")
    out += ["", "Largest gaps (what to do first is the first 90 days)"]
    if rec.first_areas:
        for i, area in enumerate(rec.first_areas, 1):
            score = "not scored" if area.score is None else f"score {fmt_score(area.score)}"
            gap = fmt_gap(area.gap, area.score, area.target)
            out += _wrap(
                f"{i}. {area.title}: {score}, target {number(area.target)}, gap {gap}",
                "  ",
                "     ",
            )
    else:
        out += ["  No area is below its target."]
    if rec.notes:
        out += ["", "Check your profile"]
        for note in rec.notes:
            out += _wrap(note, "  - ", "    ")
    out += ["", "Sources"]
    for source, mark_number in numbers.items():
        mark = f"[{mark_number}] "
        out += _wrap(source, "  " + mark, " " * (2 + len(mark)))
    return "\n".join(out)
