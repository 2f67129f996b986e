"""A demo organization that shows history at once: three submitted assessments months apart
(a quick one, then two full ones, all on the shipped questionnaires) that improve step by step,
an owner, an auditor and the auditor's reviews."""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update

from assess.core.questionnaire import get_questionnaire
from assess.records import (
    accounts,
    answers,
    assessments,
    membership,
    organizations,
    plan,
    plan_tracking,
    reviews,
)
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
#: (questionnaire, months ago, note on the first answer). All on the shipped questionnaires
#: (2.0), as a new organization would answer them; the quick check's questions are the full
#: one's word for word, so every round compares with the others on the shared questions.
ROUNDS = (
    ("ciso-nine-areas-quick", 11, "First look with the quick check."),
    ("ciso-nine-areas", 6, "Full assessment after the incident response plan was written."),
    ("ciso-nine-areas", 1, "Full assessment a year on."),
)
#: The story the numbers tell, per round (None: the question is not asked that round), with
#: the owner's notes. Every other answer starts near level 1 and rises by chance.
STORY: dict[str, tuple[tuple, tuple[str, ...]]] = {
    "program-oversight.mfa": (
        (1, 2, 3),
        (
            "Codes on the partners' and the payments team's email only.",
            "Every mailbox and the VPN now ask for a code.",
            "Billing system and clearinghouse portal added; IT confirmed its own logins in writing.",
        ),
    ),
    "continuity-recovery.backup-offline-copy": (
        (1, 1, 2),
        (
            "A USB disk the IT manager takes home each month.",
            "Still the monthly USB disk.",
            "Locked cloud copy, a week old at most, with its own sign-in.",
        ),
    ),
    "continuity-recovery.restore-tests": (
        (0, 1, 2),
        (
            "Never tested.",
            "Restored a few files when someone deleted them.",
            "Restored the billing server to a spare machine in October: nine hours.",
        ),
    ),
    "awareness-training.payment-verification": (
        (1, 2, 3),
        (
            "Bank-detail changes get a call back; urgent refunds don't.",
            "The call-back rule now covers refunds and urgent payments.",
            "Written into the finance procedures, with a second approver above $10,000.",
        ),
    ),
    "security-budget.cyber-insurance": (
        (1, 2, 2),
        (
            "A $1M policy; nobody has read the conditions.",
            "The broker listed the limits and the MFA and backup conditions.",
            "",
        ),
    ),
}
#: Chances that an answer is "don't know", by round: fewer as the owner learns the answers.
UNKNOWN = (0.10, 0.05, 0.02)


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


def _demo_plan(org: Organization, owner: User) -> None:
    """The first submission's first 90 days as the plan: the steps a later submission met are
    done; the others have an owner and a due date a month apart, the first of them overdue."""
    first = org.assessments[0]
    submissions = plan_tracking.submissions_of(org.id)
    today = utcnow().date()
    open_items = 0
    for i, item in enumerate(plan.from_roadmap(first, owner)):
        who = {"owner_user_id": owner.id} if i % 2 else {"owner_name": "Your IT provider"}
        if plan_tracking.met_in(item, submissions) is not None:
            plan.update_action(item, owner, {**who, "status": "done"})
            continue
        due = today + timedelta(days=30 * open_items - 10)
        plan.update_action(item, owner, {**who, "due_date": due})
        open_items += 1


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
    # One path per question over the three rounds: a starting level, then steps up (never down).
    full = get_questionnaire(ROUNDS[-1][0])
    path: dict[str, list] = {}
    for qid, question in full.questions.items():
        start = max(0, min(4, round(rng.gauss(1.1, 0.8))))
        second = start + (rng.random() < 0.55)
        third = min(5, second + (rng.random() < 0.7) + (rng.random() < 0.1))
        levels: list = [start, second, third]
        unknown = rng.random()
        for i in range(3):
            if unknown < UNKNOWN[i]:
                levels[i] = "unknown"
        if question.allow_na and rng.random() > 0.85:
            levels = ["na"] * 3
        path[qid] = levels
    for qid, (levels, _notes) in STORY.items():
        path[qid] = list(levels)
    for round_no, (questionnaire_id, months_ago, note) in enumerate(ROUNDS):
        assessment = assessments.start_assessment(org, owner, questionnaire_id)
        questionnaire = questionnaire_for(assessment)
        given: dict = {qid: path[qid][round_no] for qid in questionnaire.questions}
        for qid, (levels, notes) in STORY.items():
            if qid in given and notes[round_no]:
                given[qid] = {"level": levels[round_no], "note": notes[round_no]}
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
            review = reviews.save_review(assessment, auditor, qid, verified, comment)
            review.created_at = review.updated_at = when + timedelta(days=3)
    _demo_plan(org, owner)
    db.session.flush()
    return org, [
        DemoLogin(OWNER, owner_password, "owner"),
        DemoLogin(AUDITOR, auditor_password, "auditor"),
    ]
