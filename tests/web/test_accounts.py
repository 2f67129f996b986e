"""Accounts: changing a password (other sessions and API tokens end, this one stays), reset
links from the CLI and by mail (single use, one hour, only a hash stored, absolute links that
do not trust the Host header), and the forgot-password form's same answer for everyone."""

from __future__ import annotations

import queue
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from assess.records.database import db
from assess.records.models import ApiToken, PasswordReset, User
from tests.factories import PASSWORD, csrf_token, login_as
from tests.smtp_server import SmtpServer

NEW = "a brand new passphrase"


def change(client, current, new, confirm=None):
    token = csrf_token(client, "/account")
    return client.post(
        "/account/password",
        data={
            "csrf_token": token,
            "p-current_password": current,
            "p-new_password": new,
            "p-confirm": confirm or new,
        },
    )


def signed_in(client) -> bool:
    return client.get("/account").status_code == 200


# --------------------------------------------------------------------------- change


def test_does_changing_the_password_end_other_sessions_and_tokens_but_not_this_one(app, factory):
    user = factory.user("ann@example.com")
    raw = factory.token(user)
    here, elsewhere = app.test_client(), app.test_client()
    login_as(here, user.email)
    login_as(elsewhere, user.email)
    assert signed_in(elsewhere)

    response = change(here, PASSWORD, NEW)

    assert response.status_code == 302
    assert signed_in(here), "the session that changed the password stays signed in"
    assert not signed_in(elsewhere), "every other session ends"
    api = app.test_client().get("/api/v1/organizations", headers={"Authorization": f"Bearer {raw}"})
    assert api.status_code == 401
    assert db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id)) is None
    assert login_as(app.test_client(), user.email, NEW).status_code == 302
    assert login_as(app.test_client(), user.email, PASSWORD).status_code == 401


def test_is_the_current_password_required(app, factory, client):
    user = factory.user("ann@example.com")
    raw = factory.token(user)
    login_as(client, user.email)
    response = change(client, "not my password", NEW)
    assert response.status_code == 422
    assert "not your current password" in response.get_data(as_text=True)
    assert login_as(app.test_client(), user.email, PASSWORD).status_code == 302
    assert (
        app.test_client()
        .get("/api/v1/organizations", headers={"Authorization": f"Bearer {raw}"})
        .status_code
        == 200
    )


def test_does_a_new_password_pass_the_same_check_as_at_sign_up(factory, client):
    user = factory.user("ann@example.com")
    login_as(client, user.email)
    response = change(client, PASSWORD, "password123")
    assert response.status_code == 422
    assert "common passwords" in response.get_data(as_text=True)
    response = change(client, PASSWORD, NEW, confirm="something else entirely")
    assert response.status_code == 422


# --------------------------------------------------------------------------- reset links


def reset_link(runner, email, monkeypatch, base="https://assess.example.org"):
    monkeypatch.setenv("ASSESS_BASE_URL", base)
    return runner.invoke(args=["users", "reset-link", email])


def path_of(link: str) -> str:
    return re.sub(r"^https?://[^/]+", "", link)


def set_new(client, path, password=NEW):
    token = csrf_token(client, path)
    return client.post(path, data={"csrf_token": token, "password": password, "confirm": password})


def test_does_the_cli_print_a_single_use_link_that_ends_every_session(
    app, factory, runner, monkeypatch
):
    user = factory.user("ann@example.com")
    raw = factory.token(user)
    old = app.test_client()
    login_as(old, user.email)

    result = reset_link(runner, "Ann@Example.com", monkeypatch)

    assert result.exit_code == 0, result.output
    link = result.stdout.strip()
    assert re.fullmatch(r"https://assess\.example\.org/reset/[\w-]{40,}", link), link
    token = link.rsplit("/", 1)[1]
    stored = db.session.scalar(select(PasswordReset))
    assert stored.token_hash != token and token not in stored.token_hash  # only a hash
    assert stored.expires_at - stored.created_at == timedelta(hours=1)

    client = app.test_client()
    assert client.get(path_of(link)).status_code == 200
    response = set_new(client, path_of(link))
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    assert not signed_in(old)
    assert (
        app.test_client()
        .get("/api/v1/organizations", headers={"Authorization": f"Bearer {raw}"})
        .status_code
        == 401
    )
    assert login_as(app.test_client(), user.email, NEW).status_code == 302
    # Single use.
    assert app.test_client().get(path_of(link)).status_code == 404
    again = app.test_client()
    token = csrf_token(again, "/login")
    response = again.post(
        path_of(link), data={"csrf_token": token, "password": "x" * 20, "confirm": "x" * 20}
    )
    assert response.status_code == 404


def test_does_a_reset_link_expire_after_an_hour(app, factory, runner, monkeypatch):
    factory.user("ann@example.com")
    link = reset_link(runner, "ann@example.com", monkeypatch).stdout.strip()
    stored = db.session.scalar(select(PasswordReset))
    stored.expires_at = stored.created_at + timedelta(minutes=59)
    db.session.commit()
    assert app.test_client().get(path_of(link)).status_code == 200
    stored.expires_at = stored.created_at - timedelta(seconds=1)
    db.session.commit()
    assert app.test_client().get(path_of(link)).status_code == 404


def test_does_a_weak_password_keep_the_link_open(app, factory, runner, monkeypatch):
    factory.user("ann@example.com")
    link = reset_link(runner, "ann@example.com", monkeypatch).stdout.strip()
    client = app.test_client()
    response = set_new(client, path_of(link), "password123")
    assert response.status_code == 422
    assert client.get(path_of(link)).status_code == 200


def test_does_the_cli_refuse_an_unknown_email_in_one_line(runner, monkeypatch):
    result = reset_link(runner, "nobody@example.com", monkeypatch)
    assert result.exit_code != 0
    assert result.stderr.strip().count("\n") == 0
    assert "nobody@example.com" in result.stderr
    assert result.stdout == ""


# --------------------------------------------------------------------------- forgot password


def forgot(client, email, host="localhost"):
    html = client.get("/login/forgot", headers={"Host": host}).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    return client.post(
        "/login/forgot", data={"csrf_token": token, "email": email}, headers={"Host": host}
    )


def test_does_forgot_password_mail_an_absolute_link_from_the_base_url(app, factory):
    user = factory.user("ann@example.com")
    with SmtpServer() as smtp:
        app.config.update(
            ASSESS_SMTP_URL=smtp.url(),
            ASSESS_BASE_URL="https://assess.example.org",
            ASSESS_MAIL_FROM="security@example.org",
        )
        client = app.test_client()
        # A forged Host is refused before the form (trusted hosts, issue 16) ...
        assert client.get("/login/forgot", headers={"Host": "evil.example"}).status_code == 400
        # ... and a trusted one never makes the link: ASSESS_BASE_URL does.
        response = forgot(client, "ann@example.com", host="127.0.0.1")
        assert response.status_code == 302
        message = smtp.messages.get(timeout=10)
    assert message["To"] == user.email
    assert message["From"] == "security@example.org"
    assert smtp.logins == [("mailer", "s3cret")]
    text = message.get_content()
    links = re.findall(r"\S+/reset/\S+", text)
    assert len(links) == 1 and links[0].startswith("https://assess.example.org/reset/"), text
    assert "evil.example" not in text
    assert app.test_client().get(path_of(links[0])).status_code == 200


def test_does_forgot_password_use_the_request_address_without_a_base_url(app, factory, monkeypatch):
    monkeypatch.delenv("ASSESS_BASE_URL", raising=False)
    factory.user("ann@example.com")
    with SmtpServer() as smtp:
        app.config.update(ASSESS_SMTP_URL=smtp.url(), ASSESS_BASE_URL=None)
        forgot(app.test_client(), "ann@example.com")
        message = smtp.messages.get(timeout=10)
    assert "http://localhost/reset/" in message.get_content()


def test_does_forgot_password_say_the_same_whether_or_not_the_account_exists(app, factory):
    factory.user("ann@example.com")
    with SmtpServer() as smtp:
        app.config.update(ASSESS_SMTP_URL=smtp.url())
        answers = []
        for email in ("ann@example.com", "nobody@example.com"):
            client = app.test_client()
            response = forgot(client, email)
            page = client.get(response.headers["Location"]).get_data(as_text=True)
            flashed = re.findall(r'<p class="flash[^"]*"[^>]*>(.*?)</p>', page)
            answers.append((response.status_code, response.headers["Location"], flashed))
        assert answers[0] == answers[1]
        assert "If an account exists" in answers[0][2][0]
        smtp.messages.get(timeout=10)  # the one for ann
        with pytest.raises(queue.Empty):
            smtp.messages.get(timeout=0.5)  # none for nobody


def test_is_forgot_password_throttled(app, factory):
    factory.user("ann@example.com")
    app.config.update(ASSESS_SMTP_URL="smtp://127.0.0.1:9", ASSESS_LOGIN_LIMIT="3 per minute")
    client = app.test_client()
    codes = [forgot(client, "nobody@example.com").status_code for _ in range(4)]
    assert codes == [302, 302, 302, 429]


def test_does_forgot_password_without_mail_point_to_the_cli(app, client):
    app.config.update(ASSESS_SMTP_URL="")
    page = client.get("/login/forgot")
    assert page.status_code == 200
    assert "assess users reset-link" in page.get_data(as_text=True)
    assert "Forgot your password?" in client.get("/login").get_data(as_text=True)
    token = csrf_token(client, "/login")
    assert (
        client.post("/login/forgot", data={"csrf_token": token, "email": "a@b.co"}).status_code
        == 404
    )


def test_is_a_reset_user_signed_out_everywhere_including_this_browser(
    app, factory, runner, monkeypatch
):
    user = factory.user("ann@example.com")
    client = app.test_client()
    login_as(client, user.email)
    link = reset_link(runner, user.email, monkeypatch).stdout.strip()
    assert set_new(client, path_of(link)).status_code == 302
    assert not signed_in(client)
    assert db.session.get(User, user.id).session_version == 2


def test_does_smtps_speak_tls_from_the_first_byte(monkeypatch):
    from assess.web import mail

    made = []

    class Fake:
        def __init__(self, host, port, **kwargs):
            made.append((type(self).__name__, host, port, "context" in kwargs))

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def login(self, user, password):
            made.append(("login", user, password))

        def send_message(self, message):
            made.append(("sent", message["To"]))

    monkeypatch.setattr(mail.smtplib, "SMTP_SSL", type("SMTP_SSL", (Fake,), {}))
    monkeypatch.setattr(mail.smtplib, "SMTP", type("SMTP", (Fake,), {}))
    mail.send("smtps://u%40x:p%3Ass@mail.example.org", "a@x.org", "b@x.org", "s", "t")
    mail.send("smtp://relay.example.org:2525", "a@x.org", "b@x.org", "s", "t")
    assert made == [
        ("SMTP_SSL", "mail.example.org", 465, True),
        ("login", "u@x", "p:ss"),
        ("sent", "b@x.org"),
        ("SMTP", "relay.example.org", 2525, False),
        ("sent", "b@x.org"),
    ]
    with pytest.raises(mail.MailSettingsError):
        mail.send("http://mail.example.org", "a@x.org", "b@x.org", "s", "t")
