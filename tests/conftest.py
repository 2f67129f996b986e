"""Fixtures shared by every test layer, the Hypothesis profiles, and the markers that say what
a test needs (put on automatically, from what the test uses: see ``pytest_collection_modifyitems``).
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "unit" / "data"


def under_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def missing_tool(message: str) -> None:
    """Skip with a message saying how to get the tool, except under CI, where it fails."""
    if under_ci():
        pytest.fail(f"CI runs everything: {message}")
    pytest.skip(message)


# --------------------------------------------------------------------------- Hypothesis profiles

#: ``dev`` (the default) tries few examples per property, for a quick loop: no property more
#: than DEV_EXAMPLES, even one that asks for more with ``@settings(max_examples=N)`` (see
#: ``_cap_examples``). ``ci`` (chosen by CI=true, as .ci/run sets it) tries 200, and every
#: property's own count in full. Choose one by name with HYPOTHESIS_PROFILE=dev|ci, or with
#: pytest's ``--hypothesis-profile``.
DEV_EXAMPLES = 10
settings.register_profile("dev", max_examples=DEV_EXAMPLES, deadline=None)
settings.register_profile("ci", max_examples=200, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if under_ci() else "dev"))


def pytest_report_header() -> str:
    name = settings.get_current_profile_name()
    count = settings.default.max_examples
    how = "or the property's own count" if name == "ci" else "at most"
    return f"hypothesis profile: {name} ({count} examples per property, {how})"


def _cap_examples(items: list[pytest.Item]) -> None:
    """Outside the ``ci`` profile, a property that pins more examples than the profile's
    count (``@settings(max_examples=200)``: where the count matters) tries the profile's
    count; under ``ci`` it tries its own. Properties written inside a test's body (the API
    fuzzer's) are not seen here and keep theirs."""
    if settings.get_current_profile_name() == "ci":
        return
    cap = settings.default.max_examples
    for item in items:
        test = getattr(item, "obj", None)
        test = getattr(test, "__func__", test)  # a method's function
        # Hypothesis reads this attribute of the @given test each time it runs it.
        pinned = getattr(test, "_hypothesis_internal_use_settings", None)
        if isinstance(pinned, settings) and pinned.max_examples > cap:
            test._hypothesis_internal_use_settings = settings(pinned, max_examples=cap)


# --------------------------------------------------------------------------- markers

#: Fixtures that mean "this test renders with Chromium" (kaleido chart images, PDF reports with
#: charts) or "drives Chromium through Playwright". A test file can also say it outright with
#: ``pytestmark = pytest.mark.chromium``.
CHROMIUM_FIXTURES = {"chromium"}
PLAYWRIGHT_FIXTURES = {"page", "context", "browser", "browser_context_args"}
SERVER_FIXTURES = {"live_server"}


def _starts_a_server(item: pytest.Item) -> bool:
    """Does the test's module start gunicorn (it imports the helper of tests/servers.py)?"""
    from tests.servers import Gunicorn

    module = getattr(item, "module", None)
    return any(value is Gunicorn for value in vars(module).values()) if module else False


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test by what it needs, so ``-m "not chromium"`` and friends select truly:

    - ``browser``: under tests/browser, or uses a Playwright fixture; also ``chromium``.
    - ``chromium``: uses the ``chromium`` fixture (wherever it is defined).
    - ``server``: starts a real server (gunicorn through tests/servers.py, or the live server).
    - ``postgres``: runs on PostgreSQL (ASSESS_TEST_DATABASE_URL, or a ``postgresql`` param).

    Keyed on fixtures, folders and imports rather than file names, the marks follow a test
    when it moves to another file. The ``_chromium_only_when_marked`` fixture below checks
    them: a test that renders with Chromium without the mark fails.
    """
    _cap_examples(items)
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        browser = "tests/browser/" in item.nodeid or bool(names & PLAYWRIGHT_FIXTURES)
        if browser:
            item.add_marker(pytest.mark.browser)
        if browser or names & CHROMIUM_FIXTURES:
            item.add_marker(pytest.mark.chromium)
        if names & SERVER_FIXTURES or _starts_a_server(item):
            item.add_marker(pytest.mark.server)
        callspec = getattr(item, "callspec", None)
        on_postgres = callspec is not None and "postgresql" in callspec.params.values()
        if on_postgres or (PG_URL and names & {"_schema", "app", "live_server"}):
            item.add_marker(pytest.mark.postgres)


_renders = [0]  # images kaleido has rendered in this process (Chromium at work)
_renders_lock = threading.Lock()


def pytest_configure(config: pytest.Config) -> None:
    """Count kaleido's renders, so a test that uses Chromium unmarked is caught."""
    try:
        import kaleido
    except ImportError:  # pragma: no cover - kaleido is a dependency
        return
    render = kaleido.Kaleido.calc_fig
    if getattr(render, "_counted", False):
        return

    async def counted(self, *args, **kwargs):
        data = await render(self, *args, **kwargs)
        with _renders_lock:
            _renders[0] += 1
        return data

    counted._counted = True  # type: ignore[attr-defined]
    kaleido.Kaleido.calc_fig = counted


@pytest.fixture(autouse=True)
def _chromium_only_when_marked(request):
    """Fail a test that rendered with Chromium but is not marked ``chromium``: it would run
    (slowly, or fail for want of Chromium) in the fast loop ``-m "not chromium"``. A test
    marked by hand (``pytest.param(..., marks=pytest.mark.chromium)``) gets the ``chromium``
    fixture's check: skipped without Chromium, failed under CI."""
    if request.node.get_closest_marker("chromium"):
        marked_by_hand = not request.node.get_closest_marker("browser")
        if marked_by_hand and "chromium" not in request.fixturenames:  # skip without Chromium
            request.getfixturevalue("chromium")
        yield
        return
    before = _renders[0]
    yield
    if _renders[0] != before:
        pytest.fail(
            "this test rendered an image with Chromium (kaleido) but is not marked chromium: "
            "request the `chromium` fixture, or set `pytestmark = pytest.mark.chromium`",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def mini():
    from assess.core.questionnaire import load_questionnaire_file

    return load_questionnaire_file(DATA / "mini.yaml")


@pytest.fixture
def chromium():
    """A Chromium for kaleido's chart images (and the PDF reports that embed them): skips
    without one, fails under CI. Requesting this fixture marks the test ``chromium``."""
    from assess.outputs import images

    if images.find_browser() is None:
        missing_tool(
            "chart images need Chromium: apt-get install -y chromium (or set BROWSER_PATH)"
        )


# --------------------------------------------------------------------------- the web app


@pytest.fixture(autouse=True)
def _close_every_engine():
    """After each test, close the pooled connections of every app any test built (a second
    app for HTTPS, a proxy, an import target...). Otherwise the garbage collector finds them
    open later, in whichever test is running, and psycopg's ResourceWarning fails that test."""
    yield
    if "assess.records.database" not in sys.modules:
        return  # no test imported the database: no engine to close (the unit tests)
    from assess.records.database import db

    for app, engines in list(db._app_engines.items()):
        if app.config.get(KEEP_ENGINE):
            continue  # the browser tests' live server: still serving, closed at its end
        for engine in engines.values():
            engine.dispose()


#: Set on an app whose engine outlives each test (tests/browser's live server): disposing it
#: after each test raced the server's request threads, and a connection checked in after the
#: dispose stayed open in the old pool until the collector found it, which failed the whole
#: PostgreSQL run at its end (once, under load) with psycopg's ResourceWarning.
KEEP_ENGINE = "TESTING_KEEP_ENGINE"


PG_URL = os.environ.get("ASSESS_TEST_DATABASE_URL", "")


@pytest.fixture(scope="session")
def _schema(tmp_path_factory):
    """The database schema, built once per run by the real migrations.

    SQLite: a template file copied for each test. PostgreSQL (ASSESS_TEST_DATABASE_URL):
    the schema is rebuilt once, and each test starts from empty tables.
    """
    from assess import create_app
    from assess.records.database import init_db

    base = tmp_path_factory.mktemp("schema")
    if PG_URL:
        app = create_app(
            {"SQLALCHEMY_DATABASE_URI": PG_URL, "INSTANCE_PATH": str(base), "SECRET_KEY": "t"}
        )
        with app.app_context():
            from assess.records.database import db

            with db.engine.begin() as conn:
                conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
            init_db()
            db.engine.dispose()
        return PG_URL
    template = base / "template.db"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{template}",
            "INSTANCE_PATH": str(base),
            "SECRET_KEY": "t",
        }
    )
    with app.app_context():
        init_db()
        from assess.records.database import db

        db.engine.dispose()
    return template


def _empty_tables(app):
    from sqlalchemy import text

    from assess.records.database import db

    names = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
    with db.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture
def app(_schema, tmp_path):
    """A fresh app on a fresh database, built by the migrations."""
    import shutil

    from assess import create_app

    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "memory://",
    }
    if PG_URL:
        config["SQLALCHEMY_DATABASE_URI"] = PG_URL
    else:
        db_file = tmp_path / "assess.db"
        shutil.copy(_schema, db_file)
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{db_file}"
    app = create_app(config)
    # The fixture holds an app context for the factories, and Flask reuses a pushed app
    # context for requests: without this, `g` (and Flask-Login's cached user in it) would
    # leak from one request, or one test client, to the next. Each request starts with an
    # empty `g`, as it does in production, where every request has its own app context.
    app.before_request_funcs.setdefault(None, []).insert(0, _fresh_g)
    with app.app_context():
        if PG_URL:
            _empty_tables(app)
        from assess.web.limits import limiter

        limiter.reset()
        yield app
        from assess.records.database import db

        db.session.remove()
        db.engine.dispose()


def _fresh_g() -> None:
    from flask import g

    g.__dict__.clear()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    from assess.cli import register_app_commands

    register_app_commands(app)
    return app.test_cli_runner()


@pytest.fixture
def factory(app):
    from tests.factories import Factory

    return Factory(app)


@pytest.fixture
def login(client):
    from tests.factories import login_as

    return lambda email, password="correct horse battery": login_as(client, email, password)
