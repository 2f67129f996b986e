"""Unsafe production settings, found from the app's config and the environment.

:func:`check` is pure: it reads two mappings and returns a :class:`Warning` per problem, each
saying in one line what is wrong and how to fix it. ``assess check-config`` prints them.
"""

from __future__ import annotations

import os
import shlex
import stat
from collections.abc import Mapping
from typing import Any, NamedTuple

from assess.outputs.image_pool import MAX_RENDERERS, renderer_setting


class Warning(NamedTuple):  # shadows the builtin on purpose: the contract names it so
    """One unsafe setting: a stable ``code``, what is wrong, and how to fix it."""

    code: str
    message: str
    fix: str

    def line(self) -> str:
        """
        >>> Warning("debug", "debug mode is on", "unset FLASK_DEBUG").line()
        'debug mode is on; fix: unset FLASK_DEBUG [debug]'
        """
        return f"{self.message}; fix: {self.fix} [{self.code}]"


def check(config: Mapping[str, Any], environ: Mapping[str, str]) -> list[Warning]:
    """Every unsafe setting, in a fixed order (empty when the setup is safe)."""
    found: list[Warning] = []
    workers = worker_count(environ)
    several = workers > 1
    sqlite = str(config.get("SQLALCHEMY_DATABASE_URI", "")).startswith("sqlite")

    if _true(environ.get("FLASK_DEBUG")) or config.get("DEBUG"):
        found.append(
            Warning(
                "debug",
                "debug mode is on: tracebacks and the interactive debugger reach the browser",
                "unset FLASK_DEBUG and do not pass --debug",
            )
        )
    if sqlite and several:
        found.append(
            Warning(
                "sqlite-workers",
                f"SQLite with {workers} workers: writers queue behind one file lock",
                "set DATABASE_URL to a PostgreSQL database, or run a single worker",
            )
        )
    if not config.get("ASSESS_HTTPS"):
        found.append(
            Warning(
                "no-https",
                "HTTPS is off: no HSTS and URLs are built with http://",
                "serve behind TLS and set ASSESS_HTTPS=1",
            )
        )
    if str(config.get("RATELIMIT_STORAGE_URI", "memory://")).startswith("memory://") and several:
        found.append(
            Warning(
                "memory-ratelimit",
                f"rate limits are kept in memory by each of {workers} workers, "
                "so each counts sign-ins apart",
                "set RATELIMIT_STORAGE_URI=redis://host:6379",
            )
        )
    if not environ.get("SECRET_KEY") and (several or not sqlite):
        why = (
            f"{workers} workers starting together race to create it"
            if several
            else "each host sharing this database would make its own"
        )
        found.append(
            Warning(
                "generated-secret",
                f"SECRET_KEY is generated into the instance folder: {why}, "
                "and sessions signed with one key fail on another",
                "set SECRET_KEY in the environment (python -c 'import secrets; "
                "print(secrets.token_hex(32))')",
            )
        )
    insecure = [
        name for name in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE") if not config.get(name)
    ]
    if insecure:
        found.append(
            Warning(
                "insecure-cookie",
                f"{' and '.join(insecure)} off: the session cookie also travels over plain HTTP",
                "set ASSESS_HTTPS=1 (it turns both on)",
            )
        )
    if not config.get("ASSESS_BASE_URL"):
        found.append(
            Warning(
                "no-base-url",
                "ASSESS_BASE_URL is not set: only localhost and 127.0.0.1 (and "
                "ASSESS_TRUSTED_HOSTS) are answered, and links are built on the request's host",
                "set ASSESS_BASE_URL=https://your.host",
            )
        )
    _, problem = renderer_setting(environ)
    if problem:
        found.append(
            Warning(
                "chart-renderers",
                problem,
                f"set ASSESS_CHART_RENDERERS to a whole number from 1 to {MAX_RENDERERS} "
                "(each renderer is a Chromium of 300-600 MB, in each worker)",
            )
        )
    return found


def file_modes(config: Mapping[str, Any], instance: str) -> list[Warning]:
    """Files others on the machine could read: the instance folder (it should be 0700), the
    SQLite database and the generated secret key (0600)."""
    found: list[Warning] = []
    paths = [(instance, 0o700), (os.path.join(instance, "secret_key"), 0o600)]
    url = str(config.get("SQLALCHEMY_DATABASE_URI", ""))
    if url.startswith("sqlite:///") and ":memory:" not in url:
        database = url[len("sqlite:///") :].split("?", 1)[0]
        paths += [(database, 0o600), (database + "-wal", 0o600), (database + "-shm", 0o600)]
    for path, wanted in paths:
        try:
            mode = stat.S_IMODE(os.stat(path).st_mode)
        except OSError:
            continue
        if mode & 0o077:
            found.append(
                Warning(
                    "file-mode",
                    f"{path} is mode {mode:04o}: other users of this machine can "
                    f"{'list and read' if wanted == 0o700 else 'read'} it",
                    f"chmod {wanted:o} {shlex.quote(path)}",
                )
            )
    return found


def worker_count(environ: Mapping[str, str]) -> int:
    """gunicorn's worker count: GUNICORN_CMD_ARGS wins over WEB_CONCURRENCY, default 1.

    >>> worker_count({"GUNICORN_CMD_ARGS": "--bind :8000 -w 4", "WEB_CONCURRENCY": "2"})
    4
    >>> worker_count({"GUNICORN_CMD_ARGS": "--workers=3"})
    3
    >>> worker_count({"WEB_CONCURRENCY": "2"})
    2
    >>> worker_count({})
    1
    """
    found = _workers_in_args(environ.get("GUNICORN_CMD_ARGS", ""))
    if found is None:
        found = _int(environ.get("WEB_CONCURRENCY"))
    return found if found is not None and found > 0 else 1


def _workers_in_args(args: str) -> int | None:
    try:
        words = shlex.split(args)
    except ValueError:
        return None
    found = None
    for i, word in enumerate(words):
        following = words[i + 1] if i + 1 < len(words) else None
        if word in {"-w", "--workers"}:
            found = _int(following)
        elif word.startswith("--workers="):
            found = _int(word.split("=", 1)[1])
        elif word.startswith("-w") and word[2:].isdigit():
            found = _int(word[2:])
    return found


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _true(value: str | None) -> bool:
    """Flask's reading of FLASK_DEBUG: set and not 0, false or no."""
    return bool(value) and value.strip().lower() not in {"0", "false", "no"}
