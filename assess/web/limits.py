"""Rate limits (Flask-Limiter), kept in its storage (memory, or Redis shared by every worker).

- Failed sign-ins are refused (429) per (account, address) and per address; per account, from
  all addresses together, they only *slow* sign-in (:func:`pause`), so no one can lock an
  owner out by failing on purpose: see :mod:`assess.web.auth`.
- :func:`spend` is the throttle any view can call for one more attempt of something costly
  or revealing (registration, add-member lookups, reset requests): 429 past the limit.
"""

from __future__ import annotations

import time

from flask import abort, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import parse

limiter = Limiter(key_func=get_remote_address, default_limits=[], strategy="fixed-window")


def _enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def spend(setting: str, *key: str) -> None:
    """Count one attempt against the limit named by the ``setting`` (say
    ``ASSESS_REGISTER_LIMIT`` = ``10 per hour``) for ``key``; 429 once it is spent."""
    if not _enabled():
        return
    item = parse(current_app.config[setting])
    if not limiter.limiter.hit(item, setting, *key):
        abort(429)


def note_failure(setting: str, *key: str) -> None:
    """Count one failure toward the limit named by ``setting`` (never refuses)."""
    if _enabled():
        limiter.limiter.hit(parse(current_app.config[setting]), setting, *key)


def over(setting: str, *key: str) -> bool:
    """Has ``key`` used up the limit named by ``setting`` (without counting this call)?"""
    if not _enabled():
        return False
    return not limiter.limiter.test(parse(current_app.config[setting]), setting, *key)


def pause(seconds: float) -> None:
    """Wait before answering (the account-wide sign-in slowdown)."""
    time.sleep(seconds)
