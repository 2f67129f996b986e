"""The portfolio: page and API, its query, its files, and a constant number of queries.

Many organizations are seeded by copying one real submission's stored results with other
scores (:func:`seed`), so 50 organizations take a moment, not a minute.
"""

from __future__ import annotations

import copy
import io
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import event

from assess.core.questionnaire import get_questionnaire
from assess.records import assessments, reviews
from assess.records.database import db
from assess.records.models import Action, Assessment, Membership, utcnow
from assess.records.models import Answer as AnswerRow
from assess.records.organizations import create_organization
from assess.records.questionnaires import _SNAPSHOT_CACHE
from assess.records.scores import keep_scores
from tests.factories import PROFILE, login_as
from tests.web.test_api import assert_error, assert_schema, bearer

QUICK = "ciso-nine-areas-quick"
FULL = "ciso-nine-areas"


@pytest.fixture
def adviser(factory):
    user = factory.user("adviser@example.com")
    return SimpleNamespace(user=user, headers=bearer(factory.token(user)))


@pytest.fixture
def doc(client):
    return client.get("/api/v1/openapi.json").get_json()


def template(factory, user, questionnaire=QUICK):
    """A real submitted assessment (in a throwaway organization) whose results are copied."""
    org = factory.organization(user, "Template Org")
    qs = get_questionnaire(questionnaire).questions
    found = factory.assessment(org, user, questionnaire, {q: 2 for q in qs})
    assessments.submit(found, user)
    db.session.commit()
    return found


def results_with(source: Assessment, overall: float, areas: dict[str, float] | None = None):
    document = copy.deepcopy(source.results)
    document["overall"]["score"] = overall
    document["overall"]["level"] = int(overall)
    for area in document["areas"]:
        score = (areas or {}).get(area["id"], overall)
        area["score"], area["gap"] = score, max(area["target"] - score, 0.0)
    return document


def submission(org, source: Assessment, when: datetime, overall: float, areas=None):
    found = Assessment(
        organization_id=org.id,
        questionnaire_hash=source.questionnaire_hash,
        questionnaire_id=source.questionnaire_id,
        questionnaire_version=source.questionnaire_version,
        status="submitted",
        created_at=when,
        updated_at=when,
        submitted_at=when,
        results=results_with(source, overall, areas),
    )
    db.session.add(found)
    db.session.flush()
    keep_scores(found)
    return found


def plan_items(org, today) -> None:
    """One overdue, one open (due today: not overdue yet), one done long ago, one risk
    accepted long ago: 2 open, 1 overdue."""
    day = timedelta(days=1)
    for title, status, due in (
        ("Overdue", "in_progress", today - day),
        ("Open", "open", today),
        ("Done", "done", today - 30 * day),
        ("Accepted", "risk_accepted", today - 30 * day),
    ):
        db.session.add(Action(organization_id=org.id, title=title, status=status, due_date=due))


def seed(user, source: Assessment, count: int, *, prefix="Client", role="owner"):
    """``count`` organizations of ``user``, each with two submissions, a draft and plan items."""
    now = utcnow()
    orgs = []
    for i in range(count):
        org = create_organization(user, f"{prefix} {i:03d}", dict(PROFILE))
        if role != "owner":
            db.session.query(Membership).filter_by(organization_id=org.id).update({"role": role})
        submission(org, source, now - timedelta(days=400), 1.0 + (i % 3) / 2)
        submission(org, source, now - timedelta(days=30 + i), 2.0 + (i % 4) / 2)
        plan_items(org, now.date())
        orgs.append(org)
    db.session.commit()
    return orgs


# --------------------------------------------------------------------------- the rows


def test_does_the_portfolio_show_each_state(client, factory, adviser, doc):
    source = template(factory, adviser.user)
    now = utcnow()
    never = factory.organization(adviser.user, "Never Assessed Co")
    overdue = factory.organization(adviser.user, "Overdue Co")
    submission(overdue, source, now - timedelta(days=200), 2.0)
    overdue.cadence_months = 6
    regressed = factory.organization(adviser.user, "Regressed Co")
    area = source.results["areas"][0]["id"]
    submission(regressed, source, now - timedelta(days=300), 2.0, {area: 3.0})
    submission(regressed, source, now - timedelta(days=10), 2.5, {area: 1.0})
    switched = factory.organization(adviser.user, "Switched Co")
    submission(switched, source, now - timedelta(days=300), 2.0)
    full = template(factory, adviser.user, FULL)
    submission(switched, full, now - timedelta(days=5), 3.0)
    db.session.commit()
    response = client.get("/api/v1/portfolio?per_page=200", headers=adviser.headers)
    assert response.status_code == 200
    body = response.get_json()
    assert_schema(doc, "Portfolio", body)
    rows = {r["name"]: r for r in body["organizations"]}
    assert rows["Never Assessed Co"]["state"] == "never_assessed"
    assert rows["Never Assessed Co"]["next_due"] is None
    assert rows["Overdue Co"]["overdue"] is True and rows["Overdue Co"]["cadence_months"] == 6
    assert rows["Regressed Co"]["regressed"] is True
    assert rows["Regressed Co"]["regressed_areas"] == [area]
    assert rows["Regressed Co"]["change"] == 0.5
    assert rows["Switched Co"]["change"] is None
    assert rows["Switched Co"]["change_reason"] == "different_questionnaire"
    assert body["counts"]["never_assessed"] == 1
    assert body["total"] == len(body["organizations"]) == 6  # two templates besides
    assert never.id in {r["id"] for r in body["organizations"]}


def test_are_only_the_users_organizations_listed_with_their_role(client, factory, adviser):
    other = factory.user("other@example.com")
    factory.organization(other, "Not Mine")
    mine = factory.organization(other, "Audited By Me")
    factory.member(mine, adviser.user, "auditor")
    body = client.get("/api/v1/portfolio", headers=adviser.headers).get_json()
    assert [(r["name"], r["role"]) for r in body["organizations"]] == [("Audited By Me", "auditor")]


def test_does_the_api_sort_filter_search_and_page(client, factory, adviser):
    source = template(factory, adviser.user)
    seed(adviser.user, source, 7)
    get = lambda q: client.get(f"/api/v1/portfolio?{q}", headers=adviser.headers).get_json()  # noqa: E731
    body = get("per_page=3&page=2&sort=name")
    assert [r["name"] for r in body["organizations"]] == ["Client 003", "Client 004", "Client 005"]
    assert (body["total"], body["pages"], body["page"]) == (8, 3, 2)
    scores = [r["score"] for r in get("sort=score&order=desc")["organizations"]]
    assert scores == sorted(scores, reverse=True)
    assert get("q=client 00")["total"] == 7
    assert get("q=TEMPLATE")["total"] == 1
    assert get("filter=regressed")["total"] == 0
    assert get("filter=never_assessed")["total"] == 0


@pytest.mark.parametrize(
    "query",
    [
        "sort=shoe",
        "order=sideways",
        "filter=late",
        "page=0",
        "page=x",
        "per_page=201",
        "per_page=0",
        "q=" + "x" * 201,
    ],
)
def test_are_bad_parameters_refused_by_the_api_and_ignored_by_the_page(
    client, factory, adviser, query
):
    error = assert_error(client.get(f"/api/v1/portfolio?{query}", headers=adviser.headers), 422)
    assert set(error["details"]) == {query.split("=")[0]}
    assert_error(client.get(f"/api/v1/portfolio.xlsx?{query}", headers=adviser.headers), 422)
    login_as(client, "adviser@example.com")
    page = client.get(f"/portfolio?{query}")
    assert page.status_code == 200
    assert "Ignored" in page.get_data(as_text=True)


@pytest.mark.parametrize("query", ["sort=name&sort=score", "page=", "per_page=", "filter="])
def test_does_the_api_refuse_a_parameter_given_twice_or_empty(client, factory, adviser, query):
    """The API says exactly what it takes (the page, more forgiving, falls back to defaults)."""
    error = assert_error(client.get(f"/api/v1/portfolio?{query}", headers=adviser.headers), 422)
    assert set(error["details"]) == {query.split("=")[0]}


# --------------------------------------------------------------------------- queries


def count_queries(client, path: str, headers=None) -> int:
    """How many statements one request runs (a warm-up request first fills the caches)."""
    client.get(path, headers=headers)
    statements = []

    def note(conn, cursor, statement, *args):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        response = client.get(path, headers=headers)
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert response.status_code == 200
    return len(statements)


def test_is_the_number_of_queries_the_same_for_5_and_50_organizations(client, factory, adviser):
    source = template(factory, adviser.user)
    first = seed(adviser.user, source, 5, prefix="Small")
    reviewer = factory.user("reviewer@example.com")
    for org in first[:2]:
        latest = max(org.assessments, key=lambda a: a.submitted_at)
        first_two = list(get_questionnaire(QUICK).questions)[:2]
        for qid in first_two:
            db.session.add(
                AnswerRow(assessment_id=latest.id, question_id=qid, status="level", level=3)
            )
        reviews.save_review(latest, reviewer, first_two[0], 0, "Less than claimed.")
    db.session.commit()
    login_as(client, "adviser@example.com")
    _SNAPSHOT_CACHE.clear()
    few_api = count_queries(client, "/api/v1/portfolio?per_page=200", adviser.headers)
    few_page = count_queries(client, "/portfolio?per_page=200")
    rows = client.get("/api/v1/portfolio?per_page=200", headers=adviser.headers).get_json()
    assert sum(1 for r in rows["organizations"] if r["verified_difference"] is not None) == 2
    seed(adviser.user, source, 45, prefix="Large")
    _SNAPSHOT_CACHE.clear()
    many_api = count_queries(client, "/api/v1/portfolio?per_page=200", adviser.headers)
    many_page = count_queries(client, "/portfolio?per_page=200")
    assert client.get("/api/v1/portfolio", headers=adviser.headers).get_json()["total"] == 51
    assert (many_api, many_page) == (few_api, few_page)
    assert few_api <= 8, f"{few_api} statements for the API's portfolio"


def test_are_the_plan_items_counted_per_organization(client, factory, adviser, doc):
    source = template(factory, adviser.user)
    busy, idle = seed(adviser.user, source, 2, prefix="Plan")
    db.session.query(Action).filter_by(organization_id=idle.id).delete()
    today = utcnow().date()
    db.session.add(
        Action(organization_id=busy.id, title="Late", status="open", due_date=today - timedelta(1))
    )
    db.session.add(Action(organization_id=busy.id, title="Undated", status="open"))
    db.session.commit()
    response = client.get(
        "/api/v1/portfolio?sort=overdue_plan_items&order=desc", headers=adviser.headers
    )
    body = response.get_json()
    assert_schema(doc, "Portfolio", body)
    rows = {r["name"]: r for r in body["organizations"]}
    assert (rows["Plan 000"]["open_plan_items"], rows["Plan 000"]["overdue_plan_items"]) == (4, 2)
    assert (rows["Plan 001"]["open_plan_items"], rows["Plan 001"]["overdue_plan_items"]) == (0, 0)
    assert body["organizations"][0]["name"] == "Plan 000"
    ascending = client.get("/api/v1/portfolio?sort=open_plan_items", headers=adviser.headers)
    names = [r["name"] for r in ascending.get_json()["organizations"]]
    assert names.index("Plan 001") < names.index("Plan 000")


# --------------------------------------------------------------------------- files


def test_is_the_workbook_typed_filtered_and_frozen(client, factory, adviser):
    from openpyxl import load_workbook

    source = template(factory, adviser.user)
    seed(adviser.user, source, 3)
    factory.organization(adviser.user, "=HYPERLINK(1)")
    response = client.get("/api/v1/portfolio.xlsx?sort=name", headers=adviser.headers)
    assert response.status_code == 200
    assert "portfolio-" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data)).active
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["Organization", "Your role", "State", "Last submitted"]
    assert sheet.freeze_panes == "B2"
    assert sheet.auto_filter.ref == f"A1:U{sheet.max_row}"
    assert sheet.max_row == 1 + 5
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=2)}
    assert rows["'=HYPERLINK(1)"][2].value == "never assessed"
    client_row = rows["Client 000"]
    col = {name: i for i, name in enumerate(header)}
    assert isinstance(client_row[col["Last submitted"]].value, datetime)
    assert client_row[col["Last submitted"]].number_format == "yyyy-mm-dd"
    score = client_row[col["Overall score"]]
    assert score.data_type == "n" and score.value == 2.0 and score.number_format == "0.00"
    assert isinstance(client_row[col["Level"]].value, int)
    assert client_row[col["Overdue"]].value is False


def test_does_the_workbook_carry_every_reviewed_clients_verified_difference(
    client, factory, adviser
):
    """Not only the page's: the workbook holds every page, and a reviewed client on a later
    page kept no verified difference before (it was filled in for the page's rows only)."""
    from openpyxl import load_workbook

    source = template(factory, adviser.user)
    orgs = seed(adviser.user, source, 3)
    reviewer = factory.user("reviewer@example.com")
    latest = max(orgs[2].assessments, key=lambda a: a.submitted_at)
    question = next(iter(get_questionnaire(QUICK).questions))
    db.session.add(
        AnswerRow(assessment_id=latest.id, question_id=question, status="level", level=3)
    )
    reviews.save_review(latest, reviewer, question, 1, "Less than claimed.")
    db.session.commit()
    query = "sort=name&per_page=1"
    page = client.get(f"/api/v1/portfolio?{query}", headers=adviser.headers).get_json()
    assert [r["name"] for r in page["organizations"]] == ["Client 000"]
    response = client.get(f"/api/v1/portfolio.xlsx?{query}", headers=adviser.headers)
    sheet = load_workbook(io.BytesIO(response.data)).active
    header = [c.value for c in sheet[1]]
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=2)}
    difference = header.index("Verified minus self-assessed")
    assert rows["Client 002"][difference].value < 0  # verified lower than claimed
    assert rows["Client 001"][difference].value is None
    last = client.get("/api/v1/portfolio?sort=name&per_page=1&page=3", headers=adviser.headers)
    [reviewed] = last.get_json()["organizations"]
    assert reviewed["verified_difference"] == rows["Client 002"][difference].value
    assert reviewed["reviewed_answers"] == 1


def test_are_the_portfolio_charts_downloadable_as_html(client, factory, adviser):
    source = template(factory, adviser.user)
    seed(adviser.user, source, 2)
    for name, expected in (("scores", "Client 001"), ("areas", "Each area across clients")):
        response = client.get(f"/api/v1/portfolio/charts/{name}.html", headers=adviser.headers)
        assert response.status_code == 200 and response.mimetype == "text/html"
        assert expected in response.get_data(as_text=True)
    login_as(client, "adviser@example.com")
    response = client.get("/portfolio/charts/scores.html?filter=never_assessed")
    assert response.status_code == 200
    assert "Client 001" not in response.get_data(as_text=True)


def test_does_the_page_show_the_table_and_link_the_downloads(client, factory, adviser):
    source = template(factory, adviser.user)
    seed(adviser.user, source, 2)
    login_as(client, "adviser@example.com")
    home = client.get("/").get_data(as_text=True)
    assert 'href="/portfolio"' in home
    html = client.get("/portfolio?sort=score&order=desc").get_data(as_text=True)
    assert 'role="region"' in html and 'tabindex="0"' in html
    assert 'aria-sort="descending"' in html
    assert "Client 001" in html and "/portfolio.xlsx" in html
    assert "/portfolio/charts/scores.png" in html and "/portfolio/charts/areas.svg" in html


# --------------------------------------------------------------------------- cadence


def test_can_an_owner_set_the_cadence_and_the_opt_in(client, factory, adviser, doc):
    org = factory.organization(adviser.user, "Cadenced")
    path = f"/api/v1/organizations/{org.id}"
    response = client.patch(
        path, json={"cadence_months": 3, "benchmark_opt_in": True}, headers=adviser.headers
    )
    assert response.status_code == 200
    body = response.get_json()
    assert_schema(doc, "Organization", body)
    assert (body["cadence_months"], body["benchmark_opt_in"]) == (3, True)
    assert client.get(path, headers=adviser.headers).get_json()["cadence_months"] == 3


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"cadence_months": 4}, "cadence_months"),
        ({"cadence_months": "6"}, "cadence_months"),
        ({"cadence_months": True}, "cadence_months"),
        ({"cadence_months": None}, "cadence_months"),
        ({"benchmark_opt_in": "yes"}, "benchmark_opt_in"),
        ({"benchmark_opt_in": None}, "benchmark_opt_in"),
    ],
)
def test_is_a_bad_cadence_or_opt_in_refused(client, factory, adviser, payload, field):
    org = factory.organization(adviser.user, "Cadenced")
    response = client.patch(
        f"/api/v1/organizations/{org.id}", json=payload, headers=adviser.headers
    )
    assert set(assert_error(response, 422)["details"]) == {field}
    db.session.refresh(org)
    assert (org.cadence_months, org.benchmark_opt_in) == (12, False)


def test_can_an_owner_set_the_cadence_on_the_settings_form(client, factory, adviser):
    from tests.web.test_access_matrix import profile_form

    org = factory.organization(adviser.user, "Form Co")
    login_as(client, "adviser@example.com")
    from tests.factories import csrf_token

    token = csrf_token(client, f"/organizations/{org.id}/edit")
    data = {
        **profile_form(None, "owner"),
        "cadence_months": "6",
        "benchmark_opt_in": "y",
        "csrf_token": token,
    }
    assert client.post(f"/organizations/{org.id}/edit", data=data).status_code == 302
    db.session.refresh(org)
    assert (org.cadence_months, org.benchmark_opt_in) == (6, True)
    data["cadence_months"] = "5"
    response = client.post(f"/organizations/{org.id}/edit", data=data)
    assert response.status_code == 422
    assert "Choose 3, 6 or 12 months." in response.get_data(as_text=True)


# --------------------------------------------------------------------------- the demo


def test_does_the_demo_adviser_have_clients_in_every_state(client, app):
    from assess.records.demo import create_demo
    from assess.records.demo_portfolio import CLIENTS, create_adviser_demo

    create_demo()
    login = create_adviser_demo()
    db.session.commit()
    assert login_as(client, login.email, login.password).status_code == 302
    token = factory_token(login.email)
    body = client.get("/api/v1/portfolio?per_page=200", headers=bearer(token)).get_json()
    assert body["total"] == len(CLIENTS) + 1  # and the demo organization, as its auditor
    assert body["counts"]["overdue"] >= 2
    assert body["counts"]["regressed"] >= 2
    assert body["counts"]["never_assessed"] == 2
    rows = body["organizations"]
    assert any(r["change"] is not None and r["change"] > 0 for r in rows)  # improving
    assert any(r["change_reason"] == "different_questionnaire" for r in rows)
    assert any(r["verified_difference"] is not None for r in rows)
    assert {r["role"] for r in rows} == {"owner", "auditor"}
    again = create_adviser_demo()  # running it again resets the clients
    db.session.commit()
    assert again.email == login.email
    count = client.get("/api/v1/portfolio", headers=bearer(token)).get_json()["total"]
    assert count == len(CLIENTS) + 1


def factory_token(email: str) -> str:
    from sqlalchemy import select

    from assess.records.accounts import create_token
    from assess.records.models import User

    raw = create_token(db.session.scalar(select(User).where(User.email == email)))
    db.session.commit()
    return raw


def test_does_the_demo_command_print_the_advisers_sign_in(runner):
    from assess.records.demo_portfolio import ADVISER

    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert ADVISER in result.output and "/portfolio" in result.output


def test_does_the_organization_page_say_when_it_is_due(client, factory, adviser):
    source = template(factory, adviser.user)
    org = factory.organization(adviser.user, "Due Co")
    submission(org, source, utcnow() - timedelta(days=120), 2.0)
    org.cadence_months = 3
    db.session.commit()
    login_as(client, "adviser@example.com")
    html = client.get(f"/organizations/{org.id}").get_data(as_text=True)
    assert "every 3 months" in html and "Overdue" in html and "Not taking part" in html
    fresh = factory.organization(adviser.user, "Fresh Co")
    html = client.get(f"/organizations/{fresh.id}").get_data(as_text=True)
    assert "after the first submission" in html and "Overdue" not in html


def test_can_the_page_sort_by_plan_items(client, factory, adviser):
    source = template(factory, adviser.user)
    seed(adviser.user, source, 2, prefix="Plan")
    login_as(client, "adviser@example.com")
    page = client.get("/portfolio?sort=overdue_plan_items&order=desc").get_data(as_text=True)
    assert "sort=open_plan_items" in page and "overdue ▼" in page
    assert "2 / 1" in page  # two open, one overdue


def _chart(html: str, name: str) -> dict:
    import json
    import re

    found = re.search(rf'data-plot="portfolio-{name}">(.*?)</script>', html, re.S)
    assert found, f"no {name} chart on the page"
    return json.loads(found.group(1))


def test_do_the_remembered_rows_and_charts_follow_the_data_not_the_sort(client, factory, adviser):
    """Rows and the page's chart JSON are kept by what they are computed from: sorting and
    paging reuse them, and a new submission, a renamed client or a filter changes them."""
    source = template(factory, adviser.user)
    orgs = seed(adviser.user, source, 3)
    login_as(client, "adviser@example.com")
    first = client.get("/portfolio?sort=score&order=desc").get_data(as_text=True)
    again = client.get("/portfolio?sort=name&per_page=1&page=2").get_data(as_text=True)
    for name in ("scores", "areas"):
        assert _chart(first, name) == _chart(again, name)
    row = client.get("/api/v1/portfolio?q=Client 001", headers=adviser.headers).get_json()
    (before,) = row["organizations"]

    orgs[1].name = "Renamed client"
    submission(orgs[1], source, utcnow() - timedelta(days=1), 4.5, {})
    db.session.commit()
    (after,) = client.get("/api/v1/portfolio?q=Renamed", headers=adviser.headers).get_json()[
        "organizations"
    ]
    assert after["score"] == 4.5 and after["assessment_id"] != before["assessment_id"]
    assert after["change"] == round(4.5 - before["score"], 2)
    page = client.get("/portfolio?sort=score&order=desc").get_data(as_text=True)
    bars = _chart(page, "scores")["data"][0]
    assert bars["y"][0] == "Renamed client" and bars["x"][0] == 4.5
    assert _chart(page, "areas") != _chart(first, "areas")
    never = client.get("/portfolio?filter=never_assessed").get_data(as_text=True)
    assert _chart(never, "scores")["data"][0]["x"] == []
