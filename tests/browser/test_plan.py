"""In a real browser, at desk and phone width: an owner turns the first 90 days into a plan
from the results page, gives an action an owner and a date, and sees it overdue in words."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

PASSWORD = "a long pass phrase for tests"
QUICK = "ciso-nine-areas-quick"


def seed(app, width: int) -> tuple[int, int, str]:
    """An owner and a member, an organization, and a submitted quick assessment with gaps."""
    from assess.records import assessments
    from assess.records.accounts import create_user
    from assess.records.answers import save_answers
    from assess.records.database import db
    from assess.records.models import Membership
    from assess.records.organizations import create_organization
    from tests.factories import PROFILE

    with app.app_context():
        owner = create_user(f"plan.owner.{width}@example.com", PASSWORD)
        helper = create_user(f"plan.helper.{width}@example.com", PASSWORD)
        org = create_organization(owner, f"Harbor Dental {width}", dict(PROFILE))
        db.session.add(Membership(user_id=helper.id, organization_id=org.id, role="contributor"))
        first = assessments.start_assessment(org, owner, QUICK)
        save_answers(
            first, owner, {"program-oversight.accountable-owner": 1, "incident-response.plan": 0}
        )
        assessments.submit(first, owner)
        db.session.commit()
        return org.id, first.id, helper.email


@pytest.mark.parametrize("width", [1280, 390])
def test_can_an_owner_turn_the_first_90_days_into_a_plan_with_owners_and_dates(
    page: Page, live_server_app, live_server: str, width: int, tmp_path
):
    org_id, assessment_id, helper = seed(live_server_app, width)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server}/login")
    page.get_by_label("Email").fill(f"plan.owner.{width}@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.goto(f"{live_server}/assessments/{assessment_id}/results")
    expect(page.locator("#plan")).to_contain_text("Action plan: No actions yet")
    page.locator("#plan").screenshot(path=str(tmp_path / f"results-plan-{width}.png"))
    # Click one: the button on the results page. The plan is there.
    page.get_by_role("button", name="Turn the first 90 days into a plan").click()
    expect(page).to_have_url(re.compile(rf"/organizations/{org_id}/plan$"))
    expect(page.locator(".flash, [role=status]").first).to_contain_text("are now actions")
    items = page.locator(".plan-item")
    count = items.count()
    assert count >= 2
    expect(page.locator("#plan-progress")).to_contain_text(f"0 of {count} done, none overdue")
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    # Click two: an action's page, where its owner and date are set.
    first = items.first
    first.get_by_role("link", name=re.compile("Edit, history and comments")).click()
    page.get_by_label("Owner: a member").select_option(label=helper)
    past = (date.today() - timedelta(days=3)).isoformat()
    page.get_by_label("Due date").fill(past)
    page.get_by_role("button", name="Save the action").click()
    expect(page).to_have_url(re.compile(rf"/organizations/{org_id}/plan#a-\d+$"))
    changed = page.locator(".plan-item", has_text=helper)
    expect(changed).to_contain_text(past)
    expect(changed.locator(".badge-overdue")).to_have_text("Overdue")
    expect(page.locator("#plan-progress")).to_contain_text("1 overdue")
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    page.get_by_label("Due", exact=True).select_option("true")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator(".plan-item")).to_have_count(1)
    page.screenshot(path=str(tmp_path / f"plan-{width}.png"), full_page=True)

    page.locator(".plan-item a").first.click()
    history = page.locator(".plan-history")
    expect(history).to_contain_text(helper)
    expect(history).to_contain_text(past)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(tmp_path / f"item-{width}.png"), full_page=True)

    page.goto(f"{live_server}/organizations/{org_id}")
    expect(page.locator(".plan-summary")).to_contain_text(f"0 of {count} done, 1 overdue")
