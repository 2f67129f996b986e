"""In a real browser, at desktop and phone widths: attach a PDF to an answer on the survey
page, see it listed, and download it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_end_to_end import sign_up

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SHOTS = "/tmp/assess-evidence-shots"


@pytest.mark.parametrize("width", [1280, 390])
def test_can_an_owner_attach_a_pdf_see_it_and_download_it(
    page: Page, live_server: str, tmp_path, width: int
):
    page.set_viewport_size({"width": width, "height": 900})
    sign_up(page, live_server, f"evidence.owner.{width}@example.com")
    page.locator("#name").fill("Evidence Clinic")
    page.locator("#employees").fill("30")
    page.locator("#industry").select_option("healthcare")
    page.locator("#security_leader").select_option("none")
    page.locator("form button[type=submit]").last.click()
    page.locator("form:has(input[name=questionnaire][value=ciso-nine-areas-quick]) button").click()
    expect(page.get_by_text(re.compile(r"Area 1 of 9"))).to_be_visible()

    first = page.locator("section.question").first
    expect(first.locator(".evidence")).to_contain_text("No evidence attached yet.")
    first.get_by_text("Attach evidence").click()
    first.get_by_label("File").set_input_files(
        {"name": "signed-policy.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    first.locator(".evidence").screenshot(path=f"{SHOTS}/form-{width}.png")
    first.get_by_role("button", name="Attach").click()

    expect(page.get_by_text("Attached signed-policy.pdf.")).to_be_visible()
    first = page.locator("section.question").first
    link = first.get_by_role("link", name="signed-policy.pdf")
    expect(link).to_be_visible()
    expect(first.locator(".evidence")).to_contain_text("added by evidence.owner")
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == "signed-policy.pdf"
    assert Path(download.path()).read_bytes() == PDF

    first.scroll_into_view_if_needed()
    page.screenshot(path=f"{SHOTS}/survey-{width}.png")
    page.screenshot(path=str(tmp_path / f"survey-{width}.png"))

    # A draft's evidence can be removed, after a confirmation.
    page.once("dialog", lambda dialog: dialog.accept())
    first.get_by_role("button", name="Remove signed-policy.pdf").click()
    expect(page.get_by_text("Removed signed-policy.pdf.")).to_be_visible()
    expect(page.locator("section.question").first.locator(".evidence")).to_contain_text(
        "No evidence attached yet."
    )
