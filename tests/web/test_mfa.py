"""Two-step verification: enrolment on the account page and through the API, sign-in's
second step on /login/mfa (not signed in until the code passes; a code once; a recovery code
once; throttled), turning it off, and an organization that requires it of its members."""

from __future__ import annotations

import re
import time

import pyotp
from sqlalchemy import select

from assess.records import mfa
from assess.records.database import db
from assess.records.models import RecoveryCode, User
from tests.factories import PASSWORD, csrf_token, login_as


def code(secret: str, steps: int = 0) -> str:
    """The code of the time step ``steps`` away from now (each is accepted once)."""
    return pyotp.TOTP(secret).at(time.time() + 30 * steps)


def enrol(client) -> tuple[str, list[str]]:
    """Set up two-step verification on the pages; return the secret and recovery codes."""
    token = csrf_token(client, "/account/mfa")
    assert client.post("/account/mfa", data={"s-csrf_token": token}).status_code == 302
    page = client.get("/account/mfa").get_data(as_text=True)
    secret = re.search(r'<code id="mfa-secret">([A-Z2-7]+)</code>', page).group(1)
    response = client.post(
        "/account/mfa/confirm", data={"c-csrf_token": token, "c-code": code(secret, -1)}
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    codes = re.findall(r"<li><code>([a-z2-9-]+)</code></li>", response.get_data(as_text=True))
    return secret, codes


def enrolled_user(app, factory, email="ann@example.com"):
    user = factory.user(email)
    client = app.test_client()
    login_as(client, email)
    secret, codes = enrol(client)
    return user, secret, codes


def second_step(client, value):
    token = csrf_token(client, "/login/mfa")
    return client.post("/login/mfa", data={"csrf_token": token, "code": value})


def signed_in(client) -> bool:
    return client.get("/account").status_code == 200


# --------------------------------------------------------------------------- enrolment


def test_does_enrolment_show_a_qr_code_and_keep_only_hashes_of_recovery_codes(app, factory):
    factory.user("ann@example.com")
    client = app.test_client()
    login_as(client, "ann@example.com")
    token = csrf_token(client, "/account/mfa")
    client.post("/account/mfa", data={"s-csrf_token": token})
    page = client.get("/account/mfa").get_data(as_text=True)
    assert "<svg" in page and 'class="segno"' in page
    secret = re.search(r'<code id="mfa-secret">([A-Z2-7]+)</code>', page).group(1)
    wrong = client.post("/account/mfa/confirm", data={"c-csrf_token": token, "c-code": "000000"})
    assert wrong.status_code == 422
    assert not mfa.enabled(db.session.scalar(select(User)))

    response = client.post(
        "/account/mfa/confirm", data={"c-csrf_token": token, "c-code": code(secret)}
    )

    assert response.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-9-]+)</code></li>", response.get_data(as_text=True))
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = [r.code_hash for r in db.session.scalars(select(RecoveryCode))]
    assert len(stored) == 10
    assert not any(c.replace("-", "") in h or c in h for c in codes for h in stored)
    assert mfa.enabled(db.session.scalar(select(User)))
    assert "On" in client.get("/account").get_data(as_text=True)


# --------------------------------------------------------------------------- sign-in


def test_is_sign_in_not_complete_until_the_code_passes(app, factory):
    _user, secret, _ = enrolled_user(app, factory)
    client = app.test_client()
    response = login_as(client, "ann@example.com")
    assert response.status_code == 302 and response.headers["Location"].endswith("/login/mfa")
    assert not signed_in(client), "the password alone signs no one in"
    assert client.get("/login/mfa").status_code == 200

    assert second_step(client, "123456").status_code == 401
    assert not signed_in(client)
    response = second_step(client, code(secret, 1))
    assert response.status_code == 302
    assert signed_in(client)

    # The same code a second time (another browser, same password) is refused.
    other = app.test_client()
    login_as(other, "ann@example.com")
    assert second_step(other, code(secret, 1)).status_code == 401
    assert not signed_in(other)


def test_does_a_recovery_code_work_once(app, factory):
    _user, _secret, codes = enrolled_user(app, factory)
    first = app.test_client()
    login_as(first, "ann@example.com")
    assert second_step(first, codes[0].upper()).status_code == 302
    assert signed_in(first)
    again = app.test_client()
    login_as(again, "ann@example.com")
    assert second_step(again, codes[0]).status_code == 401
    assert second_step(again, codes[1]).status_code == 302


def test_is_the_second_step_throttled(app, factory):
    _user, secret, _ = enrolled_user(app, factory)
    app.config["ASSESS_LOGIN_LIMIT"] = "3 per minute"
    client = app.test_client()
    login_as(client, "ann@example.com")
    statuses = [second_step(client, "000000").status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]
    assert second_step(client, code(secret, 1)).status_code == 429


def test_does_the_second_step_need_a_password_first(client):
    response = client.get("/login/mfa")
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")


def test_does_turning_it_off_need_the_password_and_a_code(app, factory):
    _user, secret, codes = enrolled_user(app, factory)
    client = app.test_client()
    login_as(client, "ann@example.com")
    second_step(client, code(secret, 1))
    token = csrf_token(client, "/account")

    def disable(password, value):
        return client.post(
            "/account/mfa/disable",
            data={"d-csrf_token": token, "d-password": password, "d-code": value},
        )

    assert disable("wrong password", code(secret)).status_code == 422
    assert disable(PASSWORD, "000000").status_code == 422
    assert mfa.enabled(db.session.scalar(select(User)))
    # Codes up to the one just used are spent; a recovery code does it.
    assert disable(PASSWORD, code(secret, 1)).status_code == 422
    assert disable(PASSWORD, codes[3]).status_code == 302
    assert not mfa.enabled(db.session.scalar(select(User)))
    assert login_as(app.test_client(), "ann@example.com").headers["Location"] == "/"


# --------------------------------------------------------------------------- the API


def api(client, raw, path, body=None):
    return client.post(f"/api/v1{path}", json=body, headers={"Authorization": f"Bearer {raw}"})


def test_does_the_api_enrol_with_a_secret_and_a_code(app, factory, client):
    user = factory.user("ann@example.com")
    raw = factory.token(user)
    assert api(client, raw, "/account/mfa/confirm", {"code": "123456"}).status_code == 409
    started = api(client, raw, "/account/mfa")
    assert started.status_code == 200
    body = started.get_json()
    assert set(body) == {"secret", "otpauth_uri"}
    assert body["otpauth_uri"].startswith("otpauth://totp/Assess:ann%40example.com?")
    assert f"secret={body['secret']}" in body["otpauth_uri"]

    assert api(client, raw, "/account/mfa/confirm", {"code": "000000"}).status_code == 422
    assert api(client, raw, "/account/mfa/confirm", {"code": 123456}).status_code == 422
    assert api(client, raw, "/account/mfa/confirm", {"code": "1", "x": 1}).status_code == 422
    confirmed = api(client, raw, "/account/mfa/confirm", {"code": code(body["secret"])})
    assert confirmed.status_code == 200
    assert len(confirmed.get_json()["recovery_codes"]) == 10
    assert api(client, raw, "/account/mfa").status_code == 409
    # The web sign-in now asks for the code.
    assert login_as(app.test_client(), "ann@example.com").headers["Location"] == "/login/mfa"


# --------------------------------------------------------------------------- required


def test_does_an_organization_that_requires_it_send_members_to_enrol_first(app, factory):
    owner, secret, _ = enrolled_user(app, factory, "owner@example.com")
    member = factory.user("member@example.com")
    org = factory.organization(owner)
    factory.member(org, member, "contributor")
    member_token = factory.token(member)

    owner_client = app.test_client()
    login_as(owner_client, "owner@example.com")
    second_step(owner_client, code(secret, 1))
    token = csrf_token(owner_client, f"/organizations/{org.id}/security")
    response = owner_client.post(
        f"/organizations/{org.id}/security", data={"o-csrf_token": token, "o-require_mfa": "y"}
    )
    assert response.status_code == 302
    assert owner_client.get(f"/organizations/{org.id}").status_code == 200

    client = app.test_client()
    login_as(client, "member@example.com")
    for path in ("/", f"/organizations/{org.id}", "/organizations/new"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"] == "/account/mfa", path
    assert client.get("/account").status_code == 200
    assert client.get("/account/mfa").status_code == 200

    denied = app.test_client().get(
        f"/api/v1/organizations/{org.id}", headers={"Authorization": f"Bearer {member_token}"}
    )
    assert denied.status_code == 403
    assert "two-step verification" in denied.get_json()["error"]["message"]

    member_secret, _ = enrol(client)
    assert client.get(f"/organizations/{org.id}").status_code == 200
    allowed = app.test_client().get(
        f"/api/v1/organizations/{org.id}", headers={"Authorization": f"Bearer {member_token}"}
    )
    assert allowed.status_code == 200
    assert member_secret


def test_may_an_owner_require_it_only_with_it_on_their_own_account(app, factory, client):
    owner = factory.user("owner@example.com")
    org = factory.organization(owner)
    login_as(client, "owner@example.com")
    token = csrf_token(client, f"/organizations/{org.id}/security")
    response = client.post(
        f"/organizations/{org.id}/security", data={"o-csrf_token": token, "o-require_mfa": "y"}
    )
    assert response.status_code == 422
    assert "your own account first" in response.get_data(as_text=True)
    db.session.refresh(org)
    assert org.require_mfa is False


def test_does_a_password_that_passed_long_ago_need_to_be_given_again(app, factory):
    _user, secret, _ = enrolled_user(app, factory)
    client = app.test_client()
    login_as(client, "ann@example.com")
    with client.session_transaction() as session:
        pending = dict(session["mfa_pending"])
        pending["at"] -= 301
        session["mfa_pending"] = pending
    response = client.get("/login/mfa")
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    token = csrf_token(client, "/login")
    response = client.post("/login/mfa", data={"csrf_token": token, "code": code(secret, 1)})
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    assert not signed_in(client)
