"""The action plan's pages: from the results page to a plan in two clicks, owners and dates
set in the form (CSRF included), overdue said in words, filters, comments, closing an item
met in a later submission, and the plan's progress on the organization and results pages."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from assess.records import assessments, plan
from assess.records.database import db
from assess.records.models import Action
from assess.records.plan_tracking import submission_label
from tests.factories import csrf_token, login_as

QUICK = "ciso-nine-areas-quick"
Q1 = "program-oversight.accountable-owner"
Q2 = "incident-response.plan"


@pytest.fixture
def world(client, factory):
    owner = factory.user("owner@example.com")
    auditor = factory.user("auditor@example.com")
    org = factory.organization(owner)
    factory.member(org, auditor, "auditor")
    first = factory.assessment(org, owner, QUICK, {Q1: 1, Q2: 1})
    assessments.submit(first, owner)
    db.session.commit()
    login_as(client, owner.email)
    return {"owner": owner, "auditor": auditor, "org": org, "first": first}


def turn_into_plan(client, assessment):
    """The results page's button, as the browser sends it."""
    token = csrf_token(client, f"/assessments/{assessment.id}/results")
    return client.post(
        f"/assessments/{assessment.id}/plan/from-roadmap", data={"csrf_token": token}
    )


def item_form(client, action_id, **values):
    token = csrf_token(client, f"/actions/{action_id}")
    found = db.session.get(Action, action_id)
    data = {
        "csrf_token": token,
        "title": found.title,
        "owner_user_id": "",
        "owner_name": "",
        "due_date": "",
        "status": found.status,
        "risk_justification": "",
        "goal_level": str(found.goal_level or ""),
        "question_id": found.question_id or "",
        "note": found.note,
        **values,
    }
    return client.post(f"/actions/{action_id}", data=data)


def test_does_the_results_button_turn_the_first_90_days_into_a_plan(client, world):
    first = world["first"]
    results = client.get(f"/assessments/{first.id}/results").get_data(as_text=True)
    assert "Turn the first 90 days into a plan" in results
    assert "Action plan: <strong>No actions yet</strong>" in results
    response = turn_into_plan(client, first)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/organizations/{world['org'].id}/plan")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    items = plan.actions_of(world["org"])
    assert items and "are now actions" in page
    assert all(f'id="a-{i.id}"' in page for i in items)
    assert f"0 of {len(items)} done, none overdue" in page
    again = client.get(turn_into_plan(client, first).headers["Location"]).get_data(as_text=True)
    assert "already in the plan" in again
    assert len(plan.actions_of(world["org"])) == len(items)


def test_is_the_button_refused_without_a_csrf_token(client, world):
    response = client.post(f"/assessments/{world['first'].id}/plan/from-roadmap")
    assert response.status_code in (302, 400)
    assert plan.actions_of(world["org"]) == []


def test_can_the_owner_set_an_owner_and_a_date_and_see_overdue_in_words(client, world):
    turn_into_plan(client, world["first"])
    item = plan.actions_of(world["org"])[0]
    past = (date.today() - timedelta(days=2)).isoformat()
    saved = item_form(client, item.id, owner_user_id=str(world["auditor"].id), due_date=past)
    assert saved.status_code == 302, saved.get_data(as_text=True)[:500]
    page = client.get(f"/organizations/{world['org'].id}/plan").get_data(as_text=True)
    block = page[page.index(f'id="a-{item.id}"') :]
    block = block[: block.index("</li>")]
    assert "auditor@example.com" in block and past in block
    assert "Overdue" in block and "(overdue)" in block
    assert ", 1 overdue" in page
    history = client.get(f"/actions/{item.id}").get_data(as_text=True)
    assert "owner@example.com" in history and "due date" in history and past in history
    org_page = client.get(f"/organizations/{world['org'].id}").get_data(as_text=True)
    assert re.search(r"Action plan: <strong>0 of \d+ done, 1 overdue</strong>", org_page)


def test_does_the_form_say_what_is_wrong(client, world):
    turn_into_plan(client, world["first"])
    item = plan.actions_of(world["org"])[0]
    refused = item_form(client, item.id, status="risk_accepted")
    assert refused.status_code == 422
    assert "Accepting a risk needs a justification" in refused.get_data(as_text=True)
    both = item_form(client, item.id, owner_user_id=str(world["owner"].id), owner_name="Dana")
    assert both.status_code == 422 and "not both" in both.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Action, item.id).status == "open"


def test_can_an_item_be_added_on_the_plan_page(client, world):
    org = world["org"]
    token = csrf_token(client, f"/organizations/{org.id}/plan")
    response = client.post(
        f"/organizations/{org.id}/plan",
        data={
            "csrf_token": token,
            "title": "Buy cyber insurance",
            "owner_name": "The office manager",
            "due_date": "2031-05-01",
            "status": "open",
            "goal_level": "",
            "owner_user_id": "",
        },
    )
    assert response.status_code == 302
    [item] = plan.actions_of(org)
    assert (item.title, item.owner_name, item.due_date) == (
        "Buy cyber insurance",
        "The office manager",
        date(2031, 5, 1),
    )
    empty = client.post(f"/organizations/{org.id}/plan", data={"csrf_token": token, "title": ""})
    assert empty.status_code == 422


def test_do_the_page_filters_work(client, world):
    org = world["org"]
    plan.create_action(org, world["owner"], {"title": "Alpha", "owner_name": "Dana"})
    plan.create_action(
        org,
        world["owner"],
        {"title": "Beta", "due_date": date.today() - timedelta(days=1)},
    )
    plan.create_action(org, world["owner"], {"title": "Gamma", "status": "done"})
    db.session.commit()

    def shown(**query):
        html = client.get(f"/organizations/{org.id}/plan", query_string=query).get_data(
            as_text=True
        )
        found = [t for t in ("Alpha", "Beta", "Gamma") if f">{t}</a>" in html]
        return sorted(found, key=lambda t: html.index(f">{t}</a>"))

    assert shown() == ["Beta", "Alpha", "Gamma"]  # dated first, then by when they were added
    assert shown(status="done") == ["Gamma"]
    assert shown(owner="Dana") == ["Alpha"]
    assert shown(overdue="true") == ["Beta"]
    bad = client.get(f"/organizations/{org.id}/plan", query_string={"status": "nope"})
    assert bad.status_code == 200 and "Filter status" in bad.get_data(as_text=True)


def test_may_an_auditor_comment_but_not_edit(client, world, factory):
    org = world["org"]
    item = plan.create_action(org, world["owner"], {"title": "Alpha"})
    db.session.commit()
    auditor = client.application.test_client()
    login_as(auditor, "auditor@example.com")
    page = auditor.get(f"/actions/{item.id}").get_data(as_text=True)
    assert "Add the comment" in page and "Save the action" not in page
    token = csrf_token(auditor, f"/actions/{item.id}")
    said = auditor.post(f"/actions/{item.id}/comments", data={"csrf_token": token, "text": "Seen."})
    assert said.status_code == 302
    assert "Seen." in auditor.get(f"/actions/{item.id}").get_data(as_text=True)
    edit = auditor.post(f"/actions/{item.id}", data={"csrf_token": token, "title": "Mine"})
    assert edit.status_code == 403
    assert auditor.post(f"/actions/{item.id}/close", data={"csrf_token": token}).status_code == 403


def test_does_a_met_item_propose_closing_and_close(client, world, factory):
    turn_into_plan(client, world["first"])
    q1 = next(a for a in plan.actions_of(world["org"]) if a.question_id == Q1)
    later = factory.assessment(world["org"], world["owner"], QUICK, {Q1: 2, Q2: 1})
    assessments.submit(later, world["owner"])
    db.session.commit()
    page = client.get(f"/organizations/{world['org'].id}/plan").get_data(as_text=True)
    block = page[page.index(f'id="a-{q1.id}"') :]
    block = block[: block.index("</li>")]
    assert f"Met in {submission_label(later)}" in block and "Close it: mark done" in block
    token = csrf_token(client, f"/organizations/{world['org'].id}/plan")
    closed = client.post(f"/actions/{q1.id}/close", data={"csrf_token": token})
    assert closed.status_code == 302
    db.session.expire_all()
    assert db.session.get(Action, q1.id).status == "done"
    results = client.get(f"/assessments/{later.id}/results").get_data(as_text=True)
    assert re.search(r"Action plan: <strong>1 of \d+ done, none overdue</strong>", results)
