"""Security promises (OWASP ASVS level 2, where it applies), each proven against the running
app through the test client: identifiers that reveal nothing, the browser's side (headers,
cookies, inline scripts), slowed sign-ins and password rules, input limits, HTML shown as
text everywhere, CSRF, the API's bearer-only authentication, and local-only redirects.

Who may call which route is in test_access_matrix.py; its world and table are reused here.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from sqlalchemy import select

from assess import create_app
from assess.records import accounts, answers, assessments, questionnaires, reviews
from assess.records.database import db
from assess.records.models import ApiToken, Organization, User
from tests.conftest import missing_tool
from tests.factories import PASSWORD, PROFILE, bearer, csrf_token, login_as
from tests.web.test_access_matrix import (
    PLACEHOLDER,
    RULES,
    TABLE,
    World,
    build_path,
    build_world,
    rule_id,
)

QUICK = "ciso-nine-areas-quick"
MISSING_ID = 2_147_483_647  # the largest id a route takes: never reached by a test


def text_of(response) -> str:
    return response.get_data(as_text=True)


def signed_in(app, email: str):
    client = app.test_client()
    response = login_as(client, email)
    assert response.status_code == 302
    return client


def placeholders(rule: str) -> set[str]:
    return set(PLACEHOLDER.findall(rule))


def database_state() -> list:
    """Every row of every table: to show that a refused request changed nothing (a token's
    "last used" time is bookkeeping, not data, and is left out)."""
    db.session.expire_all()
    state = []
    for table in db.metadata.sorted_tables:
        columns = [
            c for c in table.columns if (table.name, c.name) != ("api_tokens", "last_used_at")
        ]
        rows = db.session.execute(select(*columns)).all()
        state.append((table.name, sorted(repr(tuple(row)) for row in rows)))
    db.session.rollback()
    return state


def request_kwargs(w: World, endpoint: str, method: str, client, role: str) -> dict:
    """What the access table sends for this route, as ``role`` (CSRF token included)."""
    case = TABLE[(endpoint, method)]
    kwargs: dict[str, Any] = {"query_string": case.query(w) if case.query else None}
    if endpoint.startswith("api."):
        kwargs["headers"] = bearer(w.tokens[role])
        if case.json is not None:
            kwargs["json"] = case.json(w, role)
    elif method != "GET":
        token = csrf_token(client, "/organizations/new")
        data = dict(case.form(w, role) if case.form else {})
        data.update({"csrf_token": token, "m-csrf_token": token, "i-csrf_token": token})
        kwargs["data"] = data
    return kwargs


def normalized(response) -> str:
    """The body without what changes from one response to the next (CSRF tokens, nonces)."""
    text = text_of(response)
    text = re.sub(r'(name="[\w-]*csrf_token"[^>]*value=")[^"]*', r"\1TOKEN", text)
    return re.sub(r'nonce="[^"]*"', 'nonce="NONCE"', text)


# =========================================================================== identifiers

ID_RULES = [r for r in RULES if placeholders(r[2]) & {"org_id", "assessment_id"}]


@pytest.mark.parametrize("item", ID_RULES, ids=rule_id)
def test_does_a_guessed_id_answer_exactly_like_a_missing_one(app, factory, item):
    """A stranger learns nothing from an id: another organization's answers the same 404,
    byte for byte, as one that does not exist; ids past the database's range too."""
    endpoint, method, rule = item
    w = build_world(factory)
    case = TABLE[(endpoint, method)]
    assessment = w.draft if case.on == "draft" else w.submitted
    client = app.test_client()
    if not endpoint.startswith("api."):
        login_as(client, w.users["stranger"].email)

    def answer(**ids):
        path = build_path(rule, w, assessment, **ids)
        kwargs = request_kwargs(w, endpoint, method, client, "stranger")
        response = client.open(path, method=method, **kwargs)
        response.close()
        return path, response

    before = database_state()
    _, foreign = answer()
    _, missing = answer(org_id=MISSING_ID, assessment_id=MISSING_ID)
    assert foreign.status_code == missing.status_code == 404
    assert normalized(foreign) == normalized(missing)
    assert foreign.headers.get("Content-Type") == missing.headers.get("Content-Type")
    # Past the database's integers: no route matches (404, or Werkzeug's 405 when a rule for
    # another method has the same shape), the same for every such id, and never a 500.
    beyond = set()
    for too_big in (2**31, 2**63, 10**20):
        path, response = answer(org_id=too_big, assessment_id=too_big)
        assert response.status_code in (404, 405), f"{method} {path}: {response.status_code}"
        beyond.add((response.status_code, normalized(response)))
    assert len(beyond) == 1
    assert database_state() == before


def test_do_ids_in_query_strings_and_bodies_reveal_nothing(app, factory):
    """Comparing with, or copying from, another organization's assessment answers as if the
    id did not exist, in pages and API."""
    w = build_world(factory)
    stranger = w.users["stranger"]
    own_org = db.session.scalars(
        select(Organization).where(Organization.name == "Stranger Things Ltd")
    ).first()
    own = factory.assessment(own_org, stranger, QUICK)
    assessments.submit(own, stranger)
    db.session.commit()
    headers = bearer(w.tokens["stranger"])

    def pair(path: str, use_headers: bool = False):
        responses = []
        for other in (w.submitted.id, MISSING_ID):
            client = signed_in(app, stranger.email)  # fresh: no flash left from the last call
            query = {"from": own.id, "to": other}
            response = client.get(
                path, query_string=query, headers=headers if use_headers else None
            )
            responses.append(response)
        return responses

    for path, use_headers in (
        (f"/organizations/{own_org.id}/compare", False),
        (f"/organizations/{own_org.id}/charts/compare.html", False),
        (f"/api/v1/organizations/{own_org.id}/compare", True),
    ):
        foreign, missing = pair(path, use_headers)
        assert foreign.status_code == missing.status_code
        assert foreign.status_code in (302, 404)
        assert normalized(foreign) == normalized(missing)
        assert foreign.headers.get("Location") == missing.headers.get("Location")

    bodies = []
    for other in (w.submitted.id, MISSING_ID):
        response = app.test_client().post(
            f"/api/v1/organizations/{own_org.id}/assessments",
            json={"copy_from": other},
            headers=headers,
        )
        assert response.status_code == 422
        bodies.append(text_of(response).replace(str(other), "ID"))
    assert bodies[0] == bodies[1]


def test_does_the_sign_in_answer_the_same_for_an_unknown_email_and_a_wrong_password(app, factory):
    factory.user("owner@example.com")
    answers = []
    for email in ("owner@example.com", "nobody@example.com"):
        client = app.test_client()
        token = csrf_token(client, "/login")
        response = client.post(
            "/login", data={"email": email, "password": "not the password", "csrf_token": token}
        )
        answers.append((response.status_code, normalized(response).replace(email, "EMAIL")))
    assert answers[0] == answers[1]
    assert answers[0][0] == 401
    assert "The email or the password is not right." in answers[0][1]


# =========================================================================== the browser's side


def csp_of(response) -> dict[str, list[str]]:
    policy = response.headers.get("Content-Security-Policy", "")
    directives = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def owner_get_responses(app, w: World, pdf: bool = True):
    """(endpoint, path, response) for every GET route the owner can call, on both
    assessments; without the PDF reports when ``pdf`` is false (they are not HTML)."""
    client = signed_in(app, w.users["owner"].email)
    for endpoint, method, rule in RULES:
        if method != "GET" or (not pdf and rule.endswith(".pdf")):
            continue
        case = TABLE[(endpoint, method)]
        if endpoint.startswith("api.") and case.codes["owner"] == 401:
            continue
        for assessment in (w.submitted, w.draft):
            path = build_path(rule, w, assessment)
            kwargs = {"query_string": case.query(w) if case.query else None}
            if endpoint.startswith("api."):
                kwargs["headers"] = bearer(w.tokens["owner"])
            response = client.get(path, **kwargs)
            yield endpoint, path, response
            response.close()
            if "assessment_id" not in placeholders(rule):
                break


def check_headers(path: str, response) -> None:
    csp = csp_of(response)
    assert csp, f"{path}: no Content-Security-Policy"
    scripts = csp.get("script-src", csp.get("default-src"))
    assert scripts is not None, path
    sandboxed = "sandbox" in csp and "allow-same-origin" not in csp["sandbox"]
    evidence = re.search(r"/evidence/\d+$", path)
    if evidence:  # an evidence file: nothing at all may run or load, even if opened
        assert csp == {"sandbox": [], "default-src": ["'none'"], "frame-ancestors": ["'none'"]}
    elif sandboxed:  # the offline HTML chart runs inline Plotly in an opaque sandbox
        assert re.search(r"/charts/\w+\.html$", path), f"{path}: sandboxed, not a chart"
    else:
        assert "'unsafe-inline'" not in scripts, f"{path}: {scripts}"
        assert "'unsafe-eval'" not in scripts, f"{path}: {scripts}"
        assert "'none'" in csp.get("object-src", []), path
    assert csp.get("frame-ancestors") == ["'none'"], path
    assert response.headers.get("X-Content-Type-Options") == "nosniff", path
    assert response.headers.get("X-Frame-Options") == "DENY", path
    assert response.headers.get("Referrer-Policy") in (
        "no-referrer",
        "same-origin",
        "strict-origin",
        "strict-origin-when-cross-origin",
    ), path


def check_owner_answer(endpoint: str, path: str, response) -> None:
    assert response.status_code in (200, 302), f"{path}: {response.status_code}"
    check_headers(path, response)
    if endpoint not in ("static", "pages.plotly_js"):
        # Pages, exports, reports, charts and the API hold an organization's data:
        # never kept by a browser's or a proxy's cache.
        assert "no-store" in response.headers.get("Cache-Control", ""), path


def test_does_every_answer_carry_the_security_headers(app, factory):
    """Every GET route but the PDF reports (next test: they need Chromium), and the errors."""
    w = build_world(factory)
    seen = 0
    for endpoint, path, response in owner_get_responses(app, w, pdf=False):
        check_owner_answer(endpoint, path, response)
        seen += 1
    # Anonymous pages, errors, redirects, API errors and the 429 and 413 answers too.
    client = app.test_client()
    for path in ("/", "/login", "/register", "/no-such-page", f"/organizations/{w.org.id}"):
        check_headers(path, client.get(path))
    check_headers("api 401", client.get("/api/v1/organizations"))
    check_headers("api 404", client.get("/api/v1/nothing"))
    too_big = client.post("/login", data={"email": "x" * (1024 * 1024)})
    assert too_big.status_code == 413
    check_headers("413", too_big)
    app.config["ASSESS_LOGIN_LIMIT"] = "1 per minute"
    for _ in range(2):
        slowed = login_attempt(app, "127.0.0.9", "nobody@example.com", "wrong password")
    assert slowed.status_code == 429
    check_headers("429", slowed)
    assert seen > 30


def test_do_the_pdf_reports_carry_the_security_headers(app, factory, chromium):
    w = build_world(factory)
    seen = 0
    for endpoint, path, response in owner_get_responses(app, w):
        if path.endswith(".pdf"):
            check_owner_answer(endpoint, path, response)
            seen += 1
    assert seen == 6  # the assessment's (page and API, on both) and the organization's


def test_is_the_nonce_new_for_every_answer(client):
    nonces = {csp_of(client.get("/login"))["script-src"][-1] for _ in range(3)}
    assert len(nonces) == 3
    assert all(n.startswith("'nonce-") for n in nonces)


class ScriptCheck(HTMLParser):
    """Every <script> without src either is data (application/json) or carries the nonce;
    no inline event handler and no javascript: URL anywhere."""

    def __init__(self, nonce: str) -> None:
        super().__init__()
        self.nonce = nonce
        self.problems: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...> inline event handler")
            if name in ("href", "src", "action", "formaction") and (
                value or ""
            ).strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag != "script":
            return
        self.scripts += 1
        if values.get("src"):
            return
        if (values.get("type") or "").lower() in ("application/json", "application/ld+json"):
            return
        if values.get("nonce") != self.nonce:
            self.problems.append(f"inline <script {values}> without the page's nonce")


def test_does_no_page_run_an_inline_script_without_the_nonce(app, factory):
    w = build_world(factory)
    checked = 0
    pages = list(owner_get_responses(app, w, pdf=False))
    anonymous = app.test_client()
    pages += [("anonymous", p, anonymous.get(p)) for p in ("/", "/login", "/register", "/nope")]
    for endpoint, path, response in pages:
        if response.mimetype != "text/html":
            continue
        csp = csp_of(response)
        if endpoint.endswith("_chart"):  # the offline chart file: its own sandboxed policy
            assert "allow-same-origin" not in csp["sandbox"], path
            continue
        nonce = csp["script-src"][-1].removeprefix("'nonce-").removesuffix("'")
        checker = ScriptCheck(nonce)
        checker.feed(text_of(response))
        assert not checker.problems, f"{path}: {checker.problems}"
        checked += 1
    assert checked >= 15


def test_does_https_bring_hsts_and_secure_cookies(app, factory, monkeypatch):
    """ASSESS_HTTPS=1 (behind TLS): HSTS on every answer, and cookies only sent over TLS."""
    factory.user("owner@example.com")
    monkeypatch.setenv("ASSESS_HTTPS", "1")
    https_app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "INSTANCE_PATH": app.instance_path,
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "PASSWORD_HASH_METHOD": app.config["PASSWORD_HASH_METHOD"],
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )
    try:
        client = https_app.test_client()
        page = client.get("/login", base_url="https://localhost")
        hsts = page.headers.get("Strict-Transport-Security", "")
        assert re.match(r"max-age=(\d+)", hsts)
        assert int(re.match(r"max-age=(\d+)", hsts).group(1)) >= 31_536_000
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', text_of(page))
        response = client.post(
            "/login",
            base_url="https://localhost",
            data={"email": "owner@example.com", "password": PASSWORD, "csrf_token": token[1]},
            headers={"Referer": "https://localhost/login"},
        )
        assert response.status_code == 302
        cookie = session_cookie(response)
        assert "secure" in cookie and "httponly" in cookie
        assert cookie.get("samesite") == "lax"
        assert https_app.config["REMEMBER_COOKIE_SECURE"] is True
        assert https_app.config["PREFERRED_URL_SCHEME"] == "https"
    finally:
        with https_app.app_context():
            db.session.remove()
            db.engine.dispose()
    # Over plain HTTP (the default): no HSTS, and cookies that the browser sends over HTTP.
    plain = app.test_client().get("/login")
    assert "Strict-Transport-Security" not in plain.headers


def session_cookie(response) -> dict[str, str | bool]:
    """The attributes of the session cookie set by a response (lowercased names)."""
    for header in response.headers.getlist("Set-Cookie"):
        name, _, rest = header.partition("=")
        if name == "session":
            attrs: dict[str, str | bool] = {}
            for part in rest.split(";")[1:]:
                key, sep, value = part.strip().partition("=")
                attrs[key.lower()] = value.lower() if sep else True
            return attrs
    raise AssertionError("no session cookie was set")


def test_is_the_session_cookie_httponly_and_samesite_lax(app, factory):
    factory.user("owner@example.com")
    client = app.test_client()
    response = login_as(client, "owner@example.com")
    cookie = session_cookie(response)
    assert cookie.get("httponly") is True
    assert cookie.get("samesite") == "lax"
    assert "secure" not in cookie  # plain HTTP unless ASSESS_HTTPS says otherwise


# =========================================================================== sign-in and passwords


def login_attempt(app, address: str, email: str, password: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    token = csrf_token(client, "/login")
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


def test_are_failed_sign_ins_to_one_account_slowed_from_any_address(app, factory, monkeypatch):
    """Issue 16: ten failures from any mix of addresses used to lock the account for 15
    minutes, the right password included. Now they slow it (ASSESS_LOGIN_DELAY seconds an
    attempt), refuse nothing, and a device that signed in to it before is not slowed."""
    from assess.web import limits

    waits: list[float] = []
    monkeypatch.setattr(limits, "pause", waits.append)
    factory.user("owner@example.com")
    factory.user("other@example.com")
    assert app.config["ASSESS_LOGIN_LIMIT"] == "10 per 15 minutes"
    assert app.config["ASSESS_LOGIN_DELAY"] == 3.0
    known = app.test_client()
    assert login_as(known, "owner@example.com").status_code == 302  # the owner's own browser
    known.post("/logout", data={"csrf_token": csrf_token(known, "/organizations/new")})
    for i in range(10):
        # The same account, however its email is typed, from ten addresses.
        email = ("Owner@Example.com", " owner@example.com", "owner@example.com")[i % 3]
        assert login_attempt(app, f"127.0.1.{i}", email, "wrong password").status_code == 401
    assert waits == []
    slowed = login_attempt(app, "127.0.2.1", "owner@example.com", "wrong password")
    assert slowed.status_code == 401  # answered, after a wait
    assert waits == [3.0]
    # The right password works, from anywhere: no one can lock the owner out.
    assert login_attempt(app, "127.0.2.2", "owner@example.com", PASSWORD).status_code == 302
    assert waits == [3.0, 3.0]
    # The owner's known browser does not even wait.
    assert login_as(known, "owner@example.com").status_code == 302
    assert waits == [3.0, 3.0]
    # Another account is not affected.
    assert login_attempt(app, "127.0.2.3", "other@example.com", PASSWORD).status_code == 302
    assert waits == [3.0, 3.0]


def test_are_failed_sign_ins_to_one_account_from_one_address_refused(app, factory):
    factory.user("owner@example.com")
    for _ in range(10):
        assert login_attempt(app, "127.0.5.1", "owner@example.com", "wrong").status_code == 401
    refused = login_attempt(app, "127.0.5.1", "owner@example.com", "wrong password")
    assert refused.status_code == 429
    assert "Too many attempts" in text_of(refused)
    assert refused.mimetype == "text/html"
    assert int(refused.headers["Retry-After"]) > 0
    # Even the right password waits, from that address: guessing on does not pay.
    assert login_attempt(app, "127.0.5.1", "owner@example.com", PASSWORD).status_code == 429


def test_are_failed_sign_ins_from_one_address_slowed_for_any_account(app, factory):
    factory.user("owner@example.com")
    for i in range(10):
        response = login_attempt(app, "127.0.3.1", f"guess{i}@example.com", "wrong password")
        assert response.status_code == 401
    assert login_attempt(app, "127.0.3.1", "guess99@example.com", "x" * 12).status_code == 429
    assert login_attempt(app, "127.0.3.1", "owner@example.com", PASSWORD).status_code == 429
    # The account itself is fine from elsewhere.
    assert login_attempt(app, "127.0.3.2", "owner@example.com", PASSWORD).status_code == 302


def test_do_successful_sign_ins_not_count(app, factory):
    factory.user("owner@example.com")
    for _ in range(9):
        assert login_attempt(app, "127.0.4.1", "owner@example.com", "wrong").status_code == 401
    for _ in range(5):
        assert login_attempt(app, "127.0.4.1", "owner@example.com", PASSWORD).status_code == 302
    # 9 failures + 5 successes: the 10th failure is still answered, the 11th is not.
    assert login_attempt(app, "127.0.4.1", "owner@example.com", "wrong").status_code == 401
    assert login_attempt(app, "127.0.4.1", "owner@example.com", "wrong").status_code == 429


def register(app, email: str, password: str, confirm: str | None = None):
    client = app.test_client()
    token = csrf_token(client, "/register")
    data = {"email": email, "password": password, "confirm": confirm or password}
    return client.post("/register", data={**data, "csrf_token": token})


def field_errors(response, field: str) -> list[str]:
    return re.findall(rf'<p class="error" id="{field}-error">([^<]*)</p>', text_of(response))


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1!", "Use at least 10 characters."),
        ("abc123def", "Use at least 10 characters."),
        ("password123!", "This password is on lists of common passwords; choose another."),
        ("Qwerty123456", "This password is on lists of common passwords; choose another."),
        ("aaaaaaaaaaaaaaa", "This password is on lists of common passwords; choose another."),
        ("a long enough phrase " * 10, "200 characters"),
    ],
)
def test_are_short_common_and_huge_passwords_refused_with_a_clear_message(app, password, message):
    response = register(app, "new@example.com", password)
    assert response.status_code == 422
    errors = field_errors(response, "password")
    assert any(message in e for e in errors), errors
    assert db.session.scalar(select(User).where(User.email == "new@example.com")) is None


def test_is_a_good_password_accepted_and_stored_as_a_slow_hash(app):
    assert register(app, "new@example.com", "correct horse battery").status_code == 302
    user = db.session.scalar(select(User).where(User.email == "new@example.com"))
    assert "correct horse battery" not in user.password_hash
    # Production hashes with scrypt (the suite configures a cheaper method for speed).
    app.config.pop("PASSWORD_HASH_METHOD")
    assert accounts.hash_password("correct horse battery").startswith("scrypt:")


def test_are_api_tokens_stored_only_as_digests(factory):
    user = factory.user("owner@example.com")
    raw = factory.token(user)
    stored = db.session.scalars(select(ApiToken.token_hash)).all()
    assert stored and all(raw not in s and len(s) == 64 for s in stored)
    assert len(raw) >= 40  # 32 random bytes


# =========================================================================== input


@pytest.fixture
def owner(app, factory):
    """An owner signed in to a client, with a token, an organization, a submitted and a
    draft assessment."""
    w = build_world(factory)
    client = signed_in(app, w.users["owner"].email)
    return w, client, bearer(w.tokens["owner"])


def test_is_a_body_over_the_cap_refused_with_413(app, owner):
    _w, client, headers = owner
    cap = app.config["MAX_CONTENT_LENGTH"]
    assert cap == 1024 * 1024
    before = database_state()
    big = json.dumps({"name": "x" * cap, "profile": PROFILE})
    response = client.post(
        "/api/v1/organizations", data=big, headers=headers, content_type="application/json"
    )
    assert response.status_code == 413
    assert response.mimetype == "application/json"
    assert "1,048,576 bytes" in response.get_json()["error"]["message"]

    token = csrf_token(client, "/organizations/new")
    page = client.post("/organizations/new", data={"csrf_token": token, "name": "x" * cap})
    assert page.status_code == 413
    assert page.mimetype == "text/html"
    assert "larger than the 1,048,576 bytes allowed" in text_of(page)

    anonymous = app.test_client().post("/login", data={"email": "x" * cap})
    assert anonymous.status_code == 413
    assert database_state() == before


def chunked(client, path: str, body: bytes, content_type: str, **kwargs):
    """A body without Content-Length, as a WSGI server hands over a chunked upload."""
    return client.post(
        path,
        input_stream=io.BytesIO(body),
        content_type=content_type,
        headers={**kwargs.pop("headers", {}), "Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
        **kwargs,
    )


def test_is_a_chunked_body_over_the_cap_refused_too(app, owner):
    """Werkzeug cuts a stream at the cap; the app must refuse it, not read half of it."""
    _w, client, headers = owner
    app.config["MAX_CONTENT_LENGTH"] = 5000
    before = database_state()
    big = json.dumps({"name": "n" * 6000, "profile": PROFILE}).encode()
    response = chunked(client, "/api/v1/organizations", big, "application/json", headers=headers)
    assert response.status_code == 413
    assert response.mimetype == "application/json"
    token = csrf_token(client, "/organizations/new")
    form = f"csrf_token={token}&name={'n' * 6000}".encode()
    page = chunked(client, "/organizations/new", form, "application/x-www-form-urlencoded")
    assert page.status_code == 413
    assert database_state() == before
    # Under the cap, a chunked body is read whole.
    small = json.dumps({"name": "Chunked Co", "profile": PROFILE}).encode()
    response = chunked(client, "/api/v1/organizations", small, "application/json", headers=headers)
    assert response.status_code == 201, text_of(response)
    assert response.get_json()["name"] == "Chunked Co"


def test_is_the_cap_configurable(app, owner, monkeypatch, tmp_path):
    from assess.web.config import from_environment

    monkeypatch.setenv("ASSESS_MAX_BODY", "4096")
    assert from_environment(str(tmp_path))["MAX_CONTENT_LENGTH"] == 4096
    _w, client, headers = owner
    app.config["MAX_CONTENT_LENGTH"] = 4096
    under = json.dumps({"name": "n" * 3000, "profile": PROFILE})
    assert (
        client.post(
            "/api/v1/organizations", data=under, headers=headers, content_type="application/json"
        ).status_code
        == 422
    )  # name too long
    over = json.dumps({"name": "n" * 5000, "profile": PROFILE})
    assert (
        client.post(
            "/api/v1/organizations", data=over, headers=headers, content_type="application/json"
        ).status_code
        == 413
    )


@pytest.mark.parametrize(
    "body",
    ["{not json", "", "[1, 2]", '"text"', "null", "[" * 100_000, '{"name": "x",}'],
    ids=["broken", "empty", "array", "string", "null", "deep", "trailing-comma"],
)
def test_is_malformed_json_a_400_with_a_json_error(owner, body):
    w, client, headers = owner
    for method, path in (
        ("POST", "/api/v1/organizations"),
        ("PATCH", f"/api/v1/organizations/{w.org.id}"),
        ("PATCH", f"/api/v1/assessments/{w.draft.id}/answers"),
        ("POST", f"/api/v1/assessments/{w.submitted.id}/reviews/{w.q1}/replies"),
    ):
        response = client.open(
            path, method=method, data=body, headers=headers, content_type="application/json"
        )
        assert response.status_code == 400, (method, path, response.status_code)
        assert response.mimetype == "application/json"
        assert response.get_json()["error"]["message"]


# ----------------------------------------------------------------- length limits

LONG_EMAIL = "a" * 64 + "@" + ("b" * 60 + ".") * 3 + "example.com"  # 259 characters


def profile_fields(token: str, name: str) -> dict[str, str]:
    return {
        "csrf_token": token,
        "name": name,
        "employees": "60",
        "industry": "healthcare",
        "it_staff": "2",
        "security_staff": "0",
        "security_leader": "it_manager",
        "incidents_24m": "0",
    }


def test_is_the_organization_name_limited_to_200_characters(owner):
    w, client, headers = owner
    token = csrf_token(client, "/organizations/new")
    for path in ("/organizations/new", f"/organizations/{w.org.id}/edit"):
        response = client.post(path, data=profile_fields(token, "n" * 201))
        assert response.status_code == 422, path
        assert any("200 characters" in e for e in field_errors(response, "name")), path
    response = client.post(
        "/api/v1/organizations", headers=headers, json={"name": "n" * 201, "profile": PROFILE}
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["details"]["name"] == "Use at most 200 characters."
    response = client.patch(
        f"/api/v1/organizations/{w.org.id}", headers=headers, json={"name": "n" * 201}
    )
    assert response.status_code == 422
    assert "200" in response.get_json()["error"]["details"]["name"]
    # 200 is fine.
    response = client.post(
        "/api/v1/organizations", headers=headers, json={"name": "n" * 200, "profile": PROFILE}
    )
    assert response.status_code == 201


def test_is_a_note_limited_to_4000_characters(owner):
    w, client, headers = owner
    token = csrf_token(client, "/organizations/new")
    response = client.post(
        f"/assessments/{w.draft.id}",
        query_string={"area": w.area1},
        data={"csrf_token": token, "q-1": "3", "q-1-base": "1", "q-1-note": "n" * 4001},
    )
    assert response.status_code == 422
    assert field_errors(response, "q-1-note") == ["Keep the note to 4,000 characters or fewer."]
    response = client.patch(
        f"/api/v1/assessments/{w.draft.id}/answers",
        headers=headers,
        json={"answers": {w.q1: {"level": 3, "note": "n" * 4001}}},
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["details"][w.q1] == "note is longer than 4000 characters"
    response = client.patch(
        f"/api/v1/assessments/{w.draft.id}/answers",
        headers=headers,
        json={"answers": {w.q1: {"level": 3, "note": "n" * 4000}}},
    )
    assert response.status_code == 200


def test_is_a_review_comment_limited_to_4000_characters(app, owner):
    w, _, _ = owner
    client = signed_in(app, w.users["auditor"].email)  # only auditors review
    headers = bearer(w.tokens["auditor"])
    token = csrf_token(client, "/organizations/new")
    response = client.post(
        f"/assessments/{w.submitted.id}/reviews?area={w.area1}",
        data={"csrf_token": token, f"v-{w.q1}": "2", f"c-{w.q1}": "c" * 4001},
    )
    assert response.status_code == 422
    assert "Use at most 4000 characters." in text_of(response)
    response = client.post(
        f"/api/v1/assessments/{w.submitted.id}/reviews",
        headers=headers,
        json={"question_id": w.q1, "comment": "c" * 4001},
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["details"]["comment"] == "Use at most 4000 characters."
    response = client.post(
        f"/api/v1/assessments/{w.submitted.id}/reviews",
        headers=headers,
        json={"question_id": w.q1, "comment": "c" * 4000},
    )
    assert response.status_code == 201


def test_is_an_email_limited_to_254_characters(app, owner):
    w, client, headers = owner
    response = register(app, LONG_EMAIL, PASSWORD)
    assert response.status_code == 422
    assert "Field cannot be longer than 254 characters." in field_errors(response, "email")
    token = csrf_token(client, "/organizations/new")
    response = client.post(
        f"/organizations/{w.org.id}/members",
        data={"m-csrf_token": token, "m-email": LONG_EMAIL, "m-role": "auditor", "m-submit": "1"},
    )
    assert response.status_code == 422
    assert "Field cannot be longer than 254 characters." in field_errors(response, "m-email")
    response = client.post(
        f"/api/v1/organizations/{w.org.id}/members",
        headers=headers,
        json={"email": LONG_EMAIL, "role": "auditor"},
    )
    assert response.status_code == 422
    assert "too long" in response.get_json()["error"]["details"]["email"]
    anonymous = app.test_client()
    token = csrf_token(anonymous, "/login")
    response = anonymous.post(
        "/login", data={"csrf_token": token, "email": LONG_EMAIL, "password": "x" * 201}
    )
    assert response.status_code == 401
    assert field_errors(response, "email") == ["Field cannot be longer than 254 characters."]
    assert field_errors(response, "password") == ["Field cannot be longer than 200 characters."]


def test_is_a_password_limited_to_200_characters(app):
    response = register(app, "new@example.com", "correct horse battery " * 10)
    assert response.status_code == 422
    assert field_errors(response, "password") == ["Field cannot be longer than 200 characters."]


# ----------------------------------------------------------------- HTML is text

ORG_NAME = "Acme <b>Bold</b> & <script>alert('org')</script>"
NOTE = "<img src=x onerror=alert('note')> & </textarea>"
COMMENT = "</textarea><script>alert('review')</script>"
FORMULA = '=HYPERLINK("https://evil.example","click")'
RAW = ("<b>Bold</b>", "<script>alert(", "<img src=x", "</textarea><script>")


@pytest.fixture
def nasty(app, factory):
    """A world whose organization name, notes and review comments are HTML."""
    w = build_world(factory)
    w.org.name = ORG_NAME
    db.session.commit()
    owner = w.users["owner"]
    questionnaire = questionnaires.questionnaire_for(w.draft)
    q2 = list(questionnaire.questions)[1]
    answers.save_answers(
        w.draft, owner, {w.q1: {"level": 2, "note": NOTE}, q2: {"level": 1, "note": FORMULA}}
    )
    sub = factory.assessment(
        w.org, owner, QUICK, {w.q1: {"level": 3, "note": NOTE}, q2: {"level": 1, "note": FORMULA}}
    )
    assessments.submit(sub, owner)
    db.session.commit()
    reviews.save_review(sub, w.users["auditor"], w.q1, 2, COMMENT)
    db.session.commit()
    w.submitted = sub
    return w


def test_is_html_in_names_notes_and_comments_shown_as_text_on_every_page(app, nasty):
    w = nasty
    shown = 0
    for _endpoint, path, response in owner_get_responses(app, w, pdf=False):
        if response.mimetype == "text/html":
            body = text_of(response)
            for raw in RAW:
                assert raw not in body, f"{path} has {raw!r} as HTML"
            if "&lt;b&gt;Bold&lt;/b&gt;" in body:
                shown += 1
    assert shown >= 5
    # The API gives the name as it was typed, as JSON (never sniffed as HTML: nosniff).
    api = app.test_client().get(
        f"/api/v1/organizations/{w.org.id}", headers=bearer(w.tokens["owner"])
    )
    assert api.mimetype == "application/json"
    assert api.get_json()["name"] == ORG_NAME
    assert api.headers["X-Content-Type-Options"] == "nosniff"
    reviews = text_of(
        signed_in(app, w.users["owner"].email).get(f"/assessments/{w.submitted.id}/reviews")
    )
    assert "&lt;img src=x onerror=alert(&#39;note&#39;)&gt;" in reviews
    assert "&lt;/textarea&gt;&lt;script&gt;alert(&#39;review&#39;)&lt;/script&gt;" in reviews


def test_do_exports_keep_html_and_formulas_as_plain_text(app, nasty):
    from openpyxl import load_workbook

    w = nasty
    client = signed_in(app, w.users["owner"].email)
    response = client.get(f"/organizations/{w.org.id}/export.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(text_of(response).lstrip("\ufeff"))))
    notes = {r["note"] for r in rows}
    comments = {r["review_comment"] for r in rows}
    assert NOTE in notes and "'" + FORMULA in notes and FORMULA not in notes
    assert COMMENT in comments
    response = client.get(f"/organizations/{w.org.id}/export.xlsx")
    book = load_workbook(io.BytesIO(response.get_data()))
    sheet = book["Answers"]
    header = [c.value for c in sheet[1]]
    column = header.index("note")
    values = {row[column] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert NOTE in values and "'" + FORMULA in values and FORMULA not in values
    assert all(cell.data_type != "f" for row in sheet.iter_rows(min_row=2) for cell in row), (
        "a cell is a formula"
    )


def pdf_text(data: bytes, tmp_path: Path) -> str:
    if not shutil.which("pdftotext"):
        missing_tool("pdftotext is needed to read PDFs back: apt-get install poppler-utils")
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    result = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    )
    return " ".join(result.stdout.split())


def test_do_reports_print_html_as_literal_text(app, nasty, tmp_path, chromium):
    w = nasty
    client = signed_in(app, w.users["owner"].email)
    response = client.get(f"/assessments/{w.submitted.id}/report.pdf")
    assert response.status_code == 200
    text = pdf_text(response.get_data(), tmp_path)
    assert "<b>Bold</b>" in text
    assert "<script>alert('org')</script>" in text
    assert "<img src=x onerror=alert('note')>" in text
    assert "alert('review')" in text
    response = client.get(f"/organizations/{w.org.id}/report.pdf")
    assert "<b>Bold</b>" in pdf_text(response.get_data(), tmp_path)


def test_does_the_offline_chart_keep_names_inert(app, nasty):
    w = nasty
    client = signed_in(app, w.users["owner"].email)
    for path in (
        f"/assessments/{w.submitted.id}/charts/radar.html",
        f"/organizations/{w.org.id}/charts/trend.html",
    ):
        body = text_of(client.get(path))
        for raw in RAW:
            assert raw not in body, path


# =========================================================================== CSRF and the API

PAGE_POSTS = [r for r in RULES if r[1] != "GET" and not r[0].startswith("api.")]
API_RULES = [r for r in RULES if r[0].startswith("api.") and r[0] != "api.openapi_document"]


@pytest.mark.parametrize("item", PAGE_POSTS, ids=rule_id)
def test_is_a_page_post_without_a_valid_csrf_token_refused(app, factory, item):
    endpoint, method, rule = item
    w = build_world(factory)
    case = TABLE[(endpoint, method)]
    assessment = w.draft if case.on == "draft" else w.submitted
    owner = signed_in(app, w.users["owner"].email)
    other = signed_in(app, w.users["auditor"].email)
    foreign_token = csrf_token(other, "/organizations/new")  # valid, for another session
    path = build_path(rule, w, assessment)
    before = database_state()
    for token in (None, "", "not-a-token", foreign_token):
        # Built afresh for each request: a file in a form is a stream, read once.
        sent = dict(case.form(w, "owner") if case.form else {})
        if token is not None:
            sent.update({"csrf_token": token, "m-csrf_token": token})
        response = owner.post(path, data=sent, query_string=case.query(w) if case.query else None)
        assert response.status_code == 400, (path, token, response.status_code)
        assert "The form expired or was sent from elsewhere" in text_of(response)
    assert database_state() == before
    # Still signed in: not even /logout went through.
    assert owner.get(f"/organizations/{w.org.id}").status_code == 200
    # Anonymous forms (sign-in, sign-up) are protected as well.
    anonymous = app.test_client()
    for path, form in (
        ("/login", {"email": "x@example.com", "password": PASSWORD}),
        ("/register", {"email": "x@example.com", "password": PASSWORD, "confirm": PASSWORD}),
    ):
        assert anonymous.post(path, data=form).status_code == 400


@pytest.mark.parametrize("item", API_RULES, ids=rule_id)
def test_does_the_api_ignore_session_cookies(app, factory, item):
    """A signed-in browser session is not an API credential: no CSRF through the API."""
    endpoint, method, rule = item
    w = build_world(factory)
    case = TABLE[(endpoint, method)]
    assessment = w.draft if case.on == "draft" else w.submitted
    browser = signed_in(app, w.users["owner"].email)
    assert browser.get(f"/organizations/{w.org.id}").status_code == 200
    path = build_path(rule, w, assessment)
    body = case.json(w, "owner") if case.json else None
    before = database_state()
    for headers in (
        None,
        {"Authorization": "Basic b3duZXI6cGFzc3dvcmQ="},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer not-a-token"},
    ):
        response = browser.open(
            path,
            method=method,
            json=body,
            headers=headers,
            query_string=case.query(w) if case.query else None,
        )
        assert response.status_code == 401, (path, headers, response.status_code)
        assert response.headers["WWW-Authenticate"].startswith('Bearer realm="assess"')
        assert response.mimetype == "application/json"
    assert database_state() == before


def test_is_an_unexpected_error_told_without_details(app, factory):
    def boom():
        raise RuntimeError("secret detail /srv/assess/internal.py")

    app.add_url_rule("/boom-for-test", "boom_page", boom)
    app.add_url_rule("/api/v1/boom-for-test", "boom_api", boom)
    client = app.test_client()
    page = client.get("/boom-for-test")
    api = client.get("/api/v1/boom-for-test")
    assert page.status_code == api.status_code == 500
    for response in (page, api):
        body = text_of(response)
        assert "secret detail" not in body and "Traceback" not in body
        assert "RuntimeError" not in body
    assert api.get_json() == {
        "error": {"message": "Something went wrong on our side. Nothing you saved before was lost."}
    }


# =========================================================================== redirects


def browser_target(location: str, base: str = "http://localhost/login") -> str:
    """Where a browser goes: it drops tabs and newlines and reads \\ as / (WHATWG URL)."""
    cleaned = re.sub(r"[\t\n\r]", "", location).replace("\\", "/").strip()
    return urljoin(base, cleaned)


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example",
        "//evil.example",
        "///evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        " //evil.example",
        "https:evil.example",
        "http:/evil.example",
        "javascript:alert(1)",
        "/%2F%2Fevil.example",
        "/%5Cevil.example",
    ],
)
def test_does_the_sign_in_redirect_stay_local(app, factory, target):
    factory.user("owner@example.com")
    client = app.test_client()
    token = csrf_token(client, "/login")
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"email": "owner@example.com", "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302
    landed = urlsplit(browser_target(response.headers["Location"]))
    assert landed.scheme == "http" and landed.netloc == "localhost", response.headers["Location"]


def test_does_the_sign_in_redirect_follow_a_local_next(app, factory):
    user = factory.user("owner@example.com")
    org = factory.organization(user)
    client = app.test_client()
    bounce = client.get(f"/organizations/{org.id}/history")
    assert bounce.status_code == 302
    login_page = bounce.headers["Location"]
    assert urlsplit(login_page).path == "/login"
    token = csrf_token(client, login_page)
    response = client.post(
        login_page, data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.headers["Location"] == f"/organizations/{org.id}/history"
