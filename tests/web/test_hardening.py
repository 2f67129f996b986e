"""Issue 16's findings, each proven fixed through the running app: exports that no text can
break, bounds on every number, no 500 from odd input, trusted hosts, quotas."""

from __future__ import annotations

import io

from assess.records.database import db
from tests.factories import login_as

QUICK = "ciso-nine-areas-quick"


def _owner_with_submitted(factory, note: str):
    from assess.records import assessments

    owner = factory.user("owner@example.com")
    org = factory.organization(owner)
    first = QUICK_FIRST_QUESTION
    a = factory.assessment(org, owner, answers={first: {"level": 2, "note": note}})
    assessments.submit(a, owner)
    db.session.commit()
    return owner, org, a


QUICK_FIRST_QUESTION = "program-oversight.accountable-owner"


def test_a_control_character_in_a_note_does_not_break_the_xlsx_export(app, factory, client):
    from openpyxl import load_workbook

    owner, org, _ = _owner_with_submitted(factory, "bell\x07 and esc\x1b; =1+1")
    login_as(client, owner.email)
    response = client.get(f"/organizations/{org.id}/export.xlsx")
    assert response.status_code == 200  # was 500 (openpyxl IllegalCharacterError), for good
    sheet = load_workbook(io.BytesIO(response.get_data()))["Answers"]
    notes = [c.value for row in sheet.iter_rows(min_row=2) for c in row if c.value]
    assert "bell\ufffd and esc\ufffd; =1+1" in notes
    response = client.get(f"/organizations/{org.id}/export.csv")
    assert response.status_code == 200
    assert "; '=1+1" in response.get_data(as_text=True)


# --------------------------------------------------------------------------- bounds, no 500

BIG = 10**400


def _api(factory):
    owner = factory.user("api@example.com")
    org = factory.organization(owner)
    return owner, org, {"Authorization": f"Bearer {factory.token(owner)}"}


def _organizations():
    from sqlalchemy import func, select

    from assess.records.models import Organization

    return db.session.scalar(select(func.count(Organization.id)))


def test_numbers_out_of_bounds_are_refused_by_the_api_before_anything_is_stored(app, factory):
    from tests.factories import PROFILE

    _, org, auth = _api(factory)
    client = app.test_client()
    before = _organizations()
    cases = [
        {"employees": BIG},
        {"employees": 10_000_001},
        {"annual_revenue_usd": 10**14},
        {"it_staff": BIG},
        {"security_staff": 10**8},
        {"incidents_24m": 10**7},
        {"employees": 0},
    ]
    for change in cases:
        profile = {**PROFILE, **change}
        response = client.post(
            "/api/v1/organizations", json={"name": "Big", "profile": profile}, headers=auth
        )
        assert response.status_code == 422, (change, response.get_data(as_text=True))
        field = next(iter(change))
        assert field in response.get_json()["error"]["details"], change
        response = client.patch(
            f"/api/v1/organizations/{org.id}", json={"profile": change}, headers=auth
        )
        assert response.status_code == 422, change
    assert _organizations() == before
    db.session.expire_all()
    assert org.profile["employees"] == PROFILE["employees"]


def test_non_finite_json_numbers_are_422_not_500(app, factory):
    owner, org, auth = _api(factory)
    a = factory.assessment(org, owner)
    client = app.test_client()
    json_header = {**auth, "Content-Type": "application/json"}
    cases = [
        (f"/api/v1/organizations/{org.id}/assessments", "post", '{"copy_from": Infinity}'),
        (f"/api/v1/organizations/{org.id}/assessments", "post", '{"copy_from": -Infinity}'),
        (f"/api/v1/organizations/{org.id}/assessments", "post", '{"copy_from": NaN}'),
        (f"/api/v1/assessments/{a.id}/targets", "patch", '{"targets": {"x": NaN}}'),
        (f"/api/v1/organizations/{org.id}", "patch", '{"profile": {"employees": Infinity}}'),
    ]
    for path, method, body in cases:
        response = getattr(client, method)(path, data=body, headers=json_header)
        assert response.status_code == 422, (body, response.get_data(as_text=True))
    # copy_from as a huge integer or a float is refused too, as a field error
    path = f"/api/v1/organizations/{org.id}/assessments"
    for value in (BIG, 1e300, True):
        response = client.post(path, json={"copy_from": value}, headers=auth)
        assert response.status_code == 422, value
    # the wrong field beside copy_from is no longer ignored in silence
    response = client.post(path, json={"copy_from": "last", "questionnaire": {}}, headers=auth)
    assert response.status_code == 422


def test_the_profile_form_refuses_a_huge_headcount(app, factory, client):
    from tests.factories import PROFILE, csrf_token

    owner = factory.user("form@example.com")
    org = factory.organization(owner)
    login_as(client, owner.email)
    data = {k: v for k, v in PROFILE.items() if not isinstance(v, list | bool)}
    data.update(name="Acme", employees=str(BIG), regulations="hipaa", customer_demands="y")
    data["csrf_token"] = csrf_token(client, f"/organizations/{org.id}/edit")
    response = client.post(f"/organizations/{org.id}/edit", data=data)
    assert response.status_code == 422
    assert "Must be at most 10,000,000." in response.get_data(as_text=True)
    response = client.post("/organizations/new", data=data)
    assert response.status_code == 422


def test_a_targets_form_value_snan_is_a_form_error(app, factory, client):
    from tests.factories import csrf_token

    owner = factory.user("t@example.com")
    org = factory.organization(owner)
    a = factory.assessment(org, owner)
    login_as(client, owner.email)
    token = csrf_token(client, f"/assessments/{a.id}/results")
    for value in ("sNaN", "NaN", "Infinity", "-inf"):
        response = client.post(
            f"/assessments/{a.id}/targets", data={"t-1": value, "csrf_token": token}
        )
        assert response.status_code == 422, value  # sNaN was a 500 (InvalidOperation)
        assert "Enter a target from 0 to 5." in response.get_data(as_text=True)


def test_an_organization_name_with_a_control_character_is_refused(app, factory, client):
    from tests.factories import PROFILE, csrf_token

    _, org, auth = _api(factory)
    api = app.test_client()
    for name in ("Acme\x07", "Acme\x1b[31m", "Acme\x7f", "Acme\x9b"):
        response = api.post(
            "/api/v1/organizations", json={"name": name, "profile": PROFILE}, headers=auth
        )
        assert response.status_code == 422, repr(name)
        assert "control characters" in response.get_json()["error"]["details"]["name"]
        response = api.patch(f"/api/v1/organizations/{org.id}", json={"name": name}, headers=auth)
        assert response.status_code == 422
    owner = factory.user("names@example.com")
    login_as(client, owner.email)
    data = {k: v for k, v in PROFILE.items() if not isinstance(v, list | bool)}
    data.update(name="Acme\x07 Dental", regulations="hipaa")
    data["csrf_token"] = csrf_token(client, "/organizations/new")
    response = client.post("/organizations/new", data=data)
    assert response.status_code == 422
    assert "control characters" in response.get_data(as_text=True)


def test_a_chart_image_failing_for_any_reason_answers_503(app, factory, client, monkeypatch):
    from assess.outputs import image_pool

    class Broken:
        alive = True

        def render(self, spec, opts):
            raise ValueError("kaleido could not draw this figure")

        def stop(self):
            pass

    image_pool.shutdown()
    monkeypatch.setattr(image_pool, "_start_from_environment", lambda: Broken())
    monkeypatch.setattr(image_pool, "_pool", None)
    owner = factory.user("c@example.com")
    org = factory.organization(owner)
    a = factory.assessment(org, owner)
    login_as(client, owner.email)
    for fmt in ("png", "svg", "pdf"):
        response = client.get(f"/assessments/{a.id}/charts/radar.{fmt}")
        assert response.status_code == 503, fmt
        assert "chart image failed: kaleido could not draw this figure" in response.get_data(
            as_text=True
        )


def test_does_a_chart_download_finding_every_renderer_busy_answer_503(
    app, factory, client, monkeypatch
):
    """All renderers drawing for longer than the wait: 503 saying so, not a hung request."""
    import threading

    from assess.outputs import image_pool

    drawing, release = threading.Event(), threading.Event()

    class Slow:
        alive = True

        def render(self, spec, opts):
            drawing.set()
            assert release.wait(10)
            return b"\x89PNG slow"

        def stop(self):
            pass

    image_pool.shutdown()
    monkeypatch.setattr(image_pool, "WAIT_TIMEOUT", 0.05)
    monkeypatch.setattr(image_pool, "_pool", image_pool.Pool(1, Slow))
    owner = factory.user("busy@example.com")
    org = factory.organization(owner)
    a = factory.assessment(org, owner)
    login_as(client, owner.email)
    holder = threading.Thread(target=image_pool.pool().render, args=({}, {}))
    holder.start()
    try:
        assert drawing.wait(10)
        response = client.get(f"/assessments/{a.id}/charts/radar.png")
        assert response.status_code == 503
        assert "chart images are busy" in response.get_data(as_text=True)
    finally:
        release.set()
        holder.join(10)
    response = client.get(f"/assessments/{a.id}/charts/radar.png")
    assert response.status_code == 200 and response.data == b"\x89PNG slow"


def test_line_breaks_in_next_after_sign_in_go_home(app, factory, client):
    from tests.factories import PASSWORD, csrf_token

    owner = factory.user("n@example.com")
    for target in ("/%0d%0aSet-Cookie:%20x=1", "/ok%0aX: y", "/%09x", "/\\evil.example"):
        fresh = app.test_client()
        token = csrf_token(fresh, "/login")
        response = fresh.post(
            f"/login?next={target}",
            data={"email": owner.email, "password": PASSWORD, "csrf_token": token},
        )
        assert response.status_code == 302, target
        assert response.headers["Location"] == "/", target
    # a local path still works
    token = csrf_token(client, "/login")
    response = client.post(
        "/login?next=/organizations/new",
        data={"email": owner.email, "password": PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/organizations/new"


def test_stored_results_with_an_out_of_range_value_from_before_still_render(
    app, factory, client, chromium
):
    """Before the bounds, a profile with a headcount of 10**300 was stored and its results
    frozen at submission: the pages, the PDF reports and the API still show them."""
    from assess.core import recommend
    from assess.core.evaluation import build_report
    from assess.records.questionnaires import questionnaire_for

    owner = factory.user("old@example.com")
    org = factory.organization(owner)
    a = factory.assessment(org, owner, answers={QUICK_FIRST_QUESTION: 2})
    huge = 10**300
    profile = recommend.parse_profile({**org.profile, "organization": org.name})
    unchecked = profile.model_copy(update={"employees": huge})  # what the old code let in
    report = build_report(questionnaire_for(a), {}, targets={}, profile=unchecked)
    a.status = "submitted"
    from assess.records.models import utcnow

    a.submitted_at = utcnow()
    a.submitted_by_id = owner.id
    a.results = report.results().model_dump(mode="json")
    org.profile = {**org.profile, "employees": huge}
    db.session.commit()
    login_as(client, owner.email)
    for path in (
        f"/assessments/{a.id}/results",
        f"/organizations/{org.id}",
        f"/organizations/{org.id}/edit",
        f"/organizations/{org.id}/history",
        f"/assessments/{a.id}/report.pdf",
        f"/organizations/{org.id}/report.pdf",
        f"/organizations/{org.id}/export.xlsx",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
    token = factory.token(owner)
    response = client.get(
        f"/api/v1/assessments/{a.id}/results", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200


# --------------------------------------------------------------------------- trusted hosts


def test_an_untrusted_host_is_refused_and_links_use_the_base_url(app, factory, monkeypatch):
    _owner, org, auth = _api(factory)
    client = app.test_client()
    path = f"/api/v1/organizations/{org.id}/invitations"
    # Before: Host: evil.example gave http://evil.example/invitations/...
    response = client.post(path, json={"role": "auditor"}, headers={**auth, "Host": "evil.example"})
    assert response.status_code == 400
    assert client.get("/login", headers={"Host": "evil.example"}).status_code == 400
    for host in ("localhost", "127.0.0.1:5000", "localhost:8000"):
        assert client.get("/login", headers={"Host": host}).status_code == 200, host
    app.config["ASSESS_BASE_URL"] = "https://assess.example.com"
    response = client.post(path, json={"role": "auditor"}, headers=auth)
    assert response.status_code == 201
    url = response.get_json()["url"]
    assert url.startswith("https://assess.example.com/invitations/"), url
    assert response.headers["Location"] == url


def test_trusted_hosts_come_from_the_environment(monkeypatch, tmp_path):
    from assess.web import config

    monkeypatch.setenv("SECRET_KEY", "x")
    monkeypatch.setenv("ASSESS_BASE_URL", "https://assess.example.com/")
    monkeypatch.setenv("ASSESS_TRUSTED_HOSTS", "intranet.local, .corp.example")
    settings = config.from_environment(str(tmp_path))
    assert settings["ASSESS_BASE_URL"] == "https://assess.example.com"
    assert settings["TRUSTED_HOSTS"] == [
        "localhost",
        "127.0.0.1",
        "assess.example.com",
        "intranet.local",
        ".corp.example",
    ]
    monkeypatch.delenv("ASSESS_BASE_URL")
    monkeypatch.delenv("ASSESS_TRUSTED_HOSTS")
    assert config.from_environment(str(tmp_path))["TRUSTED_HOSTS"] == ["localhost", "127.0.0.1"]


# --------------------------------------------------------------------------- throttles


def test_registration_is_throttled_per_address(app):
    from tests.factories import csrf_token

    app.config["ASSESS_REGISTER_LIMIT"] = "3 per hour"
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "127.0.9.1"
    token = csrf_token(client, "/register")
    for i in range(3):
        data = {"email": f"x{i}@example.com", "password": "short", "csrf_token": token}
        assert client.post("/register", data=data).status_code == 422
    data = {"email": "y@example.com", "password": "short", "csrf_token": token}
    assert client.post("/register", data=data).status_code == 429
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "127.0.9.2"
    token = csrf_token(other, "/register")
    assert other.post("/register", data={**data, "csrf_token": token}).status_code == 422


def test_add_member_lookups_are_throttled_per_user(app, factory):
    app.config["ASSESS_LOOKUP_LIMIT"] = "3 per hour"
    _, org, auth = _api(factory)
    client = app.test_client()
    path = f"/api/v1/organizations/{org.id}/members"
    for i in range(3):
        body = {"email": f"nobody{i}@example.com", "role": "auditor"}
        assert client.post(path, json=body, headers=auth).status_code == 422
    body = {"email": "nobody9@example.com", "role": "auditor"}
    response = client.post(path, json=body, headers=auth)
    assert response.status_code == 429
    assert response.get_json()["error"]["message"]


# --------------------------------------------------------------------------- passwords, emails


def test_weak_passwords_are_refused_at_sign_up(app):
    from tests.factories import csrf_token

    email = "jane.doe@acme-dental.example"
    weak = [
        email,
        "jane.doe@acme",
        "janedoe2026!",
        "acmedental1",
        "abcdefghij",
        "1q2w3e4r5t",
        "qwertyuiop",
        "Assess2026!",
        "assessment1",
        "zxcvbnmasdf",
    ]
    for password in weak:
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"127.0.8.{weak.index(password)}"
        token = csrf_token(client, "/register")
        data = {"email": email, "password": password, "confirm": password, "csrf_token": token}
        response = client.post("/register", data=data)
        assert response.status_code == 422, password
    from sqlalchemy import select

    from assess.records.models import User

    assert db.session.scalar(select(User.id)) is None


def test_the_password_rule_is_one_function():
    from assess.records import accounts
    from assess.records.passwords import password_problem

    assert accounts.password_problem is password_problem
    assert password_problem("correct horse battery", "owner@example.com") is None
    assert password_problem("a few unrelated words", None) is None
    assert "email" in password_problem("owner@example.com!", "owner@example.com")
    assert password_problem("x" * 201) == "Use at most 200 characters."


def test_the_cli_refuses_a_weak_password(runner):
    result = runner.invoke(
        args=["users", "create", "a@example.com", "--password-stdin"], input="1q2w3e4r5t\n"
    )
    assert result.exit_code != 0


def test_one_address_in_any_spelling_is_one_account(app, factory):
    from assess.records.accounts import authenticate, create_user
    from assess.records.errors import Invalid
    from tests.factories import PASSWORD

    create_user("Owner@Bücher.Example", PASSWORD)
    db.session.commit()
    for same in ("owner@xn--bcher-kva.example", "OWNER@bücher.example", " owner@BÜCHER.example "):
        try:
            create_user(same, PASSWORD)
        except Invalid as exc:
            assert "already exists" in exc.errors["email"]
        else:  # pragma: no cover - the bug
            raise AssertionError(f"{same} became a second account")
        db.session.rollback()
        assert authenticate(same, PASSWORD) is not None, same


def test_lookalike_mixed_script_addresses_are_refused(app):
    from assess.records.accounts import create_user
    from assess.records.errors import Invalid
    from tests.factories import PASSWORD

    for lookalike in (
        "p\u0430ypal@example.com",
        "owner@ex\u0430mple.com",
        "\u03bfwner@example.com",
    ):
        try:
            create_user(lookalike, PASSWORD)
        except Invalid as exc:
            assert "scripts" in exc.errors["email"], lookalike
        else:  # pragma: no cover - the bug
            raise AssertionError(f"{lookalike!r} was accepted")
    # one script throughout is an address like any other
    assert create_user("\u0438\u0432\u0430\u043d@example.com", PASSWORD).id


def test_an_account_kept_from_before_still_signs_in(app, factory):
    """A row stored before the lookalike rule (mixed scripts) still signs in."""
    from assess.records.accounts import authenticate, hash_password
    from assess.records.models import User
    from tests.factories import PASSWORD

    db.session.add(User(email="p\u0430ypal@example.com", password_hash=hash_password(PASSWORD)))
    db.session.commit()
    assert authenticate("p\u0430ypal@example.com", PASSWORD) is not None


# --------------------------------------------------------------------------- quotas


def test_quotas_answer_422_naming_the_limit(app, factory):
    from tests.factories import PROFILE

    app.config.update(ASSESS_MAX_ORGANIZATIONS=2, ASSESS_MAX_DRAFTS=2, ASSESS_MAX_CHANGES=3)
    _owner, org, auth = _api(factory)  # the first organization
    client = app.test_client()
    body = {"name": "Second", "profile": PROFILE}
    assert client.post("/api/v1/organizations", json=body, headers=auth).status_code == 201
    response = client.post("/api/v1/organizations", json=body, headers=auth)
    assert response.status_code == 422
    assert "ASSESS_MAX_ORGANIZATIONS is 2" in response.get_json()["error"]["message"]

    path = f"/api/v1/organizations/{org.id}/assessments"
    made = [client.post(path, json={"questionnaire": QUICK}, headers=auth) for _ in range(2)]
    assert [r.status_code for r in made] == [201, 201]
    response = client.post(path, json={"questionnaire": QUICK}, headers=auth)
    assert response.status_code == 422
    assert "ASSESS_MAX_DRAFTS is 2" in response.get_json()["error"]["message"]

    answers = f"/api/v1/assessments/{made[0].get_json()['id']}/answers"
    for level in (1, 2, 3):
        body = {"answers": {QUICK_FIRST_QUESTION: level}}
        assert client.patch(answers, json=body, headers=auth).status_code == 200
    response = client.patch(answers, json={"answers": {QUICK_FIRST_QUESTION: 4}}, headers=auth)
    assert response.status_code == 422
    assert "ASSESS_MAX_CHANGES is 3" in response.get_json()["error"]["message"]
    # the same answer again writes nothing, so it is not refused
    body = {"answers": {QUICK_FIRST_QUESTION: 3}}
    assert client.patch(answers, json=body, headers=auth).status_code == 200


def test_the_quota_on_organizations_shows_on_the_form(app, factory, client):
    from tests.factories import PROFILE, csrf_token

    app.config["ASSESS_MAX_ORGANIZATIONS"] = 1
    owner = factory.user("q@example.com")
    factory.organization(owner)
    login_as(client, owner.email)
    data = {k: v for k, v in PROFILE.items() if not isinstance(v, list | bool)}
    data.update(name="Another", regulations="hipaa")
    data["csrf_token"] = csrf_token(client, "/organizations/new")
    response = client.post("/organizations/new", data=data)
    assert response.status_code == 422
    assert "ASSESS_MAX_ORGANIZATIONS = 1" in response.get_data(as_text=True)
