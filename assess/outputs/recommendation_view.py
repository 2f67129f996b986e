"""The CISO-or-vCISO recommendation as the PDF reports print it: every field present and
printable, sources numbered in order of first mention ("[1]").

It reads the recommendation (a ``Recommendation.to_dict()`` today, a model soon) only through
:func:`assess.outputs.fields.field`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from assess.outputs.fields import field, items
from assess.outputs.presentation import (
    effect_text,
    factor_text,
    fmt_money,
    fmt_number,
    fmt_percent,
    fmt_points,
    option_name,
    plain,
    reason_value,
    verdict_text,
)

#: The cost options, in the order a report shows them.
OPTIONS = ("vciso", "ciso")
#: Keys that carry the words of an assumption or a source given as a mapping.
_TEXT_KEYS = ("text", "title", "source", "assumption", "name", "note")


def texts(entries: Any) -> list[str]:
    """Assumptions or sources (strings, or mappings with a text-like key) as strings.

    >>> texts(["a  b", {"title": "BLS", "url": "https://bls.gov"}, None])
    ['a b', 'BLS (https://bls.gov)']
    """
    if entries is None:
        return []
    if isinstance(entries, str | Mapping):
        entries = [entries]
    out: list[str] = []
    for entry in entries:
        if entry is None:
            continue
        if isinstance(entry, str | int | float):
            if str(entry).strip():
                out.append(" ".join(str(entry).split()))
            continue
        head = next((str(field(entry, k)) for k in _TEXT_KEYS if field(entry, k)), "")
        url = field(entry, "url") or field(entry, "href")
        label = field(entry, "label") or field(entry, "what")
        text = f"{label}: {head}" if label and head else head or plain(entry)
        out.append(f"{text} ({url})" if url else text)
    return out


class Sources:
    """Sources numbered in order of first mention, for "[1]"-style references."""

    def __init__(self, first: Iterable[str] = ()) -> None:
        self.items: list[str] = []
        self.refs(first)

    def refs(self, sources: Any) -> str:
        numbers = []
        for text in texts(sources):
            if text not in self.items:
                self.items.append(text)
            numbers.append(self.items.index(text) + 1)
        return "[" + ", ".join(map(str, sorted(set(numbers)))) + "]" if numbers else ""


def recommendation_view(rec: Any, titles: Mapping[str, str]) -> dict[str, Any] | None:
    """The recommendation's fields, each present and printable; None without one.

    ``titles`` maps area ids to titles, for the areas to start with.
    """
    if not rec:
        return None
    sources = Sources()
    hire = str(field(rec, "hire") or "").lower()
    confidence = field(rec, "confidence")
    points, threshold = field(rec, "points"), field(rec, "threshold")
    reasons = [
        {
            "factor": factor_text(reason),
            "value": reason_value(reason),
            "effect": effect_text(field(reason, "effect")) if field(reason, "effect") else "",
            "weight": fmt_points(field(reason, "weight")),
            "explanation": plain(field(reason, "explanation") or ""),
            "refs": sources.refs(field(reason, "sources")),
        }
        for reason in items(rec, "reasons")
    ]
    costs = field(rec, "costs")
    options = []
    for key in OPTIONS:
        cost = field(costs, key)
        if not cost:
            continue
        options.append(
            {
                "key": key,
                "name": option_name(key),
                "chosen": key == hire,
                "annual": fmt_money(field(cost, "annual_usd")),
                "detail": _cost_detail(cost),
                "assumptions": texts(field(cost, "assumptions")),
                "refs": sources.refs(field(cost, "sources")),
            }
        )
    first_areas = []
    for item in items(rec, "first_areas"):
        if isinstance(item, str):
            first_areas.append({"title": titles.get(item, item), "score": None, "target": None})
            continue
        area_id = field(item, "area") or field(item, "id")
        first_areas.append(
            {
                "title": str(field(item, "title") or titles.get(area_id, area_id)),
                "score": field(item, "score"),
                "target": field(item, "target"),
            }
        )
    return {
        "hire": hire,
        "verdict": verdict_text(hire),
        "confidence": "" if confidence is None else fmt_percent(confidence),
        "points": None if points is None else fmt_number(points),
        "threshold": None if threshold is None else fmt_number(threshold),
        "summary": str(field(rec, "summary") or ""),
        "reasons": reasons,
        "options": options,
        "transition": transition_view(field(rec, "transition"), sources),
        "reporting": reporting_view(field(rec, "reporting_line"), sources),
        "first_areas": first_areas,
        "notes": texts(field(rec, "notes")),
        "sources": sources.items
        + [t for t in texts(field(rec, "sources")) if t not in sources.items],
    }


def _cost_detail(cost: Any) -> str:
    """How an option's yearly cost is made: hours at a rate, or pay plus overheads.

    >>> _cost_detail({"hours_per_month": 23, "hourly_rate_usd": 250})
    '23 hours a month at $250 an hour'
    >>> _cost_detail({"compensation_usd": 300000, "overhead_rate": 0.3})
    '$300,000 pay plus 30% for overheads'
    """
    hours, rate = field(cost, "hours_per_month"), field(cost, "hourly_rate_usd")
    pay, overhead = field(cost, "compensation_usd"), field(cost, "overhead_rate")
    if hours is not None and rate is not None:
        return f"{fmt_number(hours)} hours a month at {fmt_money(rate)} an hour"
    if hours is not None:
        return f"{fmt_number(hours)} hours a month"
    if pay is not None and overhead is not None:
        return f"{fmt_money(pay)} pay plus {fmt_percent(overhead)} for overheads"
    return ""


def transition_view(transition: Any, sources: Sources) -> dict[str, Any] | None:
    """``{summary, triggers: [{text, met}], refs}`` from a string or the recommend shape."""
    if not transition:
        return None
    if isinstance(transition, str):
        return {"summary": transition, "triggers": [], "refs": ""}
    triggers = []
    for trigger in items(transition, "triggers"):
        if isinstance(trigger, str):
            triggers.append({"text": trigger, "met": False})
        else:
            triggers.append(
                {"text": plain(field(trigger, "text", "")), "met": bool(field(trigger, "met"))}
            )
    return {
        "summary": plain(field(transition, "summary") or ""),
        "triggers": triggers,
        "refs": sources.refs(field(transition, "sources")),
    }


def reporting_view(reporting: Any, sources: Sources) -> dict[str, Any] | None:
    """``{reports_to, dotted_line_to, board_reporting, why, refs}`` from a string or mapping."""
    if not reporting:
        return None
    if isinstance(reporting, str):
        reporting = {"reports_to": reporting}
    return {
        "reports_to": plain(field(reporting, "reports_to") or ""),
        "dotted_line_to": plain(field(reporting, "dotted_line_to") or ""),
        "board_reporting": plain(field(reporting, "board_reporting") or ""),
        "why": plain(field(reporting, "why") or ""),
        "refs": sources.refs(field(reporting, "sources")),
    }
