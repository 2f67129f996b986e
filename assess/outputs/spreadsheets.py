"""Tabular exports of an organization's assessments: CSV and XLSX (openpyxl).

One row per assessment and question (levels, notes, verified levels, comments, who and when),
and a sheet of area scores per assessment. Text that a spreadsheet would run as a formula is
prefixed with an apostrophe, so a note like ``=HYPERLINK(...)`` stays text (OWASP "CSV
injection"). In CSV that holds whatever delimiter the reader splits on: a reader that splits
on ";" ignores quotes that do not open its field, so ``see policy;=2+3`` would give it a cell
``=2+3``; an apostrophe also goes after every common delimiter (``,`` ``;`` tab ``|``) that a
formula start follows. (``defusedcsv`` checks the first character only, hence our own rule.)
In XLSX a cell is never split: the start is enough, and characters XML cannot hold (C0
controls) are replaced, so no note or comment can break an export.
"""

from __future__ import annotations

import csv
import io
import re
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


def to_csv(rows: Iterable[Mapping[str, Any]], columns: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {k: ("" if row.get(k) is None else safe_csv_cell(row.get(k))) for k in columns}
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(sheets: Mapping[str, tuple[list[str], Iterable[Mapping[str, Any]]]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for title, (columns, rows) in sheets.items():
        sheet = book.create_sheet(title)
        sheet.append([safe_xlsx_cell(c) for c in columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([safe_xlsx_cell(row.get(c)) for c in columns])
            for cell in sheet[sheet.max_row]:
                if cell.data_type == "f":  # never a formula, whatever openpyxl guessed
                    cell.data_type = "s"
        sheet.freeze_panes = "A2"
        for i, column in enumerate(columns, start=1):
            width = (
                60 if column in {"question", "note", "review_comment"} else max(12, len(column) + 2)
            )
            sheet.column_dimensions[get_column_letter(i)].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
