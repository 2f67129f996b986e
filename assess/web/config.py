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
| ASSESS_LOGIN_LIMIT | failed sign-ins allowed per account and per address | 10 per 15 minutes |
| ASSESS_SESSION_HOURS | hours a session lasts from sign-in | 12 |
| ASSESS_SMTP_URL | mail server for "forgot password" links: ``smtp://user:pass@host:port`` or ``smtps://`` (TLS) | unset: no mail, reset links from ``assess users reset-link`` |
| ASSESS_MAIL_FROM | the sender of those mails | ``assess@localhost`` |
| BROWSER_PATH | the Chromium that draws chart images (read by assess.outputs.images) | chromium on PATH |
"""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path
from typing import Any


def instance_path() -> str:
    return os.path.abspath(
        os.environ.get("ASSESS_INSTANCE_PATH") or os.path.join(os.getcwd(), "instance")
    )


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
LARGE_BODIES = frozenset({"api.add_evidence", "evidence.add"})
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
    https = _flag("ASSESS_HTTPS")
    return {
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
        "ASSESS_PROXY_HOPS": _int("ASSESS_PROXY_HOPS", 0),
        "ASSESS_SESSION_HOURS": _int("ASSESS_SESSION_HOURS", 12),
        "SEND_FILE_MAX_AGE_DEFAULT": 0,
        "ASSESS_SMTP_URL": os.environ.get("ASSESS_SMTP_URL", ""),
        "ASSESS_MAIL_FROM": os.environ.get("ASSESS_MAIL_FROM", "assess@localhost"),
    }
