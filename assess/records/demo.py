"""A demo organization that shows history at once: three submitted assessments months apart
(a quick one, then two full ones), an owner, an auditor and the auditor's reviews."""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update

from assess.records import accounts, answers, assessments, membership, organizations, reviews
from assess.records.database import db
from assess.records.models import AnswerChange, Organization, User, utcnow
from assess.records.questionnaires import questionnaire_for

OWNER = "owner@demo.example"
AUDITOR = "auditor@demo.example"
NAME = "Harborview Medical Billing (demo)"
PROFILE = {
    "employees": 62,
    "annual_revenue_usd": 11_500_000,
    "industry": "healthcare",
    "regulations": ["hipaa", "pci_dss"],
    "sensitive_data": ["pii", "phi", "payment"],
    "it_staff": 2,
    "security_staff": 0,
    "security_leader": "it_manager",
    "incidents_24m": 1,
    "customer_demands": True,
}
#: (questionnaire, months ago, typical level, notes)
ROUNDS = (
    ("ciso-nine-areas-quick", 11, 1.2, "First look with the quick questionnaire."),
    ("ciso-nine-areas", 6, 1.8, "Full assessment after the incident response plan was written."),
    ("ciso-nine-areas", 1, 2.6, "Full assessment a year on."),
)


@dataclass
class DemoLogin:
    email: str
    password: str
    role: str


def _user(email: str) -> tuple[User, str]:
    password = "demo-" + secrets.token_urlsafe(9)
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = accounts.create_user(email, password)
    else:
        user.password_hash = accounts.hash_password(password)
    return user, password


def create_demo(seed: int = 7) -> tuple[Organization, list[DemoLogin]]:
    """Create (or re-create) the demo organization; return it with fresh sign-ins. It
    flushes; the caller commits."""
    rng = random.Random(seed)  # noqa: S311 (demo data, not secrets)
    owner, owner_password = _user(OWNER)
    auditor, auditor_password = _user(AUDITOR)
    for old in db.session.scalars(select(Organization).where(Organization.name == NAME)):
        db.session.delete(old)
    db.session.flush()
    org = organizations.create_organization(owner, NAME, dict(PROFILE))
    membership.add_member(org, AUDITOR, "auditor")
    now = utcnow()
    for questionnaire_id, months_ago, typical, note in ROUNDS:
        assessment = assessments.start_assessment(org, owner, questionnaire_id)
        questionnaire = questionnaire_for(assessment)
        given: dict = {}
        for qid, question in questionnaire.questions.items():
            roll = rng.random()
            if roll < 0.06:
                given[qid] = "unknown"
            elif question.allow_na and roll > 0.96:
                given[qid] = "na"
            else:
                level = max(0, min(5, round(rng.gauss(typical, 0.9))))
                given[qid] = level
        first = next(iter(questionnaire.questions))
        given[first] = {
            "level": given[first] if isinstance(given[first], int) else 1,
            "note": note,
        }
        answers.save_answers(assessment, owner, given)
        assessments.submit(assessment, owner)
        when = now - timedelta(days=30 * months_ago)
        assessment.created_at = assessment.updated_at = assessment.submitted_at = when
        # The answers were given before the submission, not today.
        for row in assessment.answers:
            row.updated_at = when - timedelta(hours=1)
        db.session.execute(
            update(AnswerChange)
            .where(AnswerChange.assessment_id == assessment.id)
            .values(changed_at=when - timedelta(hours=1))
        )
        for qid in rng.sample(
            sorted(questionnaire.questions), k=min(5, len(questionnaire.questions))
        ):
            answer = answers.answers_of(assessment).get(qid)
            claimed = answer.level if answer and answer.level is not None else 0
            verified = max(0, claimed - rng.choice((0, 1, 1)))
            comment = (
                "Evidence seen matches the answer."
                if verified == claimed
                else "Documents shown support one level less than claimed."
            )
            reviews.save_review(assessment, auditor, qid, verified, comment)
    db.session.flush()
    return org, [
        DemoLogin(OWNER, owner_password, "owner"),
        DemoLogin(AUDITOR, auditor_password, "auditor"),
    ]
