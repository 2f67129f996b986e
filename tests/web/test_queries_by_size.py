"""Lists, exports, history and reports run a constant number of SQL statements whatever the
number of assessments: each path is counted with 2 and with 6 submissions (each with its own
answerer and reviewer, so a lazy load per row or per assessment would show) and the counts
must be equal. The portfolio has its own such test (tests/web/test_portfolio.py, whose
counter this one uses)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event

from assess.core.questionnaire import get_questionnaire
from assess.records import reports
from assess.records.database import db
from assess.records.models import Answer as AnswerRow
from assess.records.models import Review, User, utcnow
from assess.records.questionnaires import _SNAPSHOT_CACHE
from tests.factories import login_as
from tests.web.test_api import bearer
from tests.web.test_portfolio import QUICK, count_queries, submission, template

PAGES = [
    "/organizations/{org}",
    "/organizations/{org}/history",
    "/organizations/{org}/compare?from={first}&to={last}",
    "/organizations/{org}/export.csv",
    "/organizations/{org}/export.xlsx",
    "/organizations/{org}/charts/trend.html",
]
API = [
    "/api/v1/organizations/{org}/assessments",
    "/api/v1/organizations/{org}/history",
    "/api/v1/organizations/{org}/compare?from={first}&to={last}",
    "/api/v1/organizations/{org}/export.csv",
    "/api/v1/organizations/{org}/export.xlsx",
]


def grow(org, source, count: int) -> None:
    """``count`` more submissions a month apart, each answered by a user of its own, with
    a verified review by another."""
    questions = list(get_questionnaire(QUICK).questions)
    start = len([a for a in org.assessments if a.locked])
    for k in range(start, start + count):
        when = utcnow() - timedelta(days=30 * (20 - k))
        found = submission(org, source, when, 1.0 + (k % 4) / 2)
        answerer = User(email=f"answerer{k}@example.com", password_hash="x")
        reviewer = User(email=f"reviewer{k}@example.com", password_hash="x")
        db.session.add_all([answerer, reviewer])
        db.session.flush()
        for i, qid in enumerate(questions):
            db.session.add(
                AnswerRow(
                    assessment_id=found.id,
                    question_id=qid,
                    status="level",
                    level=(i + k) % 6,
                    note=f"note {k}",
                    updated_by_id=answerer.id,
                    updated_at=when,
                )
            )
        for qid in questions[:2]:
            db.session.add(
                Review(
                    assessment_id=found.id,
                    question_id=qid,
                    verified_level=1,
                    comment="Seen.",
                    reviewer_id=reviewer.id,
                )
            )
    db.session.commit()


def report_queries(org) -> int:
    """Statements of the organization report's data, read in a fresh session state."""
    db.session.expire_all()
    reports.organization_report_data(org)  # warm-up: the questionnaire cache
    db.session.expire_all()
    statements = []

    def note(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        data = reports.organization_report_data(org)
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    assert data["comparison"] is not None and data["history"]
    return len(statements)


def counts(client, org, headers) -> dict[str, int]:
    submitted = sorted((a for a in org.assessments if a.locked), key=lambda a: a.submitted_at)
    ids = {"org": org.id, "first": submitted[0].id, "last": submitted[-1].id}
    _SNAPSHOT_CACHE.clear()
    found = {path: count_queries(client, path.format(**ids)) for path in PAGES}
    found |= {path: count_queries(client, path.format(**ids), headers) for path in API}
    found["organization_report_data"] = report_queries(org)
    return found


@pytest.mark.parametrize("with_draft", [False, True])
def test_is_the_number_of_queries_the_same_for_2_and_6_submissions(client, factory, with_draft):
    owner = factory.user("owner@example.com")
    headers = bearer(factory.token(owner))
    source = template(factory, owner)
    org = factory.organization(owner, "Growing Dental")
    if with_draft:
        factory.assessment(
            org, owner, QUICK, {q: 3 for q in list(get_questionnaire(QUICK).questions)[:4]}
        )
    grow(org, source, 2)
    login_as(client, owner.email)
    few = counts(client, org, headers)
    grow(org, source, 4)
    db.session.expire_all()
    assert len([a for a in org.assessments if a.locked]) == 6
    many = counts(client, org, headers)
    assert many == few
    # Constant, and small: no path reads more than a handful of tables.
    assert max(few.values()) <= 15, few


def test_does_the_trend_come_from_the_scores_rows(client, factory):
    """The report's trend reads each submission's scores row, not its results document: a
    scores row changed by hand shows in the report's data."""
    from assess.records.models import AssessmentScores

    owner = factory.user("owner@example.com")
    source = template(factory, owner)
    org = factory.organization(owner, "Scored Dental")
    grow(org, source, 3)
    last = max((a for a in org.assessments if a.locked), key=lambda a: a.submitted_at)
    row = db.session.get(AssessmentScores, last.id)
    area = next(iter(row.area_scores))
    row.area_scores = {**row.area_scores, area: 4.75}
    row.overall_score = 4.5
    db.session.commit()
    history = reports.organization_report_data(org)["history"]
    assert len(history) == 3
    assert history[-1]["overall"] == 4.5 and history[-1]["areas"][area] == 4.75
    assert history[-1]["label"] == f"#{last.id} · {last.submitted_at:%Y-%m-%d}"
    assert history[0]["area_titles"][area] == source.results["areas"][0]["title"]
