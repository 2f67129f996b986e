"""Every page type (tests/browser/page_types.py) in Chromium at 1280 and 390 px:
axe-core finds no serious or critical violation, nothing is wider than a phone's screen, no
request leaves the app, and no chart offers a link to Plotly's cloud.

axe-core comes from the axe-playwright-python package (its bundled axe.min.js), never a CDN.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from tests.browser.page_types import MORE, PAGES, PageType, World, page_endpoints

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
#: axe-core impacts that fail a page.
FAILING = {"serious", "critical"}
CLOUD = re.compile(r"plot\.ly|chart-studio|plotly\.com", re.IGNORECASE)

AXE = Axe()


def test_does_every_page_route_have_a_page_type(live_server_app):
    """A page added to the app and not to PAGES fails here, by name."""
    missing = page_endpoints(live_server_app) - set(PAGES)
    assert not missing, f"add these page endpoints to tests/browser/page_types.py: {missing}"
    gone = set(PAGES) - page_endpoints(live_server_app)
    assert not gone, f"no longer page routes, remove from PAGES: {gone}"


CASES = [(name, kind) for name in [*PAGES, *MORE] for kind in WIDTHS]


@pytest.mark.parametrize(("name", "width"), CASES, ids=[f"{n}@{w}" for n, w in CASES])
def test_is_the_page_accessible_and_does_it_fit(
    name, width, browser: Browser, live_server: str, world: World, signed_in
):
    kind: PageType = PAGES.get(name) or MORE[name]
    w, h = WIDTHS[width]
    context = browser.new_context(
        viewport={"width": w, "height": h},
        storage_state=signed_in[kind.role] or None,
    )
    page = context.new_page()
    outside: list[str] = []
    host = urlsplit(live_server).netloc

    def watch(request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != host:
            outside.append(request.url)

    page.on("request", watch)
    try:
        response = page.goto(live_server + kind.url(world))
        assert response is not None and response.status == kind.status, response and response.status
        if kind.then:
            kind.then(page)
        check_page(page, name, w)
        assert not outside, f"requests outside the app: {outside}"
    finally:
        context.close()


def check_page(page: Page, name: str, width: int) -> None:
    charts = page.locator(".plot")
    for i in range(charts.count()):
        expect(charts.nth(i).locator(".main-svg").first).to_be_attached(timeout=15_000)
    # No mode bar, so no "Share chart" to Plotly's cloud and no extra Tab stops.
    modebar = page.locator(".modebar-container")
    assert page.locator(".modebar-btn, .modebar a, .modebar button").count() == 0, (
        modebar.first.inner_html()
    )
    html = page.content()
    assert not CLOUD.search(html), CLOUD.search(html)
    for tag, attr in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src")):
        for url in page.eval_on_selector_all(f"{tag}[{attr}]", f"els => els.map(e => e.{attr})"):
            assert urlsplit(url).netloc == urlsplit(page.url).netloc, (tag, url)

    overflow = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert overflow[0] <= overflow[1], f"{name} is {overflow[0]} px wide at {overflow[1]} px"

    results = AXE.run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in FAILING]
    assert not bad, "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(str(n["target"]) for n in v["nodes"][:5])
        for v in bad
    )
