"""In a real browser (Debian's Chromium through Playwright): a new owner goes from sign-up to
results, and an auditor compares two assessments."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

PASSWORD = "a long pass phrase for tests"


def sign_up(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/register")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()


def test_can_a_new_owner_go_from_sign_up_to_results(page: Page, live_server: str, tmp_path):
    sign_up(page, live_server, "new.owner@example.com")
    expect(page).to_have_url(re.compile(r"/organizations/new$"))

    page.locator("#name").fill("Riverside Dental <Group>")
    page.locator("#employees").fill("45")
    page.locator("#industry").select_option("healthcare")
    page.locator("input[name=regulations][value=hipaa]").check()
    page.locator("input[name=sensitive_data][value=phi]").check()
    page.locator("#it_staff").fill("1")
    page.locator("#security_leader").select_option("it_manager")
    page.locator("#customer_demands").check()
    page.locator("form button[type=submit]").last.click()
    expect(page.locator("h1")).to_have_text("Riverside Dental <Group>")

    page.locator("form:has(input[name=questionnaire][value=ciso-nine-areas-quick]) button").click()
    expect(page.get_by_text(re.compile(r"Area 1 of 9"))).to_be_visible()
    for _ in range(9):
        for group in page.locator("fieldset.answer").all():
            group.locator("input[type=radio][value='2']").check()
        review = page.get_by_role("button", name="Save and review")
        if review.count():
            review.click()
            break
        page.get_by_role("button", name="Save and next").click()
    expect(page).to_have_url(re.compile(r"/review$"))
    page.get_by_role("link", name="See results").first.click()

    expect(page.locator("#radar .main-svg").first).to_be_attached(timeout=15_000)
    expect(page.locator("#gaps .main-svg").first).to_be_attached()
    expect(page.locator(".score-big .value")).to_have_text("2.0")
    expect(page.get_by_text("Full-time CISO or virtual CISO?")).to_be_visible()
    expect(page.locator(".recommendation")).to_contain_text("vCISO")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(tmp_path / "results.png"), full_page=True)


def test_does_a_phone_width_survey_page_fit_and_work_with_the_keyboard(
    page: Page, live_server: str
):
    sign_up(page, live_server, "phone.owner@example.com")
    page.locator("#name").fill("Tiny Shop")
    page.locator("#employees").fill("8")
    page.locator("#industry").select_option("retail")
    page.locator("#security_leader").select_option("none")
    page.locator("form button[type=submit]").last.click()
    page.locator("form:has(input[name=questionnaire][value=ciso-nine-areas-quick]) button").click()
    page.set_viewport_size({"width": 375, "height": 800})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    first = page.locator("fieldset.answer input[type=radio]").first
    first.focus()
    page.keyboard.press("ArrowDown")
    checked = page.locator("fieldset.answer").first.locator("input[type=radio]:checked")
    expect(checked).to_have_count(1)


def test_can_an_auditor_compare_the_first_and_last_demo_assessments(
    page: Page, live_server_app, live_server: str
):
    from assess.records.database import db
    from assess.records.demo import create_demo
    from assess.records.history import submitted_assessments

    with live_server_app.app_context():
        org, logins = create_demo()
        db.session.commit()
        first, *_, last = submitted_assessments(org)
        org_id, first_id, last_id = org.id, first.id, last.id
    auditor = next(login for login in logins if login.role == "auditor")
    page.goto(f"{live_server}/login")
    page.get_by_label("Email").fill(auditor.email)
    page.get_by_label("Password").fill(auditor.password)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server}/organizations/{org_id}/history")
    expect(page.locator("#trend .main-svg").first).to_be_attached(timeout=15_000)
    page.locator("#from").select_option(str(first_id))
    page.locator("#to").select_option(str(last_id))
    page.get_by_role("button", name="Compare").click()
    expect(page.locator("#compare-radar .main-svg").first).to_be_attached(timeout=15_000)
    expect(page.get_by_text("On shared questions only", exact=True)).to_be_visible()
    expect(page.locator(".change").first).to_be_visible()


def test_does_save_and_next_move_the_focus_to_the_new_area_and_announce_it(
    page: Page, live_server: str, world, signed_in, browser
):
    context = browser.new_context(storage_state=signed_in["owner"])
    page = context.new_page()
    page.goto(f"{live_server}/assessments/{world.draft_id}")
    first = page.locator("h1#area-title").inner_text()
    expect(page.locator(".keyboard-help")).to_contain_text("arrow keys")
    for group in page.locator("fieldset.answer").all():
        group.locator("input[type=radio][value='1']").check()
    page.get_by_role("button", name="Save and next").click()
    heading = page.locator("h1#area-title")
    expect(heading).not_to_have_text(first)
    expect(heading).to_be_focused()
    expect(page.locator(".flash-success[role=status]")).to_contain_text(first)
    context.close()
