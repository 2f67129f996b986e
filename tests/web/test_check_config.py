"""`assess check-config`: each unsafe production setting warns, a safe setup is quiet."""

from __future__ import annotations

import pytest

from assess.web.checkconfig import check, worker_count

PG = "postgresql+psycopg://assess:pw@db/assess"
SQLITE = "sqlite:////srv/assess/instance/assess.db"

SAFE_CONFIG = {
    "DEBUG": False,
    "SQLALCHEMY_DATABASE_URI": PG,
    "ASSESS_HTTPS": True,
    "RATELIMIT_STORAGE_URI": "redis://cache:6379",
    "SESSION_COOKIE_SECURE": True,
    "REMEMBER_COOKIE_SECURE": True,
    "ASSESS_BASE_URL": "https://assess.example.com",
}
SAFE_ENV = {"SECRET_KEY": "k" * 64, "WEB_CONCURRENCY": "4"}


def codes(config=None, environ=None) -> list[str]:
    return [
        w.code
        for w in check({**SAFE_CONFIG, **(config or {})}, SAFE_ENV if environ is None else environ)
    ]


def test_is_a_safe_production_setup_quiet():
    assert check(SAFE_CONFIG, SAFE_ENV) == []


def test_is_a_single_sqlite_worker_with_https_quiet():
    """One worker on SQLite with a key from the instance folder is a fine small setup."""
    config = {
        **SAFE_CONFIG,
        "SQLALCHEMY_DATABASE_URI": SQLITE,
        "RATELIMIT_STORAGE_URI": "memory://",
    }
    assert check(config, {}) == []
    assert codes({"ASSESS_BASE_URL": ""}) == ["no-base-url"]


@pytest.mark.parametrize(
    ("config", "environ", "code"),
    [
        ({"DEBUG": True}, SAFE_ENV, "debug"),
        ({}, {**SAFE_ENV, "FLASK_DEBUG": "1"}, "debug"),
        ({"SQLALCHEMY_DATABASE_URI": SQLITE}, SAFE_ENV, "sqlite-workers"),
        ({"ASSESS_HTTPS": False}, SAFE_ENV, "no-https"),
        ({"RATELIMIT_STORAGE_URI": "memory://"}, SAFE_ENV, "memory-ratelimit"),
        ({}, {"WEB_CONCURRENCY": "4"}, "generated-secret"),
        ({}, {}, "generated-secret"),  # PostgreSQL: a database shared by several hosts
        ({"SESSION_COOKIE_SECURE": False}, SAFE_ENV, "insecure-cookie"),
        ({"REMEMBER_COOKIE_SECURE": False}, SAFE_ENV, "insecure-cookie"),
        ({}, {**SAFE_ENV, "ASSESS_CHART_RENDERERS": "0"}, "chart-renderers"),
        ({}, {**SAFE_ENV, "ASSESS_CHART_RENDERERS": "many"}, "chart-renderers"),
        ({}, {**SAFE_ENV, "ASSESS_CHART_RENDERERS": "9"}, "chart-renderers"),
    ],
)
def test_does_each_unsafe_setting_warn(config, environ, code):
    assert codes(config, environ) == [code]


@pytest.mark.parametrize(
    ("config", "environ", "absent"),
    [
        ({}, {**SAFE_ENV, "FLASK_DEBUG": "0"}, "debug"),
        ({}, {**SAFE_ENV, "FLASK_DEBUG": "false"}, "debug"),
        (
            {"SQLALCHEMY_DATABASE_URI": SQLITE},
            {**SAFE_ENV, "WEB_CONCURRENCY": "1"},
            "sqlite-workers",
        ),
        ({"RATELIMIT_STORAGE_URI": "memory://"}, {"SECRET_KEY": "k"}, "memory-ratelimit"),
        ({"SQLALCHEMY_DATABASE_URI": SQLITE}, {}, "generated-secret"),
        ({}, {**SAFE_ENV, "ASSESS_CHART_RENDERERS": "1"}, "chart-renderers"),
        ({}, {**SAFE_ENV, "ASSESS_CHART_RENDERERS": "8"}, "chart-renderers"),
    ],
)
def test_is_a_setting_quiet_where_it_is_safe(config, environ, absent):
    assert absent not in codes(config, environ)


@pytest.mark.parametrize(
    ("environ", "workers"),
    [
        ({}, 1),
        ({"WEB_CONCURRENCY": "3"}, 3),
        ({"WEB_CONCURRENCY": "many"}, 1),
        ({"GUNICORN_CMD_ARGS": "--workers 5"}, 5),
        ({"GUNICORN_CMD_ARGS": "--bind 0.0.0.0:8000 --workers=2"}, 2),
        ({"GUNICORN_CMD_ARGS": "-w 4 --timeout 60"}, 4),
        ({"GUNICORN_CMD_ARGS": "-w3"}, 3),
        ({"GUNICORN_CMD_ARGS": "-w 1", "WEB_CONCURRENCY": "8"}, 1),
        ({"GUNICORN_CMD_ARGS": "--timeout 60", "WEB_CONCURRENCY": "8"}, 8),
        ({"GUNICORN_CMD_ARGS": "--workers 'unclosed"}, 1),
    ],
)
def test_how_many_workers_does_gunicorn_run(environ, workers):
    assert worker_count(environ) == workers


def test_does_sqlite_with_workers_from_gunicorn_args_warn():
    environ = {"SECRET_KEY": "k", "GUNICORN_CMD_ARGS": "-w 2"}
    assert codes({"SQLALCHEMY_DATABASE_URI": SQLITE}, environ) == ["sqlite-workers"]


def test_does_every_warning_say_what_and_how_in_one_line():
    unsafe = {
        "DEBUG": True,
        "SQLALCHEMY_DATABASE_URI": SQLITE,
        "ASSESS_HTTPS": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
        "ASSESS_BASE_URL": "https://assess.example.com",
    }
    warnings = check(unsafe, {"WEB_CONCURRENCY": "4", "FLASK_DEBUG": "1"})
    assert [w.code for w in warnings] == [
        "debug",
        "sqlite-workers",
        "no-https",
        "memory-ratelimit",
        "generated-secret",
        "insecure-cookie",
    ]
    for warning in warnings:
        assert warning.message and warning.fix
        assert "\n" not in warning.line() and warning.fix in warning.line()
    assert "SECRET_KEY" in warnings[4].fix and "RATELIMIT_STORAGE_URI" in warnings[3].fix


# --------------------------------------------------------------------------- the command


@pytest.fixture
def safe_app(app, monkeypatch):
    """The test app configured as a safe production setup."""
    for name in ("FLASK_DEBUG", "WEB_CONCURRENCY", "GUNICORN_CMD_ARGS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SECRET_KEY", "k" * 64)
    app.config.update(
        DEBUG=False,
        ASSESS_HTTPS=True,
        SESSION_COOKIE_SECURE=True,
        REMEMBER_COOKIE_SECURE=True,
        ASSESS_BASE_URL="https://assess.example.com",
    )
    return app


def test_does_the_command_exit_0_on_a_safe_setup(safe_app, runner):
    result = runner.invoke(args=["check-config"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "ok: no unsafe settings found\n"


def test_does_the_command_print_each_warning_and_exit_1(safe_app, runner, monkeypatch):
    safe_app.config["ASSESS_HTTPS"] = False
    safe_app.config["SESSION_COOKIE_SECURE"] = False
    monkeypatch.setenv("FLASK_DEBUG", "1")
    result = runner.invoke(args=["check-config"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 3 and all(line.startswith("warning: ") for line in lines)
    assert "[debug]" in lines[0] and "[no-https]" in lines[1] and "[insecure-cookie]" in lines[2]
    assert "ok:" not in result.stdout


def test_does_the_command_read_the_workers_from_the_environment(safe_app, runner, monkeypatch):
    monkeypatch.setenv("GUNICORN_CMD_ARGS", "--workers 4")
    monkeypatch.delenv("SECRET_KEY")
    result = runner.invoke(args=["check-config"])
    assert result.exit_code == 1
    assert "[generated-secret]" in result.stdout
    sqlite = safe_app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
    assert ("[sqlite-workers]" in result.stdout) == sqlite
    assert "[memory-ratelimit]" in result.stdout  # the suite's limiter is in memory


# --------------------------------------------------------------------------- file modes


def test_a_new_instance_folder_and_sqlite_database_are_private(tmp_path, monkeypatch):
    """Issue 16: the database (password and token hashes) was created 0644."""
    import os
    import stat

    from assess import create_app
    from assess.records.database import db, init_db

    monkeypatch.delenv("SECRET_KEY", raising=False)
    instance = tmp_path / "instance"
    database = tmp_path / "data" / "assess.db"
    app = create_app(
        {"INSTANCE_PATH": str(instance), "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}"}
    )
    with app.app_context():
        init_db()
        db.engine.dispose()
    assert stat.S_IMODE(os.stat(instance).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(database).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(instance / "secret_key").st_mode) == 0o600
    from assess.web.checkconfig import file_modes

    assert file_modes(app.config, str(instance)) == []


def test_check_config_warns_about_loose_modes(safe_app, runner, tmp_path):
    import os

    database = tmp_path / "loose.db"
    database.write_bytes(b"")
    os.chmod(database, 0o644)
    folder = tmp_path / "instance-loose"
    folder.mkdir()
    os.chmod(folder, 0o755)  # noqa: S103 - the loose mode under test
    safe_app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{database}"
    from assess.web.checkconfig import file_modes

    found = file_modes(safe_app.config, str(folder))
    assert [w.code for w in found] == ["file-mode", "file-mode"]
    assert "0755" in found[0].message and "chmod 700" in found[0].fix
    assert "0644" in found[1].message and "chmod 600" in found[1].fix
    safe_app.instance_path = str(folder)
    result = runner.invoke(args=["check-config"])
    assert result.exit_code == 1
    assert "[file-mode]" in result.output


def test_does_a_bad_renderer_count_say_what_is_wrong_and_how_to_fix_it():
    (warning,) = check(SAFE_CONFIG, {**SAFE_ENV, "ASSESS_CHART_RENDERERS": "0"})
    assert warning.line() == (
        "ASSESS_CHART_RENDERERS='0' is not a whole number from 1 to 8; 2 renderers are used; "
        "fix: set ASSESS_CHART_RENDERERS to a whole number from 1 to 8 (each renderer is a "
        "Chromium of 300-600 MB, in each worker) [chart-renderers]"
    )
