"""Saves under real servers: concurrent clients and a server killed mid-stream.

Each test serves the app as production does (gunicorn, several sync worker processes, started
with ``ASSESS_INSTANCE_PATH``, ``DATABASE_URL`` and ``SECRET_KEY``) on a database migrated by
the real migrations: a SQLite file (WAL, busy timeout) and, when ASSESS_TEST_DATABASE_URL is
set, PostgreSQL too. Clients talk to it over loopback through the JSON API. Every loop is
bounded; every server is stopped (its whole process group) in the fixture's teardown.
"""

from __future__ import annotations

import collections
import sqlite3
import threading
import time
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import func, select

from assess.core.questionnaire import get_questionnaire
from assess.records.models import AnswerChange
from tests.conftest import PG_URL, _empty_tables
from tests.factories import Factory
from tests.servers import Gunicorn, wait_until

FULL = "ciso-nine-areas"
QIDS = list(get_questionnaire(FULL).questions)  # 66 questions
CLIENTS = 12
ROUNDS = 6
WORKERS = 4
BACKENDS = ["sqlite", *(["postgresql"] if PG_URL else [])]


@pytest.fixture(params=BACKENDS)
def database(request, tmp_path):
    """A migrated, empty database, an app on it (context pushed, for the factories), and
    ``serve()``: a gunicorn on that database; every server started is stopped at the end."""
    from assess import create_app
    from assess.records.database import db, init_db

    if request.param == "postgresql":
        request.getfixturevalue("_schema")  # the schema, built by the migrations once per run
        url = PG_URL
    else:
        url = f"sqlite:///{tmp_path / 'assess.db'}"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "SECRET_KEY": "durability",
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        }
    )
    servers: list[Gunicorn] = []

    def serve() -> Gunicorn:
        server = Gunicorn(
            env={
                "ASSESS_INSTANCE_PATH": str(tmp_path / "server"),
                "DATABASE_URL": url,
                "SECRET_KEY": "durability-server",
            },
            log=tmp_path / "gunicorn.log",
            workers=WORKERS,
        )
        servers.append(server)
        return server.start()

    with app.app_context():
        if request.param == "postgresql":
            _empty_tables(app)
        else:
            init_db()
        try:
            yield SimpleNamespace(backend=request.param, url=url, app=app, serve=serve)
        finally:
            for server in servers:
                server.stop()
            db.session.remove()
            db.engine.dispose()


def seed(database) -> SimpleNamespace:
    """An owner with an API token and a draft assessment of the full questionnaire."""
    factory = Factory(database.app)
    owner = factory.user("owner@example.com")
    assessment = factory.assessment(factory.organization(owner), owner, FULL)
    token = factory.token(owner)
    return SimpleNamespace(
        id=assessment.id,
        path=f"/api/v1/assessments/{assessment.id}",
        headers={"Authorization": f"Bearer {token}"},
    )


def stored(server: Gunicorn, seeded) -> dict[str, dict[str, Any]]:
    status, document = server.request("GET", seeded.path, headers=seeded.headers)
    assert status == 200, document
    return document["answers"]


def history_rows(assessment_id: int) -> int:
    from assess.records.database import db

    db.session.rollback()  # a fresh read of what the server committed
    return db.session.scalar(
        select(func.count(AnswerChange.id)).where(AnswerChange.assessment_id == assessment_id)
    )


class Clients:
    """``target(i)`` running in ``count`` threads; ``join()`` returns what they raised."""

    def __init__(self, count: int, target) -> None:
        self.errors: list[BaseException] = []
        self.threads = [
            threading.Thread(target=self._guarded, args=(target, i), daemon=True)
            for i in range(count)
        ]
        for thread in self.threads:
            thread.start()

    def _guarded(self, target, i: int) -> None:
        try:
            target(i)
        except BaseException as exc:
            self.errors.append(exc)

    def join(self) -> list[BaseException]:
        for thread in self.threads:
            thread.join(120)
        assert not any(t.is_alive() for t in self.threads), "a client did not finish in 120 s"
        return self.errors


# --------------------------------------------------------------------------- concurrent saves


def test_do_twelve_clients_saving_at_once_keep_every_acknowledged_answer(database):
    """Twelve clients, each with its own questions, PATCH at the same moment (a barrier per
    round), six rounds: new answers, then changes, half of them with base versions. Every
    save is acknowledged (no 5xx, no "database is locked", no false conflict) and every
    acknowledged answer is in the database afterwards, with its version and its history."""
    seeded = seed(database)
    server = database.serve()
    barrier = threading.Barrier(CLIENTS)
    statuses: collections.Counter[int] = collections.Counter()
    acknowledged: dict[str, tuple[Any, int]] = {}
    lock = threading.Lock()

    def client(i: int) -> None:
        mine = QIDS[i::CLIENTS][:4]  # four questions per client, no two clients share one
        versions: dict[str, int] = {}
        try:
            for r in range(ROUNDS):
                qid = mine[r % len(mine)]
                value = (i + r) % 6  # never the value this question had before
                body: dict[str, Any] = {"answers": {qid: value}}
                if r % 2:
                    body["base_versions"] = {qid: versions.get(qid, 0)}
                barrier.wait(timeout=60)
                status, document = server.request(
                    "PATCH", seeded.path + "/answers", body, seeded.headers
                )
                with lock:
                    statuses[status] += 1
                assert status == 200, f"client {i} round {r}: {status} {document}"
                answer = document["answers"][qid]
                assert answer["value"] == value
                versions[qid] = answer["version"]
                with lock:
                    acknowledged[qid] = (value, answer["version"])
        except BaseException:
            barrier.abort()  # the others stop waiting for this client
            raise

    errors = Clients(CLIENTS, client).join()
    assert not errors, f"{statuses}: {errors[0]!r}\n{server.tail()}"
    assert statuses == {200: CLIENTS * ROUNDS}

    answers = stored(server, seeded)
    assert len(acknowledged) == CLIENTS * 4
    for qid, (value, version) in acknowledged.items():
        assert (answers[qid]["value"], answers[qid]["version"]) == (value, version), qid
    assert len(answers) == len(acknowledged)
    # one history row per acknowledged change: none lost, none doubled
    assert history_rows(seeded.id) == CLIENTS * ROUNDS


def test_do_twelve_clients_racing_on_one_answer_get_one_save_and_eleven_conflicts(database):
    """Twelve clients change the same answer at the same moment, each from the version it
    read; twice for a question not yet answered (version 0: twelve first answers, one row),
    then once more for each. Exactly one save wins each round; the others are told 409 (a
    conflict, nothing saved): never a 5xx and never a second "success" that silently
    overwrote the first."""
    seeded = seed(database)
    server = database.serve()
    rounds = [(QIDS[0], 0), (QIDS[0], 1), (QIDS[1], 0), (QIDS[1], 1)]  # (question, base)
    barrier = threading.Barrier(CLIENTS)
    results: dict[int, list[tuple[int, int, Any]]] = collections.defaultdict(list)
    lock = threading.Lock()

    def client(i: int) -> None:
        try:
            for r, (qid, base) in enumerate(rounds):
                body = {
                    "answers": {qid: {"level": i % 6, "note": f"client {i}, round {r}"}},
                    "base_versions": {qid: base},  # what everyone read
                }
                barrier.wait(timeout=60)
                status, document = server.request(
                    "PATCH", seeded.path + "/answers", body, seeded.headers
                )
                with lock:
                    results[r].append((status, i, document))
                barrier.wait(timeout=60)  # the round is over for everyone
        except BaseException:
            barrier.abort()
            raise

    errors = Clients(CLIENTS, client).join()
    assert not errors, f"{errors[0]!r}\n{server.tail()}"
    winners: dict[str, int] = {}
    for r, (qid, _) in enumerate(rounds):
        codes = collections.Counter(status for status, _, _ in results[r])
        told = [
            (i, status, (document or {}).get("error", {}).get("message"))
            for status, i, document in results[r]
        ]
        assert codes == {200: 1, 409: CLIENTS - 1}, f"round {r}: {codes}: {told}"
        winners[qid] = next(i for status, i, _ in results[r] if status == 200)
        for status, _, document in results[r]:
            if status == 409:
                assert qid in document["error"]["details"]
    answers = stored(server, seeded)
    for r, (qid, base) in enumerate(rounds):
        if (qid, base + 1) not in rounds:  # the last round on this question
            assert answers[qid]["version"] == base + 1
            assert answers[qid]["note"] == f"client {winners[qid]}, round {r}"
    assert history_rows(seeded.id) == len(rounds)


# --------------------------------------------------------------------------- a killed server


def test_does_a_server_killed_while_saving_keep_every_acknowledged_answer(database):
    """Three clients save answers in a loop; once they have had twenty saves acknowledged, the
    server's whole process group gets SIGKILL mid-stream. Restarted on the same database, it
    has every answer it acknowledged, at that version or a later one (a save may have been
    committed with its response lost, never the other way round).

    Nothing here waits a fixed time: the kill waits for the saves, and the end waits until
    every client has met the dead server, each with a deadline that a slow machine only
    approaches, so the outcome does not depend on the machine's speed."""
    seeded = seed(database)
    server = database.serve()
    savers = 3
    enough = 20  # acknowledged saves before the kill: enough to prove something
    acknowledged: dict[str, tuple[Any, int]] = {}
    attempts = collections.Counter[str]()
    refused: set[int] = set()  # the clients that met the dead server
    lock = threading.Lock()
    killed = threading.Event()
    deadline = time.monotonic() + 120  # a hard bound on the loop, whatever happens

    def saver(i: int) -> None:
        mine = QIDS[i::savers]
        n = 0
        while not killed.is_set() and time.monotonic() < deadline:
            qid = mine[n % len(mine)]
            value = ["unknown", *range(6)][(n // len(mine) + i) % 7]
            n += 1
            try:
                status, document = server.request(
                    "PATCH",
                    seeded.path + "/answers",
                    {"answers": {qid: value}},
                    seeded.headers,
                    timeout=10,
                )
            except OSError:
                with lock:
                    attempts["no response"] += 1
                    if server.process is not None and server.process.returncode is not None:
                        refused.add(i)
                time.sleep(0.02)
                continue
            with lock:
                attempts[str(status)] += 1
            if status == 200:
                answer = document["answers"][qid]
                assert answer["value"] == value
                with lock:
                    acknowledged[qid] = (value, answer["version"])
            else:
                assert status < 500, f"{status} {document}"

    def count(key: str) -> int:
        with lock:
            return attempts[key]

    clients = Clients(savers, saver)
    wait_until(lambda: count("200") >= enough, f"{enough} acknowledged saves", timeout=90)
    with lock:
        before_kill = dict(acknowledged)
    server.kill()
    # the clients meet the dead server (or one stopped for another reason, reported below)
    wait_until(
        lambda: len(refused) == savers or not any(t.is_alive() for t in clients.threads),
        "every client to meet the dead server",
    )
    killed.set()
    errors = clients.join()
    assert not errors, repr(errors[0])
    assert refused == set(range(savers)), f"not every client met the dead server: {attempts}"
    assert attempts["200"] >= enough, f"too few saves to prove anything: {attempts}"
    assert len(acknowledged) >= len(before_kill)

    if database.backend == "sqlite":
        path = database.url.removeprefix("sqlite:///")
        with sqlite3.connect(path) as check:
            assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        check.close()

    restarted = database.serve()
    answers = stored(restarted, seeded)
    lost = {}
    for qid, (value, version) in acknowledged.items():
        now = answers.get(qid)
        kept = now is not None and (
            now["version"] > version or (now["version"], now["value"]) == (version, value)
        )
        if not kept:
            lost[qid] = (value, version, now)
    assert not lost, f"acknowledged but not kept: {lost}"
    print(f"killed mid-stream: {attempts}; {len(acknowledged)} answers acknowledged, all kept")
