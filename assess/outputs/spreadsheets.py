"""Tabular exports of an organization's assessments: CSV and XLSX (openpyxl).

One row per assessment and question (levels, notes, verified levels, comments, who and when),
and a sheet of area scores per assessment. Text that a spreadsheet would run as a formula is
prefixed with an apostrophe, so a note like ``=HYPERLINK(...)`` stays text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
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
    "target",
    "gap",
    "answered",
    "total",
    "unknown",
    "na",
]
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


def safe_cell(value: Any) -> Any:
    """Text that a spreadsheet would evaluate becomes plain text.

    >>> safe_cell("=1+1"), safe_cell("fine"), safe_cell(-2)
    ("'=1+1", 'fine', -2)
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def to_csv(rows: Iterable[Mapping[str, Any]], columns: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if row.get(k) is None else safe_cell(row.get(k))) for k in columns})
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(sheets: Mapping[str, tuple[list[str], Iterable[Mapping[str, Any]]]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for title, (columns, rows) in sheets.items():
        sheet = book.create_sheet(title)
        sheet.append(columns)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([safe_cell(row.get(c)) for c in columns])
        sheet.freeze_panes = "A2"
        for i, column in enumerate(columns, start=1):
            width = (
                60 if column in {"question", "note", "review_comment"} else max(12, len(column) + 2)
            )
            sheet.column_dimensions[get_column_letter(i)].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
