"""The anonymous peer benchmark through the API and the results page: shown only among at
least five other opted-in organizations of the size band, and never revealing one."""

from __future__ import annotations

import json
import re

import pytest

from assess.records.database import db
from assess.records.models import utcnow
from tests.factories import PROFILE, login_as
from tests.web.test_api import assert_schema, bearer
from tests.web.test_portfolio import submission, template

#: Scores no percentile can look like, so that a leak would show as a substring.
PEER_SCORES = (1.1379, 1.2468, 3.5791, 3.6802, 4.0913, 2.7531)


@pytest.fixture
def doc(client):
    return client.get("/api/v1/openapi.json").get_json()


@pytest.fixture
def world(factory):
    """Our organization (60 people, healthcare, opted in) with a submitted assessment; its
    peers are added by :func:`peers`."""
    owner = factory.user("owner@example.com")
    mine = template(factory, owner)
    mine.organization.benchmark_opt_in = True
    db.session.commit()
    return owner, mine, factory.token(owner)


def peers(factory, source, count, *, employees=120, industry="finance", opted_in=True):
    """``count`` organizations of other people, each with one submission of a distinctive
    score; returns them."""
    made = []
    for i in range(count):
        user = factory.user()
        org = factory.organization(
            user,
            f"Secret Peer {industry} {employees} {i}",
            {**PROFILE, "employees": employees, "industry": industry},
        )
        org.benchmark_opt_in = opted_in
        score = PEER_SCORES[i % len(PEER_SCORES)]
        submission(org, source, utcnow(), score, {a["id"]: score for a in source.results["areas"]})
        made.append(org)
    db.session.commit()
    return made


def get(client, token, assessment):
    response = client.get(f"/api/v1/assessments/{assessment.id}/benchmark", headers=bearer(token))
    assert response.status_code == 200
    return response.get_json()


def test_are_five_opted_in_peers_of_the_band_enough(client, factory, world, doc):
    _owner, mine, token = world
    found = peers(factory, mine, 5)
    peers(factory, mine, 3, opted_in=False)  # not counted
    peers(factory, mine, 3, employees=300)  # another size band
    body = get(client, token, mine)
    assert_schema(doc, "Benchmark", body)
    assert body["available"] is True and body["peers"] == 5
    assert body["scope"] == "size_band" and body["size_band"] == "medium"
    # Our overall (2.0) is above the two lower peers and below the three higher ones.
    assert body["overall"] == {"percentile": 40.0, "compared": 5}
    assert len(body["areas"]) == len(mine.results["areas"])
    text = json.dumps(body)
    for org in found:
        assert org.name not in text
    assert "Secret" not in text
    for score in PEER_SCORES:
        assert f"{score:.2f}" not in text and f"{score:.1f}" not in text
    numbers = {float(n) for n in re.findall(r"\d+(?:\.\d+)?", text)}
    assert not numbers & {float(o.id) for o in found} - {5.0, 40.0}  # counts and percentiles
    assert set(body) == {
        "available",
        "scope",
        "size_band",
        "size_band_label",
        "industry",
        "peers",
        "overall",
        "areas",
    }


def test_are_fewer_than_five_peers_not_enough_and_does_the_page_say_why(client, factory, world):
    owner, mine, token = world
    peers(factory, mine, 4)
    body = get(client, token, mine)
    assert body == {
        "available": False,
        "reason": "too_few_peers",
        "message": body["message"],
    }
    assert "Fewer than 5 other organizations" in body["message"]
    login_as(client, owner.email)
    html = client.get(f"/assessments/{mine.id}/results").get_data(as_text=True)
    assert "Against anonymous peers" in html and "Fewer than 5 other organizations" in html
    assert "Secret Peer" not in html


def test_does_the_results_page_show_the_percentiles_and_no_peer(client, factory, world):
    owner, mine, _token = world
    peers(factory, mine, 6)
    login_as(client, owner.email)
    html = client.get(f"/assessments/{mine.id}/results").get_data(as_text=True)
    assert "Against anonymous peers" in html and "6</strong> other organizations" in html
    assert "percentile" in html and "Secret Peer" not in html
    for score in PEER_SCORES:
        assert f"{score:.2f}" not in html


def test_does_the_industry_narrow_the_peers_when_five_share_it(client, factory, world):
    _owner, mine, token = world
    peers(factory, mine, 5, industry="healthcare")
    peers(factory, mine, 5, industry="finance")
    body = get(client, token, mine)
    assert body["scope"] == "size_band_and_industry" and body["peers"] == 5
    assert body["industry"] == "healthcare"


def test_must_an_organization_take_part_to_see_the_benchmark(client, factory, world):
    _owner, mine, token = world
    peers(factory, mine, 6)
    mine.organization.benchmark_opt_in = False
    db.session.commit()
    body = get(client, token, mine)
    assert body["available"] is False and body["reason"] == "not_opted_in"


def test_is_a_draft_not_compared(client, factory, world):
    owner, mine, token = world
    peers(factory, mine, 6)
    draft = factory.assessment(mine.organization, owner)
    assert get(client, token, draft)["reason"] == "not_submitted"


def test_can_a_stranger_read_anothers_benchmark(client, factory, world):
    _owner, mine, _token = world
    stranger = factory.user("stranger@example.com")
    response = client.get(
        f"/api/v1/assessments/{mine.id}/benchmark", headers=bearer(factory.token(stranger))
    )
    assert response.status_code == 404
