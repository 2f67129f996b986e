"""`assess export-all` and `assess import`: a whole database out to one private JSON file and
back into an empty one, row for row, on SQLite and on PostgreSQL."""

from __future__ import annotations

import itertools
import json
import os
import shutil
import stat
from datetime import datetime
from pathlib import Path
from typing import Any

import pyotp
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import inspect, select, text

from assess.cli import register_app_commands
from assess.core.questionnaire import get_questionnaire
from assess.records import (
    answers,
    assessments,
    attestations,
    credentials,
    evidence,
    evidence_store,
    membership,
    mfa,
    plan,
    reviews,
)
from assess.records.database import db
from assess.records.models import Assessment, User
from tests.conftest import PG_URL
from tests.factories import PASSWORD, Factory, login_as

QUICK = "ciso-nine-areas-quick"
QUESTIONS = get_questionnaire(QUICK).questions
FIRST, SECOND, THIRD = list(QUESTIONS)[:3]
PDF = b"%PDF-1.4\nthe signed policy\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 24


# --------------------------------------------------------------------------- helpers


def answer_value(allow_na: bool) -> st.SearchStrategy[Any]:
    level = st.one_of(st.integers(0, 5), st.just("unknown"), *([st.just("na")] if allow_na else []))
    note = st.text(
        st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30
    )
    return st.one_of(level, st.builds(lambda lv, n: {"level": lv, "note": n}, level, note))


ANSWERS = st.fixed_dictionaries(
    {}, optional={qid: answer_value(q.allow_na) for qid, q in QUESTIONS.items()}
)


def build(factory: Factory, first: dict[str, Any], changes: dict[str, Any]) -> None:
    """Users with a token, an organization with owner, contributor and auditor, an open and a
    used invitation, a submitted assessment with targets, notes and reviews, and a draft
    copied from it whose answers then changed (so the history has old and new values); an
    action plan from its first 90 days and a free item, changed (history), commented on and
    with evidence of its own (a file and a link)."""
    owner = factory.user("owner@example.com")
    contributor = factory.user("contributor@example.com")
    auditor = factory.user("auditor@example.com")
    newcomer = factory.user("newcomer@example.com")
    factory.token(owner)
    factory.token(auditor)
    org = factory.organization(owner)
    factory.member(org, contributor, "contributor")
    factory.member(org, auditor, "auditor")
    membership.create_invitation(org, owner, "auditor")
    membership.accept_invitation(membership.create_invitation(org, owner, "contributor"), newcomer)
    # Accounts: a reset link, two-step verification with its recovery codes, and the
    # organization's requirement of it.
    credentials.create_reset(newcomer)
    secret = mfa.start_enrolment(owner)
    mfa.confirm_enrolment(owner, pyotp.TOTP(secret).now())
    mfa.set_required(org, owner, True)

    submitted = factory.assessment(org, contributor, QUICK, first)
    assessments.set_targets(submitted, {get_questionnaire(QUICK).areas[0].id: 4})
    assessments.submit(submitted, owner)
    reviews.save_review(submitted, auditor, FIRST, 2, "Seen the <b>signed</b> policy.")
    reviews.save_review(submitted, auditor, SECOND, None, "No evidence yet.")
    db.session.commit()
    # a superseded review, a request for evidence, an owner's reply and a sign-off
    reviews.save_review(submitted, auditor, SECOND, None, "Show the log.", "request_evidence")
    reviews.reply(submitted, owner, SECOND, "The log is in the shared folder.")
    attestations.attest(submitted, auditor, "I reviewed every answer.")
    db.session.commit()

    items = plan.from_roadmap(submitted, contributor)
    free = plan.create_action(
        org,
        owner,
        {"title": "Buy cyber insurance", "owner_name": "Office manager", "due_date": "2031-05-01"},
    )
    plan.update_action(
        free,
        owner,
        {"status": "risk_accepted", "risk_justification": "Quoted too high; again in spring."},
    )
    if items:
        plan.update_action(items[0], contributor, {"owner_user_id": auditor.id, "status": "done"})
    plan.add_comment(free, auditor, "Seen the broker's <b>quote</b>.")
    db.session.commit()

    evidence.add_file(submitted, auditor, FIRST, "policy.pdf", PDF, 1024)
    evidence.add_link(submitted, owner, SECOND, "https://wiki.example.com/ir", "IR plan")
    # Evidence on a plan item: a file no answer names (the export must carry it for the item)
    # and a link, on the item whose risk was accepted.
    evidence.add_file_to_action(free, owner, "quote.png", PNG, 1024)
    evidence.add_link_to_action(free, auditor, "https://broker.example.com/quote", "Quote")
    db.session.commit()

    draft = assessments.copy_assessment(submitted, owner)
    evidence.add_file(draft, contributor, FIRST, "notes.txt", "Überprüft.\n".encode(), 1024)
    evidence.add_file(draft, contributor, SECOND, "same.pdf", PDF, 1024)  # stored once
    if changes:
        answers.save_answers(draft, contributor, changes)
    if THIRD in first and THIRD not in changes:
        answers.save_answers(draft, contributor, {}, clear=(THIRD,))
    db.session.commit()


def stored_files() -> dict[str, bytes]:
    """The evidence store of the app in context: every file, by its path under the store."""
    root = evidence_store.root()
    if not root.exists():
        return {}
    return {
        str(path.relative_to(root)): path.read_bytes() for path in root.rglob("*") if path.is_file()
    }


def state(app) -> dict[str, Any]:
    """Every row of every table, the results document of every assessment, and every stored
    evidence file."""
    with app.app_context():
        files = stored_files()
        found = db.session.scalars(select(Assessment).order_by(Assessment.id))
        results = {a.id: assessments.results_document(a) for a in found}
        rows = {}
        with db.engine.connect() as conn:
            for table in db.metadata.sorted_tables:
                order = list(table.primary_key.columns)
                rows[table.name] = [
                    dict(r) for r in conn.execute(select(table).order_by(*order)).mappings()
                ]
        db.session.remove()
    return {"results": results, "rows": rows, "files": files}


def empty(app) -> None:
    """Remove every row (ids start again from 1) and every stored evidence file."""
    shutil.rmtree(evidence_store.root(), ignore_errors=True)
    db.session.remove()
    tables = db.metadata.sorted_tables
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(tables):
                conn.execute(table.delete())


_numbers = itertools.count()


def fresh_app(app, schema, tmp_path: Path):
    """An app on an empty database built by the migrations: on SQLite a new file; on
    PostgreSQL the same database, emptied (the suite has one)."""
    if PG_URL:
        empty(app)
        return app
    from assess import create_app

    db_file = tmp_path / f"target-{next(_numbers)}.db"
    shutil.copy(schema, db_file)
    keep = (
        "TESTING",
        "SECRET_KEY",
        "PASSWORD_HASH_METHOD",
        "RATELIMIT_STORAGE_URI",
    )
    # An instance folder of its own: the evidence files must come from the export.
    instance = tmp_path / f"target-{next(_numbers)}-instance"
    return create_app(
        {
            **{k: app.config[k] for k in keep},
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_file}",
            "INSTANCE_PATH": str(instance),
        }
    )


def close(target, app) -> None:
    if target is not app:
        with target.app_context():
            db.session.remove()
            db.engine.dispose()


def import_into(target, path: Path):
    """`assess import` on the target app (Flask's CLI would use the app already in context)."""
    with target.app_context():
        register_app_commands(target)
        result = target.test_cli_runner().invoke(args=["import", str(path)])
        db.session.remove()
    return result


def export(runner, tmp_path: Path) -> Path:
    path = tmp_path / f"export-{next(_numbers)}.json"
    result = runner.invoke(args=["export-all", "--output", str(path)])
    assert result.exit_code == 0, result.output
    assert "exported" in result.stdout
    return path


def one_line_error(result) -> str:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("assess: error: "), result.stderr
    return lines[0]


def is_empty(app) -> bool:
    return all(not rows for rows in state(app)["rows"].values())


# --------------------------------------------------------------------------- round trip


# Each example builds and copies a database (~0.3 s): no shrinking, which would take
# minutes; a failure prints the generated example as it was.
@settings(
    max_examples=6,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(first=ANSWERS, changes=ANSWERS)
def test_does_an_export_import_round_trip_keep_everything(
    app, runner, _schema, tmp_path, first, changes
):
    """Property: for any answers, after export and import into a fresh database every row of
    every table, every results document, and a sign-in with the original password are the
    same."""
    empty(app)
    build(Factory(app), first, changes)
    before = state(app)
    # Plan items' evidence is part of what must come back (with its file).
    assert [r["filename"] for r in before["rows"]["evidence"] if r["action_id"]] == [
        "quote.png",
        None,
    ]
    path = export(runner, tmp_path)

    target = fresh_app(app, _schema, tmp_path)
    try:
        assert is_empty(target)
        result = import_into(target, path)
        assert result.exit_code == 0, result.output
        assert state(target) == before

        from assess.web.limits import limiter

        limiter.reset()
        client = target.test_client()
        assert login_as(client, "auditor@example.com", PASSWORD).status_code == 302
        assert (
            login_as(target.test_client(), "owner@example.com", "wrong " + PASSWORD).status_code
            == 401
        )
    finally:
        close(target, app)


def test_do_new_rows_after_an_import_get_new_ids(app, runner, _schema, tmp_path):
    """Can a new user and assessment be created after an import (PostgreSQL: the id sequences
    moved past the imported ids)?"""
    build(Factory(app), {FIRST: 3}, {FIRST: 4})
    path = export(runner, tmp_path)
    target = fresh_app(app, _schema, tmp_path)
    try:
        assert import_into(target, path).exit_code == 0
        with target.app_context():
            factory = Factory(target)
            user = factory.user("later@example.com")
            org = factory.organization(user, "Later Ltd")
            assessment = factory.assessment(org, user, QUICK, {FIRST: 1})
            assert user.id == 5 and org.id == 2 and assessment.id == 3
            db.session.remove()
    finally:
        close(target, app)


def test_does_a_copy_keep_the_assessment_it_came_from(app, runner, _schema, tmp_path):
    """The draft points to its source (a row that refers to its own table) after the import."""
    build(Factory(app), {FIRST: 3}, {})
    path = export(runner, tmp_path)
    rows = json.loads(path.read_text())["tables"]["assessments"]
    assert [(r["id"], r["copied_from_id"]) for r in rows] == [(1, None), (2, 1)]
    target = fresh_app(app, _schema, tmp_path)
    try:
        assert import_into(target, path).exit_code == 0
        with target.app_context():
            assert db.session.get(Assessment, 2).copied_from_id == 1
            db.session.remove()
    finally:
        close(target, app)


# --------------------------------------------------------------------------- the file


def test_does_the_export_cover_every_table(app, runner, tmp_path):
    """A table added to the models (or only to the migrations) but not exported fails here."""
    build(Factory(app), {FIRST: 2, SECOND: {"level": "unknown", "note": "ask IT"}}, {FIRST: 3})
    document = json.loads(export(runner, tmp_path).read_text())
    model_tables = {t.name for t in db.metadata.sorted_tables}
    database_tables = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
    assert set(document["tables"]) == model_tables == database_tables
    assert document["format"] == "assess-export" and document["version"] == 1
    assert document["alembic_revision"]
    datetime.fromisoformat(document["exported_at"].removesuffix("Z"))
    for name, rows in document["tables"].items():
        assert rows, f"the rich database left {name} empty: the round trip would not cover it"
        columns = set(db.metadata.tables[name].columns.keys())
        assert all(set(row) == columns for row in rows), name
    users = document["tables"]["users"]
    assert all(u["password_hash"].startswith("pbkdf2:") for u in users)
    assert all(len(t["token_hash"]) == 64 for t in document["tables"]["api_tokens"])
    submitted = document["tables"]["assessments"][0]
    assert submitted["status"] == "submitted" and submitted["results"]["areas"]
    assert isinstance(submitted["targets"], dict) and submitted["targets"]
    datetime.fromisoformat(submitted["submitted_at"])
    assert {c["old_value"] for c in document["tables"]["answer_changes"]} >= {None, "2"}


def test_is_the_export_file_readable_by_its_owner_only(app, runner, tmp_path):
    """The file holds password hashes: mode 0600, even over an existing world-readable file,
    and no temporary file is left beside it."""
    Factory(app).user("owner@example.com")
    path = tmp_path / "out" / "backup.json"
    path.parent.mkdir()
    path.write_text("old")
    os.chmod(path, 0o644)
    result = runner.invoke(args=["export-all", "--output", str(path)])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["backup.json"]
    assert json.loads(path.read_text())["tables"]["users"][0]["email"] == "owner@example.com"


def test_does_an_export_into_a_missing_folder_fail_in_one_line(runner, tmp_path):
    one_line_error(
        runner.invoke(args=["export-all", "--output", str(tmp_path / "nowhere" / "x.json")])
    )


# --------------------------------------------------------------------------- refusals


def test_does_import_refuse_a_database_that_is_not_empty(app, runner, tmp_path):
    build(Factory(app), {FIRST: 1}, {FIRST: 2})
    path = export(runner, tmp_path)
    before = state(app)
    line = one_line_error(runner.invoke(args=["import", str(path)]))
    assert "not empty" in line
    assert state(app) == before


def test_does_import_refuse_even_one_row(app, runner, tmp_path):
    """A database with only a user is not empty either."""
    path = export(runner, tmp_path)  # an export of the empty database
    Factory(app).user("someone@example.com")
    assert "not empty" in one_line_error(runner.invoke(args=["import", str(path)]))


EXPORT = {"format": "assess-export", "version": 1, "alembic_revision": None, "tables": {}}


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ('{"format": "assess-export", ', "not valid JSON"),
        ("", "not valid JSON"),
        ("[1, 2]", "not an assess export"),
        ('{"users": []}', "not an assess export"),
        (json.dumps({**EXPORT, "format": "something-else"}), "not an assess export"),
        (json.dumps({**EXPORT, "version": 2}), "unknown export version 2"),
        (json.dumps({**EXPORT, "tables": []}), "not an assess export"),
        (json.dumps({**EXPORT, "tables": {"secrets": []}}), "'secrets' does not exist"),
        (json.dumps({**EXPORT, "tables": {"users": [{"id": 1, "shoe": 9}]}}), "no column 'shoe'"),
        (json.dumps({**EXPORT, "tables": {"users": [["a"]]}}), "users row 1: not an object"),
        (
            json.dumps(
                {
                    **EXPORT,
                    "tables": {
                        "users": [
                            {"id": 1, "email": "a@b.c", "password_hash": "x", "created_at": "later"}
                        ]
                    },
                }
            ),
            "created_at is not an ISO datetime",
        ),
        (json.dumps({**EXPORT, "alembic_revision": "0123abcd"}), "schema revision 0123abcd"),
    ],
)
def test_does_import_refuse_a_file_that_is_not_an_export(app, runner, tmp_path, content, says):
    path = tmp_path / "input.json"
    path.write_text(content)
    assert says in one_line_error(runner.invoke(args=["import", str(path)]))
    assert is_empty(app)


def test_does_import_of_a_missing_file_fail_in_one_line(runner, tmp_path):
    assert "cannot read" in one_line_error(
        runner.invoke(args=["import", str(tmp_path / "missing.json")])
    )


def test_does_a_failed_import_write_nothing(app, runner, tmp_path):
    """One transaction: a row that breaks a constraint late in the file leaves no row behind."""
    build(Factory(app), {FIRST: 1}, {})
    document = json.loads(export(runner, tmp_path).read_text())
    document["tables"]["reviews"].append({**document["tables"]["reviews"][0], "id": 99})
    empty(app)
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(document))
    assert "nothing was written" in one_line_error(runner.invoke(args=["import", str(path)]))
    assert is_empty(app)


# --------------------------------------------------------------------------- evidence files


def test_does_the_export_carry_each_evidence_file_once(app, runner, tmp_path):
    import base64
    import hashlib

    build(Factory(app), {FIRST: 1}, {})
    document = json.loads(export(runner, tmp_path).read_text())
    sha = hashlib.sha256(PDF).hexdigest()
    assert base64.b64decode(document["files"][sha]) == PDF
    assert len(document["files"]) == 3  # the PDF (attached twice), the notes, the plan's PNG
    rows = document["tables"]["evidence"]
    assert {r["sha256"] for r in rows if r["kind"] == "file"} == set(document["files"])
    assert [r["url"] for r in rows if r["kind"] == "link"] == [
        "https://wiki.example.com/ir",
        "https://broker.example.com/quote",
    ]
    on_items = [r for r in rows if r["action_id"] is not None]
    assert [r["filename"] or r["title"] for r in on_items] == ["quote.png", "Quote"]
    assert all(r["assessment_id"] is None and r["question_id"] is None for r in on_items)
    assert base64.b64decode(document["files"][hashlib.sha256(PNG).hexdigest()]) == PNG


@pytest.mark.parametrize(
    ("spoil", "says"),
    [
        (lambda files, sha: files.update({sha: "aGVsbG8="}), "does not match its content"),
        (lambda files, sha: files.update({sha: "not base64!"}), "is not base64"),
        (lambda files, sha: files.pop(sha), "its file is not in the export"),
        (lambda files, sha: files.update({"../../etc": "aGVsbG8="}), "is not a SHA-256"),
    ],
)
def test_does_import_refuse_spoiled_evidence_files(app, runner, _schema, tmp_path, spoil, says):
    import hashlib

    build(Factory(app), {FIRST: 1}, {})
    document = json.loads(export(runner, tmp_path).read_text())
    spoil(document["files"], hashlib.sha256(PDF).hexdigest())
    path = tmp_path / "spoiled.json"
    path.write_text(json.dumps(document))
    target = fresh_app(app, _schema, tmp_path)
    try:
        with target.app_context():
            register_app_commands(target)
            result = target.test_cli_runner().invoke(args=["import", str(path)])
            assert says in one_line_error(result)
            assert stored_files() == {}
            db.session.remove()
        assert is_empty(target)
    finally:
        close(target, app)


def test_can_a_downloaded_file_be_read_after_an_import(app, runner, _schema, tmp_path):
    """The whole way: export, import elsewhere, download the evidence through the API."""
    build(Factory(app), {FIRST: 1}, {})
    path = export(runner, tmp_path)
    target = fresh_app(app, _schema, tmp_path)
    try:
        assert import_into(target, path).exit_code == 0
        with target.app_context():
            # The owner: the organization requires two-step verification, which the owner has.
            owner = db.session.scalar(select(User).where(User.email == "owner@example.com"))
            token = Factory(target).token(owner)
            response = target.test_client().get(
                "/api/v1/evidence/1", headers={"Authorization": f"Bearer {token}"}
            )
            assert response.status_code == 200 and response.data == PDF
            db.session.remove()
    finally:
        close(target, app)


def test_does_an_older_schema_refuse_rows_it_has_no_table_for(app, runner, tmp_path):
    """A database at an older revision takes an export of that revision; rows for a table
    it does not have yet are refused, never dropped."""
    from flask_migrate import downgrade, upgrade

    build(Factory(app), {FIRST: 1}, {})
    document = json.loads(export(runner, tmp_path).read_text())
    document["alembic_revision"] = None
    empty(app)
    path = tmp_path / "newer.json"
    path.write_text(json.dumps(document))
    directory = app.extensions["migrate"].directory
    db.session.remove()
    downgrade(directory=directory, revision="5435598296c9")
    try:
        line = one_line_error(runner.invoke(args=["import", str(path)]))
    finally:
        upgrade(directory=directory)
    assert "does not exist in the database" in line
    assert is_empty(app)
