"""The migration that adds assessment_scores fills them from the results a database already
keeps; a submission without kept results gets them when its results are first read."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.web.test_earlier_release import (  # noqa: F401  (the fixture)
    EXPECTED,
    SCORED_NOW,
    _set_password,
    _token,
    old_database,
)


def _scores(app) -> dict:
    from assess.records.database import db
    from assess.records.models import AssessmentScores

    with app.app_context():
        rows = {row.assessment_id: row for row in db.session.scalars(select(AssessmentScores))}
        found = {i: (r.overall_score, r.gap_area, dict(r.area_scores)) for i, r in rows.items()}
        db.session.remove()
    return found


def test_does_the_migration_keep_the_scores_of_every_kept_result(old_database):  # noqa: F811 (the imported fixture)
    found = _scores(old_database)
    kept = {i for i in EXPECTED if i not in SCORED_NOW}
    assert set(found) == kept
    for assessment_id in kept:
        document = EXPECTED[assessment_id]
        score, gap_area, areas = found[assessment_id]
        assert score == pytest.approx(document["overall"]["score"])
        assert areas == {a["id"]: pytest.approx(a["score"]) for a in document["areas"]}
        gaps = {a["id"]: a["gap"] for a in document["areas"]}
        assert gap_area == max(gaps, key=lambda k: gaps[k])


def test_does_the_migration_lose_no_row(old_database):  # noqa: F811 (the imported fixture)
    """No table is copied and dropped: on SQLite with foreign keys on, that cascades."""
    from assess.records.database import db
    from assess.records.models import Assessment, Membership

    with old_database.app_context():
        assert db.session.scalar(select(func.count()).select_from(Assessment)) == len(EXPECTED)
        assert db.session.scalar(select(func.count()).select_from(Membership)) >= 2
        db.session.remove()


def test_does_reading_an_old_submission_keep_its_scores(old_database):  # noqa: F811 (the imported fixture)
    _set_password(old_database)
    token = _token(old_database)
    client = old_database.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    before = _scores(old_database)
    listed = client.get("/api/v1/portfolio", headers=headers).get_json()["organizations"]
    assert all(row["score"] is not None for row in listed if row["assessment_id"] in before)
    never_kept = 4  # submitted by release 0.1 without results kept
    assert never_kept in SCORED_NOW and never_kept not in before
    assert (
        client.get(f"/api/v1/assessments/{never_kept}/results", headers=headers).status_code == 200
    )
    assert never_kept in _scores(old_database)
