"""The ``assess`` command: a Flask CLI group whose offline commands need no app or database.

Bad input ends with exit code 2 and one line on stderr; nothing prints a traceback.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, NoReturn

import click
from flask.cli import FlaskGroup

from assess.errors import InputError, InputErrors

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


def _create_app(*_: Any) -> Any:
    from assess import create_app

    return create_app()


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
    from assess.questionnaire import questionnaire_dir, validate_files

    paths = list(files) or sorted(
        p for p in questionnaire_dir().iterdir() if p.suffix in {".yaml", ".yml"}
    )
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
@input_errors_exit
def score_command(
    answers: Path,
    questionnaire_ref: str | None,
    targets: tuple[str, ...],
    fmt: str,
    profile: Path | None,
    policy: Path | None,
) -> None:
    """Score an ANSWERS file (YAML or CSV) offline and print the results."""
    from assess.service import score_offline

    report = score_offline(
        answers_path=answers,
        questionnaire_ref=questionnaire_ref,
        target_items=targets,
        profile_path=profile,
        policy_path=policy,
    )
    click.echo(render(report, fmt), nl=fmt != "csv")


def render(report: Any, fmt: str) -> str:
    from assess.textreport import format_table

    if fmt == "json":
        return json.dumps(report.to_dict(), indent=2, ensure_ascii=False)
    if fmt == "csv":
        out = io.StringIO()
        columns = ["id", "title", "score", "target", "gap", "answered", "total", "unknown", "na"]
        writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for area in report.result.to_dict()["areas"]:
            writer.writerow({k: ("" if v is None else v) for k, v in area.items()})
        return out.getvalue()
    text = format_table(report.result)
    if report.recommendation is not None:
        from assess.recommend import format_recommendation

        text += "\n\n" + format_recommendation(report.recommendation)
    return text


def main() -> None:
    cli.main(prog_name="assess")


# --------------------------------------------------------------------------- app commands


@click.command("init-db")
def init_db_command() -> None:
    """Bring the database to the latest schema (safe to run again)."""
    from assess.dbtools import init_db

    init_db()
    click.echo("database is at the latest schema")


@click.group("users")
def users_group() -> None:
    """Manage user accounts."""


@users_group.command("create")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def users_create(email: str, password_stdin: bool) -> None:
    """Create a user account with EMAIL."""
    from assess.extensions import db
    from assess.store import Invalid, create_user

    if not password_stdin:
        fail("give the password on standard input with --password-stdin")
    password = sys.stdin.readline().rstrip("\r\n")
    try:
        user = create_user(email, password)
    except Invalid as exc:
        fail("; ".join(f"{k}: {v}" for k, v in exc.errors.items()))
    db.session.commit()
    click.echo(f"created user {user.email}")


@click.group("tokens")
def tokens_group() -> None:
    """Manage API tokens."""


@tokens_group.command("create")
@click.argument("email")
def tokens_create(email: str) -> None:
    """Print a new API token for the user with EMAIL (only its hash is stored)."""
    from sqlalchemy import select

    from assess.extensions import db
    from assess.models import User

    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        fail(f"no user with email {email!r}")
    from assess.store import create_token

    raw = create_token(user)
    db.session.commit()
    click.echo(raw)


#: Commands that need the app and its database; the factory adds them to ``app.cli``, and the
#: ``assess`` group finds them there.
APP_COMMANDS = [init_db_command, users_group, tokens_group]


def register_app_commands(app: Any) -> None:
    for command in APP_COMMANDS:
        app.cli.add_command(command)


@click.command("demo")
def demo_command() -> None:
    """Create a demo organization with three submitted assessments and an auditor's reviews."""
    from assess.demo import create_demo

    org, logins = create_demo()
    click.echo(f"Demo organization: {org.name} (id {org.id}), three submitted assessments.")
    click.echo("Sign in at http://127.0.0.1:5000/login with (passwords are new each run):")
    for login in logins:
        click.echo(f"  {login.role:<8} {login.email}  {login.password}")


APP_COMMANDS.append(demo_command)
