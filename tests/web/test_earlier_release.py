"""Can a database and a backup written by release 0.1 (before the typed results contract) still
be read, and does every result show and score as it did then?

`tests/data/release-0.1/` was made with release 0.1's own code (commit 42883de): `assess demo`
(three submitted assessments with stored results and an auditor's reviews), then a second
organization with a submitted quick check whose stored results were cleared (as results were
before they were cached) and a draft; `assess export-all` of that database; and
`expected-results.json`, each assessment's results document as release 0.1 computed it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from assess.cli import register_app_commands
from assess.core.results import SCHEMA_VERSION, Results
from tests.conftest import ROOT
from tests.factories import PASSWORD, login_as

RELEASE = ROOT / "tests" / "data" / "release-0.1"
EXPECTED = {
    int(key): value
    for key, value in json.loads((RELEASE / "expected-results.json").read_text()).items()
}
OWNER = "owner@demo.example"


def _app(database_url: str, instance: Path):
    from assess import create_app

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "INSTANCE_PATH": str(instance),
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            "RATELIMIT_STORAGE_URI": "memory://",
            "SQLALCHEMY_DATABASE_URI": database_url,
        }
    )
    register_app_commands(app)
    return app


def _cli(app, *args: str) -> str:
    with app.app_context():
        result = app.test_cli_runner().invoke(args=list(args))
        from assess.records.database import db

        db.session.remove()
    assert result.exit_code == 0, result.output
    return result.stdout


def _token(app) -> str:
    return _cli(app, "tokens", "create", OWNER).strip().split()[-1]


def _set_password(app) -> None:
    from sqlalchemy import update
    from werkzeug.security import generate_password_hash

    from assess.records.database import db
    from assess.records.models import User

    with app.app_context():
        db.session.execute(
            update(User).values(
                password_hash=generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
            )
        )
        db.session.commit()
        db.session.remove()


def _dispose(app) -> None:
    from assess.records.database import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def old_database(tmp_path):
    """Release 0.1's SQLite file, brought to the current schema by `assess init-db`."""
    path = tmp_path / "release-0.1.db"
    shutil.copy(RELEASE / "assess.db", path)
    app = _app(f"sqlite:///{path}", tmp_path / "instance")
    _cli(app, "init-db")
    yield app
    _dispose(app)


ENGAGEMENT_OF_HIRE = {"ciso": "full_time", "vciso": "fractional"}


def _recommendation_upgraded(document: dict) -> dict:
    """The recommendation's new fields as the upgrade from version 1 sets them."""
    out = {**document, "schema_version": SCHEMA_VERSION}
    rec = document.get("recommendation")
    if rec is None:
        return out
    areas = document["areas"]
    total = sum(a["total"] for a in areas)
    answered = sum(a["answered"] - a["unknown"] for a in areas)
    ciso, vciso = rec["costs"]["ciso"], rec["costs"]["vciso"]
    options = [
        {
            "engagement": "fractional",
            "label": "A virtual CISO (vCISO) on retainer",
            "annual_usd": vciso["annual_usd"],
            "lines": [
                {
                    "what": "vCISO retainer",
                    "annual_usd": vciso["annual_usd"],
                    "basis": f"{vciso['hours_per_month']} hours a month at "
                    f"${vciso['hourly_rate_usd']:,.0f} an hour, 12 months",
                    "source": vciso["sources"][0],
                }
            ],
        },
        {
            "engagement": "full_time",
            "label": "A full-time CISO",
            "annual_usd": ciso["annual_usd"],
            "lines": [
                {
                    "what": "CISO total compensation",
                    "annual_usd": ciso["compensation_usd"],
                    "basis": "total compensation",
                    "source": ciso["sources"][0],
                },
                {
                    "what": "Overheads",
                    "annual_usd": ciso["annual_usd"] - ciso["compensation_usd"],
                    "basis": f"{ciso['overhead_rate']:.0%} of compensation",
                    "source": None,
                },
            ],
        },
    ]
    out["recommendation"] = {
        **rec,
        "engagement": ENGAGEMENT_OF_HIRE[rec["hire"]],
        "engagement_label": options[0 if rec["hire"] == "vciso" else 1]["label"],
        "provisional": False,
        "answered_share": round(answered / total, 4),
        "margin": round(abs(rec["points"] - rec["threshold"]), 2),
        "costs": {**rec["costs"], "options": options},
    }
    return out


def upgraded(document: dict) -> dict:
    """Release 0.1's document as the contract's version 2 reads it: every old key and value
    unchanged; each roadmap step's action is its step, its kind follows from its answer, it
    is not marked essential and cites no source; the CSF view is empty (it needs the
    answers, which the document does not hold); the recommendation's new fields as the
    upgrade sets them."""
    assert SCHEMA_VERSION == 2

    def kind(step: dict) -> str:
        if step["unknown"]:
            return "find_out"
        return "start" if step["current_level"] == 0 else "improve"

    steps = [
        {
            **step,
            "action": step["step"],
            "kind": kind(step),
            "essential": False,
            "source": None,
            "regulation": None,
        }
        for step in document["roadmap"]
    ]
    return _recommendation_upgraded({**document, "roadmap": steps, "csf": []})


#: Assessments release 0.1 kept no results document for (a submitted one whose results were
#: cleared, and a draft): they are scored by today's code when first read.
SCORED_NOW = {4, 5}


def expected(assessment_id: int) -> dict:
    return upgraded(EXPECTED[assessment_id])


def assert_scored_again(again: dict, document: dict, assessment_id: int) -> None:
    """Scored by today's code: every key and value of release 0.1's scores, gaps and roadmap
    unchanged (the roadmap also lists the profile's obligations, after every step stored
    then), the new roadmap fields as the contract says, and the recommendation advised
    afresh under the current policy (issue 12 recalibrated it) with release 0.1's hire,
    targets and areas to start with."""
    assert again["schema_version"] == SCHEMA_VERSION
    steps = [s for s in again["roadmap"] if s["kind"] != "obligation"]
    obligations = again["roadmap"][len(steps) :]
    assert all(s["kind"] == "obligation" and s["source"] for s in obligations), assessment_id
    assert len(steps) == len(document["roadmap"]), assessment_id
    old_keys = {k: v for k, v in again.items() if k in document and k != "recommendation"}
    old_keys["roadmap"] = [
        {k: s[k] for k in old} for s, old in zip(steps, document["roadmap"], strict=True)
    ]
    assert old_keys == {k: v for k, v in document.items() if k != "recommendation"}
    for step in steps:
        if step["unknown"]:
            assert step["kind"] == "find_out" and step["action"].startswith("Ask ")
            assert step["text"] in step["action"]
        else:
            assert step["kind"] == ("start" if step["current_level"] == 0 else "improve")
            assert step["action"] == step["step"]  # 1.0 has no actions: the level's description
        assert step["essential"] is False and step["source"] is None  # 1.0 marks none essential
    assert again["csf"], assessment_id
    for category in again["csf"]:
        assert category["questions"] <= category["total"]
    old_rec = document.get("recommendation")
    new_rec = again.get("recommendation")
    assert (old_rec is None) == (new_rec is None), assessment_id
    if old_rec is not None:
        for key in ("organization", "hire", "targets_proposed", "first_areas"):
            assert new_rec[key] == old_rec[key], (assessment_id, key)
        # Scored again, the engagement follows today's policy: a vCISO verdict is one of the
        # vCISO engagements; the 12-person print shop with no regulation and no sensitive data
        # is one of the tiny firms that get the basics (review 12, finding 5).
        tiny = new_rec["organization"] == "Corner Print Shop"
        expected_engagement = "basics" if tiny else ENGAGEMENT_OF_HIRE[old_rec["hire"]]
        assert new_rec["engagement"] == expected_engagement, assessment_id


def assert_served(got: dict, assessment_id: int) -> None:
    """A kept document is served as release 0.1 stored it (upgraded); one never kept is
    scored again."""
    if assessment_id in SCORED_NOW:
        assert_scored_again(got, EXPECTED[assessment_id], assessment_id)
    else:
        assert got == expected(assessment_id), assessment_id


def test_does_every_old_result_read_back_through_the_contract():
    for document in EXPECTED.values():
        results = Results.from_stored(document)
        assert results.model_dump(mode="json") == upgraded(document)
        rec = results.recommendation
        if rec is not None:  # what the pages show from an old result: as it was
            assert rec.confidence == document["recommendation"]["confidence"]
            assert rec.hire == document["recommendation"]["hire"]
            assert rec.summary == document["recommendation"]["summary"]


def test_does_the_api_give_every_old_result_as_it_was(old_database):
    client = old_database.test_client()
    headers = {"Authorization": f"Bearer {_token(old_database)}"}
    for assessment_id in EXPECTED:
        response = client.get(f"/api/v1/assessments/{assessment_id}/results", headers=headers)
        assert response.status_code == 200, (assessment_id, response.get_json())
        assert_served(response.get_json(), assessment_id)


def test_do_old_submissions_score_again_as_they_were_stored(old_database):
    from assess.records.assessments import report_for
    from assess.records.database import db
    from assess.records.models import Assessment

    with old_database.app_context():
        for assessment_id, document in EXPECTED.items():
            assessment = db.session.get(Assessment, assessment_id)
            again = report_for(assessment).results().model_dump(mode="json")
            assert_scored_again(again, document, assessment_id)
        db.session.remove()


def test_do_the_old_results_pages_and_report_show(old_database):
    _set_password(old_database)
    client = old_database.test_client()
    assert login_as(client, OWNER).status_code == 302
    for assessment_id, document in EXPECTED.items():
        page = client.get(f"/assessments/{assessment_id}/results")
        assert page.status_code == 200, assessment_id
        text = page.get_data(as_text=True)
        for area in document["areas"]:
            assert area["title"] in text
        if "recommendation" in document:
            assert document["recommendation"]["organization"] in text
    history = client.get("/organizations/1/history")
    assert history.status_code == 200
    assert "Harborview Medical Billing" in history.get_data(as_text=True)


def test_does_an_old_backup_import_and_show_the_same_results(app, runner, tmp_path):
    """`assess import` of release 0.1's `export-all`, on the suite's database (SQLite, or
    PostgreSQL in the second run), as the import tells an operator to: into a database at
    the backup's schema revision, then upgraded to the latest."""
    from flask import current_app
    from flask_migrate import downgrade, upgrade

    directory = current_app.extensions["migrate"].directory
    revision = json.loads((RELEASE / "backup.json").read_text())["alembic_revision"]
    downgrade(directory=directory, revision=revision)
    try:
        result = runner.invoke(args=["import", str(RELEASE / "backup.json")])
    finally:
        upgrade(directory=directory)  # the next tests (PostgreSQL: one shared schema) need it
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    client = app.test_client()
    headers = {"Authorization": f"Bearer {_token(app)}"}
    for assessment_id in EXPECTED:
        response = client.get(f"/api/v1/assessments/{assessment_id}/results", headers=headers)
        assert response.status_code == 200, assessment_id
        assert_served(response.get_json(), assessment_id)
