"""The README's deployment, proven: gunicorn with 3 sync workers, PostgreSQL (SQLite when
ASSESS_TEST_DATABASE_URL is not set) and Redis as the rate limiter's storage
(RATELIMIT_STORAGE_URI; .ci/run starts Debian's redis-server and sets ASSESS_TEST_REDIS_URL).

Every request below goes on its own connection, so gunicorn hands it to whichever worker
accepts first: what one worker counted or signed, the others must honour."""

from __future__ import annotations

import http.client
import os
import re
import threading
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest

from tests.conftest import PG_URL, _empty_tables, missing_tool
from tests.factories import PASSWORD, Factory
from tests.servers import Gunicorn

REDIS_URL = os.environ.get("ASSESS_TEST_REDIS_URL", "")
WORKERS = 3
LIMIT = 5
CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


class Browser:
    """Cookies kept across requests, each request on a new connection (any worker)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if value and "Max-Age=0" not in header and "expires=Thu, 01 Jan 1970" not in header:
                self.cookies[name] = value
            else:
                self.cookies.pop(name, None)
        return response.status, response.headers, text

    def csrf(self, path: str) -> str:
        status, _, text = self.request("GET", path)
        assert status == 200, (path, status)
        match = CSRF.search(text)
        assert match, f"no CSRF token on {path}"
        return match.group(1)


@pytest.fixture
def served(tmp_path):
    if not REDIS_URL:
        missing_tool("the several-workers test needs Redis: bash .ci/redis (sets the URL)")
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    from assess import create_app
    from assess.records.database import db, init_db

    url = PG_URL or f"sqlite:///{tmp_path / 'assess.db'}"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "SECRET_KEY": "workers",
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        }
    )
    server = Gunicorn(
        env={
            "ASSESS_INSTANCE_PATH": str(tmp_path / "server"),
            "DATABASE_URL": url,
            "SECRET_KEY": "workers-server",
            "RATELIMIT_STORAGE_URI": REDIS_URL,
            "ASSESS_LOGIN_LIMIT": f"{LIMIT} per 15 minutes",
            "ASSESS_LOGIN_DELAY": "0",
        },
        log=tmp_path / "gunicorn.log",
        workers=WORKERS,
    )
    with app.app_context():
        if PG_URL:
            _empty_tables(app)
        else:
            init_db()
        factory = Factory(app)
        owner = factory.user("owner@example.com")
        org = factory.organization(owner)
        assessment = factory.assessment(org, owner, "ciso-nine-areas")
        token = factory.token(owner)
        ids = SimpleNamespace(org=org.id, assessment=assessment.id, token=token)
        try:
            server.start()
            assert len(server.worker_pids()) == WORKERS
            yield SimpleNamespace(server=server, ids=ids)
        finally:
            server.stop()
            redis.Redis.from_url(REDIS_URL).flushdb()
            db.session.remove()
            db.engine.dispose()


def _sign_in(browser: Browser, password: str = PASSWORD):
    token = browser.csrf("/login")
    return browser.request(
        "POST",
        "/login",
        {"email": "owner@example.com", "password": password, "csrf_token": token},
    )


def test_failed_sign_ins_are_counted_across_workers(served):
    browser = Browser(served.server.port)
    statuses = [_sign_in(browser, "wrong password")[0] for _ in range(LIMIT)]
    assert statuses == [401] * LIMIT
    # Memory storage would give each of 3 workers its own count: 5 failures spread over
    # them leave each below the limit, and this one would be answered 401.
    for _ in range(WORKERS):
        assert _sign_in(browser, "wrong password")[0] == 429
        assert _sign_in(browser)[0] == 429  # from this address, even the right password


def test_a_session_and_csrf_token_from_one_worker_work_on_the_others(served):
    browser = Browser(served.server.port)
    assert _sign_in(browser)[0] == 302
    pages = [browser.request("GET", f"/organizations/{served.ids.org}")[0] for _ in range(9)]
    assert pages == [200] * 9
    tokens = [browser.csrf(f"/organizations/{served.ids.org}/edit") for _ in range(3)]
    for token in tokens:  # a token one worker printed, posted to any worker
        status, headers, _ = browser.request(
            "POST",
            f"/organizations/{served.ids.org}/assessments",
            {"questionnaire": "ciso-nine-areas-quick", "csrf_token": token},
        )
        assert status == 302 and "/assessments/" in headers["Location"], status


def test_concurrent_saves_through_different_workers_lose_nothing(served):
    from assess.core.questionnaire import get_questionnaire

    qids = list(get_questionnaire("ciso-nine-areas").questions)[:24]
    headers = {"Authorization": f"Bearer {served.ids.token}"}
    path = f"/api/v1/assessments/{served.ids.assessment}/answers"
    errors: list[str] = []

    def save(i: int) -> None:
        for qid in qids[i::6]:
            status, body = served.server.request(
                "PATCH", path, {"answers": {qid: 1 + i % 5}}, headers=headers
            )
            if status != 200:
                errors.append(f"{qid}: {status} {body}")

    threads = [threading.Thread(target=save, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    status, document = served.server.request(
        "GET", f"/api/v1/assessments/{served.ids.assessment}", headers=headers
    )
    assert status == 200
    assert {q: a["value"] for q, a in document["answers"].items()} == {
        qid: 1 + (qids.index(qid) % 6) % 5 for qid in qids
    }


def test_sign_out_ends_the_session_on_every_worker(served):
    browser = Browser(served.server.port)
    assert _sign_in(browser)[0] == 302
    stolen = dict(browser.cookies)  # a copy of the session cookie, before signing out
    token = browser.csrf(f"/organizations/{served.ids.org}")
    assert browser.request("POST", "/logout", {"csrf_token": token})[0] == 302
    other = Browser(served.server.port)
    other.cookies = stolen
    answers = [other.request("GET", f"/organizations/{served.ids.org}") for _ in range(9)]
    assert [status for status, _, _ in answers] == [302] * 9
    assert all("/login" in headers["Location"] for _, headers, _ in answers)
