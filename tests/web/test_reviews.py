"""Reviews an auditor can stand behind: only auditors verify; reviews are append-only with
their history; owners reply without changing a level; requests for evidence reach the owner;
the reviews page works an area at a time; an auditor signs a submitted assessment off; and
each answer's history of changes is shown and served."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import threading
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select, text

from assess.core.questionnaire import get_questionnaire
from assess.records import answers, assessments, history, reviews
from assess.records.database import db
from assess.records.models import Review
from tests.factories import Factory, bearer, csrf_token, login_as
from tests.web import test_durability
from tests.web.test_api import assert_schema
from tests.web.test_durability import Clients

#: A migrated database and a real multi-worker server on it (SQLite, and PostgreSQL).
database = test_durability.database

QUICK = "ciso-nine-areas-quick"
FULL = "ciso-nine-areas"
Q1 = "program-oversight.accountable-owner"
Q2 = "incident-response.plan"


@pytest.fixture
def doc(client):
    return client.get("/api/v1/openapi.json").get_json()


@pytest.fixture
def org(factory):
    org, people = factory.team()
    owner = people["owner"]
    headers = {name: bearer(factory.token(user)) for name, user in people.items()}
    first = factory.assessment(org, owner, QUICK, {Q1: 3, Q2: 1})
    assessments.submit(first, owner)
    db.session.commit()
    return SimpleNamespace(org=org, people=people, headers=headers, first=first)


def review(client, org, role="auditor", **body):
    return client.post(
        f"/api/v1/assessments/{org.first.id}/reviews", json=body, headers=org.headers[role]
    )


def signed_in(app, email):
    client = app.test_client()
    assert login_as(client, email).status_code == 302
    return client


# --------------------------------------------------------------------------- who verifies


@pytest.mark.parametrize("role", ["owner", "contributor"])
def test_can_only_an_auditor_record_a_review(client, org, role):
    refused = review(client, org, role, question_id=Q1, verified_level=0)
    assert refused.status_code == 403
    assert reviews.reviews_of(org.first) == {}
    assert review(client, org, question_id=Q1, verified_level=2).status_code == 201


def test_can_an_owner_overwrite_a_finding_on_the_page(app, org):
    reviews.save_review(org.first, org.people["auditor"], Q1, 0, "No owner named.")
    db.session.commit()
    client = signed_in(app, "owner@example.com")
    path = f"/assessments/{org.first.id}/reviews?area=program-oversight"
    html = client.get(path).get_data(as_text=True)
    assert 'name="v-' not in html  # no verdict to choose
    forged = client.post(
        path, data={"csrf_token": csrf_token(client, path), f"v-{Q1}": "3", f"c-{Q1}": "Fine."}
    )
    assert forged.status_code == 403
    assert reviews.reviews_of(org.first)[Q1].verified_level == 0


# --------------------------------------------------------------------------- append-only


def test_does_a_new_review_supersede_the_last_and_keep_it(client, org, doc):
    assert (
        review(client, org, question_id=Q1, verified_level=2, comment="Signed").status_code == 201
    )
    again = review(client, org, question_id=Q1, verified_level=1, comment="Unsigned after all")
    assert again.status_code == 201
    assert_schema(doc, "Review", again.get_json())
    assert again.get_json()["history"][0]["verified_level"] == 2
    body = client.get(
        f"/api/v1/assessments/{org.first.id}/reviews", headers=org.headers["owner"]
    ).get_json()
    assert_schema(doc, "ReviewList", body)
    (current,) = body["reviews"]
    assert current["verified_level"] == 1 and current["comment"] == "Unsigned after all"
    assert [h["verified_level"] for h in current["history"]] == [2]  # oldest first
    assert current["history"][0]["reviewer"] == "auditor@example.com"
    assert current["history"][0]["updated_at"] <= current["updated_at"]
    count = db.session.scalar(select(func.count(Review.id)))
    assert count == 2
    # the same review again records nothing new
    review(client, org, question_id=Q1, verified_level=1, comment="Unsigned after all")
    assert db.session.scalar(select(func.count(Review.id))) == 2


def test_does_everything_read_the_current_review(client, org):
    review(client, org, question_id=Q1, verified_level=2, comment="first")
    review(client, org, question_id=Q1, verified_level=0, comment="second")
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(
                    f"/api/v1/organizations/{org.org.id}/export.csv",
                    headers=org.headers["auditor"],
                )
                .get_data(as_text=True)
                .lstrip("\ufeff")
            )
        )
    )
    row = next(r for r in rows if r["question_id"] == Q1)
    assert row["verified_level"] == "0" and row["review_comment"] == "second"
    (snap,) = history.history_snapshots(org.org)
    assert snap.verified == {Q1: 0}
    assert history.snapshot(org.first).verified == {Q1: 0}


def test_can_auditors_review_one_answer_at_once(database):
    """Eight auditors review the same answer at the same moment, under a real multi-worker
    server (SQLite, and PostgreSQL when configured): every review lands (201, no 5xx), one
    is current and the other seven are its history."""
    factory = Factory(database.app)
    owner = factory.user("owner@example.com")
    organization = factory.organization(owner)
    assessment = factory.assessment(organization, owner, QUICK, {Q1: 3})
    assessments.submit(assessment, owner)
    tokens = []
    for i in range(8):
        auditor = factory.user(f"auditor{i}@example.com")
        factory.member(organization, auditor, "auditor")
        tokens.append(factory.token(auditor))
    db.session.commit()
    path = f"/api/v1/assessments/{assessment.id}/reviews"
    server = database.serve()
    barrier = threading.Barrier(len(tokens))
    codes: list[int] = []

    def go(i: int) -> None:
        barrier.wait(30)
        status, _ = server.request(
            "POST",
            path,
            {"question_id": Q1, "verified_level": i % 6, "comment": f"auditor {i}"},
            headers=bearer(tokens[i]),
        )
        codes.append(status)

    errors = Clients(len(tokens), go).join()
    assert errors == [] and codes == [201] * len(tokens), (errors, codes, server.tail())
    status, body = server.request("GET", path, headers=bearer(tokens[0]))
    assert status == 200
    (current,) = body["reviews"]
    assert len(current["history"]) == len(tokens) - 1


def test_do_existing_reviews_migrate_as_current(app):
    from flask_migrate import downgrade, upgrade

    downgrade(revision="5435598296c9")
    try:
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO users (id, email, password_hash, created_at, session_version) "
                    "VALUES (1, 'a@example.com', 'x', '2026-01-01 00:00:00', 1)"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO organizations (id, name, profile, created_at, updated_at) "
                    "VALUES (1, 'Acme', '{}', '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO questionnaire_snapshots (hash, questionnaire_id, version, "
                    "content, created_at) VALUES ('h', 'q', '1', '{}', '2026-01-01 00:00:00')"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO assessments (id, organization_id, questionnaire_hash, "
                    "questionnaire_id, questionnaire_version, status, targets, created_at, "
                    "updated_at) VALUES (1, 1, 'h', 'q', '1', 'submitted', '{}', "
                    "'2026-01-01 00:00:00', '2026-01-01 00:00:00')"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO reviews (assessment_id, question_id, verified_level, comment, "
                    "reviewer_id, created_at, updated_at) VALUES (1, 'x.y', 2, 'seen', 1, "
                    "'2026-01-01 00:00:00', '2026-01-02 00:00:00')"
                )
            )
    finally:
        upgrade()
    row = db.session.scalars(select(Review)).one()
    assert row.status == "verified" and row.superseded_at is None and row.verified_level == 2


# --------------------------------------------------------------------------- replies


def test_can_an_owner_reply_without_changing_the_level(client, org, doc):
    review(client, org, question_id=Q1, verified_level=1, comment="Where is the letter?")
    url = f"/api/v1/assessments/{org.first.id}/reviews/{Q1}/replies"
    made = client.post(url, json={"comment": "Signed on 3 May."}, headers=org.headers["owner"])
    assert made.status_code == 201
    assert_schema(doc, "ReviewReply", made.get_json())
    for role in ("contributor", "auditor"):
        assert client.post(url, json={"comment": "x"}, headers=org.headers[role]).status_code == 403
    (current,) = client.get(
        f"/api/v1/assessments/{org.first.id}/reviews", headers=org.headers["owner"]
    ).get_json()["reviews"]
    assert current["verified_level"] == 1
    assert current["replies"][0]["comment"] == "Signed on 3 May."
    assert current["replies"][0]["author"] == "owner@example.com"
    nothing = f"/api/v1/assessments/{org.first.id}/reviews/{Q2}/replies"
    assert (
        client.post(nothing, json={"comment": "x"}, headers=org.headers["owner"]).status_code == 404
    )
    extra = client.post(url, json={"comment": "x", "level": 5}, headers=org.headers["owner"])
    assert extra.status_code == 422
    empty = client.post(url, json={"comment": "  "}, headers=org.headers["owner"])
    assert empty.status_code == 422


def test_can_an_owner_reply_on_the_page(app, client, org):
    review(client, org, question_id=Q1, verified_level=1, comment="Where is the letter?")
    owner = signed_in(app, "owner@example.com")
    path = f"/assessments/{org.first.id}/reviews"
    html = owner.get(path).get_data(as_text=True)
    assert "Reply to this review" in html
    done = owner.post(
        f"{path}/{Q1}/replies",
        data={"csrf_token": csrf_token(owner, path), "comment": "In the binder."},
    )
    assert done.status_code == 302
    assert "In the binder." in owner.get(path).get_data(as_text=True)
    assert reviews.reviews_of(org.first)[Q1].verified_level == 1


# --------------------------------------------------------------------------- request evidence


def test_is_request_evidence_a_status_the_owner_sees(app, client, org):
    asked = review(client, org, question_id=Q2, status="request_evidence", comment="Show the plan.")
    assert asked.status_code == 201 and asked.get_json()["status"] == "request_evidence"
    both = review(client, org, question_id=Q1, status="request_evidence", verified_level=2)
    assert both.status_code == 422
    odd = review(client, org, question_id=Q1, status="approved")
    assert odd.status_code == 422
    owner = signed_in(app, "owner@example.com")
    results = owner.get(f"/assessments/{org.first.id}/results").get_data(as_text=True)
    assert "The auditor asks for evidence" in results and "Show the plan." in results
    survey = owner.get(f"/assessments/{org.first.id}?area=incident-response").get_data(as_text=True)
    assert "The auditor asks for evidence." in survey and "Show the plan." in survey
    # the verified score ignores a request: there is no verified level
    assert history.snapshot(org.first).verified == {}


# --------------------------------------------------------------------------- the page


@pytest.fixture
def full(factory, org):
    questionnaire = get_questionnaire(FULL)
    given = {qid: 2 for qid in questionnaire.questions}
    assessment = factory.assessment(org.org, org.people["owner"], FULL, given)
    assessments.submit(assessment, org.people["owner"])
    db.session.commit()
    return assessment, questionnaire


def test_does_the_reviews_page_work_an_area_at_a_time(app, full):
    assessment, questionnaire = full
    area = questionnaire.areas[1]
    first, second, *_ = area.questions
    client = signed_in(app, "auditor@example.com")
    path = f"/assessments/{assessment.id}/reviews?area={area.id}"
    html = client.get(path).get_data(as_text=True)
    assert html.count('class="review-area"') == 1  # one form for the area
    assert html.count("Save the reviews of") == 1
    assert html.count('class="question review-question"') == len(area.questions)
    assert questionnaire.areas[0].questions[0].text not in html  # another area's question
    assert first.levels[2] in html  # what the self-assessed level means
    for level in range(6):
        assert first.levels[level] in html  # and each level the auditor may verify
    assert "Answered by owner@example.com" in html  # who answered, and when
    saved = client.post(
        path,
        data={
            "csrf_token": csrf_token(client, path),
            f"v-{first.id}": "1",
            f"c-{first.id}": "Only a draft.",
            f"v-{second.id}": "request_evidence",
            f"c-{second.id}": "Show the log.",
        },
    )
    assert saved.status_code == 302
    current = reviews.reviews_of(assessment)
    assert current[first.id].verified_level == 1
    assert current[second.id].status == "request_evidence"
    assert len(current) == 2  # the untouched questions got no review
    # saving the area as shown records nothing new
    shown = {f"v-{first.id}": "1", f"c-{first.id}": "Only a draft."}
    client.post(path, data={"csrf_token": csrf_token(client, path), **shown})
    assert db.session.scalar(select(func.count(Review.id))) == 2
    # the filter shows only the answers not reviewed yet
    html = client.get(path + "&show=unreviewed").get_data(as_text=True)
    assert first.text not in html and second.text not in html
    assert area.questions[2].text in html
    # a comment without a verdict saves nothing in the area
    bad = client.post(
        path,
        data={
            "csrf_token": csrf_token(client, path),
            f"v-{area.questions[2].id}": "4",
            f"c-{area.questions[3].id}": "A comment without a verdict",
        },
    )
    assert bad.status_code == 422 and "Choose a verdict" in bad.get_data(as_text=True)
    assert area.questions[2].id not in reviews.reviews_of(assessment)


def test_does_the_unreviewed_filter_open_on_the_first_area_left(app, full):
    assessment, questionnaire = full
    from assess.records.models import User

    user = db.session.scalar(select(User).where(User.email == "auditor@example.com"))
    reviews.save_reviews(
        assessment,
        user,
        [{"question_id": q.id, "verified_level": 2} for q in questionnaire.areas[0].questions],
    )
    db.session.commit()
    client = signed_in(app, "auditor@example.com")
    html = client.get(f"/assessments/{assessment.id}/reviews?show=unreviewed").get_data(
        as_text=True
    )
    assert f'<h2 id="area-heading">{questionnaire.areas[1].title}</h2>' in html


# --------------------------------------------------------------------------- sign-off


def test_can_an_auditor_sign_off_a_submitted_assessment(app, client, org, factory, doc):
    url = f"/api/v1/assessments/{org.first.id}/attestation"
    statement = "I reviewed every answer and the evidence shown."
    for role in ("owner", "contributor"):
        refused = client.post(url, json={"statement": statement}, headers=org.headers[role])
        assert refused.status_code == 403
    made = client.post(url, json={"statement": statement}, headers=org.headers["auditor"])
    assert made.status_code == 201
    assert_schema(doc, "Attestation", made.get_json())
    listed = client.get(url, headers=org.headers["owner"]).get_json()
    assert_schema(doc, "AttestationList", listed)
    assert listed["attestations"][0]["attested_by"] == "auditor@example.com"
    draft = factory.assessment(org.org, org.people["owner"], QUICK, {Q1: 2})
    early = client.post(
        f"/api/v1/assessments/{draft.id}/attestation",
        json={"statement": statement},
        headers=org.headers["auditor"],
    )
    assert early.status_code == 409
    empty = client.post(url, json={"statement": " "}, headers=org.headers["auditor"])
    assert empty.status_code == 422
    owner = signed_in(app, "owner@example.com")
    results = owner.get(f"/assessments/{org.first.id}/results").get_data(as_text=True)
    assert "Signed off by the auditor" in results and statement in results
    assert "auditor@example.com" in results


def test_can_an_auditor_sign_off_on_the_page(app, org, factory):
    client = signed_in(app, "auditor@example.com")
    path = f"/assessments/{org.first.id}/reviews"
    assert "Sign off with my name" in client.get(path).get_data(as_text=True)
    done = client.post(
        f"/assessments/{org.first.id}/attestation",
        data={"csrf_token": csrf_token(client, path), "statement": "All seen."},
    )
    assert done.status_code == 302
    assert "All seen." in client.get(f"/assessments/{org.first.id}/results").get_data(as_text=True)
    draft = factory.assessment(org.org, org.people["owner"], QUICK, {Q1: 2})
    early = client.post(
        f"/assessments/{draft.id}/attestation",
        data={"csrf_token": csrf_token(client, path), "statement": "All seen."},
    )
    assert early.status_code == 302  # flashed: only a submitted assessment is signed off
    assert "still a draft" in client.get(early.location).get_data(as_text=True)


@pytest.mark.chromium
def test_does_the_pdf_report_show_the_sign_off_and_the_current_review(
    client, org, chromium, tmp_path
):
    if not shutil.which("pdftotext"):
        pytest.fail("reading PDFs needs poppler-utils")
    review(client, org, question_id=Q1, verified_level=3, comment="An early finding")
    review(client, org, question_id=Q1, status="request_evidence", comment="Show the letter")
    client.post(
        f"/api/v1/assessments/{org.first.id}/attestation",
        json={"statement": "Reviewed with care."},
        headers=org.headers["auditor"],
    )
    response = client.get(
        f"/api/v1/assessments/{org.first.id}/report.pdf", headers=org.headers["owner"]
    )
    assert response.status_code == 200
    path = tmp_path / "report.pdf"
    path.write_bytes(response.data)
    words = " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout.split()
    )
    assert "Reviewed with care." in words and "auditor@example.com" in words
    assert "signed off by the auditor" in words.lower()
    assert "Show the letter" in words and "An early finding" not in words


# --------------------------------------------------------------------------- answer history


def test_is_each_answers_history_shown_and_served(app, client, org, factory, doc):
    draft = factory.assessment(org.org, org.people["owner"], QUICK, {Q1: 1})
    answers.save_answers(draft, org.people["contributor"], {Q1: {"level": 3, "note": "Now signed"}})
    db.session.commit()
    body = client.get(
        f"/api/v1/assessments/{draft.id}/changes", headers=org.headers["auditor"]
    ).get_json()
    assert_schema(doc, "AnswerChangeList", body)
    mine = [c for c in body["changes"] if c["question_id"] == Q1]
    assert [(c["from"], c["to"]) for c in mine] == [(None, 1), (1, 3)]
    assert mine[1]["changed_by"] == "contributor@example.com" and mine[1]["note_to"] == "Now signed"
    owner = signed_in(app, "owner@example.com")
    page = owner.get(f"/assessments/{draft.id}?area=program-oversight").get_data(as_text=True)
    assert "History of this answer (2 changes)" in page
    assert "contributor@example.com" in page and "Level 1" in page and "Level 3" in page
