"""Evidence on plan items: the same files and links as on answers (sniffed, within the size
limit, sandboxed downloads), added by every member whatever the item's status, removed by
owners and contributors only while the item is open or in progress; strangers see nothing.
The schema holds each evidence row to exactly one owner: an answer or a plan item."""

from __future__ import annotations

import hashlib
import io
from types import SimpleNamespace

import pytest
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from assess.records import evidence, plan
from assess.records.database import db
from assess.records.models import Action, Evidence
from tests.factories import bearer, csrf_token

QUICK = "ciso-nine-areas-quick"
Q1 = "program-oversight.accountable-owner"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SANDBOX = "sandbox; default-src 'none'; frame-ancestors 'none'"


@pytest.fixture
def world(factory):
    org, people = factory.team()
    owner = people["owner"]
    stranger = factory.user("stranger@example.com")
    factory.organization(stranger, "Elsewhere Ltd")
    people["stranger"] = stranger
    item = plan.create_action(org, owner, {"title": "Write the incident response plan"})
    draft = factory.assessment(org, owner, QUICK, {Q1: 2})
    db.session.commit()
    return SimpleNamespace(
        org=org,
        item=item,
        draft=draft,
        people=people,
        headers={role: bearer(factory.token(user)) for role, user in people.items()},
    )


def multipart(fields: dict) -> dict:
    boundary, body = encode_multipart(fields)
    return {"data": body, "content_type": f"multipart/form-data; boundary={boundary}"}


def upload(client, headers, action_id, data, name="signed.pdf"):
    return client.post(
        f"/api/v1/actions/{action_id}/evidence",
        headers=headers,
        **multipart(
            {"file": FileStorage(io.BytesIO(data), name, content_type="application/octet-stream")}
        ),
    )


def set_status(item: Action, user, status: str) -> None:
    values = {"status": status}
    if status == "risk_accepted":
        values["risk_justification"] = "The board accepts it for this year."
    plan.update_action(db.session.get(Action, item.id), user, values)
    db.session.commit()


# --------------------------------------------------------------------------- the API


def test_does_an_upload_answer_201_with_the_same_document_as_an_answers(client, world, app):
    response = upload(client, world.headers["contributor"], world.item.id, PDF)
    assert response.status_code == 201, response.get_json()
    doc = response.get_json()
    assert {"id", "filename", "size", "sha256", "content_type", "added_by", "added_at"} <= set(doc)
    assert doc["filename"] == "signed.pdf" and doc["size"] == len(PDF)
    assert doc["content_type"] == "application/pdf" and doc["kind"] == "file"
    assert doc["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert doc["added_by"] == "contributor@example.com" and doc["added_at"].endswith("Z")
    assert doc["action_id"] == world.item.id and doc["question_id"] is None
    assert response.headers["Location"] == f"/api/v1/evidence/{doc['id']}"
    stored = app.instance_path + f"/evidence/{doc['sha256'][:2]}/{doc['sha256'][2:]}"
    with open(stored, "rb") as fh:
        assert fh.read() == PDF


def test_can_a_link_be_attached_with_a_title(client, world):
    response = client.post(
        f"/api/v1/actions/{world.item.id}/evidence",
        headers=world.headers["owner"],
        json={"url": "https://wiki.example.com/ir-plan", "title": "  IR   plan v2 "},
    )
    assert response.status_code == 201, response.get_json()
    doc = response.get_json()
    assert doc["kind"] == "link" and doc["title"] == "IR plan v2"
    assert doc["url"] == "https://wiki.example.com/ir-plan" and doc["filename"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "javascript:alert(1)"}, "url"),
        ({"url": "https://example.com", "title": 7}, "title"),
        ({}, "url"),
    ],
)
def test_is_a_bad_link_422(client, world, body, field):
    response = client.post(
        f"/api/v1/actions/{world.item.id}/evidence", headers=world.headers["owner"], json=body
    )
    assert response.status_code == 422
    assert field in response.get_json()["error"]["details"]
    assert db.session.query(Evidence).count() == 0


def test_is_an_unknown_key_422(client, world):
    response = client.post(
        f"/api/v1/actions/{world.item.id}/evidence",
        headers=world.headers["owner"],
        json={"url": "https://example.com", "question_id": Q1},
    )
    assert response.status_code == 422


def test_is_content_that_is_no_accepted_kind_415_even_named_pdf(client, world):
    response = upload(client, world.headers["owner"], world.item.id, b"<html><script/>", "x.pdf")
    assert response.status_code == 415
    assert "HTML or XML" in response.get_json()["error"]["message"]
    assert db.session.query(Evidence).count() == 0


def test_is_a_file_over_the_limit_413_and_one_at_the_limit_accepted(client, world, app):
    app.config["ASSESS_MAX_EVIDENCE"] = 2000
    at_limit = b"a,b\n" * 500
    assert upload(client, world.headers["owner"], world.item.id, at_limit).status_code == 201
    response = upload(client, world.headers["owner"], world.item.id, at_limit + b"x")
    assert response.status_code == 413
    assert "2,000 bytes allowed for evidence" in response.get_json()["error"]["message"]


def test_does_the_route_take_files_over_the_ordinary_one_megabyte(client, world, app):
    assert app.config["MAX_CONTENT_LENGTH"] == 1024 * 1024
    big = PDF + b"0" * (2 * 1024 * 1024)
    assert upload(client, world.headers["owner"], world.item.id, big).status_code == 201


def test_is_a_body_neither_multipart_nor_json_400(client, world):
    response = client.post(
        f"/api/v1/actions/{world.item.id}/evidence",
        headers=world.headers["owner"],
        data="hello",
        content_type="text/plain",
    )
    assert response.status_code == 400


def test_does_the_item_list_its_evidence_oldest_first(client, world):
    first = upload(client, world.headers["owner"], world.item.id, PDF).get_json()
    second = client.post(
        f"/api/v1/actions/{world.item.id}/evidence",
        headers=world.headers["auditor"],
        json={"url": "https://example.com/seen"},
    ).get_json()
    doc = client.get(f"/api/v1/actions/{world.item.id}", headers=world.headers["auditor"])
    assert [e["id"] for e in doc.get_json()["evidence"]] == [first["id"], second["id"]]
    listed = client.get(
        f"/api/v1/organizations/{world.org.id}/actions", headers=world.headers["owner"]
    ).get_json()
    assert [e["id"] for e in listed["actions"][0]["evidence"]] == [first["id"], second["id"]]


def test_is_a_download_a_sandboxed_attachment(client, world):
    doc = upload(client, world.headers["owner"], world.item.id, PDF).get_json()
    response = client.get(f"/api/v1/evidence/{doc['id']}", headers=world.headers["auditor"])
    assert response.status_code == 200 and response.data == PDF
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == 'attachment; filename="signed.pdf"'
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == SANDBOX


def test_do_strangers_get_404_for_everything(client, world):
    doc = upload(client, world.headers["owner"], world.item.id, PDF).get_json()
    stranger = world.headers["stranger"]
    assert client.get(f"/api/v1/evidence/{doc['id']}", headers=stranger).status_code == 404
    assert client.delete(f"/api/v1/evidence/{doc['id']}", headers=stranger).status_code == 404
    assert upload(client, stranger, world.item.id, PDF).status_code == 404
    assert upload(client, stranger, 999_999, PDF).status_code == 404


@pytest.mark.parametrize("status", ["open", "in_progress", "done", "risk_accepted"])
def test_can_every_member_add_evidence_whatever_the_status(client, world, status):
    if status != "open":
        set_status(world.item, world.people["owner"], status)
    for role in ("owner", "contributor", "auditor"):
        assert upload(client, world.headers[role], world.item.id, PDF).status_code == 201


@pytest.mark.parametrize("status", ["open", "in_progress"])
def test_can_owners_and_contributors_remove_evidence_while_the_item_is_open(client, world, status):
    if status != "open":
        set_status(world.item, world.people["owner"], status)
    ids = [upload(client, world.headers["auditor"], world.item.id, PDF).get_json()["id"]]
    ids.append(upload(client, world.headers["auditor"], world.item.id, PDF).get_json()["id"])
    auditor = client.delete(f"/api/v1/evidence/{ids[0]}", headers=world.headers["auditor"])
    assert auditor.status_code == 403
    for role, evidence_id in zip(("owner", "contributor"), ids, strict=True):
        response = client.delete(f"/api/v1/evidence/{evidence_id}", headers=world.headers[role])
        assert response.status_code == 204
    assert db.session.query(Evidence).count() == 0


@pytest.mark.parametrize("status", ["done", "risk_accepted"])
def test_does_a_closed_item_keep_its_evidence_until_reopened(client, world, status):
    doc = upload(client, world.headers["owner"], world.item.id, PDF).get_json()
    set_status(world.item, world.people["owner"], status)
    response = client.delete(f"/api/v1/evidence/{doc['id']}", headers=world.headers["owner"])
    assert response.status_code == 409
    assert "no longer be removed" in response.get_json()["error"]["message"]
    assert db.session.get(Evidence, doc["id"]) is not None
    set_status(world.item, world.people["owner"], "open")
    response = client.delete(f"/api/v1/evidence/{doc['id']}", headers=world.headers["owner"])
    assert response.status_code == 204


def test_is_a_file_shared_with_an_answer_kept_until_neither_names_it(client, world, app):
    import os

    answer = evidence.add_file(world.draft, world.people["owner"], Q1, "a.pdf", PDF, 1024)
    db.session.commit()
    doc = upload(client, world.headers["owner"], world.item.id, PDF).get_json()
    assert doc["sha256"] == answer.sha256
    stored = app.instance_path + f"/evidence/{doc['sha256'][:2]}/{doc['sha256'][2:]}"
    assert (
        client.delete(f"/api/v1/evidence/{doc['id']}", headers=world.headers["owner"]).status_code
        == 204
    )
    assert os.path.exists(stored)  # the answer still names it


def test_do_the_answers_match_the_openapi_schemas(client, world):
    from tests.web.test_api import problems

    doc = client.get("/api/v1/openapi.json").get_json()
    post = doc["paths"]["/api/v1/actions/{action_id}/evidence"]["post"]
    assert set(post["requestBody"]["content"]) == {"multipart/form-data", "application/json"}
    assert {"201", "400", "401", "404", "413", "415", "422"} == set(post["responses"])
    file_doc = upload(client, world.headers["owner"], world.item.id, PDF).get_json()
    link_doc = client.post(
        f"/api/v1/actions/{world.item.id}/evidence",
        headers=world.headers["owner"],
        json={"url": "https://example.com/policy"},
    ).get_json()
    for value in (file_doc, link_doc):
        assert problems(doc, {"$ref": "#/components/schemas/Evidence"}, value) == []
    item = client.get(f"/api/v1/actions/{world.item.id}", headers=world.headers["owner"])
    assert problems(doc, {"$ref": "#/components/schemas/Action"}, item.get_json()) == []
    evidence_schema = doc["components"]["schemas"]["Evidence"]
    assert evidence_schema["additionalProperties"] is False
    assert set(evidence_schema["properties"]) == set(file_doc)


# --------------------------------------------------------------------------- the schema


@pytest.mark.parametrize(
    "owner",
    [
        {},  # nothing
        {"assessment_id": "draft", "question_id": Q1, "action_id": "item"},  # both
        {"assessment_id": "draft"},  # an answer without its question
        {"question_id": Q1, "action_id": "item"},  # a question on a plan item
    ],
)
def test_does_the_database_refuse_a_row_without_exactly_one_owner(world, owner):
    ids = {"draft": world.draft.id, "item": world.item.id}
    values = {key: ids.get(value, value) for key, value in owner.items()}
    db.session.add(Evidence(kind="link", url="https://example.com", title="x", **values))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_does_deleting_an_item_delete_its_evidence(world):
    evidence.add_link_to_action(world.item, world.people["owner"], "https://example.com")
    db.session.commit()
    db.session.delete(db.session.get(Action, world.item.id))
    db.session.commit()
    assert db.session.query(Evidence).count() == 0


# --------------------------------------------------------------------------- the page


def item_page(world) -> str:
    return f"/actions/{world.item.id}"


def post_form(client, world, data):
    token = csrf_token(client, item_page(world))
    return client.post(
        f"/actions/{world.item.id}/evidence",
        data={"evidence-csrf_token": token, **data},
        content_type="multipart/form-data",
    )


def test_can_the_page_attach_a_file_and_list_it(client, world, login):
    login("contributor@example.com")
    response = post_form(client, world, {"evidence-file": (io.BytesIO(PDF), "signed.pdf")})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/actions/{world.item.id}#evidence")
    html = client.get(item_page(world)).get_data(as_text=True)
    (item,) = db.session.query(Evidence).all()
    assert "Attached signed.pdf." in html
    assert f'href="/evidence/{item.id}"' in html and "contributor@example.com" in html
    assert f'action="/evidence/{item.id}/delete"' in html  # open: removable
    download = client.get(f"/evidence/{item.id}")
    assert download.data == PDF and download.headers["Content-Security-Policy"] == SANDBOX


def test_can_the_page_attach_a_link(client, world, login):
    login("owner@example.com")
    response = post_form(
        client, world, {"evidence-url": "https://wiki.example.com/ir", "evidence-title": "IR"}
    )
    assert response.status_code == 302
    html = client.get(item_page(world)).get_data(as_text=True)
    assert 'href="https://wiki.example.com/ir"' in html and ">IR</a>" in html


@pytest.mark.parametrize(
    ("data", "field", "says"),
    [
        ({"evidence-file": (io.BytesIO(b"<html></html>"), "scan.pdf")}, "file", "HTML or XML"),
        ({}, "file", "Choose a file, or give a link."),
        ({"evidence-url": "ftp://example.com/x"}, "url", "Use an http:// or https:// link."),
    ],
)
def test_does_the_page_show_what_is_wrong_on_the_field(client, world, login, data, field, says):
    login("owner@example.com")
    response = post_form(client, world, data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'<p class="error" id="evidence-{field}-error">' in html and says in html
    assert f'aria-describedby="evidence-{field}-hint evidence-{field}-error"' in html or (
        f'aria-describedby="evidence-{field}-error"' in html
    )
    assert db.session.query(Evidence).count() == 0


def test_does_the_page_form_need_its_csrf_token(client, world, login):
    login("owner@example.com")
    response = client.post(
        f"/actions/{world.item.id}/evidence",
        data={"evidence-file": (io.BytesIO(PDF), "signed.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert db.session.query(Evidence).count() == 0


def test_may_an_auditor_add_but_not_remove_on_the_page(client, world, login):
    upload(client, world.headers["owner"], world.item.id, PDF)
    login("auditor@example.com")
    html = client.get(item_page(world)).get_data(as_text=True)
    assert f'action="/actions/{world.item.id}/evidence"' in html
    assert "/delete" not in html
    response = post_form(client, world, {"evidence-url": "https://example.com/seen"})
    assert response.status_code == 302
    assert db.session.query(Evidence).count() == 2


def test_does_a_closed_item_page_offer_no_remove_and_refuse_one(client, world, login):
    doc = upload(client, world.headers["owner"], world.item.id, PDF).get_json()
    set_status(world.item, world.people["owner"], "done")
    login("owner@example.com")
    html = client.get(item_page(world)).get_data(as_text=True)
    assert "signed.pdf" in html and f"/evidence/{doc['id']}/delete" not in html
    assert "can still be added, but not removed" in html
    token = csrf_token(client, item_page(world))
    response = client.post(
        f"/evidence/{doc['id']}/delete", data={"csrf_token": token}, follow_redirects=True
    )
    assert "no longer be removed" in response.get_data(as_text=True)
    assert db.session.get(Evidence, doc["id"]) is not None


def test_does_removing_on_the_page_return_to_the_item(client, world, login):
    doc = upload(client, world.headers["owner"], world.item.id, PDF).get_json()
    login("contributor@example.com")
    token = csrf_token(client, item_page(world))
    response = client.post(f"/evidence/{doc['id']}/delete", data={"csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/actions/{world.item.id}#evidence")
    assert db.session.query(Evidence).count() == 0


def test_does_the_migration_keep_every_row_and_its_downgrade_only_plan_evidence(app, world):
    """Upgrading to the check (and back) rebuilds the evidence table on SQLite: nothing else
    may go with it. Going back drops plan items' evidence, which the older schema cannot hold."""
    from flask import current_app
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import func, select

    from assess.records.models import Assessment, Membership

    answer = evidence.add_link(world.draft, world.people["owner"], Q1, "https://example.com/a")
    evidence.add_link_to_action(world.item, world.people["owner"], "https://example.com/b")
    db.session.commit()
    answer_id = answer.id

    def counts() -> tuple[int, ...]:
        return tuple(
            db.session.scalar(select(func.count()).select_from(model))
            for model in (Assessment, Membership, Action)
        )

    before = counts()
    db.session.remove()
    directory = current_app.extensions["migrate"].directory
    downgrade(directory=directory, revision="f15a0d7e5c01")
    try:
        assert db.session.scalars(select(Evidence.id)).all() == [answer_id]
        assert counts() == before
    finally:
        db.session.remove()
        upgrade(directory=directory)  # the next tests (PostgreSQL: one shared schema) need it
    assert db.session.scalars(select(Evidence.id)).all() == [answer_id]
    assert counts() == before
    db.session.add(Evidence(kind="link", url="https://example.com", title="x"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
