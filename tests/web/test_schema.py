"""The migrations and the models describe the same schema, and init-db is safe to repeat."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from assess.records.database import db


def test_do_the_migrations_build_exactly_the_models_schema(app):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_can_init_db_run_twice(runner):
    first = runner.invoke(args=["init-db"])
    second = runner.invoke(args=["init-db"])
    assert first.exit_code == 0 and second.exit_code == 0, second.output
    assert "latest schema" in second.output


def test_does_sqlite_run_in_wal_mode_with_a_busy_timeout(app):
    if db.engine.dialect.name != "sqlite":
        return
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        # 16 MB of pages, not SQLite's 2 MB: an adviser's 500 clients read ~3 MB of index
        # and scores pages, which at 2 MB were read again from the file on every view.
        assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -16000
