"""The demo adviser: a vCISO with a dozen client organizations in different states, so the
portfolio shows something at once: overdue, regressed, never assessed, improving, a quick
check followed by a full assessment, one reviewed by the adviser. Every client takes part in
the anonymous benchmark, so the demo organization's results can show where it stands."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update

from assess.core.questionnaire import get_questionnaire
from assess.records import answers, assessments, membership, organizations, reviews
from assess.records.database import db
from assess.records.demo import NAME as DEMO_NAME
from assess.records.demo import DemoLogin, _user
from assess.records.models import AnswerChange, Organization, utcnow

ADVISER = "adviser@demo.example"
SUFFIX = " (demo client)"
QUICK = "ciso-nine-areas-quick"
FULL = "ciso-nine-areas"


@dataclass(frozen=True)
class DemoClient:
    """A client: its name and size, its cadence, and its rounds as (questionnaire, months
    ago, how its answers move from the previous round: a level step added to every answer,
    or to the first ``areas`` areas only when ``areas`` is given)."""

    name: str
    employees: int
    industry: str
    cadence: int
    rounds: tuple[tuple[str, int, int], ...]
    areas: int | None = None
    start: float = 1.4


CLIENTS = (
    DemoClient("Bayside Dental Group", 48, "healthcare", 12, ((QUICK, 20, 0), (QUICK, 14, 1))),
    DemoClient("Cedar Ridge Logistics", 140, "manufacturing", 6, ((FULL, 13, 0), (FULL, 8, 1))),
    DemoClient(
        "Delta Freight Brokers",
        85,
        "retail",
        12,
        ((FULL, 11, 0), (FULL, 2, -1)),
        areas=3,
        start=2.2,
    ),
    DemoClient("Elm Street Accounting", 22, "finance", 6, ((QUICK, 9, 0), (QUICK, 2, 1))),
    DemoClient("Fjord Engineering", 210, "manufacturing", 12, ((QUICK, 10, 0), (FULL, 3, 1))),
    DemoClient("Granite Title & Escrow", 64, "finance", 3, ((FULL, 7, 0), (FULL, 4, 1))),
    DemoClient("Harbor Point Clinic", 95, "healthcare", 6, ((FULL, 6, 0), (FULL, 1, 1))),
    DemoClient("Ironwood Legal", 57, "professional_services", 12, ((FULL, 5, 0),), start=2.0),
    DemoClient("Juniper Schools Trust", 180, "education", 12, ((FULL, 12, 0), (FULL, 1, 0))),
    DemoClient(
        "Kestrel Software", 120, "technology", 6, ((FULL, 8, 0), (FULL, 1, -1)), areas=2, start=2.6
    ),
    DemoClient("Lakeside Nonprofit Alliance", 35, "nonprofit", 12, ()),
    DemoClient("Maple Credit Union", 150, "finance", 12, (), start=2.0),
)


def _profile(client: DemoClient) -> dict:
    return {
        "employees": client.employees,
        "industry": client.industry,
        "regulations": [],
        "sensitive_data": ["pii"],
        "it_staff": max(1, client.employees // 40),
        "security_staff": 0,
        "security_leader": "vciso",
        "incidents_24m": 0,
        "customer_demands": client.employees > 50,
    }


def create_adviser_demo(seed: int = 15) -> DemoLogin:
    """Create (or re-create) the adviser and their demo clients; the adviser also audits the
    demo organization when it exists. Returns the adviser's sign-in. Flushes; the caller
    commits."""
    rng = random.Random(seed)  # noqa: S311 (demo data, not secrets)
    adviser, password = _user(ADVISER)
    for old in db.session.scalars(select(Organization).where(Organization.name.endswith(SUFFIX))):
        db.session.delete(old)
    db.session.flush()
    now = utcnow()
    full = get_questionnaire(FULL)
    for client in CLIENTS:
        org = organizations.create_organization(adviser, client.name + SUFFIX, _profile(client))
        organizations.update_settings(org, client.cadence, True)
        base = {qid: max(0, min(4, round(rng.gauss(client.start, 0.7)))) for qid in full.questions}
        moved_areas = [a.id for a in full.areas][: client.areas] if client.areas else None
        level = dict(base)
        for questionnaire_id, months_ago, step in client.rounds:
            for qid in level:
                area = full.area_of[qid].id
                if step and (moved_areas is None or area in moved_areas) and rng.random() < 0.8:
                    level[qid] = max(0, min(5, level[qid] + step))
            assessment = assessments.start_assessment(org, adviser, questionnaire_id)
            asked = get_questionnaire(questionnaire_id).questions
            answers.save_answers(assessment, adviser, {q: level[q] for q in asked if q in level})
            assessments.submit(assessment, adviser)
            when = now - timedelta(days=round(30.4 * months_ago))
            assessment.created_at = assessment.updated_at = assessment.submitted_at = when
            for row in assessment.answers:
                row.updated_at = when - timedelta(hours=1)
            db.session.execute(
                update(AnswerChange)
                .where(AnswerChange.assessment_id == assessment.id)
                .values(changed_at=when - timedelta(hours=1))
            )
        if client.name.startswith("Harbor Point"):
            # The adviser checked a few answers: the evidence supports less than claimed.
            for qid in list(asked)[:6]:
                claimed = level.get(qid, 0)
                reviews.save_review(
                    assessment, adviser, qid, max(0, claimed - 1), "Evidence shows one level less."
                )
    demo_org = db.session.scalar(select(Organization).where(Organization.name == DEMO_NAME))
    if demo_org is not None:
        organizations.update_settings(demo_org, None, True)
        membership.add_member(demo_org, ADVISER, "auditor")
    db.session.flush()
    return DemoLogin(ADVISER, password, "adviser")
