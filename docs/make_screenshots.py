"""Regenerate the README's pictures: `.venv/bin/python docs/make_screenshots.py`.

Serves the demo on loopback, drives Debian's Chromium with Playwright, and turns the first
page of the PDF report into a PNG with pdftoppm.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def main() -> None:
    from assess import create_app
    from assess.records import assessments, history
    from assess.records.database import db, init_db
    from assess.records.demo import create_demo
    from assess.records.demo_portfolio import create_adviser_demo

    base = Path(tempfile.mkdtemp())
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{base / 'demo.db'}",
            "INSTANCE_PATH": str(base),
            "SECRET_KEY": "screenshots",
        }
    )
    with app.app_context():
        init_db()
        org, logins = create_demo()
        first, *_, last = history.submitted_assessments(org)
        owner_user = last.submitted_by
        draft = assessments.copy_assessment(last, owner_user)  # a draft shows the choices
        adviser = create_adviser_demo()
        db.session.commit()
        ids = org.id, first.id, last.id, draft.id
    owner = next(login for login in logins if login.role == "owner")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}"
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.goto(f"{url}/login")
        page.get_by_label("Email").fill(owner.email)
        page.get_by_label("Password").fill(owner.password)
        page.get_by_role("button", name="Sign in").click()
        org_id, first_id, last_id, draft_id = ids
        page.goto(f"{url}/assessments/{last_id}/results")
        page.locator("#radar .main-svg").first.wait_for(state="attached")
        page.wait_for_timeout(500)
        page.screenshot(
            path=str(OUT / "results.png"),
            full_page=True,
            clip={"x": 0, "y": 0, "width": 1200, "height": 1500},
        )
        page.goto(f"{url}/assessments/{draft_id}?area=incident-response")
        page.screenshot(
            path=str(OUT / "survey.png"),
            full_page=True,
            clip={"x": 0, "y": 0, "width": 1200, "height": 1100},
        )
        page.goto(f"{url}/organizations/{org_id}/compare?from={first_id}&to={last_id}")
        page.locator("#compare-radar .main-svg").first.wait_for(state="attached")
        page.wait_for_timeout(500)
        page.screenshot(
            path=str(OUT / "compare.png"),
            full_page=True,
            clip={"x": 0, "y": 0, "width": 1200, "height": 1300},
        )
        page.goto(f"{url}/organizations/{org_id}/plan")
        page.screenshot(
            path=str(OUT / "plan.png"),
            full_page=True,
            clip={"x": 0, "y": 0, "width": 1200, "height": 1100},
        )
        pdf = page.request.get(f"{url}/assessments/{last_id}/report.pdf").body()
        page.context.clear_cookies()
        page.goto(f"{url}/login")
        page.get_by_label("Email").fill(adviser.email)
        page.get_by_label("Password").fill(adviser.password)
        page.get_by_role("button", name="Sign in").click()
        page.goto(f"{url}/portfolio")
        page.locator(".js-plotly-plot .main-svg").first.wait_for(state="attached")
        page.wait_for_timeout(500)
        page.screenshot(
            path=str(OUT / "portfolio.png"),
            full_page=True,
            clip={"x": 0, "y": 0, "width": 1200, "height": 1400},
        )
        browser.close()
    (base / "report.pdf").write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "70",
            "-f",
            "1",
            "-l",
            "2",
            str(base / "report.pdf"),
            str(OUT / "report-page"),
        ],
        check=True,
    )
    server.shutdown()
    print("wrote", *sorted(p.name for p in OUT.iterdir()))


if __name__ == "__main__":
    main()
