"""Every page type of the app, in one place, for the browser checks (axe-core, phone width,
nothing loaded from elsewhere): ``PAGES`` maps each page endpoint to how its URL is built and
who looks at it.

**Adding a page**: a GET route that is not the API's (``api.*``) nor a file download
(``downloads.*``) is a page, and ``test_does_every_page_route_have_a_page_type`` fails until
its endpoint is in ``PAGES`` (say how to build its URL from the :class:`World`; add what the
page needs to the world in ``tests/browser/test_pages_in_browser.py``), or in ``NOT_PAGES``
when it answers with something other than a page. ``MORE`` holds states of a page worth
their own check (an error page, a page after a form was sent).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from playwright.sync_api import Page


@dataclass
class World:
    """What the pages are looked at with: the demo organization (three submitted
    assessments, an owner and an auditor with reviews), a draft, an invitation."""

    org_id: int
    first_id: int
    last_id: int
    draft_id: int
    draft_area: str
    invitation: str
    logins: dict[str, tuple[str, str]] = field(default_factory=dict)  # role -> (email, password)
    extra: dict[str, Any] = field(default_factory=dict)  # for pages added later


@dataclass(frozen=True)
class PageType:
    """``url``: the path from the world. ``role``: who signs in (``anonymous``, ``owner``,
    ``auditor``). ``status``: the answer expected. ``then``: what to do on the page before it
    is checked (send a form, say)."""

    url: Callable[[World], str]
    role: str = "owner"
    status: int = 200
    then: Callable[[Page], None] | None = None


def _send_invitation(page: Page) -> None:
    page.locator("form:has(select[name='i-role']) [type=submit]").click()
    page.locator("code.invitation-link").wait_for()


def _save_answers_with_errors(page: Page) -> None:
    """ "Save and next" with an answer that is not one of the choices (as a tampered form
    would send) and a note over 4,000 characters: the page comes back (422) with the radio
    group and the note marked aria-invalid and tied to their messages."""
    page.evaluate("document.querySelector('fieldset.answer input[type=radio]').value = 'seven'")
    page.locator("fieldset.answer input[type=radio]").first.check()
    page.locator("form.survey textarea").nth(1).fill("x" * 4001)
    page.locator("form.survey .actions button[type=submit]").first.click()
    page.locator(".alert-error").wait_for()
    assert page.locator("input[type=radio][aria-invalid=true]").count() >= 6
    assert page.locator("textarea[aria-invalid=true]").count() == 1


def _attach_nothing(page: Page) -> None:
    page.locator("#evidence-submit").click()
    page.locator("#evidence-file-error").wait_for()


#: endpoint -> how to look at it. Keep in step with app.url_map (a test checks it).
PAGES: dict[str, PageType] = {
    "pages.home": PageType(lambda w: "/"),
    "auth.login": PageType(lambda w: "/login", role="anonymous"),
    "auth.register": PageType(lambda w: "/register", role="anonymous"),
    "orgs.new": PageType(lambda w: "/organizations/new"),
    "orgs.show": PageType(lambda w: f"/organizations/{w.org_id}"),
    "orgs.edit": PageType(lambda w: f"/organizations/{w.org_id}/edit"),
    "survey.page": PageType(lambda w: f"/assessments/{w.draft_id}?area={w.draft_area}"),
    "survey.review": PageType(lambda w: f"/assessments/{w.draft_id}/review"),
    "results.show": PageType(lambda w: f"/assessments/{w.last_id}/results"),
    "history.show": PageType(lambda w: f"/organizations/{w.org_id}/history"),
    "history.compare": PageType(
        lambda w: f"/organizations/{w.org_id}/compare?from={w.first_id}&to={w.last_id}"
    ),
    "reviews.show": PageType(lambda w: f"/assessments/{w.last_id}/reviews", role="auditor"),
    "team.members": PageType(lambda w: f"/organizations/{w.org_id}/members"),
    "team.accept_invitation": PageType(lambda w: f"/invitations/{w.invitation}", role="auditor"),
    "account.show": PageType(lambda w: "/account"),
    "account.mfa_page": PageType(lambda w: "/account/mfa"),
    "account.org_security": PageType(lambda w: f"/organizations/{w.org_id}/security"),
    "recovery.forgot_password": PageType(lambda w: "/login/forgot", role="anonymous"),
    "recovery.reset_password": PageType(lambda w: f"/reset/{w.extra['reset']}", role="anonymous"),
    # Without a password just given, the second step sends you to sign in; the step itself
    # is driven end to end (with a pyotp code) in tests/browser/test_accounts.py.
    "auth.login_mfa": PageType(lambda w: "/login/mfa", role="anonymous"),
    "plan.show": PageType(lambda w: f"/organizations/{w.org_id}/plan"),
    "plan.item": PageType(lambda w: f"/actions/{w.extra['action']}"),
    "portfolio.show": PageType(lambda w: "/portfolio"),
}

#: More states of pages, each checked like a page type.
MORE: dict[str, PageType] = {
    "home, signed out": PageType(lambda w: "/", role="anonymous"),
    "members, with a new invitation link": PageType(
        lambda w: f"/organizations/{w.org_id}/members", then=_send_invitation
    ),
    "survey page, saved with errors": PageType(
        lambda w: f"/assessments/{w.draft_id}?area={w.draft_area}", then=_save_answers_with_errors
    ),
    "action item, as the auditor (may attach, not remove)": PageType(
        lambda w: f"/actions/{w.extra['action']}", role="auditor"
    ),
    "action item, an evidence form sent empty (its error on the field)": PageType(
        lambda w: f"/actions/{w.extra['action']}", then=_attach_nothing
    ),
    "error 404": PageType(lambda w: "/organizations/2147483000", status=404),
    "error 403": PageType(lambda w: f"/organizations/{w.org_id}/edit", role="auditor", status=403),
    "error 404, no such address": PageType(lambda w: "/no/such/page", status=404),
}

#: GET endpoints outside the API and the downloads that answer with no page.
NOT_PAGES = {
    "static",  # the app's CSS, JavaScript and icon
    "pages.plotly_js",  # plotly.js, served by the app
    "pages.healthz",  # a health check for load balancers (JSON)
    "history.export",  # the CSV and XLSX exports (files)
    "plan.download",  # the plan's CSV, XLSX and iCalendar files
    "evidence.get",  # an evidence file, always as an attachment
    "portfolio.xlsx",  # the portfolio as a workbook
    "portfolio.portfolio_chart",  # the portfolio's charts as files
}


def page_endpoints(app: Any) -> set[str]:
    """The endpoints of app.url_map that answer GET with a page."""
    return {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods
        and not rule.endpoint.startswith(("api.", "downloads."))
        and rule.endpoint not in NOT_PAGES
    }
