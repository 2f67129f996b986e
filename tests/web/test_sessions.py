"""Sessions end when their user signs out, and sign-in limits count clients behind a proxy."""

from __future__ import annotations

from tests.factories import csrf_token, login_as


def test_does_signing_out_end_every_copy_of_the_session(app, client, factory):
    user = factory.user("owner@example.com")
    org = factory.organization(user)
    login_as(client, user.email)
    copy = app.test_client()
    cookie = client.get_cookie("session")
    copy.set_cookie("session", cookie.value)
    assert copy.get(f"/organizations/{org.id}").status_code == 200
    client.post("/logout", data={"csrf_token": csrf_token(client, f"/organizations/{org.id}")})
    assert copy.get(f"/organizations/{org.id}").status_code == 302  # to the sign-in page
    assert login_as(client, user.email).status_code == 302  # signing in again works


def test_behind_a_trusted_proxy_do_limits_count_each_client(app, factory, monkeypatch):
    from assess import create_app
    from assess.web.limits import limiter

    factory.user("someone@example.com")
    proxied = create_app(
        {
            **{
                k: app.config[k]
                for k in ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "PASSWORD_HASH_METHOD")
            },
            "TESTING": True,
            "INSTANCE_PATH": app.instance_path,
            "ASSESS_PROXY_HOPS": 1,
            "ASSESS_LOGIN_LIMIT": "3 per 15 minutes",
        }
    )
    limiter.reset()

    def fail_from(address: str) -> int:
        client = proxied.test_client()
        token = csrf_token(client, "/login")
        response = client.post(
            "/login",
            data={
                "email": f"nobody-{address}@example.com",
                "password": "wrong password!",
                "csrf_token": token,
            },
            headers={"X-Forwarded-For": address},
            environ_base={"REMOTE_ADDR": "10.0.0.1"},  # the proxy
        )
        return response.status_code

    assert [fail_from("203.0.113.7") for _ in range(4)][-1] == 429
    assert fail_from("198.51.100.9") == 401  # another client behind the same proxy


def test_does_revoking_tokens_lock_the_api_out(app, client, runner, factory):
    user = factory.user("api@example.com")
    token = factory.token(user)
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/organizations", headers=headers).status_code == 200
    from assess.records.database import db
    from assess.records.models import ApiToken

    assert db.session.query(ApiToken).one().last_used_at is not None
    done = runner.invoke(args=["tokens", "revoke", "api@example.com"])
    assert done.exit_code == 0 and "revoked 1 token" in done.output
    assert client.get("/api/v1/organizations", headers=headers).status_code == 401
    missing = runner.invoke(args=["tokens", "revoke", "ghost@example.com"])
    assert missing.exit_code == 2


def test_does_a_session_end_after_its_hours(app, client, factory):
    user = factory.user("owner@example.com")
    org = factory.organization(user)
    login_as(client, user.email)
    assert client.get(f"/organizations/{org.id}").status_code == 200
    with client.session_transaction() as session:
        session["signed_in_at"] -= 13 * 3600  # signed in thirteen hours ago
    response = client.get(f"/organizations/{org.id}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
