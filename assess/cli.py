"""The ``assess`` command: a Flask CLI group whose offline commands need no app or database.

Bad input ends with exit code 2 and one line on stderr; nothing prints a traceback.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, NoReturn

import click
from flask.cli import FlaskGroup

from assess.core.errors import InputError, InputErrors

EXIT_INPUT = 2


def fail(message: str) -> NoReturn:
    """Print one line to stderr and exit 2."""
    click.echo(f"assess: error: {message}", err=True)
    sys.exit(EXIT_INPUT)


def input_errors_exit(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn InputError into one line on stderr and exit 2."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except InputErrors as exc:
            for err in exc.errors:
                click.echo(f"assess: error: {InputError.__str__(err)}", err=True)
            sys.exit(EXIT_INPUT)
        except InputError as exc:
            fail(str(exc))

    return wrapper


def needs_schema(func: Callable[..., Any]) -> Callable[..., Any]:
    """A database without the tables gets one line that says what to run, not a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from sqlalchemy.exc import OperationalError, ProgrammingError

        try:
            return func(*args, **kwargs)
        except (OperationalError, ProgrammingError) as exc:
            text = str(exc.orig).lower()
            if "no such table" in text or "does not exist" in text:
                fail("the database has no tables yet: run `assess init-db` first")
            raise

    return wrapper


def _create_app(*_: Any) -> Any:
    """The app for the commands that need one; they join its ``app.cli`` here, so the web
    layer never imports the CLI above it."""
    from assess import create_app

    app = create_app()
    register_app_commands(app)
    return app


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False, load_dotenv=False)
def cli() -> None:
    """Assess: cybersecurity program maturity self-assessment.

    Score an answers file offline with `assess score`, check questionnaires with
    `assess validate`, or serve the web app with `assess run`.
    """


@cli.command("validate", with_appcontext=False)
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@input_errors_exit
def validate_command(files: tuple[Path, ...]) -> None:
    """Check questionnaire and policy FILES (the shipped ones when none are given)."""
    from assess.core.questionnaire import shipped_files, validate_files

    paths = list(files) or shipped_files()  # the archive of earlier versions too
    errors = validate_files(paths)
    if errors:
        raise InputErrors(errors)
    for path in paths:
        click.echo(f"ok  {path}")


@cli.command("score", with_appcontext=False)
@click.argument("answers", type=click.Path(path_type=Path))
@click.option(
    "--questionnaire",
    "questionnaire_ref",
    metavar="ID|PATH",
    help="Questionnaire id or YAML path (default: the one the answers file names).",
)
@click.option(
    "--target",
    "targets",
    multiple=True,
    metavar="AREA=LEVEL",
    help="Target level for an area (repeatable); default 3, or proposed from --profile.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
)
@click.option(
    "--profile",
    type=click.Path(path_type=Path),
    help="Organization profile (YAML or JSON): adds the CISO-or-vCISO recommendation.",
)
@click.option(
    "--policy",
    type=click.Path(path_type=Path),
    help="Recommendation policy YAML (default: the shipped one).",
)
@click.option(
    "--chart",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Also write a chart: FILE.png, .svg, .pdf or .html (interactive).",
)
@click.option(
    "--chart-type", type=click.Choice(["radar", "gaps"]), default="radar", show_default=True
)
@click.option(
    "--report",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE.pdf",
    help="Also write the PDF report.",
)
@click.option(
    "--page-size",
    type=click.Choice(["A4", "Letter"], case_sensitive=False),
    default="A4",
    show_default=True,
)
@input_errors_exit
def score_command(
    answers: Path,
    questionnaire_ref: str | None,
    targets: tuple[str, ...],
    fmt: str,
    profile: Path | None,
    policy: Path | None,
    chart: Path | None,
    chart_type: str,
    report: Path | None,
    page_size: str,
) -> None:
    """Score an ANSWERS file (YAML or CSV) offline and print the results."""
    from assess.core.evaluation import score_offline

    result = score_offline(
        answers_path=answers,
        questionnaire_ref=questionnaire_ref,
        target_items=targets,
        profile_path=profile,
        policy_path=policy,
    )
    report_path = report
    if chart is not None or report_path is not None:
        write_files(
            result,
            answers_path=answers,
            chart=chart,
            chart_type=chart_type,
            report_path=report_path,
            page_size=page_size,
        )
    click.echo(render(result, fmt), nl=fmt != "csv")


def write_files(
    result: Any,
    *,
    answers_path: Path,
    chart: Path | None,
    chart_type: str,
    report_path: Path | None,
    page_size: str,
) -> None:
    """The --chart and --report files, made offline (Chromium for images, WeasyPrint for PDF)."""
    from assess.core import charts
    from assess.core.answer_sheets import answers_from_sheet, load_sheet
    from assess.outputs import images, pdf, report_views

    if chart is not None and chart.suffix.lower().lstrip(".") not in images.FORMATS:
        raise InputError(f"--chart {chart}: use a .png, .svg, .pdf or .html file name")
    if report_path is not None and report_path.suffix.lower() != ".pdf":
        raise InputError(f"--report {report_path}: the report is a PDF; use a .pdf file name")
    try:
        if chart is not None:
            areas = [area.model_dump() for area in result.results().areas]
            figure = charts.radar(areas) if chart_type == "radar" else charts.gap_bars(areas)
            _write(chart, images.figure_bytes(figure, chart.suffix.lower().lstrip(".")))
        if report_path is not None:
            questionnaire = result.result.questionnaire
            answers = answers_from_sheet(questionnaire, load_sheet(answers_path))
            context = report_views.assessment_report_context(
                result.results(), questionnaire=questionnaire, answers=answers
            )
            _write(
                report_path,
                pdf.report_pdf(
                    context, page_size="Letter" if page_size.lower() == "letter" else "A4"
                ),
            )
    except images.ExportUnavailable as exc:
        raise InputError(str(exc)) from None


def _write(path: Path, body: bytes) -> None:
    try:
        path.write_bytes(body)
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror}") from None


def render(report: Any, fmt: str) -> str:
    from assess.outputs.score_table import format_table

    if fmt == "json":
        document = report.results().model_dump(mode="json")
        return json.dumps(document, indent=2, ensure_ascii=False)
    if fmt == "csv":
        out = io.StringIO()
        columns = ["id", "title", "score", "target", "gap", "answered", "total", "unknown", "na"]
        writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for area in report.results().areas:
            writer.writerow({k: ("" if v is None else v) for k, v in area.model_dump().items()})
        return out.getvalue()
    text = format_table(report.result, roadmap=report.results().roadmap)
    if report.recommendation is not None:
        from assess.outputs.recommendation_text import format_recommendation

        text += "\n\n" + format_recommendation(report.recommendation)
    return text


def main() -> None:
    cli.main(prog_name="assess")


# --------------------------------------------------------------------------- app commands


@click.command("init-db")
def init_db_command() -> None:
    """Bring the database to the latest schema (safe to run again)."""
    from assess.records.database import init_db

    init_db()
    click.echo("database is at the latest schema")


@click.group("users")
def users_group() -> None:
    """Manage user accounts."""


@users_group.command("create")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@needs_schema
def users_create(email: str, password_stdin: bool) -> None:
    """Create a user account with EMAIL."""
    from assess.records.accounts import create_user
    from assess.records.database import db
    from assess.records.errors import Invalid

    if not password_stdin:
        fail("give the password on standard input with --password-stdin")
    password = sys.stdin.readline().rstrip("\r\n")
    try:
        user = create_user(email, password)
    except Invalid as exc:
        fail("; ".join(f"{k}: {v}" for k, v in exc.errors.items()))
    db.session.commit()
    click.echo(f"created user {user.email}")


#: Where reset links point when ASSESS_BASE_URL is not set (`make run`'s address).
DEFAULT_BASE_URL = "http://127.0.0.1:5000"


@users_group.command("reset-link")
@click.argument("email")
@needs_schema
def users_reset_link(email: str) -> None:
    """Print a single-use link, valid for an hour, that sets a new password for EMAIL."""
    import os

    from flask import current_app, url_for

    from assess.records.credentials import create_reset
    from assess.records.database import db

    raw = create_reset(_user(email))
    db.session.commit()
    base = current_app.config.get("ASSESS_BASE_URL") or os.environ.get("ASSESS_BASE_URL")
    if not base:
        click.echo(
            f"assess: note: ASSESS_BASE_URL is not set; the link assumes {DEFAULT_BASE_URL}",
            err=True,
        )
    # The path from a request context on a trusted host; the address in front from the setting
    # (never a Host header: the base URL's host need not be trusted by this process).
    with current_app.test_request_context():
        path = url_for("recovery.reset_password", reset_token=raw)
    click.echo((base or DEFAULT_BASE_URL).rstrip("/") + path)


@click.group("tokens")
def tokens_group() -> None:
    """Manage API tokens."""


def _user(email: str) -> Any:
    """The user with this email, or one line on stderr and exit 2."""
    from sqlalchemy import select

    from assess.records.database import db
    from assess.records.models import User

    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        fail(f"no user with email {email!r}")
    return user


@tokens_group.command("create")
@click.argument("email")
@needs_schema
def tokens_create(email: str) -> None:
    """Print a new API token for the user with EMAIL (only its hash is stored)."""
    from assess.records.accounts import create_token
    from assess.records.database import db

    raw = create_token(_user(email))
    db.session.commit()
    click.echo(raw)


@tokens_group.command("revoke")
@click.argument("email")
@needs_schema
def tokens_revoke(email: str) -> None:
    """Revoke every API token of the user with EMAIL."""
    from assess.records.accounts import revoke_tokens
    from assess.records.database import db

    user = _user(email)
    count = revoke_tokens(user)
    db.session.commit()
    click.echo(f"revoked {count} token(s) of {user.email}")


#: Commands that need the app and its database; ``_create_app`` adds them to ``app.cli``, and
#: the ``assess`` group finds them there.
APP_COMMANDS = [init_db_command, users_group, tokens_group]


def register_app_commands(app: Any) -> None:
    for command in APP_COMMANDS:
        app.cli.add_command(command)


@click.command("demo")
def demo_command() -> None:
    """Create a demo organization with three submitted assessments and an auditor's reviews,
    and an adviser with a dozen client organizations for the portfolio."""
    from assess.records.database import db, init_db
    from assess.records.demo import create_demo
    from assess.records.demo_portfolio import CLIENTS, create_adviser_demo

    init_db()  # the demo works on a new database too
    org, logins = create_demo()
    logins.append(create_adviser_demo())
    db.session.commit()
    click.echo(f"Demo organization: {org.name} (id {org.id}), three submitted assessments.")
    click.echo(
        f"The adviser has {len(CLIENTS)} client organizations (overdue, regressed, never "
        "assessed, improving) and audits the demo organization: see /portfolio."
    )
    click.echo("Running it again resets the demo organization (its reviews too) and the passwords.")
    click.echo(f"Written to: {_where_written()}")
    port = os.environ.get("PORT") or os.environ.get("FLASK_RUN_PORT")
    if port:
        click.echo(f"Sign in at http://127.0.0.1:{port}/login with:")
    else:
        click.echo(
            "Sign in at http://127.0.0.1:PORT/login, PORT being the one you serve on "
            "(`make run` uses 5000, `make run PORT=8080` another), with:"
        )
    for login in logins:
        click.echo(f"  {login.role:<8} {login.email}  {login.password}")
    click.echo(
        "Serve that database: `make run` (or `assess run`) from this folder, same environment."
    )


def _where_written() -> str:
    """The database the command wrote to (a password in its URL hidden) and the instance
    folder, so the server to open is the one that reads them."""
    from flask import current_app
    from sqlalchemy.engine import make_url

    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite" and url.database:
        database = f"SQLite file {os.path.abspath(url.database)}"
    else:
        database = url.render_as_string(hide_password=True)
    return f"{database} (instance folder {current_app.instance_path})"


APP_COMMANDS.append(demo_command)


# --------------------------------------------------------------------------- backup, config


@click.command("export-all")
@click.option(
    "--output",
    "-o",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The JSON file to write (mode 0600: it holds password hashes).",
)
def export_all_command(output: Path) -> None:
    """Write the whole database (users, organizations, assessments, history) as JSON."""
    from assess.records.backup import BackupError, export_to_file

    try:
        counts = export_to_file(output)
    except BackupError as exc:
        fail(str(exc))
    click.echo(f"exported {sum(counts.values())} rows from {len(counts)} tables to {output}")


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def import_command(file: Path) -> None:
    """Load an `assess export-all` FILE into a new, empty database (after `assess init-db`)."""
    from assess.records.backup import BackupError, import_file

    try:
        counts = import_file(file)
    except BackupError as exc:
        fail(str(exc))
    click.echo(f"imported {sum(counts.values())} rows into {len(counts)} tables from {file}")


@click.command("check-config")
def check_config_command() -> None:
    """Warn about unsafe production settings; exit 1 when there is any."""
    import os

    from flask import current_app

    from assess.web.checkconfig import check, file_modes

    warnings = check(current_app.config, os.environ)
    warnings += file_modes(current_app.config, current_app.instance_path)
    for warning in warnings:
        click.echo(f"warning: {warning.line()}")
    if warnings:
        sys.exit(1)
    click.echo("ok: no unsafe settings found")


APP_COMMANDS.extend([export_all_command, import_command, check_config_command])
