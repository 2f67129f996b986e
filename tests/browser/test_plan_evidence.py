"""In a real browser, at desk and phone width: a contributor attaches a signed PDF and a link
to an item of the action plan, downloads the file, is told plainly when they sent nothing,
and removes the link again while the item is open."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

PASSWORD = "a long pass phrase for tests"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SHOTS = "/tmp/assess-evidence-shots"


def seed(app, width: int) -> tuple[int, str]:
    """An owner, a contributor, an organization and one item of its plan."""
    from assess.records import plan
    from assess.records.accounts import create_user
    from assess.records.database import db
    from assess.records.models import Membership
    from assess.records.organizations import create_organization
    from tests.factories import PROFILE

    with app.app_context():
        owner = create_user(f"item.owner.{width}@example.com", PASSWORD)
        helper = create_user(f"item.helper.{width}@example.com", PASSWORD)
        org = create_organization(owner, f"Harbor Optics {width}", dict(PROFILE))
        db.session.add(Membership(user_id=helper.id, organization_id=org.id, role="contributor"))
        item = plan.create_action(org, owner, {"title": "Sign the incident response plan"})
        db.session.commit()
        return item.id, helper.email


@pytest.mark.parametrize("width", [1280, 390])
def test_can_a_contributor_attach_evidence_to_a_plan_item(
    page: Page, live_server_app, live_server: str, width: int
):
    item_id, helper = seed(live_server_app, width)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server}/login")
    page.get_by_label("Email").fill(helper)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.goto(f"{live_server}/actions/{item_id}")
    section = page.locator("#evidence")
    expect(section).to_contain_text("No evidence attached yet")

    # Nothing chosen: the form says so on its field, and nothing is attached.
    section.get_by_role("button", name="Attach").click()
    expect(page.locator("#evidence-file-error")).to_have_text("Choose a file, or give a link.")
    expect(page.locator("#evidence-file")).to_have_attribute("aria-invalid", "true")

    page.locator("#evidence").get_by_label("File").set_input_files(
        {"name": "signed-ir-plan.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.locator("#evidence").get_by_role("button", name="Attach").click()
    expect(page).to_have_url(re.compile(rf"/actions/{item_id}#evidence$"))
    expect(page.get_by_text("Attached signed-ir-plan.pdf.")).to_be_visible()
    section = page.locator("#evidence")
    link = section.get_by_role("link", name="signed-ir-plan.pdf")
    expect(link).to_be_visible()
    expect(section).to_contain_text(f"added by {helper}")

    with page.expect_download() as info:
        link.click()
    assert info.value.suggested_filename == "signed-ir-plan.pdf"
    assert Path(info.value.path()).read_bytes() == PDF

    section.get_by_label("…or a link").fill("https://wiki.example.com/ir")
    section.get_by_label("Title of the link").fill("Incident plan on the wiki")
    section.get_by_role("button", name="Attach").click()
    section = page.locator("#evidence")
    expect(section.get_by_role("link", name="Incident plan on the wiki")).to_be_visible()
    expect(section.locator("h2")).to_have_text("Evidence (2)")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    section.scroll_into_view_if_needed()
    page.screenshot(path=f"{SHOTS}/plan-item-{width}.png", full_page=True)

    # Open: the link can be removed again, after a confirmation.
    page.once("dialog", lambda dialog: dialog.accept())
    section.get_by_role("button", name="Remove Incident plan on the wiki").click()
    expect(page.get_by_text("Removed Incident plan on the wiki.")).to_be_visible()
    expect(page.locator("#evidence h2")).to_have_text("Evidence (1)")
