"""Settings, read from the environment; secrets never live in the code or the repository.

| variable | meaning | default |
|---|---|---|
| ASSESS_INSTANCE_PATH | the instance folder (database, generated secret key) | ./instance |
| DATABASE_URL | SQLAlchemy URL; ``postgresql+psycopg://user:pw@host/db`` for PostgreSQL | SQLite in the instance folder |
| SECRET_KEY | signs sessions and CSRF tokens | generated once, kept in instance/secret_key |
| ASSESS_HTTPS | ``1`` behind TLS: Secure cookies and HSTS | off |
| ASSESS_MAX_BODY | the largest request body in bytes | 1048576 (1 MB) |
| ASSESS_MAX_EVIDENCE | the largest evidence file: bytes, or with KB, MB or GB (×1024) | 10MB |
| RATELIMIT_STORAGE_URI | Flask-Limiter storage: ``memory://`` or ``redis://host:6379`` | memory:// |
| ASSESS_PROXY_HOPS | trusted proxies in front (their X-Forwarded-For/-Proto are believed) | 0 |
| ASSESS_LOGIN_LIMIT | failed sign-ins refused (429) past this per (account, address) and per address; per account from all addresses they only slow sign-in | 10 per 15 minutes |
| ASSESS_LOGIN_DELAY | seconds each sign-in to an account waits once it has ASSESS_LOGIN_LIMIT failures from all addresses (a device that signed in to it before does not wait) | 3 |
| ASSESS_REGISTER_LIMIT | sign-up attempts per address | 10 per hour |
| ASSESS_LOOKUP_LIMIT | add-member-by-email lookups per user | 60 per hour |
| ASSESS_SESSION_HOURS | hours a session lasts from sign-in | 12 |
| ASSESS_SMTP_URL | mail server for "forgot password" links: ``smtp://user:pass@host:port`` or ``smtps://`` (TLS) | unset: no mail, reset links from ``assess users reset-link`` |
| ASSESS_MAIL_FROM | the sender of those mails | ``assess@localhost`` |
| ASSESS_BASE_URL | the scheme and host (and path) the app is reached at, e.g. ``https://assess.example.com``: every absolute link (invitations, resets) starts with it | the request's host |
| ASSESS_TRUSTED_HOSTS | more Host names to answer, commas (``.example.com`` takes subdomains); any other Host → 400 | localhost, 127.0.0.1 and ASSESS_BASE_URL's host |
| ASSESS_MAX_ORGANIZATIONS | organizations one user may own (422 past it) | 100 |
| ASSESS_MAX_DRAFTS | drafts one organization may hold (422 past it) | 20 |
| ASSESS_MAX_CHANGES | answer-history rows one assessment may hold (422 past it) | 10000 |
| BROWSER_PATH | the Chromium that draws chart images (read by assess.outputs.images) | chromium on PATH |
| ASSESS_CHART_RENDERERS | chart image renderers (each a Chromium of 300-600 MB) per worker, 1 to 8: that many PNG/SVG/PDF charts draw at once, more wait up to 30 s, then 503 (read by assess.outputs.image_pool; `assess check-config` names a bad value) | 2 |
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from pathlib import Path
from typing import Any


def instance_path() -> str:
    return os.path.abspath(
        os.environ.get("ASSESS_INSTANCE_PATH") or os.path.join(os.getcwd(), "instance")
    )


def private_folder(path: str) -> None:
    """The instance folder (database, secret key) is created 0700: only its owner may list
    or open what is in it. A folder that exists keeps its mode (check-config warns)."""
    if not os.path.isdir(path):
        os.makedirs(path, mode=0o700, exist_ok=True)
        os.chmod(path, 0o700)  # makedirs' mode is filtered by the umask


def private_sqlite_file(url: str) -> None:
    """A SQLite database file is created 0600 before SQLite opens it (SQLite would create
    it 0644, readable by every local user, with the password and token hashes in it); its
    -wal and -shm files take the same mode."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or url == prefix or ":memory:" in url or "mode=memory" in url:
        return
    path = url[len(prefix) :].split("?", 1)[0]
    if not path or os.path.exists(path):
        return
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with contextlib.suppress(FileExistsError):  # another worker made it first
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


def secret_key(instance: str) -> str:
    """SECRET_KEY from the environment, else one generated once and kept in the instance folder.

    Several workers may start at once: the key is written whole to a temporary file and linked
    into place, so a worker either creates the file or reads the one another worker made,
    never an empty or half-written one.
    """
    from_env = os.environ.get("SECRET_KEY")
    if from_env:
        return from_env
    path = Path(instance) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".secret_key.")
        try:
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_hex(32))
            os.chmod(temp, 0o600)
            os.link(temp, path)  # fails if another worker was first: then use theirs
        except FileExistsError:
            pass
        finally:
            os.unlink(temp)
    key = path.read_text().strip()
    if not key:
        raise RuntimeError(f"{path} is empty: delete it, or set SECRET_KEY")
    return key


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value.isascii() and value.isdecimal() else default


#: Units of a size setting ("10MB"): binary multiples, as ASSESS_MAX_BODY's 1 MB is 1048576.
UNITS = {"": 1, "B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}
MAX_EVIDENCE = 10 * 1024 * 1024
#: The routes that take a larger body than MAX_CONTENT_LENGTH (1 MB): evidence uploads, up to
#: ASSESS_MAX_EVIDENCE plus room for the multipart framing and the form's other fields.
LARGE_BODIES = frozenset(
    {"api.add_evidence", "evidence.add", "api.add_action_evidence", "plan.add_evidence"}
)
MULTIPART_ROOM = 64 * 1024


def parse_size(text: str) -> int | None:
    """A size in bytes from "1048576", "512KB", "10 MB" or "1GB"; None when it is not one.

    >>> parse_size("10MB"), parse_size("512 kb"), parse_size("1048576"), parse_size("ten")
    (10485760, 524288, 1048576, None)
    """
    text = text.strip().upper().removesuffix("IB")
    number = text.rstrip("KMGB ")
    unit = text[len(number) :].strip()
    if unit in ("K", "M", "G"):
        unit += "B"
    if not (number.isascii() and number.isdecimal()) or unit not in UNITS:
        return None
    size = int(number) * UNITS[unit]
    return size if size > 0 else None


def max_evidence() -> int:
    return parse_size(os.environ.get("ASSESS_MAX_EVIDENCE", "")) or MAX_EVIDENCE


def _number(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, ""))
    except ValueError:
        return default
    return value if 0 <= value <= 60 else default


def database_url(instance: str) -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        # Heroku-style URLs name the old driver; we ship psycopg 3.
        if url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url[len("postgres://") :]
        elif url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://") :]
        return url
    return "sqlite:///" + os.path.join(instance, "assess.db")


def from_environment(instance: str) -> dict[str, Any]:
    from assess.web.urls import trusted_hosts

    https = _flag("ASSESS_HTTPS")
    base_url = os.environ.get("ASSESS_BASE_URL", "").strip().rstrip("/")
    return {
        "ASSESS_BASE_URL": base_url,
        # Flask 3.1+: a request whose Host is not one of these is refused (400).
        "TRUSTED_HOSTS": trusted_hosts(base_url, os.environ.get("ASSESS_TRUSTED_HOSTS", "")),
        "SECRET_KEY": secret_key(instance),
        "SQLALCHEMY_DATABASE_URI": database_url(instance),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "MAX_CONTENT_LENGTH": int(os.environ.get("ASSESS_MAX_BODY", 1024 * 1024)),
        "ASSESS_MAX_EVIDENCE": max_evidence(),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": https,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": https,
        "ASSESS_HTTPS": https,
        "PREFERRED_URL_SCHEME": "https" if https else "http",
        "WTF_CSRF_TIME_LIMIT": None,
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "ASSESS_LOGIN_LIMIT": os.environ.get("ASSESS_LOGIN_LIMIT", "10 per 15 minutes"),
        "ASSESS_LOGIN_DELAY": _number("ASSESS_LOGIN_DELAY", 3.0),
        "ASSESS_REGISTER_LIMIT": os.environ.get("ASSESS_REGISTER_LIMIT", "10 per hour"),
        "ASSESS_LOOKUP_LIMIT": os.environ.get("ASSESS_LOOKUP_LIMIT", "60 per hour"),
        "ASSESS_MAX_ORGANIZATIONS": _int("ASSESS_MAX_ORGANIZATIONS", 100),
        "ASSESS_MAX_DRAFTS": _int("ASSESS_MAX_DRAFTS", 20),
        "ASSESS_MAX_CHANGES": _int("ASSESS_MAX_CHANGES", 10_000),
        "ASSESS_PROXY_HOPS": _int("ASSESS_PROXY_HOPS", 0),
        "ASSESS_SESSION_HOURS": _int("ASSESS_SESSION_HOURS", 12),
        "SEND_FILE_MAX_AGE_DEFAULT": 0,
        "ASSESS_SMTP_URL": os.environ.get("ASSESS_SMTP_URL", ""),
        "ASSESS_MAIL_FROM": os.environ.get("ASSESS_MAIL_FROM", "assess@localhost"),
    }
