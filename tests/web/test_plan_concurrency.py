"""The first 90 days turned into a plan by several clients at the same moment, under a real
server (gunicorn, several workers): one request creates the items, every other one finds them
there, and the plan never holds a step twice."""

from __future__ import annotations

import collections
import threading

from sqlalchemy import func, select

from assess.records import assessments
from assess.records.models import Action
from tests.factories import Factory
from tests.web.test_durability import Clients, database  # noqa: F401  (the fixture)

QUICK = "ciso-nine-areas-quick"
CLIENTS = 8


def test_do_clients_racing_to_fill_the_plan_create_each_step_once(database):  # noqa: F811
    from assess.records.database import db

    factory = Factory(database.app)
    owner = factory.user("owner@example.com")
    org = factory.organization(owner)
    assessment = factory.assessment(
        org, owner, QUICK, {"program-oversight.accountable-owner": 1, "incident-response.plan": 0}
    )
    assessments.submit(assessment, owner)
    db.session.commit()
    steps = [s for s in assessments.results_document(assessment).roadmap if s.first_90_days]
    headers = {"Authorization": f"Bearer {factory.token(owner)}"}
    path = f"/api/v1/assessments/{assessment.id}/actions/from-roadmap"
    server = database.serve()
    barrier = threading.Barrier(CLIENTS)
    results: list[tuple[int, dict]] = []
    lock = threading.Lock()

    def client(i: int) -> None:
        try:
            barrier.wait(timeout=60)
            status, document = server.request("POST", path, None, headers)
            with lock:
                results.append((status, document))
        except BaseException:
            barrier.abort()
            raise

    errors = Clients(CLIENTS, client).join()
    assert not errors, f"{errors[0]!r}\n{server.tail()}"
    codes = collections.Counter(status for status, _ in results)
    assert codes == {201: 1, 200: CLIENTS - 1}, f"{codes}\n{server.tail()}"
    created = next(document for status, document in results if status == 201)
    assert len(created["actions"]) == len(steps)
    assert all(document == {"actions": []} for status, document in results if status == 200)
    db.session.rollback()
    stored = db.session.scalar(
        select(func.count(Action.id)).where(Action.organization_id == org.id)
    )
    assert stored == len(steps)
