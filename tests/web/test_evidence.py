"""Evidence behind answers: files and links, by sniffed content only, within the size limit,
stored once by hash, served as sandboxed attachments; added after submission too, removed
from drafts only; strangers see nothing."""

from __future__ import annotations

import io
import zipfile
from types import SimpleNamespace

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from assess.records import assessments
from assess.records.database import db
from assess.records.models import Evidence
from tests.factories import bearer, csrf_token

QUICK = "ciso-nine-areas-quick"
Q1 = "program-oversight.accountable-owner"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SANDBOX = "sandbox; default-src 'none'; frame-ancestors 'none'"


def office(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


TYPES = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
DOCX = office({"[Content_Types].xml": TYPES, "word/document.xml": b"<w:document/>"})
XLSX = office({"[Content_Types].xml": TYPES, "xl/workbook.xml": b"<workbook/>"})


@pytest.fixture
def world(factory):
    org, people = factory.team()
    owner = people["owner"]
    stranger = factory.user("stranger@example.com")
    factory.organization(stranger, "Elsewhere Ltd")
    people["stranger"] = stranger
    draft = factory.assessment(org, owner, QUICK, {Q1: 2})
    submitted = factory.assessment(org, owner, QUICK, {Q1: 3})
    assessments.submit(submitted, owner)
    db.session.commit()
    return SimpleNamespace(
        org=org,
        draft=draft,
        submitted=submitted,
        people=people,
        headers={role: bearer(factory.token(user)) for role, user in people.items()},
    )


def multipart(fields: dict) -> dict:
    """A multipart body built in memory (the test client spools one over 500 KB to a temporary
    file that it never closes, and the ResourceWarning would fail a later test)."""
    boundary, body = encode_multipart(fields)
    return {"data": body, "content_type": f"multipart/form-data; boundary={boundary}"}


def upload(client, headers, assessment_id, data, name="policy.pdf", question=Q1, **kw):
    mimetype = kw.pop("content_type", "application/pdf")
    return client.post(
        f"/api/v1/assessments/{assessment_id}/answers/{question}/evidence",
        headers=headers,
        **multipart({"file": FileStorage(io.BytesIO(data), name, content_type=mimetype)}),
        **kw,
    )


# --------------------------------------------------------------------------- adding


def test_does_an_upload_answer_201_with_the_document(client, world, app):
    response = upload(client, world.headers["contributor"], world.draft.id, PDF)
    assert response.status_code == 201, response.get_json()
    doc = response.get_json()
    assert doc["filename"] == "policy.pdf" and doc["size"] == len(PDF)
    assert doc["content_type"] == "application/pdf" and doc["kind"] == "file"
    assert doc["added_by"] == "contributor@example.com" and doc["added_at"].endswith("Z")
    import hashlib

    assert doc["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert response.headers["Location"] == f"/api/v1/evidence/{doc['id']}"
    stored = app.instance_path + f"/evidence/{doc['sha256'][:2]}/{doc['sha256'][2:]}"
    with open(stored, "rb") as fh:
        assert fh.read() == PDF


@pytest.mark.parametrize(
    ("data", "mimetype"),
    [
        (PDF, "application/pdf"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "image/png"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 20, "image/jpeg"),
        ("Policy signed by the board. Überprüft.".encode(), "text/plain"),
        (b"control,level\nMFA,3\nBackups,2\n", "text/csv"),
        (DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_is_each_accepted_kind_recognized_by_content_not_name(client, world, data, mimetype):
    """The name says .bin and the client says octet-stream: the content decides."""
    response = upload(
        client,
        world.headers["owner"],
        world.draft.id,
        data,
        name="upload.bin",
        content_type="application/octet-stream",
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["content_type"] == mimetype
    assert response.get_json()["filename"].startswith("upload.bin.")


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64, "Windows or DOS program"),
        (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "HTML or XML"),
        (b"  \n<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>", "HTML or XML"),
        (b"\x7fELF\x02\x01\x01", "Linux program"),
        (office({"readme.txt": b"hi"}), "ZIP archive"),
        (
            office(
                {
                    "[Content_Types].xml": b"application/vnd.ms-word.document.macroEnabled.main+xml",
                    "word/document.xml": b"<w/>",
                }
            ),
            "macros",
        ),
        (office({"[Content_Types].xml": TYPES, "ppt/slide1.xml": b"<p/>"}), "other than Word"),
        (b"\x00\x01\x02\x03 binary", "binary"),
        (b"caf\xe9 latin-1", "not UTF-8"),
        (b"", "empty"),
    ],
)
def test_is_anything_else_refused_with_415_even_when_named_pdf(client, world, data, says):
    response = upload(client, world.headers["owner"], world.draft.id, data, name="scan.pdf")
    assert response.status_code == 415
    message = response.get_json()["error"]["message"]
    assert says in message
    assert db.session.query(Evidence).count() == 0


def test_is_a_file_over_the_limit_413_and_one_at_the_limit_accepted(client, world, app):
    app.config["ASSESS_MAX_EVIDENCE"] = 2000
    at_limit = b"a,b\n" * 500  # 2000 bytes
    assert upload(client, world.headers["owner"], world.draft.id, at_limit).status_code == 201
    over = at_limit + b"x"
    response = upload(client, world.headers["owner"], world.draft.id, over)
    assert response.status_code == 413
    assert "2,000 bytes allowed for evidence" in response.get_json()["error"]["message"]


def test_is_a_body_far_over_the_limit_refused_before_it_is_read(client, world, app):
    app.config["ASSESS_MAX_EVIDENCE"] = 2000
    response = upload(client, world.headers["owner"], world.draft.id, PDF + b"0" * 200_000)
    assert response.status_code == 413
    assert "allowed for evidence" in response.get_json()["error"]["message"]


def test_does_the_default_limit_take_files_over_one_megabyte(client, world, app):
    """The evidence route alone takes more than the ordinary 1 MB body."""
    assert app.config["MAX_CONTENT_LENGTH"] == 1024 * 1024
    assert app.config["ASSESS_MAX_EVIDENCE"] == 10 * 1024 * 1024
    big = PDF + b"0" * (3 * 1024 * 1024)
    assert upload(client, world.headers["owner"], world.draft.id, big).status_code == 201


def test_does_every_other_route_keep_the_one_megabyte_limit(client, world):
    """A 3 MB body to the answers route is still 413 (the evidence limit is per route)."""
    note = "x" * (3 * 1024 * 1024)
    response = client.patch(
        f"/api/v1/assessments/{world.draft.id}/answers",
        headers=world.headers["owner"],
        json={"answers": {Q1: {"level": 2, "note": note}}},
    )
    assert response.status_code == 413
    assert "1,048,576 bytes" in response.get_json()["error"]["message"]


def test_is_the_same_file_stored_once(client, world, app):
    import os

    first = upload(client, world.headers["owner"], world.draft.id, PDF).get_json()
    second = upload(client, world.headers["auditor"], world.submitted.id, PDF).get_json()
    assert first["sha256"] == second["sha256"] and first["id"] != second["id"]
    folder = os.path.join(app.instance_path, "evidence", first["sha256"][:2])
    assert os.listdir(folder) == [first["sha256"][2:]]


def test_can_a_link_be_attached_with_a_title(client, world):
    response = client.post(
        f"/api/v1/assessments/{world.draft.id}/answers/{Q1}/evidence",
        headers=world.headers["owner"],
        json={"url": "https://wiki.example.com/policies/security", "title": "Security policy"},
    )
    assert response.status_code == 201
    doc = response.get_json()
    assert doc["kind"] == "link" and doc["title"] == "Security policy"
    assert doc["size"] is None and doc["sha256"] is None and doc["filename"] is None
    got = client.get(f"/api/v1/evidence/{doc['id']}", headers=world.headers["auditor"])
    assert got.status_code == 200 and got.get_json() == doc
    # The document promises one sandbox for every download, a link's document too.
    assert (
        got.headers["Content-Security-Policy"]
        == "sandbox; default-src 'none'; frame-ancestors 'none'"
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "javascript:alert(1)"}, "url"),
        ({"url": "ftp://example.com/x"}, "url"),
        ({"url": "https://"}, "url"),
        ({"url": "https://example.com/a b"}, "url"),
        ({"url": "https://example.com/\ud800"}, "url"),
        ({"url": "https://example.com", "title": "a\x00b"}, "title"),
        ({"url": 5}, "url"),
        ({"title": "no url"}, "url"),
        ({"url": "https://example.com", "title": "t" * 201}, "title"),
        ({"url": "https://example.com", "extra": 1}, "extra"),
    ],
)
def test_is_a_bad_link_422(client, world, body, field):
    response = client.post(
        f"/api/v1/assessments/{world.draft.id}/answers/{Q1}/evidence",
        headers=world.headers["owner"],
        json=body,
    )
    assert response.status_code == 422
    assert field in response.get_json()["error"]["details"]


def test_is_an_unknown_question_404(client, world):
    response = upload(client, world.headers["owner"], world.draft.id, PDF, question="no.such")
    assert response.status_code == 404


def test_is_a_body_that_is_neither_multipart_nor_json_400(client, world):
    response = client.post(
        f"/api/v1/assessments/{world.draft.id}/answers/{Q1}/evidence",
        headers=world.headers["owner"],
        data=PDF,
        content_type="application/pdf",
    )
    assert response.status_code == 400


def test_is_a_multipart_body_without_a_file_422(client, world):
    response = client.post(
        f"/api/v1/assessments/{world.draft.id}/answers/{Q1}/evidence",
        headers=world.headers["owner"],
        data={"other": "x"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert set(response.get_json()["error"]["details"]) == {"other"}


# --------------------------------------------------------------------------- reading


def test_is_a_download_a_sandboxed_attachment_of_the_sniffed_type(client, world):
    doc = upload(client, world.headers["owner"], world.draft.id, PDF, name="Zugänge.pdf").get_json()
    response = client.get(f"/api/v1/evidence/{doc['id']}", headers=world.headers["auditor"])
    assert response.status_code == 200
    assert response.data == PDF
    assert response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''Zug%C3%A4nge.pdf" in disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == SANDBOX
    assert "no-store" in response.headers["Cache-Control"]


def test_is_text_served_as_text_plain_attachment(client, world):
    doc = upload(client, world.headers["owner"], world.draft.id, b"hello", name="a.html").get_json()
    assert doc["filename"] == "a.html.txt"
    response = client.get(f"/api/v1/evidence/{doc['id']}", headers=world.headers["owner"])
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="a.html.txt"'


def test_does_the_list_show_each_item_of_the_question(client, world):
    upload(client, world.headers["owner"], world.draft.id, PDF)
    upload(client, world.headers["owner"], world.draft.id, b"notes", name="notes.txt")
    response = client.get(
        f"/api/v1/assessments/{world.draft.id}/answers/{Q1}/evidence",
        headers=world.headers["auditor"],
    )
    assert response.status_code == 200
    assert [e["filename"] for e in response.get_json()["evidence"]] == ["policy.pdf", "notes.txt"]


def test_do_strangers_get_404_for_everything(client, world):
    doc = upload(client, world.headers["owner"], world.draft.id, PDF).get_json()
    stranger = world.headers["stranger"]
    base = f"/api/v1/assessments/{world.draft.id}/answers/{Q1}/evidence"
    assert client.get(base, headers=stranger).status_code == 404
    assert upload(client, stranger, world.draft.id, PDF).status_code == 404
    assert client.get(f"/api/v1/evidence/{doc['id']}", headers=stranger).status_code == 404
    assert client.delete(f"/api/v1/evidence/{doc['id']}", headers=stranger).status_code == 404
    assert db.session.query(Evidence).count() == 1


# --------------------------------------------------------------------------- after submission


def test_can_every_member_add_evidence_after_submission(client, world):
    for role in ("auditor", "contributor", "owner"):
        response = upload(client, world.headers[role], world.submitted.id, PDF)
        assert response.status_code == 201, role


def test_is_evidence_of_a_submitted_assessment_never_removed(client, world):
    doc = upload(client, world.headers["auditor"], world.submitted.id, PDF).get_json()
    for role in ("owner", "contributor"):
        response = client.delete(f"/api/v1/evidence/{doc['id']}", headers=world.headers[role])
        assert response.status_code == 409
    assert (
        client.delete(f"/api/v1/evidence/{doc['id']}", headers=world.headers["auditor"]).status_code
        == 403
    )
    assert db.session.get(Evidence, doc["id"]) is not None


def test_is_evidence_added_to_a_draft_kept_once_it_is_submitted(client, world):
    doc = upload(client, world.headers["owner"], world.draft.id, PDF).get_json()
    assessments.submit(world.draft, world.people["owner"])
    db.session.commit()
    response = client.delete(f"/api/v1/evidence/{doc['id']}", headers=world.headers["owner"])
    assert response.status_code == 409


def test_can_owners_and_contributors_remove_evidence_from_a_draft(client, world):
    for role in ("owner", "contributor"):
        doc = upload(client, world.headers["owner"], world.draft.id, PDF).get_json()
        response = client.delete(f"/api/v1/evidence/{doc['id']}", headers=world.headers[role])
        assert response.status_code == 204
        assert db.session.get(Evidence, doc["id"]) is None


# --------------------------------------------------------------------------- pages


def test_can_a_page_attach_a_file_and_list_it(client, world, login):
    login("contributor@example.com")
    page = f"/assessments/{world.draft.id}?area=program-oversight"
    token = csrf_token(client, page)
    response = client.post(
        f"/assessments/{world.draft.id}/answers/{Q1}/evidence",
        data={"csrf_token": token, "back": "survey", "file": (io.BytesIO(PDF), "policy.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#evidence-{Q1}")
    html = client.get(page).get_data(as_text=True)
    item = db.session.query(Evidence).one()
    assert f'href="/evidence/{item.id}"' in html and "policy.pdf" in html
    download = client.get(f"/evidence/{item.id}")
    assert download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["Content-Security-Policy"] == SANDBOX


def test_does_a_page_refuse_a_disguised_file_and_say_why(client, world, login):
    login("owner@example.com")
    page = f"/assessments/{world.draft.id}?area=program-oversight"
    token = csrf_token(client, page)
    response = client.post(
        f"/assessments/{world.draft.id}/answers/{Q1}/evidence",
        data={"csrf_token": token, "file": (io.BytesIO(b"<html></html>"), "scan.pdf")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "HTML or XML" in response.get_data(as_text=True)
    assert db.session.query(Evidence).count() == 0


def test_does_a_page_form_need_its_csrf_token(client, world, login):
    login("owner@example.com")
    response = client.post(
        f"/assessments/{world.draft.id}/answers/{Q1}/evidence",
        data={"file": (io.BytesIO(PDF), "policy.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert db.session.query(Evidence).count() == 0


def test_does_the_reviews_page_list_evidence_with_a_form_for_the_auditor(client, world, login):
    upload(client, world.headers["owner"], world.submitted.id, PDF)
    login("auditor@example.com")
    html = client.get(f"/assessments/{world.submitted.id}/reviews").get_data(as_text=True)
    assert "policy.pdf" in html
    assert f'action="/assessments/{world.submitted.id}/answers/{Q1}/evidence"' in html
    assert 'enctype="multipart/form-data"' in html
    assert "Remove" not in html  # submitted: nothing is removed


def test_does_the_results_page_list_evidence(client, world, login):
    doc = upload(client, world.headers["owner"], world.submitted.id, PDF).get_json()
    login("auditor@example.com")
    html = client.get(f"/assessments/{world.submitted.id}/results").get_data(as_text=True)
    assert 'id="evidence"' in html and f'href="/evidence/{doc["id"]}"' in html


# --------------------------------------------------------------------------- the document


def test_do_the_answers_match_the_openapi_schemas(client, world):
    from tests.web.test_api import problems

    doc = client.get("/api/v1/openapi.json").get_json()
    schema = doc["paths"]["/api/v1/assessments/{assessment_id}/answers/{question_id}/evidence"]
    post = schema["post"]
    assert set(post["requestBody"]["content"]) == {"multipart/form-data", "application/json"}
    assert {"201", "400", "401", "404", "413", "415", "422"} == set(post["responses"])
    file_doc = upload(client, world.headers["owner"], world.draft.id, PDF).get_json()
    link_doc = client.post(
        f"/api/v1/assessments/{world.draft.id}/answers/{Q1}/evidence",
        headers=world.headers["owner"],
        json={"url": "https://example.com/policy", "title": None},
    ).get_json()
    assert link_doc["title"] == "https://example.com/policy"
    for value in (file_doc, link_doc):
        assert problems(doc, {"$ref": "#/components/schemas/Evidence"}, value) == []
    listed = client.get(
        f"/api/v1/assessments/{world.draft.id}/answers/{Q1}/evidence",
        headers=world.headers["owner"],
    ).get_json()
    assert problems(doc, {"$ref": "#/components/schemas/EvidenceList"}, listed) == []
    delete = doc["paths"]["/api/v1/evidence/{evidence_id}"]["delete"]["responses"]
    assert {"204", "401", "403", "404", "409"} == set(delete)


def test_is_a_removed_file_deleted_from_the_store_once_nothing_names_it(client, world, app):
    import os

    first = upload(client, world.headers["owner"], world.draft.id, PDF).get_json()
    second = upload(client, world.headers["owner"], world.draft.id, PDF).get_json()
    stored = os.path.join(app.instance_path, "evidence", first["sha256"][:2])
    client.delete(f"/api/v1/evidence/{first['id']}", headers=world.headers["owner"])
    assert os.listdir(stored) == [first["sha256"][2:]]  # the second item still names it
    client.delete(f"/api/v1/evidence/{second['id']}", headers=world.headers["owner"])
    assert not os.path.exists(stored)


def test_does_a_file_missing_from_the_store_answer_404_not_500(client, world, app):
    import os

    doc = upload(client, world.headers["owner"], world.draft.id, PDF).get_json()
    os.unlink(os.path.join(app.instance_path, "evidence", doc["sha256"][:2], doc["sha256"][2:]))
    response = client.get(f"/api/v1/evidence/{doc['id']}", headers=world.headers["owner"])
    assert response.status_code == 404
    assert "missing" in response.get_json()["error"]["message"]


def test_is_the_evidence_limit_read_from_the_environment(monkeypatch):
    from assess.web import config

    monkeypatch.setenv("ASSESS_MAX_EVIDENCE", "25MB")
    assert config.max_evidence() == 25 * 1024 * 1024
    monkeypatch.setenv("ASSESS_MAX_EVIDENCE", "2048")
    assert config.max_evidence() == 2048
    monkeypatch.setenv("ASSESS_MAX_EVIDENCE", "a lot")
    assert config.max_evidence() == 10 * 1024 * 1024


def test_does_a_chunked_upload_get_the_evidence_limit_not_the_body_limit(client, world, app):
    """A body without Content-Length is read before anything else; the evidence route's
    larger cap applies to it, and past that cap it is refused."""
    app.config["MAX_CONTENT_LENGTH"] = 5000
    app.config["ASSESS_MAX_EVIDENCE"] = 20_000
    path = f"/api/v1/assessments/{world.draft.id}/answers/{Q1}/evidence"

    def chunked(data: bytes):
        body = multipart({"file": FileStorage(io.BytesIO(data), "big.pdf")})
        return client.post(
            path,
            input_stream=io.BytesIO(body["data"]),
            content_type=body["content_type"],
            headers={**world.headers["owner"], "Transfer-Encoding": "chunked"},
            environ_overrides={"wsgi.input_terminated": True},
        )

    assert chunked(PDF + b"0" * 15_000).status_code == 201
    response = chunked(PDF + b"0" * 200_000)
    assert response.status_code == 413
    assert "allowed for evidence" in response.get_json()["error"]["message"]
