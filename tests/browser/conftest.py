"""Browser tests: Playwright driving Debian's Chromium against a live server on loopback.

Browsers are never downloaded (no network here): the session's Chromium is the system one.
Without Chromium the tests are skipped with a hint, except under CI, where that fails.
"""

from __future__ import annotations

import shutil
import threading

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
    from tests.conftest import PG_URL

    base = tmp_path_factory.mktemp("live")
    url = PG_URL or f"sqlite:///{base / 'live.db'}"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "INSTANCE_PATH": str(base),
            "SECRET_KEY": "browser-tests",
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
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
        db.engine.dispose()
