"""In a real browser, at 1280 and 390 px: an auditor works through the full demo assessment
area by area (one Save per area), filters to the answers not reviewed yet, asks for evidence
and signs the assessment off; the owner sees the request, the sign-off and each answer's
history. No page scrolls sideways, and every scrollable region can be reached with the
keyboard (the rule axe calls scrollable-region-focusable)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

#: Elements that scroll but that the keyboard cannot reach: not focusable themselves and
#: without anything focusable inside (axe-core's scrollable-region-focusable, in short).
UNREACHABLE_SCROLLERS = """() => [...document.querySelectorAll('body *')].filter(el => {
  const style = getComputedStyle(el);
  const scrolls = (el.scrollWidth > el.clientWidth + 1 && /(auto|scroll)/.test(style.overflowX))
    || (el.scrollHeight > el.clientHeight + 1 && /(auto|scroll)/.test(style.overflowY));
  if (!scrolls) return false;
  const focusable = 'a[href], button, input, select, textarea, summary, [tabindex]';
  return el.tabIndex < 0 && !el.querySelector(focusable);
}).map(el => el.outerHTML.slice(0, 120))"""


def sign_in(page: Page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def check_layout(page: Page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate(UNREACHABLE_SCROLLERS) == []


@pytest.mark.parametrize("width", [1280, 390])
def test_can_an_auditor_review_area_by_area_and_sign_off(
    page: Page, live_server_app, live_server: str, width: int, tmp_path
):
    from assess.records.database import db
    from assess.records.demo import create_demo
    from assess.records.history import submitted_assessments
    from assess.records.questionnaires import questionnaire_for

    with live_server_app.app_context():
        org, logins = create_demo()
        db.session.commit()
        last = submitted_assessments(org)[-1]
        questionnaire = questionnaire_for(last)
        last_id = last.id
        area = questionnaire.areas[1]
        first = area.questions[0]
        area_id, first_id, first_text = area.id, first.id, first.text
        meaning = first.levels[4]
    login = {x.role: x for x in logins}
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, login["auditor"].email, login["auditor"].password)

    page.goto(f"{live_server}/assessments/{last_id}/reviews?area={area_id}")
    expect(page.locator("form.review-area")).to_have_count(1)
    expect(page.get_by_role("button", name=re.compile("Save the reviews of"))).to_have_count(1)
    expect(page.get_by_text(meaning).first).to_be_visible()  # what level 4 means here
    check_layout(page, width)
    page.screenshot(path=str(tmp_path / f"reviews-{width}.png"), full_page=True)

    block = page.locator(f"section[id='r-{first_id}']")
    block.locator("label", has_text="Request evidence").click()
    block.get_by_label("Comment (evidence seen, or what to show)").fill("Show the signed letter.")
    page.get_by_role("button", name=re.compile("Save the reviews of")).click()
    expect(page.locator(".flash-success")).to_contain_text("1 review recorded")
    expect(block.locator(".current-review")).to_contain_text("Evidence requested")

    page.get_by_role("link", name="Not reviewed yet").click()
    expect(page.get_by_text(first_text, exact=True)).to_have_count(0)
    check_layout(page, width)

    page.locator("#statement").fill("I reviewed this assessment with the owner.")
    page.get_by_role("button", name=re.compile("Sign off")).click()
    expect(page).to_have_url(re.compile(rf"/assessments/{last_id}/results"))
    expect(page.locator("#sign-off")).to_contain_text("I reviewed this assessment with the owner.")
    expect(page.locator("#sign-off")).to_contain_text(login["auditor"].email)

    page.context.clear_cookies()
    sign_in(page, live_server, login["owner"].email, login["owner"].password)
    page.goto(f"{live_server}/assessments/{last_id}/results")
    expect(page.locator("#evidence-requests")).to_contain_text("Show the signed letter.")
    expect(page.locator("#sign-off")).to_contain_text(login["auditor"].email)
    check_layout(page, width)
    page.screenshot(path=str(tmp_path / f"results-{width}.png"), full_page=True)

    page.locator("#evidence-requests a").first.click()
    reply = page.locator(f"section[id='r-{first_id}'] details.reply-form")
    reply.locator("summary").click()
    reply.get_by_label(re.compile("Your reply")).fill("Attached to the binder.")
    reply.get_by_role("button", name="Add reply").click()
    expect(page.locator(f"section[id='r-{first_id}'] .reply")).to_contain_text(
        "Attached to the binder."
    )

    page.goto(f"{live_server}/assessments/{last_id}?area={area_id}")
    history = page.locator(f"details[id='history-{first_id}']")
    history.locator("summary").click()
    expect(history.locator("li").first).to_be_visible()
    expect(page.get_by_text("The auditor asks for evidence.").first).to_be_visible()
    check_layout(page, width)
    page.screenshot(path=str(tmp_path / f"survey-{width}.png"), full_page=True)
