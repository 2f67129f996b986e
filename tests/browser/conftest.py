"""Browser tests: Playwright driving Debian's Chromium against a live server on loopback.

Browsers are never downloaded (no network here): the session's Chromium is the system one.
Without Chromium the tests are skipped with a hint, except under CI, where that fails.
"""

from __future__ import annotations

import shutil
import threading
import time

import pytest

from tests.conftest import missing_tool

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        missing_tool(
            "Chromium is not installed: `apt-get install chromium` (or run `make test` as root on Debian)"
        )
    return {**browser_type_launch_args, "executable_path": chromium, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def live_server_app(tmp_path_factory):
    """The app for the live server: on a migrated SQLite file, or on the PostgreSQL database
    of the run when ASSESS_TEST_DATABASE_URL is set."""
    from assess import create_app
    from assess.records.database import init_db
    from tests.conftest import KEEP_ENGINE, PG_URL

    base = tmp_path_factory.mktemp("live")
    url = PG_URL or f"sqlite:///{base / 'live.db'}"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "INSTANCE_PATH": str(base),
            "SECRET_KEY": "browser-tests",
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            KEEP_ENGINE: True,
        }
    )
    with app.app_context():
        init_db()
    return app


@pytest.fixture(scope="session")
def live_server(live_server_app):
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, live_server_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    from assess.records.database import db

    with live_server_app.app_context():
        db.session.remove()
        # A request still in flight (Chromium fetching a late resource) holds a connection:
        # let it give it back, so that the dispose closes it rather than leave it open in a
        # pool nobody holds.
        deadline = time.monotonic() + 10
        pool = db.engine.pool
        while getattr(pool, "checkedout", lambda: 0)() and time.monotonic() < deadline:
            time.sleep(0.05)
        db.engine.dispose()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(scope="session")
def world(live_server_app):
    """The world the page types (tests/browser/page_types.py) are looked at in."""
    from assess.core.questionnaire import get_questionnaire
    from assess.records import assessments, credentials, evidence, membership, plan
    from assess.records.database import db
    from assess.records.demo import create_demo
    from assess.records.history import submitted_assessments
    from tests.browser.page_types import World

    with live_server_app.app_context():
        org, logins = create_demo()
        first, *_, last = submitted_assessments(org)
        owner = next(m.user for m in org.memberships if m.role == "owner")
        draft = assessments.start_assessment(org, owner, "ciso-nine-areas-quick")
        token = membership.create_invitation(org, owner, "contributor")
        reset = credentials.create_reset(owner)
        action = plan.create_action(org, owner, {"title": "Write the incident plan"})
        # Evidence on the item: its list has a file (with a Remove button) and a link.
        evidence.add_file_to_action(action, owner, "signed-incident-plan.pdf", PDF, 1024)
        evidence.add_link_to_action(action, owner, "https://wiki.example.com/ir", "IR wiki page")
        db.session.commit()
        area = get_questionnaire("ciso-nine-areas-quick").areas[1].id
        return World(
            org_id=org.id,
            first_id=first.id,
            last_id=last.id,
            draft_id=draft.id,
            draft_area=area,
            invitation=token,
            logins={login.role: (login.email, login.password) for login in logins},
            extra={"reset": reset, "action": action.id},
        )


@pytest.fixture(scope="session")
def signed_in(browser, live_server: str, world) -> dict[str, dict]:
    """Each role's cookies (storage state), signed in once."""
    states: dict[str, dict] = {"anonymous": {}}
    for role, (email, password) in world.logins.items():
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{live_server}/login")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        states[role] = context.storage_state()
        context.close()
    return states
