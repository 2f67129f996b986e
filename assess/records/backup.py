"""Export the whole database to one JSON file, and load such a file into an empty database.

The file is ``{"format": "assess-export", "version": 1, "exported_at", "alembic_revision",
"tables": {name: [row, ...]}}`` with every table of the models' metadata, every column, ids
kept and date-times as ISO strings. It holds password and token hashes: it is written with
mode 0600, atomically (a temporary file renamed over the target).

Both directions are generic over ``db.metadata.sorted_tables``, so a new table or column is
exported and imported without a change here. Problems the operator can fix raise
:class:`BackupError`, whose text is one line.
"""

from __future__ import annotations

import copy
import itertools
import json
import os
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from alembic.migration import MigrationContext
from sqlalchemy import (
    JSON,
    Connection,
    Date,
    DateTime,
    Table,
    Time,
    bindparam,
    insert,
    inspect,
    select,
)
from sqlalchemy import column as sql_column
from sqlalchemy import table as sql_table
from sqlalchemy.exc import SQLAlchemyError

from assess.records.database import db
from assess.records.models import utcnow

FORMAT = "assess-export"
VERSION = 1


class BackupError(RuntimeError):
    """An export or import that cannot proceed, explained in one line."""


# --------------------------------------------------------------------------- export


def tables() -> list[Table]:
    """Every table of the models, parents before children (the order of an import)."""
    return list(db.metadata.sorted_tables)


def export_document() -> dict[str, Any]:
    """The whole database as a JSON-ready document, read from one consistent snapshot."""
    with _snapshot() as conn:
        return {
            "format": FORMAT,
            "version": VERSION,
            "exported_at": utcnow().isoformat() + "Z",
            "alembic_revision": _revision(conn),
            "tables": {table.name: _read_table(conn, table) for table in tables()},
        }


def export_to_file(path: str | os.PathLike[str]) -> dict[str, int]:
    """Write the export to ``path`` (mode 0600, atomically); return the rows per table."""
    document = export_document()
    target = Path(path)
    try:
        _write_private(target, json.dumps(document, ensure_ascii=False, separators=(",", ":")))
    except OSError as exc:
        raise BackupError(f"cannot write {target}: {exc.strerror or exc}") from None
    return {name: len(rows) for name, rows in document["tables"].items()}


@contextmanager
def _snapshot() -> Iterator[Connection]:
    """A read-only connection that sees one moment of the database, so a child row is never
    exported without its parent while the app keeps writing."""
    with db.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            )
        elif conn.dialect.name == "sqlite":
            # pysqlite opens no transaction for reads; without one each SELECT sees its own
            # moment. An explicit BEGIN holds one WAL snapshot for every table.
            conn.exec_driver_sql("BEGIN")
        try:
            yield conn
        finally:
            conn.rollback()


def _read_table(conn: Connection, table: Table) -> list[dict[str, Any]]:
    order = list(table.primary_key.columns) or list(table.columns)
    rows = conn.execute(select(table).order_by(*order)).mappings()
    return [{key: _to_json(table, key, value) for key, value in row.items()} for row in rows]


def _to_json(table: Table, column: str, value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool | list | dict):
        return value
    raise BackupError(
        f"{table.name}.{column}: cannot export a value of type {type(value).__name__}"
    )


def _write_private(target: Path, text: str) -> None:
    """Write ``text`` to ``target`` through a 0600 temporary file in the same folder."""
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(temp, 0o600)
        os.replace(temp, target)
    except BaseException:
        with suppress(OSError):
            os.unlink(temp)
        raise
    with suppress(OSError):  # make the rename itself durable where the platform allows
        dir_fd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _revision(conn: Connection) -> str | None:
    heads = MigrationContext.configure(conn).get_current_heads()
    return ",".join(sorted(heads)) or None


# --------------------------------------------------------------------------- import


def read_export(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The export document in ``path``, checked for its format and version."""
    try:
        with open(path, encoding="utf-8") as fh:
            document = json.load(fh)
    except OSError as exc:
        raise BackupError(f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise BackupError(f"{path}: not an assess export (not UTF-8 text)") from None
    except json.JSONDecodeError as exc:
        raise BackupError(
            f"{path}:{exc.lineno}: not valid JSON: {exc.msg} (column {exc.colno})"
        ) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError(f'{path}: not an assess export (no "format": "{FORMAT}")')
    version = document.get("version")
    if version != VERSION:
        raise BackupError(
            f"{path}: unknown export version {version!r} (this assess reads version {VERSION})"
        )
    if not isinstance(document.get("tables"), dict):
        raise BackupError(f'{path}: not an assess export ("tables" is not an object)')
    return document


def import_file(path: str | os.PathLike[str]) -> dict[str, int]:
    """Load an export into the (empty) database in one transaction; return rows per table."""
    return import_document(read_export(path), source=str(path))


def import_document(document: Mapping[str, Any], source: str = "the export") -> dict[str, int]:
    known = {table.name: table for table in tables()}
    data = document["tables"]
    strange = sorted(set(data) - set(known))
    if strange:
        raise BackupError(f"{source}: table {strange[0]!r} does not exist in this database")
    rows = {
        table.name: _rows_from_json(table, data.get(table.name, []), source) for table in tables()
    }
    try:
        with db.engine.begin() as conn:
            _check_target(conn, document.get("alembic_revision"), source)
            # A database at an earlier revision (to load an earlier export, then upgrade)
            # lacks the tables added since; the export has no rows for them either.
            inspector = inspect(conn)
            present = set(inspector.get_table_names())
            for table in tables():
                if table.name in present:
                    columns = {c["name"] for c in inspector.get_columns(table.name)}
                    _insert(conn, table, rows[table.name], columns)
                elif rows[table.name]:
                    raise BackupError(f"{source}: table {table.name!r} is not in this database")
            if conn.dialect.name == "postgresql":
                _reset_sequences(conn)
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise BackupError(f"import failed, nothing was written: {reason}") from None
    return {name: len(table_rows) for name, table_rows in rows.items()}


def _check_target(conn: Connection, revision: Any, source: str) -> None:
    current = _revision(conn)
    if current is None:
        raise BackupError("the database has no schema yet: run `assess init-db` first")
    if revision is not None and revision != current:
        raise BackupError(
            f"{source} is from schema revision {revision} but the database is at {current}: "
            f"import into a database at {revision} (`assess db upgrade {revision}`), then upgrade"
        )
    present = set(inspect(conn).get_table_names())
    for table in tables():
        if table.name not in present:
            continue
        if conn.execute(select(1).select_from(table).limit(1)).first() is not None:
            raise BackupError(
                f"the database is not empty (table {table.name} has rows): "
                "import only into a new database"
            )


def _rows_from_json(table: Table, rows: Any, source: str) -> list[dict[str, Any]]:
    if not isinstance(rows, list):
        raise BackupError(f"{source}: table {table.name} is not a list of rows")
    converted = []
    for number, row in enumerate(rows, start=1):
        where = f"{source}: {table.name} row {number}"
        if not isinstance(row, dict):
            raise BackupError(f"{where}: not an object")
        unknown = sorted(set(row) - set(table.columns.keys()))
        if unknown:
            raise BackupError(f"{where}: no column {unknown[0]!r} in this database")
        converted.append(
            {
                key: _from_json(table.columns[key].type, value, where, key)
                for key, value in row.items()
            }
        )
    return converted


def _from_json(kind: Any, value: Any, where: str, column: str) -> Any:
    if value is None or isinstance(kind, JSON):
        return value
    parse = {DateTime: datetime, Date: date, Time: time}
    for sql_type, python_type in parse.items():
        if isinstance(kind, sql_type):
            try:
                return python_type.fromisoformat(value)
            except (TypeError, ValueError):
                raise BackupError(
                    f"{where}: {column} is not an ISO {python_type.__name__}: {value!r}"
                ) from None
    return value


def _insert(
    conn: Connection, table: Table, rows: list[dict[str, Any]], columns: set[str] | None = None
) -> None:
    """Insert rows in id order; a column that points into its own table (an assessment copied
    from another) is filled in afterwards, so the order of the rows never matters. Only the
    database's ``columns`` are written (one at an earlier revision lacks the newer ones: the
    upgrade then gives them their defaults), without the models' Python defaults."""
    names = [c.name for c in table.columns if columns is None or c.name in columns]
    target = sql_table(table.name, *[sql_column(name, table.columns[name].type) for name in names])
    own = [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]
    own = [name for name in own if table.columns[name].nullable]
    pk = [c.name for c in table.primary_key.columns]
    later = [row for row in rows if any(row.get(k) is not None for k in own)]
    if later:
        rows = [{**row, **{k: None for k in own if k in row}} for row in rows]
    # Rows with the same columns go in one batch (an older export may lack a newer column,
    # which then takes its default).
    for keys, batch in itertools.groupby(rows, key=lambda row: tuple(sorted(row))):
        statement = insert(target).values({k: _bind(table, k, k) for k in keys})
        conn.execute(statement, list(batch))
    if later:
        statement = (
            target.update()
            .where(*[target.c[k] == bindparam(f"pk_{k}") for k in pk])
            .values({k: _bind(table, k, f"v_{k}") for k in own})
        )
        conn.execute(
            statement,
            [
                {**{f"pk_{k}": row[k] for k in pk}, **{f"v_{k}": row.get(k) for k in own}}
                for row in later
            ],
        )


def _bind(table: Table, column: str, name: str) -> Any:
    """A parameter for ``column``; a JSON column binds None as SQL NULL (as the ORM writes it),
    not as the JSON text ``null``."""
    kind = table.columns[column].type
    if isinstance(kind, JSON):
        kind = copy.copy(kind)
        kind.none_as_null = True
    return bindparam(name, type_=kind)


def _reset_sequences(conn: Connection) -> None:
    """PostgreSQL: move each id sequence past the imported ids, so new rows get new ids."""
    quote = conn.dialect.identifier_preparer
    for table in tables():
        column = table.autoincrement_column
        if column is None:
            continue
        name, col = quote.format_table(table), quote.quote(column.name)
        conn.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('{name}', '{column.name}'), "  # noqa: S608
            f"coalesce(max({col}), 0) + 1, false) FROM {name}"
        )
