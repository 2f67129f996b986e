"""Big organizations: the organization's report PDF and its XLSX export with 1, 40 and 200
submitted full assessments, timed in this process through the app's test client on a SQLite
file (the request's whole work: session, queries, rows, the PDF or the workbook; not the
HTTP server).

Each submission is a real one: the full questionnaire's results document (about 67 KB, with
varied scores), its scores row (:mod:`assess.records.scores`), 54 answer rows with notes, and
on the last two some auditor reviews; inserted in bulk, as :mod:`benchmarks.portfolio_bench`
does. At 200 submissions the XLSX carries 10,800 answer rows.
"""

from __future__ import annotations

import contextlib
import copy
import io
import os
import random
import re
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

SIZES = (1, 40, 200)
RUNS = 3  # timed requests per size and file (after one warm-up); the median is reported
PASSWORD = "correct horse battery staple"  # noqa: S105  (a throwaway local account)
FILES = {"report PDF": "report.pdf", "XLSX": "export.xlsx"}


@dataclass
class Timing:
    what: str  # a key of FILES
    submissions: int
    median: float  # seconds
    cpu: float  # median CPU seconds of this process (Chromium's SVG for the PDF not counted)
    statements: int  # SQL statements of one request
    size: int  # bytes of the response


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


def _seed(user, template, count: int, rng: random.Random) -> int:
    """An organization of ``user`` with ``count`` submissions a month apart; its id."""
    from sqlalchemy import insert, select

    from assess.records.database import db
    from assess.records.models import (
        Answer,
        Assessment,
        AssessmentScores,
        Membership,
        Organization,
        Review,
        utcnow,
    )
    from assess.records.scores import scores_of

    now = utcnow()
    name = f"Big {count:04d}"
    db.session.execute(
        insert(Organization),
        [{"name": name, "profile": template.organization.profile, "created_at": now}],
    )
    org_id = db.session.scalar(select(Organization.id).where(Organization.name == name))
    db.session.execute(
        insert(Membership),
        [{"user_id": user.id, "organization_id": org_id, "role": "owner", "created_at": now}],
    )
    rows = []
    for k in range(count):
        when = now - timedelta(days=30 * (count - k) + rng.randint(0, 20))
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
                "submitted_by_id": user.id,
                "created_by_id": user.id,
                "number": k + 1,
                "results": _results_with(template.results, rng),
            }
        )
    for start in range(0, len(rows), 100):
        db.session.execute(insert(Assessment), rows[start : start + 100])
    kept = list(
        db.session.execute(
            select(Assessment.id, Assessment.results, Assessment.submitted_at)
            .where(Assessment.organization_id == org_id)
            .order_by(Assessment.id)
        )
    )
    db.session.execute(
        insert(AssessmentScores),
        [{"assessment_id": i, **scores_of(document)} for i, document, _ in kept],
    )
    answers = []
    for assessment_id, _, when in kept:
        for row in template.answers:
            level = rng.choice((0, 1, 2, 3, 4, 5)) if row.status == "level" else None
            answers.append(
                {
                    "assessment_id": assessment_id,
                    "question_id": row.question_id,
                    "status": row.status,
                    "level": level,
                    "note": row.note,
                    "version": 1,
                    "updated_at": when,
                    "updated_by_id": user.id,
                }
            )
    for start in range(0, len(answers), 2000):
        db.session.execute(insert(Answer), answers[start : start + 2000])
    reviews = []
    for assessment_id, _, when in kept[-2:]:
        for row in template.answers[:6]:
            reviews.append(
                {
                    "assessment_id": assessment_id,
                    "question_id": row.question_id,
                    "status": "verified",
                    "verified_level": 1,
                    "comment": "Seen the policy; not the practice.",
                    "reviewer_id": user.id,
                    "created_at": when,
                    "updated_at": when,
                }
            )
    if reviews:
        db.session.execute(insert(Review), reviews)
    db.session.commit()
    return org_id


def _login(client, email: str) -> None:
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page)
    assert token, "no CSRF token on /login"
    response = client.post(
        "/login", data={"email": email, "password": PASSWORD, "csrf_token": token.group(1)}
    )
    assert response.status_code == 302, f"sign-in failed: {response.status_code}"


def _say(text: str) -> None:
    if os.environ.get("BENCH_VERBOSE"):
        print(f"[big-org {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def run(folder: str, sizes: tuple[int, ...] = SIZES, runs: int = RUNS) -> list[Timing]:
    """Build the instance in ``folder`` and time the report PDF and the XLSX at each size."""

    from assess import create_app
    from assess.core.questionnaire import get_questionnaire
    from assess.records import accounts, answers, assessments, organizations
    from assess.records.database import db, init_db
    from benchmarks.instance import QUESTIONNAIRE, SEED, full_answers, profile

    path = os.path.join(folder, "big-org")
    os.makedirs(path, exist_ok=True)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}/big-org.db",
            "INSTANCE_PATH": path,
            "SECRET_KEY": "big-org-bench",
            "RATELIMIT_ENABLED": False,
        }
    )
    rng = random.Random(SEED)
    email = "owner@example.com"
    with app.app_context():
        with contextlib.redirect_stderr(io.StringIO()):
            init_db()
        owner = accounts.create_user(email, PASSWORD)
        org = organizations.create_organization(owner, "Template", profile())
        template = assessments.start_assessment(org, owner, QUESTIONNAIRE)
        questionnaire = get_questionnaire(QUESTIONNAIRE)
        answers.save_answers(template, owner, full_answers(questionnaire, rng))
        assessments.submit(template, owner)
        db.session.commit()
        orgs = {}
        for n in sizes:
            orgs[n] = _seed(owner, template, n, rng)
            _say(f"seeded {n}")
        engine = db.engine
        db.session.remove()
    client = app.test_client()
    _login(client, email)
    try:
        return _timed(client, engine, orgs, runs)
    finally:
        from assess.outputs import images

        images.shutdown()  # no Chromium left running while the servers are measured
        engine.dispose()


def _timed(client: Any, engine: Any, orgs: dict[int, int], runs: int) -> list[Timing]:
    from sqlalchemy import event

    timings = []
    for n, org_id in orgs.items():
        for what, name in FILES.items():
            url = f"/organizations/{org_id}/{name}"
            response = client.get(url)  # warm-up: templates, fonts, caches
            assert response.status_code == 200, f"{url}: {response.status_code}"
            statements: list[str] = []

            def note(*args: Any, sink: list[str] = statements) -> None:
                sink.append(args[2])

            event.listen(engine, "before_cursor_execute", note)
            try:
                client.get(url)
            finally:
                event.remove(engine, "before_cursor_execute", note)
            times, cpu = [], []
            for _ in range(runs):
                start, start_cpu = time.perf_counter(), time.process_time()
                response = client.get(url)
                times.append(time.perf_counter() - start)
                cpu.append(time.process_time() - start_cpu)
                assert response.status_code == 200
                _say(f"{what} at {n}: {times[-1]:.2f} s")
            timings.append(
                Timing(
                    what,
                    n,
                    statistics.median(times),
                    statistics.median(cpu),
                    len(statements),
                    len(response.data),
                )
            )
    return timings


#: Goals at the largest size (seconds, median) and for the report's growth from 40 to 200.
GOALS = {"report PDF": 2.0, "XLSX": 1.0}
GROWTH_GOAL = 2.0


def rows(folder: str, row: Any) -> list[Any]:
    """The rows of ``python -m benchmarks`` (``row`` is its ``Row``): each file at each size
    with its statements and CPU, then the growth from 40 to 200 submissions."""
    timings = run(folder)
    out = []
    large = max(SIZES)
    for what in FILES:
        by_n = {t.submissions: t for t in timings if t.what == what}
        for n, t in sorted(by_n.items()):
            goal = GOALS[what] if n == large else None
            out.append(
                row(
                    f"big organization: {what}, {n} submitted full assessment"
                    + ("s" if n != 1 else "")
                    + f" (median of {RUNS})",
                    f"{t.median * 1000:.0f} ms",
                    f"CPU {t.cpu * 1000:.0f} ms, {t.statements} SQL statements",
                    "",
                    f"≤ {goal:g} s" if goal else "",
                    (t.median <= goal) if goal else None,
                )
            )
        if 40 in by_n and large in by_n:
            growth = by_n[large].median / by_n[40].median
            cpu = by_n[large].cpu / by_n[40].cpu if by_n[40].cpu else None
            goal = GROWTH_GOAL if what == "report PDF" else None
            out.append(
                row(
                    f"big organization: {what}, growth 40 → {large} submissions",
                    f"{growth:.2f}×",
                    f"CPU {cpu:.2f}×" if cpu else "",
                    "",
                    f"≤ {goal:g}×" if goal else "",
                    (growth <= goal) if goal else None,
                )
            )
    return out


def main() -> None:
    """``python -m benchmarks.big_org_bench``: this part alone, printed plainly."""
    import shutil
    import tempfile

    folder = tempfile.mkdtemp(prefix="assess-big-org-")
    try:
        timings = run(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    for t in timings:
        print(
            f"{t.what:10} {t.submissions:4} submissions: {t.median * 1000:8.1f} ms "
            f"(CPU {t.cpu * 1000:.1f} ms) "
            f"({t.statements} SQL statements, {t.size / 1000:.0f} KB)"
        )
    for what in FILES:
        by_n = {t.submissions: t.median for t in timings if t.what == what}
        if 40 in by_n and 200 in by_n:
            print(f"{what}: growth 40 → 200 {by_n[200] / by_n[40]:.2f}×")


if __name__ == "__main__":
    main()
