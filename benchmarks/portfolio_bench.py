"""The portfolio at scale: an adviser with 50 and one with 500 client organizations, each with
8 submitted assessments (the issue's design point), timed in this process through the app's
test client on a SQLite file (the request's whole work: session or token, queries, rows,
figures or JSON; not the HTTP server).

The 4,400 submissions carry a real results document each (the full questionnaire's, about
67 KB, roadmap and recommendation included) with varied scores, inserted in bulk: the
portfolio must not read those documents whole.
"""

from __future__ import annotations

import contextlib
import copy
import io
import os
import random
import re
import statistics
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

SIZES = (50, 500)
SUBMISSIONS = 8
REQUESTS = 100
WARMUP = 5
PASSWORD = "correct horse battery staple"  # noqa: S105  (a throwaway local account)
PATHS = {"API": "/api/v1/portfolio", "page": "/portfolio"}


@dataclass
class Timing:
    what: str  # "API" or "page"
    organizations: int
    p50: float  # seconds
    p95: float
    statements: int
    cpu: float  # median CPU seconds of this process per request


def _results_with(template: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    document = copy.deepcopy(template)
    overall = 0.0
    for area in document["areas"]:
        area["score"] = round(rng.uniform(0.5, 4.5), 3)
        area["gap"] = max(area["target"] - area["score"], 0.0)
        overall += area["score"]
    document["overall"]["score"] = overall / len(document["areas"])
    document["overall"]["level"] = int(document["overall"]["score"])
    return document


def _seed(user, count: int, template, rng: random.Random) -> None:
    """``count`` organizations of ``user``, each with 8 submissions a quarter apart."""
    from sqlalchemy import insert, select

    from assess.records.database import db
    from assess.records.models import (
        Assessment,
        AssessmentScores,
        Membership,
        Organization,
        utcnow,
    )
    from assess.records.scores import scores_of

    now = utcnow()
    names = [f"Client {user.id}-{i:04d}" for i in range(count)]
    db.session.execute(
        insert(Organization),
        [
            {
                "name": n,
                "profile": template.organization.profile,
                "created_at": now,
                "updated_at": now,
                "cadence_months": rng.choice((3, 6, 12)),
            }
            for n in names
        ],
    )
    ids = list(db.session.scalars(select(Organization.id).where(Organization.name.in_(names))))
    db.session.execute(
        insert(Membership),
        [
            {"user_id": user.id, "organization_id": i, "role": "owner", "created_at": now}
            for i in ids
        ],
    )
    rows = []
    for org_id in ids:
        for k in range(SUBMISSIONS):
            when = now - timedelta(days=91 * (SUBMISSIONS - k) + rng.randint(0, 60))
            rows.append(
                {
                    "organization_id": org_id,
                    "questionnaire_hash": template.questionnaire_hash,
                    "questionnaire_id": template.questionnaire_id,
                    "questionnaire_version": template.questionnaire_version,
                    "status": "submitted",
                    "targets": {},
                    "created_at": when,
                    "updated_at": when,
                    "submitted_at": when,
                    "results": _results_with(template.results, rng),
                }
            )
    for start in range(0, len(rows), 500):
        db.session.execute(insert(Assessment), rows[start : start + 500])
    # Their scores, as submitting keeps them (assess.records.scores).
    kept = db.session.execute(
        select(Assessment.id, Assessment.results).where(Assessment.organization_id.in_(ids))
    )
    scores = []
    for assessment_id, document in kept:
        scores.append({"assessment_id": assessment_id, **scores_of(document)})
    db.session.execute(insert(AssessmentScores), scores)
    db.session.commit()


def _login(client, email: str) -> None:
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page)
    assert token, "no CSRF token on /login"
    response = client.post(
        "/login", data={"email": email, "password": PASSWORD, "csrf_token": token.group(1)}
    )
    assert response.status_code == 302, (
        f"sign-in failed: {response.status_code} {response.get_data(as_text=True)[:300]}"
    )


def run(folder: str) -> list[Timing]:
    """Build the instance in ``folder`` and time the API and the page at each size."""
    from sqlalchemy import event

    from assess import create_app
    from assess.core.questionnaire import get_questionnaire
    from assess.records import accounts, answers, assessments, organizations
    from assess.records.database import db, init_db

    path = os.path.join(folder, "portfolio")
    os.makedirs(path, exist_ok=True)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}/portfolio.db",
            "INSTANCE_PATH": path,
            "SECRET_KEY": "portfolio-bench",
            "RATELIMIT_ENABLED": False,
        }
    )
    rng = random.Random(20261201)
    with app.app_context():
        with contextlib.redirect_stderr(io.StringIO()):
            init_db()
        owner = accounts.create_user("template@example.com", PASSWORD)
        org = organizations.create_organization(owner, "Template", _profile())
        template = assessments.start_assessment(org, owner, "ciso-nine-areas")
        questionnaire = get_questionnaire("ciso-nine-areas")
        answers.save_answers(template, owner, {q: 2 for q in questionnaire.questions})
        assessments.submit(template, owner)
        db.session.commit()
        advisers = {}
        for n in SIZES:
            adviser = accounts.create_user(f"adviser{n}@example.com", PASSWORD)
            token = accounts.create_token(adviser)
            db.session.commit()
            _seed(adviser, n, template, rng)
            advisers[n] = (adviser.email, token)
        engine = db.engine
        db.session.remove()
    _settle(engine)
    # Requests outside the set-up's app context: each request has its own, as in production
    # (a pushed context would share `g`, and the CSRF token cached in it, across requests).
    probes = []  # (what, size, client, url, headers)
    for n in SIZES:
        email, token = advisers[n]
        client = app.test_client()
        _login(client, email)
        for what, url in PATHS.items():
            headers = {"Authorization": f"Bearer {token}"} if what == "API" else {}
            probes.append((what, n, client, url, headers))
    statements: dict[tuple[str, int], int] = {}
    for what, n, client, url, headers in probes:
        for _ in range(WARMUP):
            assert client.get(url, headers=headers).status_code == 200
        seen: list[str] = []

        def note(*args: Any, sink: list[str] = seen) -> None:
            sink.append(args[2])

        event.listen(engine, "before_cursor_execute", note)
        try:
            client.get(url, headers=headers)
        finally:
            event.remove(engine, "before_cursor_execute", note)
        statements[what, n] = len(seen)
    # In turns, one request of each (what, size) per round: the sizes share every moment of
    # the run, so a slower stretch of a shared machine weighs on both sides of the growth
    # ratio alike (measured one size after the other, the same code's growth ranged from 2.1
    # to 3.8 between runs on a quiet-looking VM).
    times: dict[tuple[str, int], list[float]] = {(w, n): [] for w, n, *_ in probes}
    cpu: dict[tuple[str, int], list[float]] = {(w, n): [] for w, n, *_ in probes}
    for _ in range(REQUESTS):
        for what, n, client, url, headers in probes:
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(url, headers=headers)
            times[what, n].append(time.perf_counter() - start)
            cpu[what, n].append(time.process_time() - start_cpu)
            assert response.status_code == 200
    timings = []
    for what, n, *_ in probes:
        taken = sorted(times[what, n])
        timings.append(
            Timing(
                what,
                n,
                statistics.median(taken),
                taken[min(len(taken) - 1, round(0.95 * (len(taken) - 1)))],
                statements[what, n],
                statistics.median(cpu[what, n]),
            )
        )
    engine.dispose()
    return timings


def _settle(engine) -> None:
    """Measure a database at rest, not the seeding's write-back: its ~300 MB went through
    SQLite's write-ahead log, which every read consults until a checkpoint copies it into the
    database, and the kernel writes the files out for a while after. Without this, the 500
    clients' times varied by half from run to run, by when the checkpoint and the write-back
    happened to fall."""
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    os.sync()


def _profile() -> dict[str, Any]:
    from benchmarks.instance import profile

    return profile()
