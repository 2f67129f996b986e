"""In a real browser: the demo adviser's portfolio at desktop width and on a phone."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect


def adviser_signs_in(page: Page, live_server_app, live_server: str) -> None:
    from assess.records.database import db
    from assess.records.demo import create_demo
    from assess.records.demo_portfolio import create_adviser_demo

    with live_server_app.app_context():
        create_demo()
        adviser = create_adviser_demo()
        db.session.commit()
    page.goto(f"{live_server}/login")
    page.get_by_label("Email").fill(adviser.email)
    page.get_by_label("Password").fill(adviser.password)
    page.get_by_role("button", name="Sign in").click()


def test_can_an_adviser_see_sort_and_filter_the_portfolio(
    page: Page, live_server_app, live_server: str
):
    page.set_viewport_size({"width": 1280, "height": 900})
    adviser_signs_in(page, live_server_app, live_server)
    page.get_by_role("link", name=re.compile("Portfolio")).first.click()
    expect(page.locator("h1")).to_have_text("Portfolio")
    rows = page.locator("table.portfolio tbody tr")
    expect(rows).to_have_count(13)
    expect(page.locator("#portfolio-scores .main-svg").first).to_be_attached(timeout=15_000)
    expect(page.locator("#portfolio-areas .main-svg").first).to_be_attached()
    page.locator("table.portfolio thead").get_by_role("link", name="Overall").click()
    expect(page.locator("th[aria-sort=ascending]")).to_contain_text("Overall")
    page.locator(".portfolio-counts").get_by_role("link", name=re.compile("overdue")).click()
    expect(page.locator("table.portfolio tbody .badge-overdue")).to_have_count(rows.count())
    assert rows.count() >= 1
    page.locator(".portfolio-counts").get_by_role("link", name=re.compile("never assessed")).click()
    expect(rows).to_have_count(2)
    page.get_by_label("Search by name").fill("kestrel")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("No organization matches.")).to_be_visible()


def test_is_the_portfolio_readable_on_a_phone_with_the_keyboard(
    page: Page, live_server_app, live_server: str
):
    adviser_signs_in(page, live_server_app, live_server)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server}/portfolio")
    expect(page.locator("table.portfolio tbody tr")).to_have_count(13)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    region = page.locator(".portfolio-wrap")
    expect(region).to_have_attribute("tabindex", "0")
    expect(region).to_have_attribute("role", "region")
    expect(region).to_have_accessible_name(re.compile("Organizations"))
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")  # it scrolls sideways
    region.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    for _ in range(50):  # scrolling is smooth: wait until it moved (the CSP forbids eval)
        if region.evaluate("el => el.scrollLeft") > 0:
            break
        page.wait_for_timeout(100)
    assert region.evaluate("el => el.scrollLeft") > 0
