"""The lean path of bearer API requests: no session, no cookie, CSRF only where cookies
sign in, stored results sent as they are kept, and every change to who may call taking
effect on the very next request (nothing about a token is cached between requests)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import Text, cast, select, update

from assess.records import accounts, assessments, credentials, membership
from assess.records.api_callers import CURRENT_PREFIX
from assess.records.database import db
from assess.records.models import Assessment, Organization
from tests.factories import PASSWORD, bearer, csrf_token

QUICK = "ciso-nine-areas-quick"


@pytest.fixture
def owner(factory):
    user = factory.user("olive@example.com")
    org = factory.organization(user)
    draft = factory.assessment(org, user, QUICK)
    done = factory.assessment(org, user, QUICK)
    assessments.submit(done, user)
    db.session.commit()
    return SimpleNamespace(user=user, org=org, draft=draft, done=done, token=factory.token(user))


def stored_text(assessment_id: int) -> str:
    return db.session.scalar(
        select(cast(Assessment.results, Text)).where(Assessment.id == assessment_id)
    )


def set_cookies(response) -> list[str]:
    return response.headers.getlist("Set-Cookie")


# --------------------------------------------------------------------------- no session


def test_does_a_bearer_request_leave_the_session_alone(client, owner, login):
    o = owner
    # Without any cookie: none is set, and the answer does not vary with cookies.
    for response in (
        client.get(f"/api/v1/assessments/{o.done.id}/results", headers=bearer(o.token)),
        client.get(f"/api/v1/assessments/{o.draft.id}", headers=bearer(o.token)),
        client.patch(
            f"/api/v1/assessments/{o.draft.id}/answers",
            json={"answers": {"program-oversight.accountable-owner": 2}},
            headers=bearer(o.token),
        ),
        client.get("/api/v1/assessments/999999/results", headers=bearer(o.token)),
    ):
        assert response.status_code in (200, 404)
        assert set_cookies(response) == []
        assert "Cookie" not in response.headers.get("Vary", "")
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Cache-Control"] == "no-store"
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert "nonce-" not in response.headers["Content-Security-Policy"]
    # Signed in too: the session cookie is neither read nor refreshed by a bearer request.
    assert login(o.user.email).status_code == 302
    response = client.get(f"/api/v1/assessments/{o.done.id}/results", headers=bearer(o.token))
    assert response.status_code == 200
    assert set_cookies(response) == []
    # ... while a page still reads it (and a page's policy still carries a fresh nonce).
    page = client.get(f"/assessments/{o.done.id}/results")
    assert page.status_code == 200
    assert "'nonce-" in page.headers["Content-Security-Policy"]


def test_does_a_session_cookie_still_never_sign_in_to_the_api(client, owner, login):
    o = owner
    assert login(o.user.email).status_code == 302
    response = client.get(f"/api/v1/assessments/{o.done.id}/results")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


# --------------------------------------------------------------------------- CSRF


def test_is_csrf_needed_only_where_a_cookie_signs_in(client, owner, login):
    o = owner
    assert login(o.user.email).status_code == 302
    # A token request needs no CSRF o.token, even with a session cookie along.
    response = client.patch(
        f"/api/v1/assessments/{o.draft.id}/answers",
        json={"answers": {"program-oversight.accountable-owner": 3}},
        headers=bearer(o.token),
    )
    assert response.status_code == 200
    # A page's form with the session cookie still needs one, whatever Authorization says.
    for headers in ({}, bearer(o.token), {"Authorization": "Bearer not-a-token"}):
        response = client.post("/organizations/new", data={"name": "Forged Inc"}, headers=headers)
        assert response.status_code == 400, headers
    assert db.session.scalar(select(Organization).where(Organization.name == "Forged Inc")) is None
    # With the form's token it goes through (so the 400s above were CSRF, nothing else).
    response = client.post(
        "/organizations/new",
        data={"name": "Real Inc", "csrf_token": csrf_token(client, "/organizations/new")},
    )
    assert response.status_code != 400
    assert "Form expired" not in response.get_data(as_text=True)


# --------------------------------------------------------------------------- stored results


def test_are_the_stored_results_sent_as_kept(client, owner):
    o = owner
    response = client.get(f"/api/v1/assessments/{o.done.id}/results", headers=bearer(o.token))
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    text = stored_text(o.done.id)
    assert text.startswith(CURRENT_PREFIX)
    assert response.get_data(as_text=True) == text
    # The same document, key for key, as the results decoded and encoded again.
    today = assessments.results_document(db.session.get(Assessment, o.done.id))
    assert response.get_json() == today.model_dump(mode="json")
    assert list(response.get_json()) == list(today.model_dump(mode="json"))


def test_is_a_stored_document_not_in_todays_form_read_through_the_contract(client, owner):
    o = owner
    document = assessments.results_document(o.done).model_dump(mode="json")
    # As PostgreSQL's jsonb (or an earlier release) might keep it: other key order first.
    reordered = dict(sorted(document.items(), reverse=True))
    db.session.execute(
        update(Assessment).where(Assessment.id == o.done.id).values(results=reordered)
    )
    db.session.commit()
    assert not stored_text(o.done.id).startswith(CURRENT_PREFIX)
    response = client.get(f"/api/v1/assessments/{o.done.id}/results", headers=bearer(o.token))
    assert response.status_code == 200
    assert response.get_json() == document
    # Read and encoded again: not the stored text.
    assert response.get_data(as_text=True) != stored_text(o.done.id)


def test_are_a_drafts_results_still_computed(client, owner):
    o = owner
    response = client.get(f"/api/v1/assessments/{o.draft.id}/results", headers=bearer(o.token))
    assert response.status_code == 200
    assert response.get_json() == assessments.results_document(o.draft).model_dump(mode="json")
    assert stored_text(o.draft.id) is None


def test_are_others_results_still_hidden(client, owner, factory):
    o = owner
    stranger = factory.user("stranger@example.com")
    factory.organization(stranger, "Elsewhere")
    headers = bearer(factory.token(stranger))
    for assessment_id in (o.done.id, o.draft.id, 2147483647):
        response = client.get(f"/api/v1/assessments/{assessment_id}/results", headers=headers)
        assert response.status_code == 404
        assert response.get_json()["error"]["message"] == "No such assessment."
    auditor = factory.user("audrey@example.com")
    factory.member(o.org, auditor, "auditor")
    response = client.get(
        f"/api/v1/assessments/{o.done.id}/results", headers=bearer(factory.token(auditor))
    )
    assert response.status_code == 200


# --------------------------------------------------------------------------- the next request


def results(client, assessment_id: int, token: str):
    return client.get(f"/api/v1/assessments/{assessment_id}/results", headers=bearer(token))


def test_does_revoking_a_token_take_effect_on_the_next_request(client, owner):
    o = owner
    assert results(client, o.done.id, o.token).status_code == 200
    accounts.revoke_tokens(o.user)
    db.session.commit()
    assert results(client, o.done.id, o.token).status_code == 401
    assert client.get("/api/v1/organizations", headers=bearer(o.token)).status_code == 401


def test_does_a_password_change_take_effect_on_the_next_request(client, owner):
    o = owner
    assert results(client, o.done.id, o.token).status_code == 200
    credentials.change_password(o.user, PASSWORD, "a brand new passphrase 42")
    db.session.commit()
    assert results(client, o.done.id, o.token).status_code == 401


def test_does_removing_a_member_take_effect_on_the_next_request(client, owner, factory):
    o = owner
    contributor = factory.user("cora@example.com")
    factory.member(o.org, contributor, "contributor")
    theirs = factory.token(contributor)
    assert results(client, o.done.id, theirs).status_code == 200
    assert results(client, o.draft.id, theirs).status_code == 200
    membership.remove_member(o.org, contributor.id, o.user)
    db.session.commit()
    assert results(client, o.done.id, theirs).status_code == 404
    assert results(client, o.draft.id, theirs).status_code == 404


def test_does_requiring_mfa_take_effect_on_the_next_request(client, owner):
    o = owner
    assert results(client, o.done.id, o.token).status_code == 200
    db.session.execute(
        update(Organization).where(Organization.id == o.org.id).values(require_mfa=True)
    )
    db.session.commit()
    response = results(client, o.done.id, o.token)
    assert response.status_code == 403
    assert "two-step verification" in response.get_json()["error"]["message"]
    assert client.get("/api/v1/organizations", headers=bearer(o.token)).status_code == 403
    db.session.execute(
        update(Organization).where(Organization.id == o.org.id).values(require_mfa=False)
    )
    db.session.commit()
    assert results(client, o.done.id, o.token).status_code == 200


def test_does_another_organizations_mfa_requirement_count_for_these_results(client, owner, factory):
    """The organization of the assessment does not require two-step verification; another
    one the caller belongs to does: the caller must enrol first, here too."""
    elsewhere = factory.organization(owner.user, "Strict Ltd")
    assert results(client, owner.done.id, owner.token).status_code == 200
    db.session.execute(
        update(Organization).where(Organization.id == elsewhere.id).values(require_mfa=True)
    )
    db.session.commit()
    assert results(client, owner.done.id, owner.token).status_code == 403


def test_does_an_app_start_with_rate_limiting_off(tmp_path):
    """Flask-Limiter registers no hook when RATELIMIT_ENABLED is false: the lean path then has
    no limiter hook to wrap, and the app still starts (it raised ValueError)."""
    from assess import create_app
    from assess.web.limits import limiter

    try:
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "test-secret",
                "INSTANCE_PATH": str(tmp_path / "instance"),
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'off.db'}",
                "RATELIMIT_ENABLED": False,
            }
        )
    finally:
        limiter.enabled = True  # the extension is shared: later apps default to it
    hooks = app.before_request_funcs[None]
    assert limiter._check_request_limit not in hooks
    assert any(getattr(h, "__wrapped__", None) is not None for h in hooks)
