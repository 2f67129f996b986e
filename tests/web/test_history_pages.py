"""History, comparison, reviews and exports as pages, for each role."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from assess.records import history, reviews
from assess.records.database import db
from assess.records.demo import AUDITOR, OWNER, create_demo
from tests.factories import csrf_token, login_as


@pytest.fixture
def demo(app):
    org, logins = create_demo()
    return org, {login.role: login for login in logins}


def sign_in(client, login):
    assert login_as(client, login.email, login.password).status_code == 302


def test_does_the_demo_show_a_history_of_three_submissions(client, demo):
    org, logins = demo
    sign_in(client, logins["auditor"])
    page = client.get(f"/organizations/{org.id}/history")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert html.count('href="/assessments/') >= 6  # results + reviews per submission
    assert 'data-plot="trend"' in html and "Maturity over time" in html
    assert "▲" in html  # the demo improves over time


def test_does_compare_across_quick_and_full_say_what_is_not_shared(client, demo):
    org, logins = demo
    sign_in(client, logins["auditor"])
    first, *_, last = history.submitted_assessments(org)
    html = client.get(f"/organizations/{org.id}/compare?from={first.id}&to={last.id}").get_data(
        as_text=True
    )
    assert "different questionnaires" in html and "On shared questions only" in html
    assert "Only in" in html and 'data-plot="compare-radar"' in html


def test_do_history_and_compare_name_questionnaires_and_compare_on_shared_questions(client, demo):
    """Quick then full is a different question set, not a drop: the history says so, gives
    the change on shared questions, and names questionnaires in words, never by id."""
    from assess.core import comparison
    from assess.records.history import snapshot

    org, logins = demo
    sign_in(client, logins["auditor"])
    first, second, _ = history.submitted_assessments(org)
    html = client.get(f"/organizations/{org.id}/history").get_data(as_text=True)
    assert "Quick check, version 2.0" in html
    assert "Cybersecurity leadership maturity, version 2.0" in html
    assert "ciso-nine-areas" not in html
    assert "were taken on different questionnaires" in html
    diff = comparison.compare(snapshot(first), snapshot(second))
    shared = diff["overall_on_common_questions"]["delta"]
    whole = diff["overall"]["delta"]
    from assess.outputs.presentation import fmt_delta

    assert fmt_delta(shared) in html
    assert fmt_delta(shared) != fmt_delta(whole)  # the demo's case: they differ

    page = client.get(f"/organizations/{org.id}/compare?from={first.id}&to={second.id}")
    html = page.get_data(as_text=True)
    assert "(Quick check, version 2.0 and Cybersecurity leadership maturity, version 2.0)" in html
    # Not in common: question texts under their area titles, not ids.
    assert "<summary>Only in" in html and "<h3>Incident response</h3>" in html
    assert "incident-response." not in html.split("Questions not in common")[1]


def test_does_the_results_radar_leave_out_a_previous_questionnaire(client, demo):
    org, logins = demo
    sign_in(client, logins["owner"])
    first, second, third = history.submitted_assessments(org)
    html = client.get(f"/assessments/{second.id}/results").get_data(as_text=True)
    assert "used another questionnaire (Quick check, version 2.0)" in html
    assert f"from={first.id}&amp;to={second.id}" in html
    assert "Submitted " not in html.split('data-plot="radar"')[1].split("</script>")[0]
    html = client.get(f"/assessments/{third.id}/results").get_data(as_text=True)
    assert "used another questionnaire" not in html
    assert "the dotted line the assessment submitted" in html


def test_can_an_auditor_review_an_answer(client, demo):
    org, logins = demo
    sign_in(client, logins["auditor"])
    last = history.submitted_assessments(org)[-1]
    path = f"/assessments/{last.id}/reviews?area=incident-response"
    qid = "incident-response.plan"
    done = client.post(
        path,
        data={
            "csrf_token": csrf_token(client, path),
            f"v-{qid}": "1",
            f"c-{qid}": "<script>x</script> seen",
        },
    )
    assert done.status_code == 302
    html = client.get(path).get_data(as_text=True)
    assert "&lt;script&gt;x&lt;/script&gt; seen" in html and "<script>x</script>" not in html
    assert reviews.reviews_of(last)[qid].verified_level == 1
    bad = client.post(path, data={"csrf_token": csrf_token(client, path), f"v-{qid}": "9"})
    assert bad.status_code == 422 and reviews.reviews_of(last)[qid].verified_level == 1


def test_is_a_contributor_refused_reviews_and_exports(client, demo, factory):
    org, _ = demo
    contributor = factory.user("c@example.com")
    factory.member(org, contributor, "contributor")
    login_as(client, contributor.email)
    last = history.submitted_assessments(org)[-1]
    path = f"/assessments/{last.id}/reviews?area=incident-response"
    assert client.get(path).status_code == 200
    refused = client.post(
        path,
        data={"csrf_token": csrf_token(client, path), "v-incident-response.plan": "1"},
    )
    assert refused.status_code == 403
    assert client.get(f"/organizations/{org.id}/export.xlsx").status_code == 403


def test_can_the_auditor_download_the_xlsx(client, demo):
    org, logins = demo
    sign_in(client, logins["auditor"])
    response = client.get(f"/organizations/{org.id}/export.xlsx")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data), read_only=True)
    answers = list(book["Answers"].iter_rows(values_only=True))
    assert len(answers) == 1 + 28 + 66 + 66
    assert sum(1 for row in answers[1:] if row[14] is not None) == 15  # five reviews per submission


@pytest.mark.parametrize(
    "path",
    [
        "/organizations/{org}/history",
        "/organizations/{org}/compare?from={a}&to={b}",
        "/assessments/{a}/reviews",
        "/organizations/{org}/export.csv",
    ],
)
def test_can_a_stranger_see_anything_of_the_demo(client, demo, factory, path):
    org, _ = demo
    first, *_, last = history.submitted_assessments(org)
    stranger = factory.user("stranger@example.com")
    login_as(client, stranger.email)
    assert client.get(path.format(org=org.id, a=first.id, b=last.id)).status_code == 404


def test_does_the_demo_command_print_the_sign_ins(runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0
    assert OWNER in result.output and AUDITOR in result.output
    assert "Written to: " in result.output and "instance folder" in result.output
    assert "http://127.0.0.1:5000/login" not in result.output  # not a port it cannot know


def test_does_an_invitation_page_work_for_owners_only(client, factory):
    owner = factory.user("o@example.com")
    org = factory.organization(owner)
    login_as(client, owner.email)
    path = f"/organizations/{org.id}/members"
    made = client.post(
        path,
        data={
            "csrf_token": csrf_token(client, path),
            "i-role": "auditor",
            "i-submit": "1",
            "i-csrf_token": csrf_token(client, path),
        },
    )
    assert made.status_code == 200 and "/invitations/" in made.get_data(as_text=True)
    from assess.records.models import Invitation

    invitation = db.session.scalar(select(Invitation))
    assert invitation.role == "auditor" and invitation.used_at is None
    raw = made.get_data(as_text=True).split("/invitations/")[1].split("<")[0].strip()
    assert invitation.token_hash != raw  # only the hash is stored


def test_does_the_organization_page_offer_a_copy_of_the_last_submission(client, demo):
    org, logins = demo
    sign_in(client, logins["owner"])
    html = client.get(f"/organizations/{org.id}").get_data(as_text=True)
    assert f"/organizations/{org.id}/assessments/copy" in html


def test_do_batched_snapshots_equal_one_by_one_snapshots(demo):
    org, _ = demo
    batched = history.history_snapshots(org)
    single = [history.snapshot(a) for a in history.submitted_assessments(org)]
    assert [(s.id, s.answers, s.verified, s.results) for s in batched] == [
        (s.id, s.answers, s.verified, s.results) for s in single
    ]
    assert any(s.verified for s in batched)
