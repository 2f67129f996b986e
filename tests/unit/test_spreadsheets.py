"""Exports a spreadsheet cannot turn against its reader (OWASP "CSV injection"), whatever
delimiter the reader splits on, and XLSX files that any text can be written into."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from assess.outputs import spreadsheets as tables

PAYLOADS = [
    "see policy;=2+3;=cmd|' /C calc'!A0",
    "x;=2+3",
    '=HYPERLINK("http://evil.example","click")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
    "fine, =1+1",
    "fine,\t@x",
    "pipe|=1",
    "spaces;   +1",
    "tab\t-1",
    "line\n=1+1",
    "crlf\r\n@x",
]
FORMULA = ("=", "+", "-", "@")


def _cells(text: str, delimiter: str) -> list[str]:
    """What a reader that splits every line on ``delimiter`` sees, quotes or not: both a
    quote-aware reader and a naive split."""
    cells: list[str] = []
    for row in csv.reader(io.StringIO(text), delimiter=delimiter):
        cells.extend(row)
    for line in text.splitlines():
        cells.extend(line.split(delimiter))
    return cells


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_no_csv_cell_is_a_formula_whatever_the_delimiter(delimiter):
    rows = [{"note": p, "n": 1} for p in PAYLOADS]
    text = tables.to_csv(rows, ["note", "n"]).decode("utf-8").lstrip("\ufeff")
    live = [c for c in _cells(text, delimiter) if c.lstrip(" \t\r\n").startswith(FORMULA)]
    assert live == [], f"live formula cells when split on {delimiter!r}: {live}"


def test_the_issue_payload_is_written_inert_and_readable():
    payload = "see policy;=2+3;=cmd|' /C calc'!A0"
    text = tables.to_csv([{"note": payload}], ["note"]).decode("utf-8").lstrip("\ufeff")
    # Unquoted before the fix (no comma in it): a ";" reader made =2+3 and =cmd|... cells.
    assert "see policy;'=2+3;'=cmd|' /C calc'!A0" in text
    # a reader that splits on "," gets the value back, with apostrophes only before formulas
    (row,) = list(csv.DictReader(io.StringIO(text)))
    assert row["note"].replace("'=", "=") == payload


def test_quoting_alone_is_not_enough():
    """`a,"x;=2+3"`: a ";" reader ignores a quote that does not open its field."""
    text = tables.to_csv([{"a": "a", "b": "x;=2+3"}], ["a", "b"]).decode().lstrip("\ufeff")
    assert all(not c.startswith("=") for c in _cells(text, ";"))


def test_numbers_and_plain_text_are_untouched():
    rows = [{"v": -2}, {"v": 3.5}, {"v": "10-20, fine"}, {"v": "a - b; c"}]
    text = tables.to_csv(rows, ["v"]).decode().lstrip("\ufeff")
    values = [r["v"] for r in csv.DictReader(io.StringIO(text))]
    assert values == ["-2", "3.5", "10-20, fine", "a - b; c"]


def test_xlsx_takes_control_characters_and_keeps_formulas_as_text():
    note = "bell\x07 nul\x00 esc\x1b vt\x0b =no"
    rows = [
        {"note": note},
        {"note": "=1+1"},
        {"note": "see policy;=2+3"},
        {"note": "ok\ttab\nline"},
    ]
    data = tables.to_xlsx({"Answers": (["note"], rows)})  # raised IllegalCharacterError before
    sheet = load_workbook(io.BytesIO(data))["Answers"]
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [c.data_type for c in cells] == ["s", "s", "s", "s"]
    values = [c.value for c in cells]
    assert values[0] == "bell\ufffd nul\ufffd esc\ufffd vt\ufffd =no"
    assert values[1] == "'=1+1"
    assert values[3] == "ok\ttab\nline"
    assert not any(ILLEGAL_CHARACTERS_RE.search(v) for v in values)


def test_our_xml_rule_is_openpyxls():
    every = "".join(chr(i) for i in range(0x20))
    assert tables._XML_ILLEGAL.sub("", every) == ILLEGAL_CHARACTERS_RE.sub("", every)


def test_xlsx_is_typed_filtered_and_frozen_for_an_auditor():
    from datetime import UTC, datetime

    when = datetime(2026, 3, 1, 9, 30, 5)
    rows = [
        {"area": "A", "score": 8 / 7, "answer": 3, "level": 3, "at": when},
        {
            "area": "Overall",
            "score": 2.25,
            "answer": "na",
            "level": None,
            "at": datetime(2026, 3, 1, 10, 30, 5, tzinfo=UTC),
        },
        {"area": "=cmd()", "score": None, "answer": "unknown", "level": None, "at": None},
    ]
    columns = ["area", "score", "answer", "level", "at"]
    book = load_workbook(io.BytesIO(tables.to_xlsx({"S": (columns, rows)})))
    sheet = book["S"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:E4"
    assert (
        sheet["B2"].value == pytest.approx(8 / 7, rel=1e-12) and sheet["B2"].number_format == "0.0"
    )  # unrounded
    assert sheet["C2"].value == 3 and sheet["C2"].data_type == "n" and sheet["D2"].value == 3
    assert sheet["C3"].value == "na"
    assert sheet["E2"].value == when and sheet["E2"].is_date
    assert sheet["E2"].number_format == "yyyy-mm-dd hh:mm:ss"
    assert sheet["E3"].value == datetime(2026, 3, 1, 10, 30, 5)  # UTC, naive
    assert sheet["A4"].value == "'=cmd()" and sheet["A4"].data_type == "s"
    text = tables.to_csv(rows, columns).decode().lstrip("\ufeff")
    assert "2026-03-01T09:30:05Z" in text and "2026-03-01T10:30:05Z" in text


def test_the_streamed_workbook_reads_back_whole_in_both_openpyxl_modes():
    from datetime import date, datetime

    columns = ["id", "note", "score", "when", "day", "flag"]
    rows = [
        {
            "id": i,
            "note": f'Ünïcode & <tags> "{i}"  ' if i % 2 else None,
            "score": i / 3 if i % 3 else None,
            "when": datetime(2026, 1, 1, 12, 0, i % 60),
            "day": date(2026, 2, 1 + i % 28),
            "flag": i % 2 == 0,
        }
        for i in range(1, 1201)
    ]
    data = tables.to_xlsx({"Owner's answers": (columns, rows), "Empty": (columns, [])})
    for read_only in (False, True):
        book = load_workbook(io.BytesIO(data), read_only=read_only)
        assert book.sheetnames == ["Owner's answers", "Empty"]
        got = list(book["Owner's answers"].iter_rows(values_only=True))
        assert got[0] == tuple(columns) and len(got) == 1201
        assert all(len(row) == len(columns) for row in got)  # blank trailing cells kept
        first, second = got[1], got[2]
        assert first[1] == 'Ünïcode & <tags> "1"  ' and second[1] is None
        assert first[2] == pytest.approx(1 / 3, rel=1e-15) and got[3][2] is None
        assert first[3] == datetime(2026, 1, 1, 12, 0, 1) and first[4] == datetime(2026, 2, 2)
        assert second[5] is True
        assert list(book["Empty"].iter_rows(values_only=True)) == [tuple(columns)]
    sheet = load_workbook(io.BytesIO(data))["Owner's answers"]
    assert sheet["A1"].font.b and sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:F1201" and sheet["E2"].number_format == "yyyy-mm-dd"
