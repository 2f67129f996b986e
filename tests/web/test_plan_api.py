"""The action plan through the API: the first 90 days as items (once), items with owners,
dates and statuses, their history and comments, who may do what, filters, and the plan
across assessments (met in a later submission; reopened by a regression)."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from assess.records import assessments
from assess.records.database import db
from assess.records.plan_tracking import submission_label
from tests.factories import bearer
from tests.web.test_api import assert_schema

QUICK = "ciso-nine-areas-quick"
Q1 = "program-oversight.accountable-owner"
Q2 = "incident-response.plan"
AREA1 = "program-oversight"


@pytest.fixture
def org(factory):
    org, people = factory.team()
    owner = people["owner"]
    people["stranger"] = factory.user("stranger@example.com")
    factory.organization(people["stranger"], "Elsewhere Ltd")
    headers = {name: bearer(factory.token(user)) for name, user in people.items()}
    first = factory.assessment(org, owner, QUICK, {Q1: 1, Q2: 1})
    assessments.submit(first, owner)
    db.session.commit()
    return SimpleNamespace(org=org, people=people, headers=headers, first=first)


@pytest.fixture
def doc(client):
    return client.get("/api/v1/openapi.json").get_json()


def from_roadmap(client, org, assessment, who="owner"):
    return client.post(
        f"/api/v1/assessments/{assessment.id}/actions/from-roadmap", headers=org.headers[who]
    )


def create(client, org, who="owner", **values):
    return client.post(
        f"/api/v1/organizations/{org.org.id}/actions",
        json={"title": "Write the incident plan", **values},
        headers=org.headers[who],
    )


def patch(client, org, action_id, who="owner", **values):
    return client.patch(f"/api/v1/actions/{action_id}", json=values, headers=org.headers[who])


def submit_new(factory, org, answers):
    later = factory.assessment(org.org, org.people["owner"], QUICK, answers)
    assessments.submit(later, org.people["owner"])
    db.session.commit()
    return later


# --------------------------------------------------------------------------- from the roadmap


def test_does_from_roadmap_turn_the_first_90_days_into_items_once(client, org, doc):
    results = client.get(
        f"/api/v1/assessments/{org.first.id}/results", headers=org.headers["owner"]
    ).get_json()
    steps = [s for s in results["roadmap"] if s["first_90_days"]]
    assert len(steps) >= 2
    first = from_roadmap(client, org, org.first)
    assert first.status_code == 201
    assert_schema(doc, "ActionsCreated", first.get_json())
    operation = doc["paths"]["/api/v1/assessments/{assessment_id}/actions/from-roadmap"]["post"]
    assert {"200", "201"} <= set(operation["responses"])
    assert first.headers["Location"].endswith(f"/api/v1/organizations/{org.org.id}/actions")
    items = first.get_json()["actions"]
    assert [i["title"] for i in items] == [" ".join(s["action"].split()) for s in steps]
    assert [i["goal_level"] for i in items] == [s["next_level"] for s in steps]
    assert [i["question_id"] for i in items] == [s["question"] for s in steps]
    by_question = {i["question_id"]: i for i in items}
    assert by_question[Q1]["area_id"] == AREA1 and by_question[Q1]["goal_level"] == 2
    assert all(i["source_assessment_id"] == org.first.id for i in items)
    assert all(i["status"] == "open" for i in items)

    again = from_roadmap(client, org, org.first)
    assert again.status_code == 200 and again.get_json() == {"actions": []}
    listed = client.get(
        f"/api/v1/organizations/{org.org.id}/actions", headers=org.headers["owner"]
    ).get_json()
    assert_schema(doc, "ActionList", listed)
    assert len(listed["actions"]) == len(steps)


def test_does_from_roadmap_add_only_the_steps_the_plan_lacks(client, org, factory):
    """Matched by question id: a later assessment whose first 90 days ask Q1 for the next
    level again adds nothing for Q1, but a higher goal for Q1 is a new item."""
    from_roadmap(client, org, org.first)
    later = submit_new(factory, org, {Q1: 2, Q2: 1})
    added = from_roadmap(client, org, later).get_json()["actions"]
    assert [(i["question_id"], i["goal_level"]) for i in added] == [(Q1, 3)]


def test_does_from_roadmap_refuse_a_body_with_keys(client, org):
    response = client.post(
        f"/api/v1/assessments/{org.first.id}/actions/from-roadmap",
        json={"only": [Q1]},
        headers=org.headers["owner"],
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["details"] == {"only": "Unknown field."}


@pytest.mark.parametrize(
    ("who", "code"), [("owner", 201), ("contributor", 201), ("auditor", 403), ("stranger", 404)]
)
def test_who_may_turn_the_roadmap_into_a_plan(client, org, who, code):
    assert from_roadmap(client, org, org.first, who).status_code == code


# --------------------------------------------------------------------------- items


def test_can_an_owner_create_an_item_with_a_member_as_owner_and_a_due_date(client, org):
    response = create(
        client,
        org,
        owner_user_id=org.people["contributor"].id,
        due_date="2030-03-31",
        question_id=Q2,
        goal_level=2,
        note="Two likeliest incidents first.",
    )
    assert response.status_code == 201, response.get_json()
    item = response.get_json()
    assert response.headers["Location"].endswith(f"/api/v1/actions/{item['id']}")
    assert item["owner"] == "contributor@example.com"
    assert item["owner_user_id"] == org.people["contributor"].id
    assert item["due_date"] == "2030-03-31" and item["overdue"] is False
    assert item["area_id"] == "incident-response"
    assert item["history"][0]["field"] == "created"
    got = client.get(f"/api/v1/actions/{item['id']}", headers=org.headers["auditor"])
    assert got.status_code == 200 and got.get_json()["title"] == "Write the incident plan"


def test_is_a_free_text_owner_and_a_free_item_allowed(client, org):
    item = create(client, org, owner_name="  Our IT   provider ").get_json()
    assert item["owner"] == "Our IT provider" and item["owner_user_id"] is None
    assert item["question_id"] is None and item["area_id"] is None


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"title": "  "}, "title"),
        ({"title": 3}, "title"),
        ({"due_date": "31/03/2030"}, "due_date"),
        ({"due_date": "2030-02-30"}, "due_date"),
        ({"status": "finished"}, "status"),
        ({"status": "risk_accepted"}, "risk_justification"),
        ({"goal_level": 7}, "goal_level"),
        ({"goal_level": True}, "goal_level"),
        ({"question_id": "no-such.question"}, "question_id"),
        ({"question_id": Q1, "area_id": "incident-response"}, "area_id"),
        ({"area_id": "no-such-area"}, "area_id"),
        ({"owner_user_id": 999999}, "owner_user_id"),
        ({"owner_user_id": "2"}, "owner_user_id"),
        ({"owner_user_id": 2**70}, "owner_user_id"),
        ({"owner_user_id": -1}, "owner_user_id"),
        ({"note": "x" * 4001}, "note"),
        ({"owner_name": "a\x00b"}, "owner_name"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_is_a_bad_value_refused_with_its_field_named(client, org, values, field):
    response = create(client, org, **values)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["details"]
    listed = client.get(
        f"/api/v1/organizations/{org.org.id}/actions", headers=org.headers["owner"]
    ).get_json()
    assert listed["actions"] == []


def test_is_a_stranger_not_an_owner(client, org):
    response = create(client, org, owner_user_id=org.people["stranger"].id)
    assert response.status_code == 422
    assert "owner_user_id" in response.get_json()["error"]["details"]


def test_are_a_member_and_a_name_together_refused(client, org):
    response = create(client, org, owner_user_id=org.people["owner"].id, owner_name="Someone else")
    assert response.status_code == 422
    assert "owner_name" in response.get_json()["error"]["details"]


def test_does_a_patch_keep_a_history_entry_per_changed_field(client, org, doc):
    item = create(client, org).get_json()
    changed = patch(
        client,
        org,
        item["id"],
        who="contributor",
        owner_name="Dana from IT",
        due_date="2031-01-15",
        status="in_progress",
    )
    assert changed.status_code == 200, changed.get_json()
    assert_schema(doc, "Action", changed.get_json())
    history = changed.get_json()["history"]
    entries = {h["field"]: h for h in history if h["field"] != "created"}
    assert set(entries) == {"owner", "due_date", "status"}
    assert entries["owner"]["from"] is None and entries["owner"]["to"] == "Dana from IT"
    assert entries["due_date"]["to"] == "2031-01-15"
    assert (entries["status"]["from"], entries["status"]["to"]) == ("open", "in_progress")
    assert all(h["changed_by"] == "contributor@example.com" for h in entries.values())
    # A member replaces the typed name (one owner at a time), and the history says so.
    member = patch(client, org, item["id"], owner_user_id=org.people["owner"].id).get_json()
    assert member["owner_name"] is None and member["owner"] == "owner@example.com"
    assert member["history"][-1]["from"] == "Dana from IT"
    # Sending the same values again records nothing.
    same = patch(client, org, item["id"], status="in_progress").get_json()
    assert len(same["history"]) == len(member["history"])


def test_does_accepting_a_risk_record_why_and_who(client, org):
    item = create(client, org).get_json()
    accepted = patch(
        client,
        org,
        item["id"],
        status="risk_accepted",
        risk_justification="Cyber insurance covers it until the move in spring.",
    ).get_json()
    assert accepted["status"] == "risk_accepted"
    assert accepted["risk_accepted_by"] == "owner@example.com"
    assert accepted["risk_accepted_at"]
    reopened = patch(client, org, item["id"], who="contributor", status="open").get_json()
    assert reopened["risk_accepted_by"] is None and reopened["risk_accepted_at"] is None


@pytest.mark.parametrize(
    ("who", "code"), [("owner", 200), ("contributor", 200), ("auditor", 403), ("stranger", 404)]
)
def test_who_may_edit_an_item(client, org, who, code):
    item = create(client, org).get_json()
    assert patch(client, org, item["id"], who=who, status="done").status_code == code


@pytest.mark.parametrize(
    ("who", "code"), [("owner", 201), ("contributor", 201), ("auditor", 201), ("stranger", 404)]
)
def test_who_may_comment_on_an_item(client, org, who, code, doc):
    item = create(client, org).get_json()
    response = client.post(
        f"/api/v1/actions/{item['id']}/comments",
        json={"text": "Seen the draft plan."},
        headers=org.headers[who],
    )
    assert response.status_code == code
    if code == 201:
        comment = response.get_json()
        assert (
            comment["author"] == f"{who}@example.com" and comment["text"] == "Seen the draft plan."
        )
        got = client.get(f"/api/v1/actions/{item['id']}", headers=org.headers["owner"]).get_json()
        assert [c["text"] for c in got["comments"]] == ["Seen the draft plan."]


@pytest.mark.parametrize("body", [{"text": ""}, {"text": 5}, {}, {"text": "ok", "extra": 1}])
def test_is_a_bad_comment_refused(client, org, body):
    item = create(client, org).get_json()
    response = client.post(
        f"/api/v1/actions/{item['id']}/comments", json=body, headers=org.headers["auditor"]
    )
    assert response.status_code == 422


def test_is_an_unknown_action_404(client, org):
    assert client.get("/api/v1/actions/999", headers=org.headers["owner"]).status_code == 404
    assert (
        client.get("/api/v1/actions/99999999999", headers=org.headers["owner"]).status_code == 404
    )


# --------------------------------------------------------------------------- lists and filters


def test_do_the_filters_and_the_progress_say_what_is_overdue(client, org):
    past = (date.today() - timedelta(days=3)).isoformat()
    future = (date.today() + timedelta(days=30)).isoformat()
    late = create(client, org, title="Late", due_date=past, owner_name="Dana").get_json()
    create(client, org, title="Soon", due_date=future, owner_user_id=org.people["owner"].id)
    done = create(client, org, title="Done late", due_date=past, status="done").get_json()
    assert late["overdue"] is True and done["overdue"] is False

    def titles(**query):
        response = client.get(
            f"/api/v1/organizations/{org.org.id}/actions",
            query_string=query,
            headers=org.headers["auditor"],
        )
        assert response.status_code == 200
        return [a["title"] for a in response.get_json()["actions"]], response.get_json()

    assert titles(overdue="true")[0] == ["Late"]
    assert sorted(titles(overdue="false")[0]) == ["Done late", "Soon"]
    assert titles(status="done")[0] == ["Done late"]
    assert titles(owner="dana")[0] == ["Late"]
    assert titles(owner="owner@example.com")[0] == ["Soon"]
    assert titles(owner=str(org.people["owner"].id))[0] == ["Soon"]
    everything, document = titles()
    assert everything == ["Late", "Done late", "Soon"]  # by due date, then id
    assert document["progress"] == {
        "total": 3,
        "done": 1,
        "risk_accepted": 0,
        "overdue": 1,
        "undated": 0,
        "text": "1 of 3 done, 1 overdue",
    }


@pytest.mark.parametrize("query", [{"status": "finished"}, {"overdue": "yes"}])
def test_is_a_bad_filter_422(client, org, query):
    response = client.get(
        f"/api/v1/organizations/{org.org.id}/actions",
        query_string=query,
        headers=org.headers["owner"],
    )
    assert response.status_code == 422


# --------------------------------------------------------------------------- across assessments


def test_does_a_later_submission_that_reaches_the_goal_show_met_in(client, org, factory):
    items = from_roadmap(client, org, org.first).get_json()["actions"]
    q1 = next(i for i in items if i["question_id"] == Q1)
    assert q1["met_in"] is None
    draft = factory.assessment(org.org, org.people["owner"], QUICK, {Q1: 2, Q2: 1})
    got = client.get(f"/api/v1/actions/{q1['id']}", headers=org.headers["owner"]).get_json()
    assert got["met_in"] is None, "a draft is not a record: it meets nothing yet"
    assessments.submit(draft, org.people["owner"])
    db.session.commit()
    got = client.get(f"/api/v1/actions/{q1['id']}", headers=org.headers["owner"]).get_json()
    assert got["met_in"]["assessment_id"] == draft.id
    assert got["met_in"]["label"] == submission_label(draft)
    q2 = next(i for i in items if i["question_id"] == Q2)
    assert (
        client.get(f"/api/v1/actions/{q2['id']}", headers=org.headers["owner"]).get_json()["met_in"]
        is None
    )
    closed = patch(client, org, q1["id"], status="done").get_json()
    assert closed["met_in"] is None and closed["done_at"]


def test_does_a_regression_reopen_a_done_item(client, org, factory, doc):
    items = from_roadmap(client, org, org.first).get_json()["actions"]
    q1 = next(i for i in items if i["question_id"] == Q1)
    submit_new(factory, org, {Q1: 2, Q2: 1})
    patch(client, org, q1["id"], status="done")
    other = next(i for i in items if i["question_id"] == Q2)
    patch(client, org, other["id"], status="done")  # Q2 reaches its goal in the next one
    fallen = submit_new(factory, org, {Q1: 1, Q2: 2})
    got = client.get(f"/api/v1/actions/{q1['id']}", headers=org.headers["owner"]).get_json()
    assert_schema(doc, "Action", got)
    assert got["status"] == "open" and got["done_at"] is None
    assert got["regressed_in"]["assessment_id"] == fallen.id
    last = got["history"][-1]
    assert (last["field"], last["from"], last["to"]) == ("status", "done", "open")
    assert last["reason"].startswith(f"reopened: {submission_label(fallen)} answered level ")
    assert last["changed_by"] == "owner@example.com"
    kept = client.get(f"/api/v1/actions/{other['id']}", headers=org.headers["owner"]).get_json()
    assert kept["status"] == "done", "Q2 rose to its goal: nothing to reopen"
    # Done again: the regression mark goes.
    again = patch(client, org, q1["id"], status="done").get_json()
    assert again["regressed_in"] is None


@pytest.mark.parametrize(
    ("query", "field"),
    [("status=", "status"), ("status=open&status=done", "status"), ("overdue=TRUE", "overdue")],
)
def test_are_filters_taken_exactly_once_and_as_documented(client, org, query, field):
    response = client.get(
        f"/api/v1/organizations/{org.org.id}/actions?{query}", headers=org.headers["owner"]
    )
    assert response.status_code == 422
    assert set(response.get_json()["error"]["details"]) == {field}


def test_are_values_taken_as_the_document_states_them(client, org):
    """'' means no due date (documented); it is no id for a question, an area or a member;
    3.0 is the integer 3; a due date is exactly YYYY-MM-DD."""
    made = create(client, org, due_date="", goal_level=3.0)
    assert made.status_code == 201, made.get_json()
    assert (made.get_json()["due_date"], made.get_json()["goal_level"]) == (None, 3)
    for field, value in [
        ("question_id", ""),
        ("area_id", ""),
        ("owner_user_id", ""),
        ("due_date", "2026-W01-1"),
        ("due_date", "2026-1-01 "),
    ]:
        response = create(client, org, **{field: value})
        assert response.status_code == 422, (field, value)
        assert field in response.get_json()["error"]["details"]
