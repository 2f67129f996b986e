"""The action plan as files, on the pages and in the API: CSV (formulas stay text), XLSX
(typed cells, a filter row, the header frozen) and iCalendar read back with a parser (one
all-day event per dated item, stable UIDs, CRLF, folded lines, escaped text)."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from icalendar import Calendar
from openpyxl import load_workbook

from assess.records import plan
from assess.records.database import db
from tests.factories import login_as

EVIL = '=HYPERLINK("http://evil.example", "click")'
LONG = (
    "Write the incident plan, with roles; the call list \\ and the backups — "
    "then test it once a year, with the IT provider and the insurer " + "x" * 80
)
NOTE = "Done when: the plan is signed.\nThen: a test, once a year."


@pytest.fixture
def world(factory, client):
    owner = factory.user("owner@example.com")
    contributor = factory.user("contributor@example.com")
    org = factory.organization(owner, "Acme Dental")
    factory.member(org, contributor, "contributor")
    items = [
        plan.create_action(
            org,
            owner,
            {
                "title": LONG,
                "due_date": "2031-03-31",
                "owner_name": "Dana, IT; lead",
                "note": NOTE,
            },
        ),
        plan.create_action(org, owner, {"title": EVIL, "note": "+1 then -1"}),
        plan.create_action(
            org,
            owner,
            {"title": "Check the backups", "due_date": "2020-01-15", "status": "in_progress"},
        ),
    ]
    db.session.commit()
    login_as(client, contributor.email)
    return {"org": org, "items": items, "token": factory.token(contributor)}


def download(client, world, fmt, api=False):
    prefix = "/api/v1" if api else ""
    headers = {"Authorization": f"Bearer {world['token']}"} if api else {}
    response = client.get(f"{prefix}/organizations/{world['org'].id}/plan.{fmt}", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="acme-dental-plan.{fmt}"'
    )
    return response


@pytest.mark.parametrize("api", [False, True])
def test_does_the_csv_keep_formulas_as_text(client, world, api):
    response = download(client, world, "csv", api)
    assert response.mimetype == "text/csv"
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert [r["title"] for r in rows] == ["Check the backups", LONG, "'" + EVIL]
    assert rows[1]["owner"] == "Dana, IT; lead" and rows[1]["due_date"] == "2031-03-31"
    assert rows[0]["overdue"] == "True" and rows[1]["overdue"] == "False"
    assert rows[2]["note"] == "'+1 then -1"


@pytest.mark.parametrize("api", [False, True])
def test_does_the_workbook_type_its_cells(client, world, api):
    response = download(client, world, "xlsx", api)
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    header = [c.value for c in sheet[1]]
    assert header[:6] == ["id", "title", "status", "owner", "due_date", "overdue"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(header)).column_letter}4"
    due = sheet.cell(2, header.index("due_date") + 1)
    assert due.is_date and due.value.date() == date(2020, 1, 15)
    assert due.number_format == "yyyy-mm-dd"
    assert sheet.cell(2, header.index("overdue") + 1).value is True
    assert isinstance(sheet.cell(2, header.index("id") + 1).value, int)
    assert sheet.cell(4, header.index("title") + 1).value == "'" + EVIL
    assert sheet.cell(4, header.index("due_date") + 1).value is None


@pytest.mark.parametrize("api", [False, True])
def test_does_a_calendar_parser_read_the_ics_back(client, world, api):
    response = download(client, world, "ics", api)
    assert response.mimetype == "text/calendar"
    raw = response.get_data()
    lines = raw.split(b"\r\n")
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in lines), "lines are folded at 75 octets"
    assert any(line.startswith(b" ") for line in lines), "the long title was folded"
    assert b"DTSTART;VALUE=DATE:20310331" in raw
    assert b"Dana\\, IT\\; lead\\nDone when" in raw and b"roles\\; the call list \\\\ and" in raw

    calendar = Calendar.from_ical(raw)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    events = calendar.walk("VEVENT")
    dated = [i for i in world["items"] if i.due_date]
    assert len(events) == len(dated) == 2
    by_start = {e.decoded("DTSTART"): e for e in events}
    first = by_start[date(2031, 3, 31)]
    assert str(first["SUMMARY"]) == LONG  # unfolded and unescaped
    assert str(first["DESCRIPTION"]) == f"Status: Open\nOwner: Dana, IT; lead\n{NOTE}"
    assert first.decoded("DTEND") == date(2031, 4, 1)
    assert "(In progress)" in str(by_start[date(2020, 1, 15)]["SUMMARY"])
    assert first.decoded("DTSTAMP").tzinfo is not None

    again = Calendar.from_ical(download(client, world, "ics", api).get_data())
    assert sorted(str(e["UID"]) for e in again.walk("VEVENT")) == sorted(
        str(e["UID"]) for e in events
    ), "UIDs are stable: importing again updates the events"
    assert len({str(e["UID"]) for e in events}) == 2


def test_are_the_plan_files_only_for_members(client, world, factory):
    stranger = factory.user("stranger@example.com")
    factory.organization(stranger, "Elsewhere")
    other = client.application.test_client()
    login_as(other, stranger.email)
    for fmt in ("csv", "xlsx", "ics"):
        assert other.get(f"/organizations/{world['org'].id}/plan.{fmt}").status_code == 404


def test_does_the_organization_report_carry_the_plan(client, world, tmp_path):
    from tests.web.test_downloads import pdf_text

    response = client.get(f"/organizations/{world['org'].id}/report.pdf")
    assert response.status_code == 200
    text = pdf_text(response.data, tmp_path)
    assert "Action plan" in text and "0 of 3 done, 1 overdue" in text
    words = " ".join(text.split())
    assert "Check the backups" in words and "Dana, IT; lead" in words
    assert "15 January 2020" in words and "31 March 2031" in words
    assert "overdue" in words.split("Action plan", 1)[1].replace("1 overdue", "", 1)
