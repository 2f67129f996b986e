"""The portfolio as a workbook: one row per client, typed cells (dates as dates, numbers as
numbers, yes/no as booleans), a filter on the header row and the header frozen."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from assess.outputs.spreadsheets import to_xlsx

#: (header, key or function of the row, kind) per column.
COLUMNS: tuple[tuple[str, Any, str], ...] = (
    ("Organization", "name", "text"),
    ("Your role", "role", "text"),
    ("State", lambda r: r["state"].replace("_", " "), "text"),
    ("Last submitted", "last_submitted", "date"),
    ("Questionnaire", lambda r: _questionnaire(r), "text"),
    ("Overall score", "score", "number"),
    ("Level", "level", "integer"),
    ("Level name", "level_label", "text"),
    ("Change since previous", "change", "number"),
    ("Why no change", "change_reason", "text"),
    ("Largest gap: area", lambda r: (r["largest_gap"] or {}).get("title"), "text"),
    ("Largest gap: levels", lambda r: (r["largest_gap"] or {}).get("gap"), "number"),
    ("Regressed", "regressed", "boolean"),
    ("Regressed areas", lambda r: ", ".join(r["regressed_areas"]) or None, "text"),
    ("Cadence (months)", "cadence_months", "integer"),
    ("Next due", "next_due", "date"),
    ("Overdue", "overdue", "boolean"),
    ("Open plan items", "open_plan_items", "integer"),
    ("Overdue plan items", "overdue_plan_items", "integer"),
    ("Verified minus self-assessed", "verified_difference", "number"),
    ("Reviewed answers", "reviewed_answers", "integer"),
)
FORMATS = {"number": "0.00", "integer": "0"}  # dates are date cells (yyyy-mm-dd)


def _questionnaire(row: Mapping[str, Any]) -> str | None:
    q = row.get("questionnaire")
    return f"{q['id']} {q['version']}" if q else None


def _value(row: Mapping[str, Any], key: Any, kind: str) -> Any:
    value = key(row) if callable(key) else row.get(key)
    if value is None:
        return None
    if kind == "date":
        return date.fromisoformat(str(value)[:10])
    if kind == "number":
        return float(value)
    if kind == "integer":
        return int(value)
    if kind == "boolean":
        return bool(value)
    return str(value)


def portfolio_xlsx(rows: Iterable[Mapping[str, Any]], title: str = "Portfolio") -> bytes:
    """The workbook of the portfolio's rows: the client's name frozen beside the header."""
    headers = [header for header, _key, _kind in COLUMNS]
    table = ({header: _value(row, key, kind) for header, key, kind in COLUMNS} for row in rows)
    return to_xlsx(
        {title: (headers, table)},
        widths=lambda header: 36 if header == headers[0] else max(12, min(28, len(header) + 2)),
        number_formats={h: FORMATS[kind] for h, _key, kind in COLUMNS if kind in FORMATS},
        frozen_columns=1,
    )
