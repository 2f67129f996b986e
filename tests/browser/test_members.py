"""In a real browser, at desk (1280 px) and phone (390 px) widths: an owner invites someone
with a link (copied with its button, wrapping on a phone), the invitee creates an account and
lands back on the join page, the owner sees the used link, revokes another and removes the
member; the organization page offers a full assessment from the quick check and deletes a
draft; the owner's checklist is "Check before submitting"."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.factories import PASSWORD

WIDTHS = [1280, 390]


def fits(page: Page, width: int) -> None:
    """Nothing wider than the window: no sideways scrolling (the culprits named if any)."""
    wide = page.evaluate(
        """w => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > w + 1)
        .map(e => e.tagName + '.' + e.className).slice(0, 8)""",
        width,
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= width, wide


def sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.fixture
def world(live_server_app, request):
    from assess.records import assessments
    from assess.records.database import db
    from tests.factories import Factory

    width = request.node.callspec.params["width"]
    tag = f"{request.node.originalname[9:20]}-{width}"
    with live_server_app.app_context():
        factory = Factory(live_server_app)
        owner = factory.user(f"owner-{tag}@example.com")
        org = factory.organization(owner, f"Harbor Dental {width}")
        quick = factory.assessment(
            org,
            owner,
            "ciso-nine-areas-quick",
            {
                "program-oversight.accountable-owner": 3,
            },
        )
        assessments.submit(quick, owner)
        db.session.commit()
        return {"owner": owner.email, "org_id": org.id, "name": org.name}


@pytest.mark.parametrize("width", WIDTHS)
def test_can_an_owner_invite_revoke_and_remove_members(
    page: Page, browser: Browser, live_server: str, world, width: int, tmp_path
):
    page.set_viewport_size({"width": width, "height": 900})
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, live_server, world["owner"])
    members = f"{live_server}/organizations/{world['org_id']}/members"
    page.goto(members)
    for _ in range(2):
        page.locator("#i-role").select_option("auditor")
        page.get_by_role("button", name="Create invitation link").click()
    link = page.locator("#new-link")
    expect(link).to_be_visible()
    url = link.inner_text().strip()
    assert "/invitations/" in url
    box = link.bounding_box()
    assert box is not None and box["x"] + box["width"] <= width  # the link wraps
    page.get_by_role("button", name="Copy the link").click()
    expect(page.locator(".copied")).to_have_text("Copied.")
    assert page.evaluate("navigator.clipboard.readText()") == url
    expect(page.locator("table.invitations tbody tr")).to_have_count(2)
    fits(page, width)
    page.screenshot(path=str(tmp_path / f"members-{width}.png"), full_page=True)

    # the invitee, signed out, creates an account and comes back to the join page
    guest = browser.new_context(viewport={"width": width, "height": 900})
    other = guest.new_page()
    other.goto(url)
    expect(other).to_have_url(re.compile(r"/login"))
    expect(other.get_by_text("You were invited to join an organization")).to_be_visible()
    other.get_by_role("link", name="create an account", exact=True).click()
    guest_email = f"guest-{width}@example.com"
    other.get_by_label("Email").fill(guest_email)
    other.get_by_label("Password", exact=True).fill(PASSWORD)
    other.get_by_label("Repeat the password").fill(PASSWORD)
    other.get_by_role("button", name="Create account").click()
    expect(other.locator("h1")).to_have_text(f"Join {world['name']}")
    expect(other.locator("main, body").first).to_contain_text(world["owner"])
    expect(other.locator("main, body").first).to_contain_text("auditor")
    fits(other, width)
    other.screenshot(path=str(tmp_path / f"join-{width}.png"), full_page=True)
    other.get_by_role("button", name=re.compile(r"^Join ")).click()
    expect(other.locator("h1")).to_have_text(world["name"])

    # the owner sees who used the link, revokes the other, removes the new member
    page.goto(members)
    expect(page.locator("table.invitations")).to_contain_text(f"used by {guest_email}")
    page.get_by_role("button", name="Revoke").click()
    expect(page.get_by_text("The invitation link was revoked")).to_be_visible()
    expect(page.get_by_role("button", name="Revoke")).to_have_count(0)
    row = page.locator("table.members tr", has_text=guest_email)
    row.get_by_role("button", name="Remove").click()
    expect(page.get_by_text(f"{guest_email} no longer belongs")).to_be_visible()
    fits(page, width)
    other.goto(f"{live_server}/organizations/{world['org_id']}")
    expect(other.locator("h1")).to_have_text("Page not found")
    guest.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_can_an_owner_start_from_the_quick_check_and_delete_the_draft(
    page: Page, live_server: str, world, width: int, tmp_path
):
    page.set_viewport_size({"width": width, "height": 900})
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, live_server, world["owner"])
    page.goto(f"{live_server}/organizations/{world['org_id']}")
    expect(page.locator("table.assessments")).to_contain_text("Quick check 1")
    fits(page, width)
    page.get_by_role("button", name="Start from Quick check 1").click()
    expect(
        page.get_by_text("Full assessment 1 starts from the answers of Quick check 1")
    ).to_be_visible()
    checked = page.locator("fieldset.answer input[type=radio][value='3']:checked")
    expect(checked).to_have_count(1)
    page.get_by_role("link", name="Check before submitting").click()
    expect(page.locator("h1")).to_have_text("Check before submitting")
    fits(page, width)
    page.screenshot(path=str(tmp_path / f"check-{width}.png"), full_page=True)
    page.goto(f"{live_server}/organizations/{world['org_id']}")
    page.screenshot(path=str(tmp_path / f"org-{width}.png"), full_page=True)
    page.get_by_role("button", name="Delete draft").click()
    expect(page.get_by_text("Full assessment 1 (a draft) was deleted")).to_be_visible()
    expect(page.get_by_role("button", name="Delete draft")).to_have_count(0)
    fits(page, width)
