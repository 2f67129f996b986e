"""Two-step verification with TOTP (RFC 6238, the codes of authenticator apps) and ten
single-use recovery codes, stored hashed. Enrolment is two steps: a secret is proposed
(shown as a QR code), and only a code computed from it turns it on."""

from __future__ import annotations

import hashlib
import secrets
import time

import pyotp
from sqlalchemy import select, update
from werkzeug.security import check_password_hash

from assess.records.database import db
from assess.records.errors import Invalid
from assess.records.models import Membership, Organization, RecoveryCode, User, utcnow

ISSUER = "Assess"
RECOVERY_CODES = 10
#: Codes of the step before and after the current one are accepted (clock drift).
DRIFT_STEPS = 1
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i


class EnrolmentState(RuntimeError):
    """The enrolment step does not fit the account's state (already on; nothing pending)."""


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


def _normalize(code: str) -> str:
    return "".join((code or "").split()).replace("-", "").lower()


def enabled(user: User) -> bool:
    return bool(user.mfa_secret)


def otpauth_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def start_enrolment(user: User) -> str:
    """Propose a new secret (kept as pending until confirmed). Conflict when two-step
    verification is already on: turn it off first."""
    if enabled(user):
        raise EnrolmentState("Two-step verification is already on; turn it off first to change it.")
    user.mfa_pending_secret = pyotp.random_base32()
    db.session.flush()
    return user.mfa_pending_secret


def _matching_step(secret: str, code: str, after: int | None) -> int | None:
    """The time step whose code this is (within the drift), unless it is not after ``after``."""
    code = _normalize(code)
    if not (len(code) == 6 and code.isascii() and code.isdigit()):
        return None
    totp = pyotp.TOTP(secret)
    now = int(time.time()) // totp.interval
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if secrets.compare_digest(totp.generate_otp(step), code):
            if after is not None and step <= after:
                return None  # replayed
            return step
    return None


def confirm_enrolment(user: User, code: str) -> list[str]:
    """Turn two-step verification on with a code from the pending secret; return the ten
    recovery codes (shown once: only their hashes are kept)."""
    if enabled(user):
        raise EnrolmentState("Two-step verification is already on.")
    if not user.mfa_pending_secret:
        raise EnrolmentState("Start the set-up first: no secret is waiting for confirmation.")
    step = _matching_step(user.mfa_pending_secret, code, None)
    if step is None:
        raise Invalid({"code": "That code is not right; enter the six digits the app shows now."})
    user.mfa_secret, user.mfa_pending_secret, user.mfa_last_step = (
        user.mfa_pending_secret,
        None,
        step,
    )
    return new_recovery_codes(user)


def new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes with ten new ones; return them."""
    for old in db.session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id)):
        db.session.delete(old)
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_ALPHABET) for _ in range(16))
        codes.append(f"{raw[:4]}-{raw[4:8]}-{raw[8:12]}-{raw[12:]}")
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_digest(raw)))
    db.session.flush()
    return codes


def verify(user: User, code: str) -> bool:
    """A TOTP code (each accepted once) or an unused recovery code (then spent)."""
    if not enabled(user):
        return False
    step = _matching_step(user.mfa_secret or "", code, user.mfa_last_step)
    if step is not None:
        # Conditional: of two concurrent sign-ins with one code, only one passes.
        moved = db.session.execute(
            update(User)
            .where(
                User.id == user.id,
                (User.mfa_last_step.is_(None)) | (User.mfa_last_step < step),
            )
            .values(mfa_last_step=step)
            .execution_options(synchronize_session=False)
        )
        db.session.refresh(user)
        return moved.rowcount == 1  # type: ignore[attr-defined]
    normalized = _normalize(code)
    if len(normalized) != 16:
        return False
    spent = db.session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _digest(normalized),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
    )
    return spent.rowcount == 1  # type: ignore[attr-defined]


def recovery_codes_left(user: User) -> int:
    return len(
        list(
            db.session.scalars(
                select(RecoveryCode.id).where(
                    RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
                )
            )
        )
    )


def disable(user: User, password: str, code: str) -> None:
    """Turn two-step verification off: the password and a current code (or a recovery
    code) are both required."""
    errors = {}
    if not check_password_hash(user.password_hash, password or ""):
        errors["password"] = "This is not your password."  # noqa: S105  (a message)
    elif not verify(user, code):
        errors["code"] = "That code is not right."
    if errors:
        raise Invalid(errors)
    user.mfa_secret = user.mfa_pending_secret = None
    user.mfa_last_step = None
    for old in db.session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id)):
        db.session.delete(old)
    db.session.flush()


def required_by(user: User) -> list[Organization]:
    """The user's organizations that require two-step verification of their members."""
    return list(
        db.session.scalars(
            select(Organization)
            .join(Membership, Membership.organization_id == Organization.id)
            .where(Membership.user_id == user.id, Organization.require_mfa.is_(True))
            .order_by(Organization.name)
        )
    )


def must_enrol(user: User) -> bool:
    """True when an organization of the user requires two-step verification they lack."""
    return not enabled(user) and bool(required_by(user))


def set_required(org: Organization, by: User, required: bool) -> None:
    """An owner's setting; turning it on needs two-step verification on the owner's own
    account, so that it never locks out the person who set it."""
    if required and not enabled(by):
        raise Invalid({"require_mfa": "Turn on two-step verification for your own account first."})
    org.require_mfa = bool(required)
    db.session.flush()
