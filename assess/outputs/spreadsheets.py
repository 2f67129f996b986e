"""Tabular exports of an organization's assessments: CSV and XLSX.

One row per assessment and question (levels, notes, verified levels, comments, who and when),
and a sheet of area scores per assessment. Text that a spreadsheet would run as a formula is
prefixed with an apostrophe, so a note like ``=HYPERLINK(...)`` stays text (OWASP "CSV
injection"). In CSV that holds whatever delimiter the reader splits on: a reader that splits
on ";" ignores quotes that do not open its field, so ``see policy;=2+3`` would give it a cell
``=2+3``; an apostrophe also goes after every common delimiter (``,`` ``;`` tab ``|``) that a
formula start follows. (``defusedcsv`` checks the first character only, hence our own rule.)
In XLSX a cell is never split: the start is enough, and characters XML cannot hold (C0
controls) are replaced, so no note or comment can break an export.

The workbook is typed for an auditor: times are date cells (UTC, ``yyyy-mm-dd hh:mm:ss``),
numbers are numbers, scores are kept unrounded and shown to one decimal by number format
(:data:`NUMBER_FORMATS`), and every sheet has a filter row and a frozen header. The CSV writes
times as ISO 8601 with ``Z``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any

#: Every row of an export starts with the assessment and the area it belongs to.
HEAD_COLUMNS = [
    "assessment_id",
    "status",
    "submitted_at",
    "questionnaire_id",
    "questionnaire_version",
    "area_id",
    "area",
]
ANSWER_COLUMNS = [
    *HEAD_COLUMNS,
    "question_id",
    "question",
    "answer",
    "level",
    "note",
    "answered_by",
    "answered_at",
    "verified_level",
    "review_comment",
    "reviewed_by",
    "reviewed_at",
]
AREA_COLUMNS = [
    *HEAD_COLUMNS,
    "score",
    "level",
    "target",
    "gap",
    "verified_score",
    "reviewed",
    "answered",
    "total",
    "unknown",
    "na",
]
#: Number formats by column: scores unrounded in the cell, one decimal on screen.
NUMBER_FORMATS = {
    "score": "0.0",
    "target": "0.0",
    "gap": "0.0",
    "verified_score": "0.0",
}
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
DATE_FORMAT = "yyyy-mm-dd"
#: The NIST CSF 2.0 view of one assessment (``Results.csf``), one row per category.
CSF_COLUMNS = [
    "function",
    "function_name",
    "category",
    "category_name",
    "score",
    "target",
    "gap",
    "questions",
    "total",
]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: A formula start after a delimiter a CSV reader may split on, or a line break a naive one
#: splits rows on (white space between allowed).
_INNER_FORMULA = re.compile(r"([,;\t|\r\n][ \t\r\n]*)(?=[=+\-@])")
#: What XML 1.0 (and so XLSX) cannot hold: C0 controls other than tab, newline, return.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def safe_cell(value: Any) -> Any:
    """Text that a spreadsheet would evaluate becomes plain text.

    >>> safe_cell("=1+1"), safe_cell("fine"), safe_cell(-2)
    ("'=1+1", 'fine', -2)
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_csv_cell(value: Any) -> Any:
    """:func:`safe_cell`, and an apostrophe before every formula start that follows a
    delimiter inside the value, so no reader's split yields a live cell.

    >>> safe_csv_cell("see policy;=2+3;=cmd|' /C calc'!A0")
    "see policy;'=2+3;'=cmd|' /C calc'!A0"
    >>> safe_csv_cell("a, -b|@c"), safe_csv_cell("10-20, fine")
    ("a, '-b|'@c", '10-20, fine')
    """
    value = safe_cell(value)
    if isinstance(value, str):
        return _INNER_FORMULA.sub(r"\1'", value)
    return value


def safe_xlsx_cell(value: Any) -> Any:
    """:func:`safe_cell`, with the characters an XLSX file cannot hold replaced by U+FFFD.

    >>> safe_xlsx_cell("bell\x07 here"), safe_xlsx_cell("=1")
    ('bell\ufffd here', "'=1")
    """
    if isinstance(value, str):
        value = _XML_ILLEGAL.sub("\ufffd", value)
    return safe_cell(value)


def _utc(value: datetime) -> datetime:
    """A time as naive UTC (stored times are naive UTC already; XLSX has no time zones)."""
    return value if value.tzinfo is None else value.astimezone(UTC).replace(tzinfo=None)


def _csv_value(value: Any) -> Any:
    """A time as ISO 8601 UTC with ``Z`` (as the API writes it), anything else as is.

    >>> _csv_value(datetime(2026, 3, 1, 9, 30, 5, 123)), _csv_value(date(2026, 3, 1))
    ('2026-03-01T09:30:05Z', '2026-03-01')
    """
    if isinstance(value, datetime):
        return _utc(value).isoformat(timespec="seconds") + "Z"
    if isinstance(value, date):
        return value.isoformat()
    return value


def to_csv(rows: Iterable[Mapping[str, Any]], columns: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                k: ("" if row.get(k) is None else safe_csv_cell(_csv_value(row.get(k))))
                for k in columns
            }
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _width(column: str) -> float:
    """The answer export's column widths: sentences wide, the rest as wide as their header."""
    return 60 if column in {"question", "note", "review_comment"} else max(12, len(column) + 2)


def sheet_title(title: str) -> str:
    """A title Excel accepts for a sheet: none of ``[]:*?/\\``, no apostrophe at either end,
    at most 31 characters.

    >>> sheet_title("Plan: Q3/Q4 [draft]"), sheet_title("'x'")
    ('Plan  Q3 Q4  draft', 'x')
    """
    cleaned = re.sub(r"[\[\]:*?/\\]", " ", title).strip("' ")[:31].strip()
    return cleaned or "Sheet"


def to_xlsx(
    sheets: Mapping[str, tuple[list[str], Iterable[Mapping[str, Any]]]],
    *,
    widths: Callable[[str], float] = _width,
    number_formats: Mapping[str, str] = NUMBER_FORMATS,
    frozen_columns: int = 0,
) -> bytes:
    """The sheets as a workbook, streamed row by row (:mod:`assess.outputs.xlsx_stream`: ten
    thousand answer rows in a fraction of a second): a bold header, a filter row and a frozen
    header (and ``frozen_columns``), column widths, and typed cells (``number_formats`` by
    column, :data:`NUMBER_FORMATS` by default; times as date cells). Text is never a formula:
    it is written as an inline string, made safe by :func:`safe_xlsx_cell`. Every workbook
    of Assess (answers, the action plan, the portfolio) is written here."""
    from assess.outputs import xlsx_stream

    out = []
    for title, (columns, rows) in sheets.items():
        out.append(
            xlsx_stream.Sheet(
                sheet_title(title),
                [safe_xlsx_cell(c) for c in columns],
                [[_xlsx_value(row.get(c)) for c in columns] for row in rows],
                widths=[widths(c) for c in columns],
                number_formats=[number_formats.get(c) for c in columns],
                frozen_columns=frozen_columns,
            )
        )
    return xlsx_stream.workbook(out, DATETIME_FORMAT, DATE_FORMAT)


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return _utc(value)
    return safe_xlsx_cell(value)
