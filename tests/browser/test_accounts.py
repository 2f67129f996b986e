"""In a real browser, at desktop (1280 px) and phone (390 px) widths: setting up two-step
verification on the account page, then a full sign-in through /login/mfa with a code computed
by pyotp; and every account page fits the width."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from playwright.sync_api import Page, expect

from tests.smtp_server import SmtpServer

PASSWORD = "a long pass phrase for tests"
WIDTHS = [1280, 390]


def fits(page: Page, width: int) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} is {scroll} px wide at {width} px"


def look(page: Page, width: int, name: str, shots) -> None:
    fits(page, width)
    page.screenshot(path=str(shots / f"{name}-{width}.png"), full_page=True)


@pytest.fixture
def shots(tmp_path):
    return tmp_path


@pytest.mark.parametrize("width", WIDTHS)
def test_can_a_user_set_up_two_step_verification_and_sign_in_with_it(
    page: Page, live_server: str, width: int, shots
):
    page.set_viewport_size({"width": width, "height": 900})
    email = f"mfa-{width}@example.com"
    page.goto(f"{live_server}/register")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(re.compile(r"/organizations/new$"))

    page.get_by_role("link", name=email).click()
    expect(page.locator("h1")).to_have_text("Your account")
    look(page, width, "account", shots)
    page.get_by_role("link", name="Set up two-step verification").click()
    page.get_by_role("button", name="Set up two-step verification").click()
    expect(page.locator(".qr svg")).to_be_visible()
    look(page, width, "mfa-setup", shots)
    secret = page.locator("#mfa-secret").inner_text().strip()
    totp = pyotp.TOTP(secret)
    page.get_by_label("Code from the app").fill(totp.at(time.time() - 30))
    page.get_by_role("button", name="Turn on").click()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    look(page, width, "recovery-codes", shots)

    page.get_by_role("button", name="Sign out").click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/login/mfa$"))
    look(page, width, "login-mfa", shots)
    page.goto(f"{live_server}/account")  # not signed in yet
    expect(page).to_have_url(re.compile(r"/login"))
    page.goto(f"{live_server}/login/mfa")
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Verify").click()
    expect(page.locator(".error")).to_contain_text("not right")
    page.get_by_label("Code").fill(totp.at(time.time() + 30))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.goto(f"{live_server}/account")
    expect(page.locator("#mfa-head + p")).to_contain_text("10 of 10 recovery codes left")


@pytest.mark.parametrize("width", WIDTHS)
def test_do_the_reset_forgot_and_security_pages_fit(
    page: Page, live_server_app, live_server: str, width: int, shots
):
    from assess.records import credentials
    from assess.records.accounts import create_user
    from assess.records.database import db
    from assess.records.organizations import create_organization
    from tests.factories import PROFILE

    with live_server_app.app_context():
        user = create_user(f"pages-{width}@example.com", PASSWORD)
        org = create_organization(user, "Harbor Dental", dict(PROFILE))
        raw = credentials.create_reset(user)
        db.session.commit()
        org_id = org.id
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server}/login")
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page.locator("h1")).to_have_text("Forgot your password?")
    look(page, width, "forgot-without-mail", shots)
    with SmtpServer() as smtp:
        live_server_app.config["ASSESS_SMTP_URL"] = smtp.url()
        try:
            page.reload()
            look(page, width, "forgot", shots)
            page.get_by_label("Email").fill(f"pages-{width}@example.com")
            page.get_by_role("button", name="Send me a link").click()
            expect(page.locator(".flash")).to_contain_text("If an account exists")
            mailed = smtp.messages.get(timeout=10).get_content()
        finally:
            live_server_app.config["ASSESS_SMTP_URL"] = ""
    assert f"{live_server}/reset/" in mailed

    page.goto(f"{live_server}/reset/{raw}")
    look(page, width, "reset", shots)
    new = "another long pass phrase"
    page.get_by_label("New password", exact=True).fill(new)
    page.get_by_label("Repeat the new password").fill(new)
    page.get_by_role("button", name="Set the new password").click()
    expect(page).to_have_url(re.compile(r"/login$"))

    page.get_by_label("Email").fill(f"pages-{width}@example.com")
    page.get_by_label("Password").fill(new)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server}/organizations/{org_id}")
    page.get_by_role("link", name="Sign-in security").click()
    expect(page.locator("h1")).to_have_text("Sign-in security")
    look(page, width, "security", shots)
