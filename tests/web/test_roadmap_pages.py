"""The roadmap and the CSF view on the results page, in the API, and as a CSV download."""

from __future__ import annotations

import csv
import io

import pytest

from assess.core.questionnaire import get_questionnaire
from tests.factories import bearer, login_as

FULL = "ciso-nine-areas"


@pytest.fixture
def zero(client, factory):
    """A full 2.0 assessment with every answer at 0, one "don't know", and a HIPAA profile."""
    user = factory.user("owner@example.com")
    org = factory.organization(user, "Acme Clinic")
    answers = {qid: 0 for qid in get_questionnaire(FULL).questions}
    answers["program-oversight.mfa"] = "unknown"
    assessment = factory.assessment(org, user, FULL, answers)
    login_as(client, user.email)
    return user, assessment, factory.token(user)


def read_csv(body: bytes) -> list[dict[str, str]]:
    text = body.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_does_the_results_page_show_actions_kinds_obligations_and_the_csf_view(client, zero):
    _, assessment, _ = zero
    page = client.get(f"/assessments/{assessment.id}/results")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    q = get_questionnaire(FULL)
    assert "Find out" in html and "Start" in html and "essential" in html
    assert "Ask the IT provider: “Do email, cloud" in html
    essential_actions = [q.questions[qid].actions[1] for qid in q.essential_questions]
    assert sum(action.replace("'", "&#39;") in html for action in essential_actions) >= 3
    assert "Required by HIPAA" in html and "45 CFR 164.308(a)(1)(ii)(A)" in html
    assert "By NIST Cybersecurity Framework function" in html
    assert "Identity Management, Authentication, and Access Control" in html
    assert f"/assessments/{assessment.id}/csf.csv" in html


def test_do_the_api_results_carry_the_roadmap_kinds_and_the_csf_view(client, zero):
    _, assessment, token = zero
    body = client.get(f"/api/v1/assessments/{assessment.id}/results", headers=bearer(token))
    results = body.get_json()
    first = [s for s in results["roadmap"] if s["first_90_days"]]
    assert all(s["essential"] for s in first[:3]) and all(s["action"] for s in first)
    assert [s["kind"] for s in first if s["kind"] == "obligation"] == ["obligation"] * 3  # HIPAA
    mfa = next(s for s in results["roadmap"] if s["question"] == "program-oversight.mfa")
    assert mfa["kind"] == "find_out"
    assert {c["function"] for c in results["csf"]} == {"GV", "ID", "PR", "DE", "RS", "RC"}


@pytest.mark.parametrize("api", [False, True])
def test_does_the_csf_view_download_as_csv_with_the_results_numbers(client, zero, api):
    _, assessment, token = zero
    prefix, headers = ("/api/v1", bearer(token)) if api else ("", {})
    response = client.get(f"{prefix}/assessments/{assessment.id}/csf.csv", headers=headers)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "csf.csv" in disposition
    rows = read_csv(response.data)
    results = client.get(f"/api/v1/assessments/{assessment.id}/results", headers=bearer(token))
    csf = results.get_json()["csf"]
    assert [r["category"] for r in rows] == [c["category"] for c in csf]
    assert list(rows[0]) == [
        "function", "function_name", "category", "category_name", "score", "target", "gap",
        "questions", "total",
    ]  # fmt: skip
    for row, category in zip(rows, csf, strict=True):
        assert float(row["score"]) == category["score"] == 0.0
        assert float(row["target"]) == pytest.approx(category["target"])
        assert int(row["questions"]) == category["questions"]


def test_can_a_stranger_download_the_csf_view(client, zero, factory):
    _, assessment, _ = zero
    stranger = factory.user("stranger@example.com")
    response = client.get(
        f"/api/v1/assessments/{assessment.id}/csf.csv", headers=bearer(factory.token(stranger))
    )
    assert response.status_code == 404
