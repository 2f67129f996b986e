"""Records and audits through the API: submission locks, history, comparison, members,
reviews and exports, for every role."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook

from assess.records import assessments
from assess.records.database import db
from tests.factories import bearer

QUICK = "ciso-nine-areas-quick"
FULL = "ciso-nine-areas"
Q1 = "program-oversight.accountable-owner"
Q2 = "incident-response.plan"


@pytest.fixture
def org(factory):
    org, people = factory.team()
    owner = people["owner"]
    people["stranger"] = factory.user("stranger@example.com")
    headers = {name: bearer(factory.token(user)) for name, user in people.items()}
    first = factory.assessment(org, owner, QUICK, {Q1: 1, Q2: {"level": 1, "note": "<b>draft</b>"}})
    assessments.submit(first, owner)
    db.session.commit()
    return SimpleNamespace(org=org, people=people, headers=headers, first=first)


def test_does_submitting_lock_the_answers(client, org, factory):
    draft = factory.assessment(org.org, org.people["owner"], QUICK, {Q1: 2})
    done = client.post(f"/api/v1/assessments/{draft.id}/submit", headers=org.headers["contributor"])
    assert done.status_code == 200 and done.get_json()["status"] == "submitted"
    again = client.patch(
        f"/api/v1/assessments/{draft.id}/answers",
        json={"answers": {Q1: 5}},
        headers=org.headers["owner"],
    )
    assert again.status_code == 409
    assert (
        client.get(f"/api/v1/assessments/{draft.id}", headers=org.headers["owner"]).get_json()[
            "answers"
        ][Q1]["value"]
        == 2
    )
    twice = client.post(f"/api/v1/assessments/{draft.id}/submit", headers=org.headers["owner"])
    assert twice.status_code == 409


@pytest.mark.parametrize(("who", "code"), [("auditor", 403), ("stranger", 404)])
def test_can_an_auditor_or_a_stranger_submit(client, org, factory, who, code):
    draft = factory.assessment(org.org, org.people["owner"], QUICK, {Q1: 2})
    assert (
        client.post(f"/api/v1/assessments/{draft.id}/submit", headers=org.headers[who]).status_code
        == code
    )


def test_does_a_copy_start_from_the_last_submitted_answers(client, org):
    made = client.post(
        f"/api/v1/organizations/{org.org.id}/assessments",
        json={"copy_from": "last"},
        headers=org.headers["owner"],
    )
    assert made.status_code == 201
    body = made.get_json()
    assert body["status"] == "draft"
    assert body["answers"][Q1]["value"] == 1 and body["answers"][Q2]["note"] == "<b>draft</b>"


def test_is_the_history_oldest_first_with_deltas(client, org, factory):
    second = factory.assessment(org.org, org.people["owner"], QUICK, {Q1: 3, Q2: 1})
    assessments.submit(second, org.people["owner"])
    factory.assessment(org.org, org.people["owner"], QUICK, {Q1: 5})  # a draft: not history
    db.session.commit()
    body = client.get(
        f"/api/v1/organizations/{org.org.id}/history", headers=org.headers["auditor"]
    ).get_json()
    ids = [a["id"] for a in body["assessments"]]
    assert ids == [org.first.id, second.id]
    item = body["assessments"][1]
    assert set(item) >= {"id", "submitted_at", "questionnaire", "overall", "areas"}
    assert item["overall"]["score"] > body["assessments"][0]["overall"]["score"]


def test_does_compare_mark_improvements_and_list_questions_not_in_common(client, org, factory):
    full = factory.assessment(
        org.org, org.people["owner"], FULL, {Q1: 3, Q2: 0, "incident-response.exercises": 2}
    )
    url = f"/api/v1/organizations/{org.org.id}/compare?from={org.first.id}&to={full.id}"
    body = client.get(url, headers=org.headers["auditor"]).get_json()
    changes = {q["id"]: q for q in body["questions"]}
    assert (
        changes[Q1]["change"] == "improved" and changes[Q1]["from"] == 1 and changes[Q1]["to"] == 3
    )
    assert changes[Q2]["change"] == "regressed" and changes[Q2]["note_from"] == "<b>draft</b>"
    assert "incident-response.exercises" in body["added"] and body["removed"] == []
    assert {a["id"] for a in body["areas"]} >= {"program-oversight", "incident-response"}


def test_does_compare_refuse_assessments_of_another_org(client, org, factory):
    other_owner = org.people["stranger"]
    other = factory.organization(other_owner, "Elsewhere")
    theirs = factory.assessment(other, other_owner, QUICK, {Q1: 1})
    url = f"/api/v1/organizations/{org.org.id}/compare?from={org.first.id}&to={theirs.id}"
    refused = client.get(url, headers=org.headers["owner"])
    assert refused.status_code == 404
    assert refused.get_json() == {"error": {"message": "No such assessment in this organization."}}
    missing = client.get(
        f"/api/v1/organizations/{org.org.id}/compare?from={org.first.id}",
        headers=org.headers["owner"],
    )
    assert missing.status_code == 422


def test_can_only_owners_add_members(client, org, factory):
    factory.user("newbie@example.com")
    url = f"/api/v1/organizations/{org.org.id}/members"
    denied = client.post(
        url,
        json={"email": "newbie@example.com", "role": "auditor"},
        headers=org.headers["contributor"],
    )
    assert denied.status_code == 403
    added = client.post(
        url, json={"email": "newbie@example.com", "role": "auditor"}, headers=org.headers["owner"]
    )
    assert added.status_code == 201 and added.get_json()["role"] == "auditor"
    listed = client.get(url, headers=org.headers["auditor"]).get_json()["members"]
    assert {m["email"] for m in listed} >= {"newbie@example.com", "owner@example.com"}
    unknown = client.post(
        url, json={"email": "ghost@example.com", "role": "auditor"}, headers=org.headers["owner"]
    )
    assert (
        unknown.status_code == 422
        and "invitation" in unknown.get_json()["error"]["details"]["email"]
    )
    assert client.get(url, headers=org.headers["stranger"]).status_code == 404


def test_is_an_invitation_single_use(client, org, factory, login):
    made = client.post(
        f"/api/v1/organizations/{org.org.id}/invitations",
        json={"role": "auditor"},
        headers=org.headers["owner"],
    )
    assert made.status_code == 201
    path = made.get_json()["url"].split("localhost", 1)[-1]
    guest = factory.user("guest@example.com")
    login(guest.email)
    from tests.factories import csrf_token

    token = csrf_token(client, path)
    joined = client.post(path, data={"csrf_token": token})
    assert joined.status_code == 302
    assert client.get(f"/organizations/{org.org.id}").status_code == 200
    assert client.get(path).status_code == 404


def test_do_reviews_record_a_verified_level(client, org):
    url = f"/api/v1/assessments/{org.first.id}/reviews"
    made = client.post(
        url,
        json={"question_id": Q1, "verified_level": 0, "comment": "No named person found."},
        headers=org.headers["auditor"],
    )
    assert made.status_code == 201
    body = client.get(url, headers=org.headers["contributor"]).get_json()
    assert (
        body["reviews"][0]["verified_level"] == 0
        and body["reviews"][0]["reviewer"] == "auditor@example.com"
    )
    assert (
        client.post(
            url, json={"question_id": Q1, "verified_level": 1}, headers=org.headers["contributor"]
        ).status_code
        == 403
    )
    bad = client.post(
        url, json={"question_id": "nope", "verified_level": 9}, headers=org.headers["auditor"]
    )
    assert bad.status_code == 422 and set(bad.get_json()["error"]["details"]) == {
        "question_id",
        "verified_level",
    }


def test_can_a_draft_be_reviewed(client, org, factory):
    draft = factory.assessment(org.org, org.people["owner"], QUICK, {Q1: 2})
    made = client.post(
        f"/api/v1/assessments/{draft.id}/reviews",
        json={"question_id": Q1, "verified_level": 1},
        headers=org.headers["auditor"],
    )
    assert made.status_code == 422


def test_do_exports_carry_every_answer_and_area_score(client, org):
    client.post(
        f"/api/v1/assessments/{org.first.id}/reviews",
        json={"question_id": Q1, "verified_level": 0, "comment": "=cmd()"},
        headers=org.headers["auditor"],
    )
    text = client.get(
        f"/api/v1/organizations/{org.org.id}/export.csv", headers=org.headers["auditor"]
    ).get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == 28
    row = next(r for r in rows if r["question_id"] == Q1)
    assert (
        row["level"] == "1" and row["verified_level"] == "0" and row["review_comment"] == "'=cmd()"
    )
    assert row["answered_by"] == "owner@example.com"
    noted = next(r for r in rows if r["question_id"] == Q2)
    assert noted["note"] == "<b>draft</b>"
    xlsx = client.get(
        f"/api/v1/organizations/{org.org.id}/export.xlsx", headers=org.headers["owner"]
    )
    book = load_workbook(io.BytesIO(xlsx.data), read_only=True)
    assert book.sheetnames == ["Answers", "Area scores"]
    areas = list(book["Area scores"].iter_rows(values_only=True))
    # nine areas and the overall row; typed cells, the verified scores where reviewed
    assert areas[0][5] == "area_id" and len(areas) == 11
    head = list(areas[0])
    by_area = {row[5]: dict(zip(head, row, strict=True)) for row in areas[1:]}
    overall = by_area["overall"]
    assert isinstance(overall["submitted_at"], datetime)
    assert isinstance(overall["score"], int | float) and isinstance(overall["level"], int)
    assert overall["reviewed"] == 1 and overall["verified_score"] < overall["score"]
    q1_area = next(r for r in by_area.values() if r["reviewed"] == 1 and r["area_id"] != "overall")
    assert q1_area["verified_score"] < q1_area["score"]
    answers = list(book["Answers"].iter_rows(values_only=True))
    q1 = dict(zip(answers[0], next(r for r in answers if r[7] == Q1), strict=True))
    assert q1["answer"] == 1 and q1["level"] == 1 and isinstance(q1["answered_at"], datetime)


@pytest.mark.parametrize(("who", "code"), [("contributor", 403), ("stranger", 404)])
def test_can_contributors_or_strangers_export(client, org, who, code):
    assert (
        client.get(
            f"/api/v1/organizations/{org.org.id}/export.csv", headers=org.headers[who]
        ).status_code
        == code
    )
