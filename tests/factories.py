"""Test factories: users, organizations, assessments and tokens, through the real use cases,
and a sign-in that drives the real form with its CSRF token."""

from __future__ import annotations

import re
from typing import Any

from assess.records.accounts import create_token, create_user
from assess.records.answers import save_answers
from assess.records.assessments import start_assessment
from assess.records.database import db
from assess.records.models import Membership
from assess.records.organizations import create_organization

PASSWORD = "correct horse battery"

PROFILE = {
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


class Factory:
    def __init__(self, app) -> None:
        self.app = app
        self.count = 0

    def user(self, email: str | None = None, password: str = PASSWORD):
        self.count += 1
        user = create_user(email or f"user{self.count}@example.com", password)
        db.session.commit()
        return user

    def organization(self, owner, name: str = "Acme Dental", profile: dict[str, Any] | None = None):
        org = create_organization(owner, name, dict(PROFILE if profile is None else profile))
        db.session.commit()
        return org

    def member(self, org, user, role: str):
        db.session.add(Membership(user_id=user.id, organization_id=org.id, role=role))
        db.session.commit()

    def assessment(self, org, user, questionnaire: str = "ciso-nine-areas-quick", answers=None):
        assessment = start_assessment(org, user, questionnaire)
        if answers:
            save_answers(assessment, user, answers)
        db.session.commit()
        return assessment

    def token(self, user) -> str:
        raw = create_token(user)
        db.session.commit()
        return raw

    def team(self) -> tuple[Any, dict[str, Any]]:
        """An organization with a member of each role: its owner (owner@example.com), a
        contributor and an auditor (contributor@, auditor@example.com); people by role."""
        owner = self.user("owner@example.com")
        org = self.organization(owner)
        people = {"owner": owner}
        for role in ("contributor", "auditor"):
            people[role] = self.user(f"{role}@example.com")
            self.member(org, people[role], role)
        return org, people


def bearer(token: str) -> dict[str, str]:
    """The header an API request with this token sends."""
    return {"Authorization": f"Bearer {token}"}


CSRF = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"'
)


def csrf_token(client, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    match = CSRF.search(html)
    assert match, f"no CSRF token on {path}"
    return match.group(1) or match.group(2)


def login_as(client, email: str, password: str = PASSWORD):
    token = csrf_token(client, "/login")
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})
