"""Who may do what: every route of the app's URL map, called as anonymous, a stranger (signed
in, with an organization of their own), and the auditor, contributor and owner of one
organization, and each answer checked against the table below.

The cases are generated from ``app.url_map``: a route added to the app and not to ``TABLE``
fails here, by name, until someone decides who may call it. Page POSTs carry a valid CSRF
token and a minimal valid body, API calls a valid JSON body, so the status code says what
the role may do, not whether the input was valid.

Pages: anonymous is sent to /login. API: anonymous gets 401. A stranger gets 404 for anything
of the organization; a member whose role lacks the right gets 403 (assess.web.access).
"""

from __future__ import annotations

import io
import itertools
import re
import tempfile
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest

from assess.core.questionnaire import get_questionnaire
from assess.records import assessments, credentials, evidence, membership, plan, reviews
from assess.records.database import db
from tests.factories import PASSWORD, PROFILE, Factory, csrf_token, login_as

QUICK = "ciso-nine-areas-quick"
ROLES = ("anonymous", "stranger", "auditor", "contributor", "owner")

#: The answer is a redirect to the sign-in page (a page, for anonymous).
LOGIN = "login"
#: Any 2xx or 3xx answer.
OK = "ok"


def _url_map_rules() -> list[tuple[str, str, str]]:
    """(endpoint, method, rule) for every route of a freshly built app (at collection)."""
    from assess import create_app

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/rules.db",
                "INSTANCE_PATH": tmp,
                "SECRET_KEY": "rules",
            }
        )
        rules = [
            (rule.endpoint, method, rule.rule)
            for rule in app.url_map.iter_rules()
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
        ]
    return sorted(rules, key=lambda r: (r[2], r[1]))


RULES = _url_map_rules()


# --------------------------------------------------------------------------- the table


@dataclass(frozen=True)
class Case:
    """Expected answers, by role, and what to send.

    ``on``: which assessment an assessment route is called on ("both" for reads).
    ``form`` / ``json``: the body, from a function of the world and the signed-in role.
    ``query``: extra query parameters, from a function of the world.
    ``files``: an API call's multipart body (a file upload), from a function of the world.
    """

    codes: dict[str, int | str]
    on: str = "both"
    form: Any = None
    json: Any = None
    files: Any = None
    query: Any = None
    extra: dict[str, Any] = field(default_factory=dict)


def codes(anonymous, stranger, auditor, contributor, owner) -> dict[str, int | str]:
    return dict(zip(ROLES, (anonymous, stranger, auditor, contributor, owner), strict=True))


#: Everyone, signed in or not, gets the same.
def everyone(code):
    return codes(code, code, code, code, code)


#: A page of the organization that every member may read.
ORG_PAGE = codes(LOGIN, 404, 200, 200, 200)
#: An API resource of the organization that every member may read.
ORG_API = codes(401, 404, 200, 200, 200)


def compare_query(w):
    return {"from": w.submitted.id, "to": w.draft.id}


def profile_form(w, role):
    data = {
        "name": "Harbor Dental",
        "employees": "60",
        "industry": "healthcare",
        "regulations": ["hipaa"],
        "sensitive_data": ["phi"],
        "it_staff": "2",
        "security_staff": "0",
        "security_leader": "it_manager",
        "incidents_24m": "0",
    }
    return data


def first_answer_form(w, role):
    return {"q-1": "3", "q-1-base": "1", "q-1-note": "Written down.", "action": "review"}


def review_form(w, role):
    return {f"v-{w.q1}": "2", f"c-{w.q1}": "Seen the policy."}


def member_form(w, role):
    return {"m-email": w.newcomer.email, "m-role": "contributor", "m-submit": "Add member"}


def register_form(w, role):
    email = f"new-{w.tag}@example.com"
    return {"email": email, "password": PASSWORD, "confirm": PASSWORD}


def login_form(w, role):
    return {"email": w.users["owner"].email, "password": PASSWORD}


def nothing(w, role):
    return {}


def password_change_form(w, role):
    return {
        "p-current_password": PASSWORD,
        "p-new_password": NEW_PASSWORD,
        "p-confirm": NEW_PASSWORD,
    }


def reset_form(w, role):
    return {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}


NEW_PASSWORD = "a brand new passphrase"


def action_form(w, role):
    return {"title": "Turn on MFA for email", "status": "in_progress", "owner_name": "IT"}


def pdf_upload():
    """A file field's value: a small PDF (evidence is accepted by its content)."""
    return (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "policy.pdf")


TABLE: dict[tuple[str, str], Case] = {
    # ---------------------------------------------------------------- public pages
    ("pages.home", "GET"): Case(everyone(200)),
    ("pages.healthz", "GET"): Case(everyone(200)),
    ("pages.plotly_js", "GET"): Case(everyone(200)),
    ("static", "GET"): Case(everyone(200)),
    ("auth.login", "GET"): Case(codes(200, 302, 302, 302, 302)),
    ("auth.login", "POST"): Case(everyone(302), form=login_form),
    ("auth.register", "GET"): Case(codes(200, 302, 302, 302, 302)),
    ("auth.register", "POST"): Case(everyone(302), form=register_form),
    ("auth.logout", "POST"): Case(codes(LOGIN, 302, 302, 302, 302), form=nothing),
    # The second step of a sign-in: without a password that passed, back to /login.
    ("auth.login_mfa", "GET"): Case(codes(LOGIN, 302, 302, 302, 302)),
    ("auth.login_mfa", "POST"): Case(
        codes(LOGIN, 302, 302, 302, 302), form=lambda w, r: {"code": "123456"}
    ),
    # Without ASSESS_SMTP_URL the page points to `assess users reset-link`; nothing to post.
    ("recovery.forgot_password", "GET"): Case(everyone(200)),
    ("recovery.forgot_password", "POST"): Case(
        everyone(404), form=lambda w, r: {"email": w.users["owner"].email}
    ),
    # A reset link is a capability, like an invitation.
    ("recovery.reset_password", "GET"): Case(everyone(200)),
    # Success sends everyone to sign in with the new password (tests/web/test_accounts.py).
    ("recovery.reset_password", "POST"): Case(everyone(LOGIN), form=reset_form),
    # ---------------------------------------------------------------- one's own account
    ("account.show", "GET"): Case(codes(LOGIN, 200, 200, 200, 200)),
    ("account.change_password", "POST"): Case(
        codes(LOGIN, 302, 302, 302, 302), form=password_change_form
    ),
    ("account.mfa_page", "GET"): Case(codes(LOGIN, 200, 200, 200, 200)),
    ("account.start_mfa", "POST"): Case(codes(LOGIN, 302, 302, 302, 302), form=nothing),
    # Nothing set up to confirm or turn off: back to the account page.
    ("account.confirm_mfa", "POST"): Case(
        codes(LOGIN, 302, 302, 302, 302), form=lambda w, r: {"c-code": "123456"}
    ),
    ("account.disable_mfa", "POST"): Case(
        codes(LOGIN, 302, 302, 302, 302),
        form=lambda w, r: {"d-password": PASSWORD, "d-code": "123456"},
    ),
    ("account.org_security", "GET"): Case(codes(LOGIN, 404, 403, 403, 200)),
    ("account.org_security", "POST"): Case(codes(LOGIN, 404, 403, 403, 302), form=nothing),
    # ---------------------------------------------------------------- organizations
    ("orgs.new", "GET"): Case(codes(LOGIN, 200, 200, 200, 200)),
    ("orgs.new", "POST"): Case(codes(LOGIN, 302, 302, 302, 302), form=profile_form),
    ("orgs.show", "GET"): Case(ORG_PAGE),
    ("orgs.edit", "GET"): Case(codes(LOGIN, 404, 403, 403, 200)),
    ("orgs.edit", "POST"): Case(codes(LOGIN, 404, 403, 403, 302), form=profile_form),
    ("orgs.start", "POST"): Case(
        codes(LOGIN, 404, 403, 302, 302), form=lambda w, r: {"questionnaire": QUICK}
    ),
    # Drafts only; a submitted assessment is a record (409).
    ("orgs.delete_assessment", "POST"): Case(
        codes(LOGIN, 404, 403, 403, 302), on="draft", form=nothing
    ),
    # ---------------------------------------------------------------- survey and results
    ("survey.page", "GET"): Case(ORG_PAGE),
    ("survey.page", "POST"): Case(
        codes(LOGIN, 404, 403, 302, 302),
        on="draft",
        form=first_answer_form,
        query=lambda w: {"area": w.area1},
    ),
    ("survey.review", "GET"): Case(ORG_PAGE),
    ("survey.submit", "POST"): Case(codes(LOGIN, 404, 403, 302, 302), on="draft", form=nothing),
    ("results.show", "GET"): Case(ORG_PAGE),
    ("results.targets", "POST"): Case(
        codes(LOGIN, 404, 403, 403, 302), on="draft", form=lambda w, r: {"t-1": "4"}
    ),
    # ---------------------------------------------------------------- history, reviews, team
    ("history.show", "GET"): Case(ORG_PAGE),
    ("history.compare", "GET"): Case(ORG_PAGE, query=compare_query),
    ("history.export", "GET"): Case(codes(LOGIN, 404, 200, 403, 200)),
    ("history.copy_last", "POST"): Case(codes(LOGIN, 404, 403, 302, 302), form=nothing),
    # ---------------------------------------------------------------- evidence
    # Every member may attach evidence, to a draft or a submitted assessment; owners and
    # contributors remove it from a draft (a submitted one keeps it: 409, tests/web/test_evidence).
    ("evidence.add", "POST"): Case(
        codes(LOGIN, 404, 302, 302, 302), form=lambda w, r: {"file": pdf_upload(), "back": "survey"}
    ),
    ("evidence.get", "GET"): Case(ORG_PAGE),
    ("evidence.delete", "POST"): Case(codes(LOGIN, 404, 403, 302, 302), form=nothing),
    # Only auditors verify, only owners reply, only auditors sign off.
    ("reviews.show", "GET"): Case(ORG_PAGE),
    ("reviews.show", "POST"): Case(
        codes(LOGIN, 404, 302, 403, 403),
        on="submitted",
        form=review_form,
        query=lambda w: {"area": w.area1},
    ),
    ("reviews.reply", "POST"): Case(
        codes(LOGIN, 404, 403, 403, 302), on="submitted", form=lambda w, r: {"comment": "Done."}
    ),
    ("reviews.attest", "POST"): Case(
        codes(LOGIN, 404, 302, 403, 403),
        on="submitted",
        form=lambda w, r: {"statement": "I reviewed it."},
    ),
    ("team.members", "GET"): Case(ORG_PAGE),
    ("team.members", "POST"): Case(codes(LOGIN, 404, 403, 403, 302), form=member_form),
    # Called on the contributor: an owner removes them, they may leave (remove themselves).
    ("team.remove_member", "POST"): Case(codes(LOGIN, 404, 403, 302, 302), form=nothing),
    ("team.revoke_invitation", "POST"): Case(codes(LOGIN, 404, 403, 403, 302), form=nothing),
    # An invitation link is a capability: whoever is signed in and holds it may join.
    ("team.accept_invitation", "GET"): Case(codes(LOGIN, 200, 200, 200, 200)),
    ("team.accept_invitation", "POST"): Case(codes(LOGIN, 302, 302, 302, 302), form=nothing),
    # ---------------------------------------------------------------- the action plan (pages)
    ("plan.show", "GET"): Case(ORG_PAGE),
    ("plan.add", "POST"): Case(codes(LOGIN, 404, 403, 302, 302), form=action_form),
    ("plan.item", "GET"): Case(ORG_PAGE),
    ("plan.edit", "POST"): Case(codes(LOGIN, 404, 403, 302, 302), form=action_form),
    # Auditors read the plan and comment on it; they do not edit it.
    ("plan.comment", "POST"): Case(
        codes(LOGIN, 404, 302, 302, 302), form=lambda w, r: {"text": "Seen the settings."}
    ),
    ("plan.close", "POST"): Case(codes(LOGIN, 404, 403, 302, 302), form=nothing),
    # Evidence on a plan item: every member attaches (as on answers); removing it is the
    # evidence routes' (owners and contributors, while the item is open: tests/web/
    # test_evidence_actions.py).
    ("plan.add_evidence", "POST"): Case(
        codes(LOGIN, 404, 302, 302, 302), form=lambda w, r: {"evidence-file": pdf_upload()}
    ),
    ("plan.from_roadmap", "POST"): Case(codes(LOGIN, 404, 403, 302, 302), form=nothing),
    ("plan.download", "GET"): Case(ORG_PAGE),
    # ---------------------------------------------------------------- downloads (pages)
    ("downloads.assessment_chart", "GET"): Case(ORG_PAGE),
    ("downloads.trend_chart", "GET"): Case(ORG_PAGE),
    ("downloads.comparison_chart", "GET"): Case(ORG_PAGE, query=compare_query),
    ("downloads.assessment_report_pdf", "GET"): Case(ORG_PAGE),
    ("downloads.assessment_csf_csv", "GET"): Case(ORG_PAGE),
    ("downloads.organization_report_pdf", "GET"): Case(ORG_PAGE),
    # ---------------------------------------------------------------- the portfolio
    # Everyone signed in has a portfolio: the organizations they belong to (none is empty).
    ("portfolio.show", "GET"): Case(codes(LOGIN, 200, 200, 200, 200)),
    ("portfolio.xlsx", "GET"): Case(codes(LOGIN, 200, 200, 200, 200)),
    ("portfolio.portfolio_chart", "GET"): Case(codes(LOGIN, 200, 200, 200, 200)),
    # ---------------------------------------------------------------- the API
    ("api.openapi_document", "GET"): Case(everyone(200)),
    ("api.questionnaires", "GET"): Case(codes(401, 200, 200, 200, 200)),
    ("api.questionnaire", "GET"): Case(codes(401, 200, 200, 200, 200)),
    ("api.organizations", "GET"): Case(codes(401, 200, 200, 200, 200)),
    ("api.create_organization", "POST"): Case(
        codes(401, 201, 201, 201, 201), json=lambda w, r: {"name": "New Co", "profile": PROFILE}
    ),
    ("api.organization", "GET"): Case(ORG_API),
    ("api.update_organization", "PATCH"): Case(
        codes(401, 404, 403, 403, 200), json=lambda w, r: {"name": "Renamed"}
    ),
    ("api.assessments", "GET"): Case(ORG_API),
    ("api.start_assessment", "POST"): Case(
        codes(401, 404, 403, 201, 201), json=lambda w, r: {"questionnaire": QUICK}
    ),
    ("api.assessment", "GET"): Case(ORG_API),
    ("api.delete_assessment", "DELETE"): Case(codes(401, 404, 403, 403, 204), on="draft"),
    ("api.save_answers", "PATCH"): Case(
        codes(401, 404, 403, 200, 200), on="draft", json=lambda w, r: {"answers": {w.q1: 3}}
    ),
    # Targets are the owner's decision, on the results page and in the API alike.
    ("api.set_targets", "PATCH"): Case(
        codes(401, 404, 403, 403, 200), on="draft", json=lambda w, r: {"targets": {w.area1: 4}}
    ),
    ("api.set_targets", "PUT"): Case(
        codes(401, 404, 403, 403, 200), on="draft", json=lambda w, r: {"targets": {w.area1: 4}}
    ),
    ("api.results", "GET"): Case(ORG_API),
    ("api.reviews", "GET"): Case(ORG_API),
    ("api.add_review", "POST"): Case(
        codes(401, 404, 201, 403, 403),
        on="submitted",
        json=lambda w, r: {"question_id": w.q1, "verified_level": 2, "comment": "Seen."},
    ),
    ("api.reply_to_review", "POST"): Case(
        codes(401, 404, 403, 403, 201), on="submitted", json=lambda w, r: {"comment": "Done."}
    ),
    ("api.attestation", "GET"): Case(ORG_API),
    ("api.attest", "POST"): Case(
        codes(401, 404, 201, 403, 403),
        on="submitted",
        json=lambda w, r: {"statement": "I reviewed it."},
    ),
    ("api.changes", "GET"): Case(ORG_API),
    ("api.answer_evidence", "GET"): Case(ORG_API),
    ("api.add_evidence", "POST"): Case(
        codes(401, 404, 201, 201, 201), files=lambda w, r: {"file": pdf_upload()}
    ),
    ("api.evidence", "GET"): Case(ORG_API),
    ("api.delete_evidence", "DELETE"): Case(codes(401, 404, 403, 204, 204)),
    ("api.submit", "POST"): Case(codes(401, 404, 403, 200, 200), on="draft"),
    ("api.history", "GET"): Case(ORG_API),
    ("api.compare", "GET"): Case(ORG_API, query=compare_query),
    ("api.members", "GET"): Case(ORG_API),
    ("api.add_member", "POST"): Case(
        codes(401, 404, 403, 403, 201),
        json=lambda w, r: {"email": w.newcomer.email, "role": "auditor"},
    ),
    ("api.invite", "POST"): Case(
        codes(401, 404, 403, 403, 201), json=lambda w, r: {"role": "auditor"}
    ),
    # Called on the contributor: an owner removes them, they may leave.
    ("api.remove_member", "DELETE"): Case(codes(401, 404, 403, 204, 204)),
    ("api.invitations", "GET"): Case(codes(401, 404, 403, 403, 200)),
    ("api.revoke_invitation", "DELETE"): Case(codes(401, 404, 403, 403, 204)),
    ("api.export", "GET"): Case(codes(401, 404, 200, 403, 200)),
    ("api.assessment_chart", "GET"): Case(ORG_API),
    ("api.trend_chart", "GET"): Case(ORG_API),
    ("api.assessment_report", "GET"): Case(ORG_API),
    ("api.assessment_csf_csv", "GET"): Case(ORG_API),
    ("api.organization_report", "GET"): Case(ORG_API),
    ("api.start_mfa", "POST"): Case(codes(401, 200, 200, 200, 200)),
    # Nothing proposed yet to confirm.
    ("api.confirm_mfa", "POST"): Case(
        codes(401, 409, 409, 409, 409), json=lambda w, r: {"code": "123456"}
    ),
    ("api.actions", "GET"): Case(ORG_API),
    ("api.create_action", "POST"): Case(
        codes(401, 404, 403, 201, 201), json=lambda w, r: {"title": "Turn on MFA"}
    ),
    ("api.action", "GET"): Case(ORG_API),
    ("api.update_action", "PATCH"): Case(
        codes(401, 404, 403, 200, 200), json=lambda w, r: {"status": "in_progress"}
    ),
    ("api.add_action_comment", "POST"): Case(
        codes(401, 404, 201, 201, 201), json=lambda w, r: {"text": "Seen the settings."}
    ),
    # Every world's assessments have first-90-days steps (and its profile, HIPAA's
    # obligations) that no plan holds yet: the first call creates items.
    ("api.actions_from_roadmap", "POST"): Case(codes(401, 404, 403, 201, 201)),
    ("api.add_action_evidence", "POST"): Case(
        codes(401, 404, 201, 201, 201), files=lambda w, r: {"file": pdf_upload()}
    ),
    ("api.plan_file", "GET"): Case(ORG_API),
    ("api.portfolio", "GET"): Case(codes(401, 200, 200, 200, 200)),
    ("api.portfolio_xlsx", "GET"): Case(codes(401, 200, 200, 200, 200)),
    ("api.portfolio_chart", "GET"): Case(codes(401, 200, 200, 200, 200)),
    ("api.benchmark", "GET"): Case(ORG_API),
}


# --------------------------------------------------------------------------- the world

_tags = itertools.count(1)


@dataclass
class World:
    tag: int
    users: dict[str, Any]
    tokens: dict[str, str]
    newcomer: Any
    org: Any
    submitted: Any
    draft: Any
    invitation: str
    reset: str
    invitation_id: int
    q1: str
    area1: str
    action: Any
    evidence_id: int


def build_world(factory: Factory) -> World:
    """An organization with an owner, a contributor and an auditor, a submitted and a draft
    assessment and an open invitation; a stranger with an organization of their own; and
    someone with an account and no organization (to be added as a member)."""
    tag = next(_tags)
    users = {
        role: factory.user(f"{role}-{tag}@example.com")
        for role in ("owner", "contributor", "auditor", "stranger")
    }
    newcomer = factory.user(f"newcomer-{tag}@example.com")
    org = factory.organization(users["owner"], "Acme Dental")
    factory.member(org, users["contributor"], "contributor")
    factory.member(org, users["auditor"], "auditor")
    factory.organization(users["stranger"], "Stranger Things Ltd")
    questionnaire = get_questionnaire(QUICK)
    q1 = next(iter(questionnaire.questions))
    submitted = factory.assessment(org, users["owner"], QUICK, {q1: 3})
    assessments.submit(submitted, users["owner"])
    db.session.commit()
    # an auditor's review of the first answer, for the owner's reply
    reviews.save_review(submitted, users["auditor"], q1, 3, "Seen the policy.")
    db.session.commit()
    draft = factory.assessment(org, users["owner"], QUICK, {q1: 2})
    invitation = membership.create_invitation(org, users["owner"], "auditor")
    reset = credentials.create_reset(newcomer)
    action = plan.create_action(org, users["owner"], {"title": "Write the incident plan"})
    # A file on the draft: read by every member, removed by owners and contributors.
    item = evidence.add_file(draft, users["owner"], q1, "policy.pdf", b"%PDF-1.4\n", 1024)
    db.session.commit()
    tokens = {role: factory.token(user) for role, user in users.items()}
    return World(
        tag=tag,
        users=users,
        tokens=tokens,
        newcomer=newcomer,
        org=org,
        submitted=submitted,
        draft=draft,
        invitation=invitation,
        reset=reset,
        invitation_id=membership.invitations_of(org)[0].id,
        q1=q1,
        area1=questionnaire.areas[0].id,
        action=action,
        evidence_id=item.id,
    )


PLACEHOLDER = re.compile(r"<(?:[^<>]*:)?(\w+)>")


def build_path(rule: str, w: World, assessment: Any, **overrides: Any) -> str:
    """The rule's path with the world's ids (``overrides`` replace some)."""
    from assess.web.pages import plotly_version

    values = {
        "org_id": w.org.id,
        "assessment_id": assessment.id,
        "action_id": w.action.id,
        "token": w.invitation,
        "reset_token": w.reset,
        "invitation_id": w.invitation_id,
        "user_id": w.users["contributor"].id,
        "name": "scores" if "/portfolio/" in rule else "radar",
        "fmt": "html",  # charts as interactive HTML: no Chromium needed for the matrix
        "version": plotly_version(),
        "filename": "css/app.css",
        "questionnaire_id": QUICK,
        "question_id": w.q1,
        "evidence_id": w.evidence_id,
        **overrides,
    }

    def value(match: re.Match) -> str:
        name = match.group(1)
        assert name in values, f"no value for <{name}> in {rule}: add one to build_path"
        return str(values[name])

    return PLACEHOLDER.sub(value, rule)


def client_for(app, w: World, role: str):
    client = app.test_client()
    if role != "anonymous":
        response = login_as(client, w.users[role].email, PASSWORD)
        assert response.status_code == 302, f"{role} could not sign in"
    return client


def call(app, w: World, role: str, endpoint: str, method: str, rule: str, assessment, case: Case):
    client = client_for(app, w, role)
    path = build_path(rule, w, assessment)
    query = case.query(w) if case.query else None
    kwargs: dict[str, Any] = {"query_string": query}
    if endpoint.startswith("api."):
        if role != "anonymous":
            kwargs["headers"] = {"Authorization": f"Bearer {w.tokens[role]}"}
        if case.json is not None:
            kwargs["json"] = case.json(w, role)
        if case.files is not None:
            kwargs["data"] = case.files(w, role)
            kwargs["content_type"] = "multipart/form-data"
    elif method != "GET":
        # A real token from a page the role can see, under every name a form may use it.
        token = csrf_token(client, "/login" if role == "anonymous" else "/organizations/new")
        data = dict(case.form(w, role) if case.form else {})
        data.update({"csrf_token": token, "m-csrf_token": token, "i-csrf_token": token})
        data.update({f"{prefix}-csrf_token": token for prefix in "pscdo"})  # account forms
        kwargs["data"] = data
    response = client.open(path, method=method, **kwargs)
    response.close()
    return path, response


def matches(expected: int | str, response) -> bool:
    if expected == LOGIN:
        location = urlsplit(response.headers.get("Location", ""))
        return response.status_code == 302 and location.path == "/login"
    if expected == OK:
        return 200 <= response.status_code < 400
    if response.status_code != expected:
        return False
    if expected == 302:  # a signed-in success is not a bounce to the sign-in page
        return urlsplit(response.headers.get("Location", "")).path != "/login" or (
            response.request.path in ("/logout",)
        )
    return True


def rule_id(item: tuple[str, str, str]) -> str:
    _endpoint, method, rule = item
    return f"{method} {PLACEHOLDER.sub(lambda m: '<' + m.group(1) + '>', rule)}"


def with_marks(item: tuple[str, str, str]) -> Any:
    """A PDF report embeds chart images: the owner's 200 needs Chromium."""
    return pytest.param(item, marks=pytest.mark.chromium) if item[2].endswith(".pdf") else item


@pytest.mark.parametrize("item", [with_marks(item) for item in RULES], ids=rule_id)
def test_does_each_role_get_what_the_table_says(app, factory, item):
    endpoint, method, rule = item
    case = TABLE.get((endpoint, method))
    assert case is not None, (
        f"{method} {rule} (endpoint {endpoint!r}) is not in the access table of "
        f"{__name__}: add ({endpoint!r}, {method!r}) to TABLE with the code each role gets"
    )
    assert set(case.codes) == set(ROLES)
    wrong = []
    reading = method == "GET"
    targets = {"draft", "submitted"} if case.on == "both" else {case.on}
    if "<assessment_id>" not in PLACEHOLDER.sub(lambda m: f"<{m.group(1)}>", rule):
        targets = {"submitted"}  # the route has no assessment in it: call it once
    shared = build_world(factory) if reading else None
    for role in ROLES:
        for which in sorted(targets):
            # Reads share one world; every write gets a world of its own, so one role's
            # success does not change what the next role meets.
            w = shared or build_world(factory)
            assessment = w.submitted if which == "submitted" else w.draft
            path, response = call(app, w, role, endpoint, method, rule, assessment, case)
            expected = case.codes[role]
            if not matches(expected, response):
                wrong.append(
                    f"{role:<11} {method} {path} ({which}): expected {expected}, "
                    f"got {response.status_code} {response.headers.get('Location', '')}"
                )
    assert not wrong, "\n".join(wrong)


def test_does_the_table_name_only_routes_that_exist():
    """A stale row would hide a route that was renamed."""
    known = {(endpoint, method) for endpoint, method, _ in RULES}
    assert sorted(set(TABLE) - known) == []


def test_is_every_org_route_closed_to_strangers_and_anonymous():
    """The table itself: nothing of an organization is open to a stranger or to anonymous."""
    for (endpoint, method), case in TABLE.items():
        rules = [r for e, m, r in RULES if (e, m) == (endpoint, method)]
        if not any(name in r for r in rules for name in ("org_id", "assessment_id", "evidence_id")):
            continue
        assert case.codes["stranger"] == 404, (endpoint, method)
        assert case.codes["anonymous"] in (LOGIN, 401), (endpoint, method)
