"""A throwaway instance folder with a SQLite database and the data the benchmarks read.

Everything goes through the real use cases (``assess.records``), as ``assess init-db`` and the
pages would: a user with an API token, an organization with a profile, a submitted assessment
of the full questionnaire with every question answered, and a draft for the survey pages.
"""

from __future__ import annotations

import contextlib
import io
import os
import random
import secrets
import sqlite3
import tempfile
import time
from dataclasses import dataclass
from typing import Any

from assess.core.questionnaire import Questionnaire, get_questionnaire

QUESTIONNAIRE = "ciso-nine-areas"
EMAIL = "bench@example.com"
PASSWORD = "correct horse battery staple"  # noqa: S105  (a throwaway local account)
SEED = 20261127


@dataclass
class Instance:
    path: str
    secret_key: str
    token: str
    org_id: int
    submitted_id: int
    draft_id: int
    draft_area: str  # the survey page and its save
    patch_area: str  # the API PATCH diagnostic: another area, so the page's versions hold
    areas: list[dict[str, Any]]


def random_answer(rng: random.Random, allow_na: bool) -> Any:
    """A plausible answer: mostly levels, some "don't know", "not applicable" where allowed."""
    roll = rng.random()
    if roll < 0.08:
        return "unknown"
    if roll < 0.14 and allow_na:
        return "na"
    return rng.choice([0, 1, 1, 2, 2, 2, 3, 3, 4, 5])


def full_answers(questionnaire: Questionnaire, rng: random.Random) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for i, (qid, question) in enumerate(questionnaire.questions.items()):
        value = random_answer(rng, question.allow_na)
        # Some answers carry a note, as real ones do.
        answers[qid] = {"level": value, "note": f"Evidence {i}: see the wiki."} if i % 4 else value
    return answers


def profile() -> dict[str, Any]:
    try:
        from tests.factories import PROFILE
    except ImportError:  # benchmarks run from an installed copy without the tests
        PROFILE = {  # the same profile as tests/factories.py
            "employees": 60,
            "annual_revenue_usd": 12_000_000,
            "industry": "healthcare",
            "regulations": ["hipaa"],
            "sensitive_data": ["phi", "pii"],
            "it_staff": 2,
            "security_staff": 0,
            "security_leader": "it_manager",
            "incidents_24m": 1,
            "customer_demands": True,
        }
    return dict(PROFILE)


def create(path: str) -> Instance:
    """Initialize the database in ``path`` and fill it. Sets ASSESS_INSTANCE_PATH and
    SECRET_KEY in this process's environment (the servers get the same)."""
    secret = secrets.token_hex(32)
    os.environ["ASSESS_INSTANCE_PATH"] = path
    os.environ["SECRET_KEY"] = secret
    from assess import create_app
    from assess.records import accounts, answers, assessments, organizations
    from assess.records.database import db, init_db

    app = create_app()
    rng = random.Random(SEED)
    questionnaire = get_questionnaire(QUESTIONNAIRE)
    with app.app_context():
        with contextlib.redirect_stderr(io.StringIO()):  # alembic's INFO lines
            init_db()
        user = accounts.create_user(EMAIL, PASSWORD)
        token = accounts.create_token(user)
        org = organizations.create_organization(user, "Harborview Medical Billing", profile())
        db.session.commit()

        submitted = assessments.start_assessment(org, user, QUESTIONNAIRE)
        answers.save_answers(submitted, user, full_answers(questionnaire, rng))
        assessments.submit(submitted, user)
        db.session.commit()
        areas = assessments.results_document(submitted).model_dump(mode="json")["areas"]

        # The draft: every area answered but the last, as if the owner stopped there.
        draft = assessments.start_assessment(org, user, QUESTIONNAIRE)
        last = {q.id for q in questionnaire.areas[-1].questions}
        given = {k: v for k, v in full_answers(questionnaire, rng).items() if k not in last}
        answers.save_answers(draft, user, given)
        db.session.commit()
        result = Instance(
            path=path,
            secret_key=secret,
            token=token,
            org_id=org.id,
            submitted_id=submitted.id,
            draft_id=draft.id,
            draft_area=questionnaire.areas[0].id,
            patch_area=questionnaire.areas[1].id,
            areas=areas,
        )
        db.session.remove()
        db.engine.dispose()
    return result


def commit_latency(folder: str, commits: int = 100) -> tuple[float, float]:
    """p50 and p95 in ms of a one-row SQLite commit in ``folder`` with the app's pragmas
    (WAL, synchronous=FULL): what the disk charges every save, right now."""
    path = tempfile.mkstemp(prefix="commit-probe-", suffix=".db", dir=folder)[1]
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=FULL")
        connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
        connection.commit()
        times = []
        for _ in range(commits):
            start = time.perf_counter()
            connection.execute("INSERT INTO t (v) VALUES ('x')")
            connection.commit()
            times.append((time.perf_counter() - start) * 1000)
    finally:
        connection.close()
    times.sort()
    return times[len(times) // 2], times[int(len(times) * 0.95)]
