"""Fixtures shared by every test layer."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "unit" / "data"


def missing_tool(message: str) -> None:
    """Skip with a message saying how to get the tool, except under CI, where it fails."""
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"CI runs everything: {message}")
    pytest.skip(message)


@pytest.fixture(scope="session")
def mini():
    from assess.core.questionnaire import load_questionnaire_file

    return load_questionnaire_file(DATA / "mini.yaml")


# --------------------------------------------------------------------------- the web app


@pytest.fixture(autouse=True)
def _close_every_engine():
    """After each test, close the pooled connections of every app any test built (a second
    app for HTTPS, a proxy, an import target...). Otherwise the garbage collector finds them
    open later, in whichever test is running, and psycopg's ResourceWarning fails that test."""
    yield
    from assess.records.database import db

    for engines in list(db._app_engines.values()):
        for engine in engines.values():
            engine.dispose()


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
