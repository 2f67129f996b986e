"""Organizations and results pages, through the Flask test client with real CSRF tokens."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from assess.core.questionnaire import get_questionnaire
from assess.outputs.presentation import fmt_gap, fmt_score
from assess.records import assessments, organizations
from assess.records.database import db
from assess.records.errors import Invalid
from assess.records.models import Assessment, Organization
from tests.factories import PROFILE, csrf_token

QUICK = "ciso-nine-areas-quick"


def profile_form(token: str, **overrides) -> dict:
    data = {
        "csrf_token": token,
        "name": "Harbor Dental",
        "employees": "60",
        "annual_revenue_usd": "12,000,000",
        "industry": "healthcare",
        "regulations": ["hipaa"],
        "sensitive_data": ["phi", "pii"],
        "it_staff": "2",
        "security_staff": "0",
        "security_leader": "it_manager",
        "incidents_24m": "1",
        "customer_demands": "y",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def owner(factory, login):
    user = factory.user("owner@example.com")
    login("owner@example.com")
    return user


def text_of(response) -> str:
    return response.get_data(as_text=True)


def error_beside(html: str, field_id: str) -> str | None:
    """The error paragraph rendered for a field (``<p class="error" id="<field>-error">``)."""
    match = re.search(rf'<p class="error" id="{re.escape(field_id)}-error">([^<]*)</p>', html)
    return match.group(1) if match else None


# --------------------------------------------------------------------------- organizations


def test_can_an_owner_create_an_organization_through_the_form_and_see_it(client, owner):
    page = client.get("/organizations/new")
    assert page.status_code == 200
    html = text_of(page)
    # every profile field is there, with its help text under it
    for name in (
        "name",
        "employees",
        "annual_revenue_usd",
        "industry",
        "it_staff",
        "incidents_24m",
    ):
        assert f'id="{name}"' in html
        assert f'id="{name}-hint"' in html
    assert "People on the payroll" in html  # the Profile model's own description

    response = client.post(
        "/organizations/new", data=profile_form(csrf_token(client, "/organizations/new"))
    )
    assert response.status_code == 302
    org = db.session.query(Organization).one()
    assert response.location.endswith(f"/organizations/{org.id}")
    assert org.profile["annual_revenue_usd"] == 12_000_000
    assert org.profile["regulations"] == ["hipaa"]
    assert org.profile["customer_demands"] is True
    assert organizations.profile_of(org) is not None

    shown = text_of(client.get(response.location))
    assert "Harbor Dental" in shown
    assert "Healthcare" in shown and "HIPAA" in shown
    assert "Start the quick check" in shown and "Start the full assessment" in shown
    # how long each takes is computed from the questionnaire's text, never typed
    for ref in (QUICK, "ciso-nine-areas"):
        questionnaire = get_questionnaire(ref)
        assert (
            f"{len(questionnaire.questions)} questions, about {questionnaire.reading_minutes}"
            " minutes of reading" in shown
        )
    assert f"good start: about {get_questionnaire(QUICK).reading_minutes} minutes" in shown


def test_does_the_welcome_page_give_the_computed_reading_times(client):
    html = text_of(client.get("/"))
    quick, full = get_questionnaire(QUICK), get_questionnaire("ciso-nine-areas")
    assert f"about {quick.reading_minutes} minutes to read" in " ".join(html.split())
    assert f"the full assessment about {full.reading_minutes}." in " ".join(html.split())
    assert "ten minutes" not in html and "forty" not in html


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"employees": ""}, "employees", "number of employees"),
        ({"employees": "many"}, "employees", "integer"),
        ({"industry": "piracy"}, "industry", "industries"),
        ({"name": "  "}, "name", "name"),
        ({"it_staff": "90"}, "it_staff", "more than the employees"),
        ({"security_staff": "-1"}, "security_staff", "at least 0"),
        ({"incidents_24m": ""}, "incidents_24m", "whole number"),
    ],
)
def test_is_a_profile_error_shown_beside_its_field_with_nothing_saved(
    client, owner, overrides, field, words
):
    token = csrf_token(client, "/organizations/new")
    response = client.post("/organizations/new", data=profile_form(token, **overrides))
    assert response.status_code == 422
    html = text_of(response)
    message = error_beside(html, field)
    assert message is not None, f"no error beside {field}"
    assert words.lower() in message.lower()
    assert "Nothing was saved yet" in html
    assert db.session.query(Organization).count() == 0
    # what was typed is still there
    assert 'value="Harbor Dental"' in html or field == "name"


def test_does_an_error_from_the_store_land_beside_its_field(client, owner, monkeypatch):
    def refuse(user, name, profile):
        raise Invalid({"organization": "Too grand a name.", "incidents_24m": "Too many."})

    monkeypatch.setattr(organizations, "create_organization", refuse)
    response = client.post(
        "/organizations/new", data=profile_form(csrf_token(client, "/organizations/new"))
    )
    assert response.status_code == 422
    html = text_of(response)
    assert error_beside(html, "name") == "Too grand a name."
    assert error_beside(html, "incidents_24m") == "Too many."


def test_does_the_new_form_start_the_counts_at_zero(client, owner):
    html = text_of(client.get("/organizations/new"))
    for name in ("it_staff", "security_staff", "incidents_24m"):
        assert re.search(rf'id="{name}"[^>]*value="0"|value="0"[^>]*id="{name}"', html), name


def test_can_the_owner_edit_the_profile_and_clear_the_revenue(client, owner, factory):
    org = factory.organization(owner)
    path = f"/organizations/{org.id}/edit"
    form = client.get(path)
    assert form.status_code == 200
    assert 'value="Acme Dental"' in text_of(form)
    response = client.post(
        path,
        data=profile_form(
            csrf_token(client, path), name="Acme Dental Group", annual_revenue_usd=""
        ),
    )
    assert response.status_code == 302
    db.session.expire_all()
    org = db.session.get(Organization, org.id)
    assert org.name == "Acme Dental Group"
    assert org.profile["annual_revenue_usd"] is None


def test_may_only_the_owner_edit_the_profile(client, factory, login):
    owner = factory.user("owner@example.com")
    org = factory.organization(owner)
    contributor = factory.user("helper@example.com")
    factory.member(org, contributor, "contributor")
    login("helper@example.com")
    assert client.get(f"/organizations/{org.id}").status_code == 200
    assert client.get(f"/organizations/{org.id}/edit").status_code == 403


def test_can_an_owner_start_a_quick_assessment(client, owner, factory):
    org = factory.organization(owner)
    token = csrf_token(client, f"/organizations/{org.id}")
    response = client.post(
        f"/organizations/{org.id}/assessments", data={"csrf_token": token, "questionnaire": QUICK}
    )
    assert response.status_code == 302
    assessment = db.session.query(Assessment).one()
    assert assessment.questionnaire_id == QUICK
    assert response.location.endswith(f"/assessments/{assessment.id}")
    page = text_of(client.get(response.location))
    assert "Area 1 of 9" in page
    listing = text_of(client.get(f"/organizations/{org.id}"))
    assert "0 of 28" in listing and "Draft" in listing


def test_is_an_unknown_questionnaire_refused_with_a_message(client, owner, factory):
    org = factory.organization(owner)
    token = csrf_token(client, f"/organizations/{org.id}")
    response = client.post(
        f"/organizations/{org.id}/assessments",
        data={"csrf_token": token, "questionnaire": "../../etc/passwd"},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert db.session.query(Assessment).count() == 0
    assert "flash-error" in text_of(response)


def test_is_a_form_without_its_csrf_token_refused(client, owner):
    response = client.post("/organizations/new", data=profile_form("forged"))
    assert response.status_code == 400
    assert db.session.query(Organization).count() == 0


# --------------------------------------------------------------------------- results


def answered_assessment(factory, owner, answers=None):
    org = factory.organization(owner)
    questionnaire = get_questionnaire(QUICK)
    ids = list(questionnaire.questions)
    raw = answers or {ids[0]: 3, ids[1]: 2, ids[6]: 1, ids[7]: "unknown"}
    return factory.assessment(org, owner, QUICK, raw)


class JsonBlocks(HTMLParser):
    """The <script type="application/json"> blocks of a page, by id."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks: dict[str, str] = {}
        self._id: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("type") == "application/json":
            self._id = attrs.get("id")
            self.blocks[self._id] = ""

    def handle_endtag(self, tag):
        if tag == "script":
            self._id = None

    def handle_data(self, data):
        if self._id:
            self.blocks[self._id] += data


def test_does_the_results_page_show_score_charts_table_roadmap_and_recommendation(
    client, owner, factory
):
    assessment = answered_assessment(factory, owner)
    response = client.get(f"/assessments/{assessment.id}/results")
    assert response.status_code == 200
    html = text_of(response)
    document = assessments.results_document(assessment).model_dump(mode="json")
    overall = document["overall"]
    assert fmt_score(overall["score"]) in html and overall["label"] in html

    blocks = JsonBlocks()
    blocks.feed(html)
    radar = json.loads(blocks.blocks["radar-data"])
    assert [t["name"] for t in radar["data"]] == ["Target", "Current"]
    assert "gaps-data" in blocks.blocks
    assert 'id="radar"' in html and 'aria-describedby="areas-caption"' in html

    # the table: one row per area, with score, target, gap, answered and don't know
    assert html.count('<th scope="row"><a href="/assessments/') == 9
    assert "Program oversight" in html and "3 of 7" in html  # ids[0], [1] and [6]
    # the roadmap (first 90 days) and the recommendation with both costs
    steps = [s for s in document["roadmap"] if s["first_90_days"]]
    assert steps and steps[0]["step"][:40] in html
    rec = document["recommendation"]
    assert "Engage a virtual CISO" in html or "Hire a full-time CISO" in html
    assert f"${rec['costs']['ciso']['annual_usd']:,.0f}" in html
    assert f"${rec['costs']['vciso']['annual_usd']:,.0f}" in html
    assert rec["sources"][0][:30] in html
    # no inline script runs: every <script> is JSON data or has a src
    for tag in re.findall(r"<script[^>]*>", html):
        assert 'type="application/json"' in tag or "src=" in tag
    assert "/vendor/plotly-" in html and "js/plots.js" in html


def test_does_the_radar_show_the_previous_submitted_assessment(client, owner, factory):
    first = answered_assessment(factory, owner)
    assessments.submit(first, owner)
    db.session.commit()
    second = factory.assessment(first.organization, owner, QUICK, {"incident-response.plan": 4})
    html = text_of(client.get(f"/assessments/{second.id}/results"))
    blocks = JsonBlocks()
    blocks.feed(html)
    names = [t["name"] for t in json.loads(blocks.blocks["radar-data"])["data"]]
    assert names[0] == "Target" and names[-1] == "Current" and len(names) == 3
    assert names[1].startswith("Submitted")


def test_does_changing_a_target_update_the_gap(client, owner, factory):
    assessment = answered_assessment(factory, owner)
    area = assessments.results_document(assessment).model_dump(mode="json")["areas"][0]
    assert area["id"] == "program-oversight"
    path = f"/assessments/{assessment.id}/results"
    token = csrf_token(client, path)
    response = client.post(
        f"/assessments/{assessment.id}/targets", data={"csrf_token": token, "t-1": "5"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assessment = db.session.get(Assessment, assessment.id)
    assert assessment.targets == {"program-oversight": 5.0}  # unchanged areas are not pinned
    after = assessments.results_document(assessment).model_dump(mode="json")["areas"][0]
    assert after["target"] == 5.0
    assert after["gap"] == pytest.approx(5.0 - after["score"])
    html = text_of(client.get(path))
    assert fmt_gap(after["gap"], after["score"], after["target"]) in html
    assert 'name="t-1"' in html and 'value="5.0"' in html


@pytest.mark.parametrize("value", ["6", "-1", "3.3", "lots"])
def test_is_a_bad_target_an_error_beside_the_field(client, owner, factory, value):
    assessment = answered_assessment(factory, owner)
    token = csrf_token(client, f"/assessments/{assessment.id}/results")
    response = client.post(
        f"/assessments/{assessment.id}/targets", data={"csrf_token": token, "t-1": value}
    )
    assert response.status_code == 422
    assert 'id="t-1-error"' in text_of(response)
    db.session.expire_all()
    assert not db.session.get(Assessment, assessment.id).targets


def test_are_targets_read_only_for_auditors_and_submitted_assessments(client, factory, login):
    owner = factory.user("owner@example.com")
    assessment = answered_assessment(factory, owner)
    auditor = factory.user("audit@example.com")
    factory.member(assessment.organization, auditor, "auditor")
    login("audit@example.com")
    path = f"/assessments/{assessment.id}/results"
    html = text_of(client.get(path))
    assert 'name="t-1"' not in html
    token = csrf_token(client, path)
    assert (
        client.post(
            f"/assessments/{assessment.id}/targets", data={"csrf_token": token, "t-1": "5"}
        ).status_code
        == 403
    )


def test_does_the_results_page_ask_for_a_profile_when_there_is_none(client, owner, factory):
    org = factory.organization(owner)
    org.profile = {}  # an organization stored before profiles were required
    db.session.commit()
    assessment = factory.assessment(org, owner, QUICK, {"incident-response.plan": 2})
    html = text_of(client.get(f"/assessments/{assessment.id}/results"))
    assert "Complete the profile" in html


@pytest.mark.parametrize(
    "path",
    [
        "/organizations/{org}",
        "/organizations/{org}/edit",
        "/assessments/{a}",
        "/assessments/{a}/review",
        "/assessments/{a}/results",
        "/assessments/99999999999",
    ],
)
def test_do_strangers_get_404(client, factory, login, path):
    owner = factory.user("owner@example.com")
    org = factory.organization(owner)
    assessment = factory.assessment(org, owner)
    factory.user("stranger@example.com")
    login("stranger@example.com")
    assert client.get(path.format(org=org.id, a=assessment.id)).status_code == 404


def test_do_strangers_get_404_when_posting(client, factory, login):
    owner = factory.user("owner@example.com")
    org = factory.organization(owner)
    assessment = factory.assessment(org, owner)
    factory.user("stranger@example.com")
    login("stranger@example.com")
    token = csrf_token(client, "/organizations/new")
    for path, data in [
        (f"/organizations/{org.id}/assessments", {"questionnaire": QUICK}),
        (f"/assessments/{assessment.id}", {"q-1": "3"}),
        (f"/assessments/{assessment.id}/targets", {"t-1": "4"}),
        (f"/assessments/{assessment.id}/submit", {}),
    ]:
        assert client.post(path, data={"csrf_token": token, **data}).status_code == 404, path


def test_must_one_sign_in_to_see_these_pages(client, factory):
    owner = factory.user("owner@example.com")
    org = factory.organization(owner)
    assessment = factory.assessment(org, owner)
    for path in (
        "/organizations/new",
        f"/organizations/{org.id}",
        f"/assessments/{assessment.id}/results",
    ):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.location


def test_is_the_profile_factory_the_form_shape(app):
    """The test profile uses only fields the form has (keeps these tests honest)."""
    from assess.web.org_forms import PROFILE_LABELS

    assert set(PROFILE) == set(PROFILE_LABELS)


def test_does_the_results_page_work_before_any_answer(client, owner, factory):
    assessment = factory.assessment(factory.organization(owner), owner, QUICK)
    response = client.get(f"/assessments/{assessment.id}/results")
    assert response.status_code == 200
    html = text_of(response)
    assert "No answers are scored yet" in html
    assert "The roadmap appears once questions are answered" in html
    blocks = JsonBlocks()
    blocks.feed(html)
    assert json.loads(blocks.blocks["radar-data"])["data"]


def test_is_the_chart_json_safe_inside_its_script_tag(app):
    from assess.web.figures import script_json

    text = script_json(json.dumps({"title": "</script><script>alert(1)</script>"}))
    assert "</" not in text and json.loads(text)["title"].startswith("</script>")


def test_are_error_pages_in_the_apps_own_words(client, owner):
    """Not the framework's stock text ("The requested URL was not found on the server…")."""
    page = client.get("/no/such/page")
    html = page.get_data(as_text=True)
    assert page.status_code == 404
    assert "<h1>Page not found</h1>" in html and "start again from your organizations" in html
    assert "requested URL" not in html and "Not Found" not in html
    api = client.get("/api/v1/no/such", headers={"Accept": "application/json"})
    assert api.status_code == 404 and "error" in api.get_json()
