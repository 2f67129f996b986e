"""Changing a password, and single-use reset links: either way every other session and every
API token of the user ends (a changed password is the answer to a password someone else knows).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select, update
from werkzeug.security import check_password_hash

from assess.records.accounts import hash_password, normalize_email, password_problem, revoke_tokens
from assess.records.database import db
from assess.records.errors import Invalid
from assess.records.models import PasswordReset, User, utcnow

#: A reset link is valid this long after it was made.
RESET_VALID = timedelta(hours=1)


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _set_password(user: User, new_password: str, field: str) -> None:
    """The new password (checked by the same rule as at sign-up), every session and token
    of the user ended, and every open reset link of the user spent."""
    problem = password_problem(new_password)
    if problem:
        raise Invalid({field: problem})
    user.password_hash = hash_password(new_password)
    user.session_version = (user.session_version or 1) + 1
    revoke_tokens(user)
    db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
        .values(used_at=utcnow())
    )
    db.session.flush()


def change_password(user: User, current: str, new_password: str) -> None:
    """Change the password of a signed-in user: the current one is required. The caller
    signs the current session in again (the session version moved on)."""
    if not check_password_hash(user.password_hash, current or ""):
        raise Invalid({"current_password": "This is not your current password."})
    if current == new_password:
        raise Invalid({"new_password": "Choose a password other than the current one."})
    _set_password(user, new_password, "new_password")


def user_by_email(email: str) -> User | None:
    try:
        address = normalize_email(email)
    except Invalid:
        return None
    return db.session.scalar(select(User).where(User.email == address))


def create_reset(user: User) -> str:
    """A new reset token for the user (valid for RESET_VALID, single use); only its SHA-256
    is stored. The raw token is returned for the link."""
    raw = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(
        PasswordReset(
            user_id=user.id, token_hash=_digest(raw), created_at=now, expires_at=now + RESET_VALID
        )
    )
    db.session.flush()
    return raw


def open_reset(raw: str) -> PasswordReset | None:
    """The unused, unexpired reset a raw token stands for, or None."""
    if not raw or len(raw) > 200:
        return None
    reset = db.session.scalar(select(PasswordReset).where(PasswordReset.token_hash == _digest(raw)))
    if reset is None or reset.used_at is not None or reset.expires_at <= utcnow():
        return None
    return reset


def reset_password(raw: str, new_password: str) -> User | None:
    """Set a new password through a reset link; None when the link is spent or expired.
    The link is spent whether or not the user had other sessions; they all end."""
    reset = open_reset(raw)
    if reset is None:
        return None
    problem = password_problem(new_password)
    if problem:  # before the link is spent: it stays open for a better password
        raise Invalid({"password": problem})
    # Spend the link first, conditionally: of two concurrent uses only one changes anything.
    spent = db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.id == reset.id, PasswordReset.used_at.is_(None))
        .values(used_at=utcnow())
    )
    if spent.rowcount != 1:  # type: ignore[attr-defined]
        return None
    user = reset.user
    _set_password(user, new_password, "password")
    return user
