"""Accounts: users, their passwords, and the API tokens that stand for them."""

from __future__ import annotations

import hashlib
import secrets
import unicodedata

from email_validator import EmailNotValidError, validate_email
from flask import current_app, has_app_context
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from assess.records.database import db
from assess.records.errors import Invalid
from assess.records.models import ApiToken, User, utcnow
from assess.records.passwords import MAX_PASSWORD, MIN_PASSWORD, password_problem

__all__ = ["MAX_PASSWORD", "MIN_PASSWORD", "password_problem"]

#: A token's last use is kept to this precision: one write per period, not one per call.
TOKEN_USE_PRECISION_SECONDS = 300


def normalize_email(email: str) -> str:
    """One spelling per address: trimmed, the domain in Unicode (a punycode ``xn--`` domain
    and its Unicode form are one), NFC, lower case; lookalike mixed-script addresses (a
    Cyrillic ``а`` among Latin letters) refused. Sign-in normalizes the same way."""
    if not isinstance(email, str):
        raise Invalid({"email": "An email address is required."})
    try:
        found = validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise Invalid({"email": str(exc)}) from None
    address = found.normalized.lower()
    problem = mixed_script(address)
    if problem:
        raise Invalid({"email": problem})
    return address


#: Scripts whose letters pass for one another.
_CONFUSABLE_SCRIPTS = {"LATIN", "CYRILLIC", "GREEK"}


def mixed_script(address: str) -> str | None:
    """Why an address is a lookalike: its local part or a label of its domain mixes Latin,
    Cyrillic and Greek letters.

    >>> mixed_script("owner@example.com") is None, "Cyrillic" in mixed_script("p\u0430ypal@x.com")
    (True, True)
    """
    local, _, domain = address.partition("@")
    for part in (local, *domain.split(".")):
        scripts = {
            unicodedata.name(ch, "?").split(" ")[0] for ch in part if ch.isalpha()
        } & _CONFUSABLE_SCRIPTS
        if len(scripts) > 1:
            names = ", ".join(sorted(s.title() for s in scripts))
            return (
                f'The email mixes letters of different scripts ({names}) in "{part}"; '
                "type it in one script."
            )
    return None


def create_user(email: str, password: str) -> User:
    address = normalize_email(email)
    problem = password_problem(password, address)
    if problem:
        raise Invalid({"password": problem})
    if db.session.scalar(select(User.id).where(User.email == address)) is not None:
        raise Invalid({"email": "An account with this email already exists."})
    user = User(email=address, password_hash=hash_password(password))
    db.session.add(user)
    db.session.flush()
    return user


_DUMMY_HASH: str | None = None


def hash_password(password: str) -> str:
    """scrypt by default (werkzeug); the test suite configures a cheaper method for speed."""
    method = "scrypt"
    if has_app_context():
        method = current_app.config.get("PASSWORD_HASH_METHOD", method)
    return generate_password_hash(password, method=method)


def authenticate(email: str, password: str) -> User | None:
    """The user whose email and password match, or None (timing does not reveal which failed)."""
    global _DUMMY_HASH
    try:
        address = normalize_email(email)
    except Invalid:  # not an address today: look it up as typed (rows kept from before)
        address = email.strip().lower()
    user = db.session.scalar(select(User).where(User.email == address))
    if user is None:
        _DUMMY_HASH = _DUMMY_HASH or hash_password(secrets.token_hex(8))
        check_password_hash(_DUMMY_HASH, password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def create_token(user: User) -> str:
    """A new API token for the user; only its SHA-256 is stored."""
    raw = "assess_" + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, token_hash=token_digest(raw)))
    db.session.flush()
    return raw


def token_for(raw: str) -> ApiToken | None:
    """The stored token a raw one stands for, or None (a read: it writes nothing)."""
    if not raw or len(raw) > 200:
        return None
    return db.session.scalar(select(ApiToken).where(ApiToken.token_hash == token_digest(raw)))


def note_token_use(token: ApiToken) -> bool:
    """Record that the token was used now, to five minutes' precision; True when that wrote
    (flushed) something the caller is to commit."""
    now = utcnow()
    last = token.last_used_at
    if last is not None and (now - last).total_seconds() <= TOKEN_USE_PRECISION_SECONDS:
        return False
    token.last_used_at = now
    db.session.flush()
    return True


def revoke_tokens(user: User) -> int:
    """Delete every API token of the user; return how many there were."""
    tokens = list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)))
    for token in tokens:
        db.session.delete(token)
    db.session.flush()
    return len(tokens)
