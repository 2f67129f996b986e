"""The action plan as files: CSV (formula-safe, like every export), XLSX with typed cells (due
dates as dates, a filter on the header row, the header frozen) and iCalendar (RFC 5545: one
all-day event per item with a due date, so a calendar app shows the deadlines)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from assess.outputs.spreadsheets import to_csv, to_xlsx

#: Widths of the columns that hold sentences (the others fit their header).
WIDE = {"title": 60, "note": 60, "risk_justification": 40, "owner": 28, "met_in": 16}
STATUS_WORDS = {
    "open": "Open",
    "in_progress": "In progress",
    "done": "Done",
    "risk_accepted": "Risk accepted",
}


def plan_csv(rows: Iterable[Mapping[str, Any]], columns: list[str]) -> bytes:
    """The plan as CSV (UTF-8 with a byte-order mark; a cell a spreadsheet would run as a
    formula stays text)."""
    return to_csv(rows, columns)


def plan_xlsx(rows: Iterable[Mapping[str, Any]], columns: list[str]) -> bytes:
    """The plan as one sheet: dates as dates (shown YYYY-MM-DD), numbers as numbers, a
    filter on the header row, and the header frozen."""
    return to_xlsx(
        {"Action plan": (columns, rows)},
        widths=lambda column: WIDE.get(column, max(12, len(column) + 2)),
        number_formats={},
    )


def plan_ics(
    rows: Iterable[Mapping[str, Any]], *, organization: str, organization_id: int, host: str
) -> bytes:
    """The plan's deadlines as an iCalendar file: one all-day VEVENT per item with a due date
    (``DTSTART;VALUE=DATE``), its UID stable across downloads (the item's and the
    organization's ids at ``host``), so importing again updates the events instead of
    doubling them. The icalendar package folds lines at 75 octets, escapes , ; \\ and new
    lines, and ends lines with CRLF."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//Assess//Action plan//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"Action plan: {organization}")
    for row in rows:
        due = row.get("due_date")
        if not isinstance(due, date):
            continue
        event = Event()
        event.add("uid", f"action-{row['id']}.organization-{organization_id}@{host}")
        stamp = row.get("updated_at")
        stamp = stamp if isinstance(stamp, datetime) else datetime(2000, 1, 1)
        event.add("dtstamp", stamp.replace(tzinfo=UTC))  # stored times are UTC
        event.add("dtstart", due)
        event.add("dtend", due + timedelta(days=1))
        status = STATUS_WORDS.get(row.get("status") or "", row.get("status"))
        event.add("summary", f"{row['title']}" + ("" if status == "Open" else f" ({status})"))
        lines = [f"Status: {status}"]
        if row.get("owner"):
            lines.append(f"Owner: {row['owner']}")
        if row.get("note"):
            lines.append(str(row["note"]))
        event.add("description", "\n".join(lines))
        calendar.add_component(event)
    return calendar.to_ical()
