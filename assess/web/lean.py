"""The lean path of an API request with a bearer token: only what a token request needs.

Such a request never signs in with a cookie (:func:`assess.web.api.common.require_token`
reads the token alone), so what exists only for sessions is skipped for it: the session
cookie is neither read nor written (no Set-Cookie, no ``Vary: Cookie``), Flask-Login's
remember-cookie refresh and the sign-in hooks that load the session's user do not run, and no
CSP nonce is made (a JSON answer has no script). CSRF was never checked on the API (its
blueprint is exempt): it is still checked on every page, whatever Authorization header a
request carries, since the lean path is only for paths under ``/api/``.

Rate limits: no limit of Flask-Limiter's request hook applies to API routes (no default limits,
none declared on an API view), so for these requests the hook that would look them up is
skipped; the API's own throttles (:func:`assess.web.limits.spend`) count as before.
Security headers are set on every response, these included.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Flask, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface

API_PREFIX = "/api/"
_KEY = "assess.bearer_api"


def bearer_api_request() -> bool:
    """Is the current request one to the API carrying ``Authorization: Bearer …``?"""
    return is_bearer_api(request.environ)


def is_bearer_api(environ: dict[str, Any]) -> bool:
    found = environ.get(_KEY)
    if found is None:
        authorization = environ.get("HTTP_AUTHORIZATION", "")
        found = (
            environ.get("PATH_INFO", "").startswith(API_PREFIX)
            and authorization[:7].lower() == "bearer "
        )
        environ[_KEY] = found
    return found


class DetachedSession(SecureCookieSession):
    """The session of a bearer request: empty, and never saved (so never a Set-Cookie)."""


class LeanSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, but none at all for a bearer API request."""

    def open_session(self, app: Flask, request: Any) -> SecureCookieSession | None:
        if is_bearer_api(request.environ):
            return DetachedSession()
        return super().open_session(app, request)

    def is_null_session(self, obj: object) -> bool:
        return isinstance(obj, DetachedSession) or super().is_null_session(obj)


def skipped_for_bearer_api(hook: Callable[..., Any]) -> Callable[..., Any]:
    """A before-request hook (returns None) or after-request hook (returns the response it
    was given) that does nothing on a bearer API request."""

    @wraps(hook)
    def wrapper(*args: Any) -> Any:
        if bearer_api_request():
            return args[0] if args else None
        return hook(*args)

    return wrapper


def init_lean(app: Flask, *, before: list[Any], after: list[Any]) -> None:
    """Use the lean session interface, and skip the given app-wide hooks (as registered:
    bound methods and partials compare equal to themselves) on bearer API requests."""
    app.session_interface = LeanSessionInterface()
    for funcs, hooks in (
        (app.before_request_funcs.setdefault(None, []), before),
        (app.after_request_funcs.setdefault(None, []), after),
    ):
        for hook in hooks:
            index = funcs.index(hook)  # ValueError: a hook that is not registered
            funcs[index] = skipped_for_bearer_api(hook)
