"""Assessments an owner can tidy and build on: deleting a draft (never a submitted record),
starting a full assessment from a quick check's answers (the questions both share), and
human names per organization ("Full assessment 3") instead of global ids."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from assess.core.questionnaire import get_questionnaire
from assess.records import assessments
from assess.records.database import db
from assess.records.models import Answer, AnswerChange, Assessment
from tests.factories import bearer, csrf_token

QUICK = "ciso-nine-areas-quick"
FULL = "ciso-nine-areas"
Q1 = "program-oversight.accountable-owner"
Q2 = "incident-response.plan"


@pytest.fixture
def org(factory):
    owner = factory.user("owner@example.com")
    org = factory.organization(owner, "Harbor Dental")
    contributor = factory.user("contributor@example.com")
    factory.member(org, contributor, "contributor")
    auditor = factory.user("auditor@example.com")
    factory.member(org, auditor, "auditor")
    quick = factory.assessment(org, owner, QUICK, {Q1: 3, Q2: {"level": 2, "note": "Tested."}})
    assessments.submit(quick, owner)
    db.session.commit()
    return SimpleNamespace(
        org=org,
        owner=owner,
        quick=quick,
        factory=factory,
        headers={
            "owner": bearer(factory.token(owner)),
            "contributor": bearer(factory.token(contributor)),
            "auditor": bearer(factory.token(auditor)),
        },
    )


def count(model, **where) -> int:
    db.session.rollback()
    query = select(func.count()).select_from(model)
    for key, value in where.items():
        query = query.where(getattr(model, key) == value)
    return db.session.scalar(query)


# --------------------------------------------------------------------------- delete a draft


def test_can_an_owner_delete_a_draft_and_never_a_submitted_one(client, org):
    draft = org.factory.assessment(org.org, org.owner, FULL, {Q1: 1})
    draft_id = draft.id
    url = f"/api/v1/assessments/{draft_id}"
    assert client.delete(url, headers=org.headers["contributor"]).status_code == 403
    assert client.delete(url, headers=org.headers["auditor"]).status_code == 403
    gone = client.delete(url, headers=org.headers["owner"])
    assert gone.status_code == 204 and gone.get_data() == b""
    assert client.get(url, headers=org.headers["owner"]).status_code == 404
    assert count(Answer, assessment_id=draft_id) == 0
    assert count(AnswerChange, assessment_id=draft_id) == 0
    assert client.delete(url, headers=org.headers["owner"]).status_code == 404

    kept = client.delete(f"/api/v1/assessments/{org.quick.id}", headers=org.headers["owner"])
    assert kept.status_code == 409 and "record" in kept.get_json()["error"]["message"]
    assert count(Assessment, id=org.quick.id) == 1


def test_can_an_owner_delete_a_draft_on_the_organization_page(client, org, login):
    draft = org.factory.assessment(org.org, org.owner, FULL)
    draft_id = draft.id
    login("owner@example.com")
    page = f"/organizations/{org.org.id}"
    html = client.get(page).get_data(as_text=True)
    assert f"/assessments/{draft_id}/delete" in html
    assert f"/assessments/{org.quick.id}/delete" not in html  # no button for a record
    token = csrf_token(client, page)
    done = client.post(f"/assessments/{draft_id}/delete", data={"csrf_token": token})
    assert done.status_code == 302 and done.headers["Location"] == page
    assert count(Assessment, id=draft_id) == 0
    assert "Full assessment 1 (a draft) was deleted" in client.get(page).get_data(as_text=True)
    refused = client.post(f"/assessments/{org.quick.id}/delete", data={"csrf_token": token})
    assert refused.status_code == 409
    assert count(Assessment, id=org.quick.id) == 1


def test_does_a_contributor_see_no_delete_button(client, org, login):
    org.factory.assessment(org.org, org.owner, FULL)
    login("contributor@example.com")
    assert "Delete draft" not in client.get(f"/organizations/{org.org.id}").get_data(as_text=True)


# --------------------------------------------------------------------------- from a quick check


def test_does_a_full_assessment_start_from_a_quick_checks_shared_answers(client, org):
    made = client.post(
        f"/api/v1/organizations/{org.org.id}/assessments",
        json={"questionnaire": FULL, "copy_from": org.quick.id},
        headers=org.headers["contributor"],
    )
    assert made.status_code == 201, made.get_data(as_text=True)
    body = made.get_json()
    assert body["questionnaire"]["id"] == FULL and body["status"] == "draft"
    assert body["answers"][Q1]["value"] == 3
    assert body["answers"][Q2] | {"updated_at": None} == {
        "value": 2,
        "note": "Tested.",
        "version": 1,
        "updated_at": None,
    }
    shared = set(get_questionnaire(QUICK).questions) & set(get_questionnaire(FULL).questions)
    assert set(body["answers"]) == {Q1, Q2} <= shared
    assert body["progress"]["total"] == len(get_questionnaire(FULL).questions)
    assert body["name"] == "Full assessment 1"


def test_is_copy_from_an_id_or_last_and_never_null(client, org):
    """3.0 is the id 3 (JSON does not tell them apart); null is not a source (leave it out)."""
    url = f"/api/v1/organizations/{org.org.id}/assessments"
    made = client.post(
        url, json={"copy_from": float(org.quick.id)}, headers=org.headers["contributor"]
    )
    assert made.status_code == 201, made.get_data(as_text=True)
    for value in (None, str(org.quick.id), True):
        refused = client.post(
            url,
            json={"questionnaire": FULL, "copy_from": value},
            headers=org.headers["contributor"],
        )
        assert refused.status_code == 422, value
        assert set(refused.get_json()["error"]["details"]) == {"copy_from"}


def test_does_the_start_form_offer_the_last_quick_check(client, org, login):
    login("owner@example.com")
    page = f"/organizations/{org.org.id}"
    html = client.get(page).get_data(as_text=True)
    assert "Start from Quick check 1" in html
    token = csrf_token(client, page)
    started = client.post(
        f"/organizations/{org.org.id}/assessments",
        data={"csrf_token": token, "questionnaire": FULL, "copy_from": str(org.quick.id)},
    )
    assert started.status_code == 302
    new = db.session.scalar(select(Assessment).order_by(Assessment.id.desc()).limit(1))
    assert new.questionnaire_id == FULL and new.copied_from_id == org.quick.id
    db.session.refresh(new)
    assert {a.question_id: a.level for a in new.answers} == {Q1: 3, Q2: 2}
    other = org.factory.organization(org.factory.user("else@example.com"), "Elsewhere")
    stolen = client.post(
        f"/organizations/{org.org.id}/assessments",
        data={"csrf_token": token, "questionnaire": FULL, "copy_from": "999999"},
    )
    assert stolen.status_code == 302 and other.id  # flashed back, nothing copied
    assert count(Assessment) == 2


# --------------------------------------------------------------------------- names


def test_are_assessments_numbered_per_organization_and_questionnaire(client, org, factory):
    second_quick = factory.assessment(org.org, org.owner, QUICK)
    full = factory.assessment(org.org, org.owner, FULL)
    other = factory.organization(factory.user("other@example.com"), "Other")
    theirs = factory.assessment(other, other.memberships[0].user, QUICK)
    names = {a.id: assessments.name_of(a) for a in (org.quick, second_quick, full, theirs)}
    assert names == {
        org.quick.id: "Quick check 1",
        second_quick.id: "Quick check 2",
        full.id: "Full assessment 1",
        theirs.id: "Quick check 1",
    }
    listed = client.get(
        f"/api/v1/organizations/{org.org.id}/assessments", headers=org.headers["auditor"]
    ).get_json()["assessments"]
    assert [a["name"] for a in listed] == ["Quick check 1", "Quick check 2", "Full assessment 1"]
    # deleting a draft never renames the others (a submitted report keeps its name)
    third = factory.assessment(org.org, org.owner, QUICK)
    client.delete(f"/api/v1/assessments/{second_quick.id}", headers=org.headers["owner"])
    db.session.expire_all()
    assert assessments.name_of(third) == "Quick check 3"


def test_do_pages_name_assessments_instead_of_ids(client, org, login):
    login("owner@example.com")
    html = client.get(f"/organizations/{org.org.id}").get_data(as_text=True)
    assert "Quick check 1" in html and f"#{org.quick.id}" not in html
    review = client.get(f"/assessments/{org.quick.id}/review").get_data(as_text=True)
    assert "Check before submitting" in review and "Quick check 1" in review
    assert ">Review<" not in review


def test_does_a_save_that_waited_for_a_deleted_draft_answer_404(client, org, app):
    """A save that took its turn after the draft was deleted (another request's commit)
    finds nothing to save into: 404, not a server error."""
    from assess.records.answers import save_answers

    draft = org.factory.assessment(org.org, org.owner, FULL)
    draft_id = draft.id
    with app.app_context():  # the other request: its own session, committed
        gone = db.session.get(Assessment, draft_id)
        assessments.delete_draft(gone)
        db.session.commit()
    from assess.records.errors import NotFound

    with pytest.raises(NotFound):
        save_answers(draft, org.owner, {Q1: 2})
    db.session.rollback()
