"""Absolute links (invitations, password resets): built on ASSESS_BASE_URL, never on the
Host header a client sent. Every view that puts a link into a message or a JSON answer
calls :func:`absolute_url`."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app, request, url_for


def absolute_url(endpoint: str, **values: Any) -> str:
    """The endpoint's URL with ASSESS_BASE_URL's scheme, host and path in front; without a
    base URL, the request's own host (which Flask's TRUSTED_HOSTS has checked).

    ``absolute_url("team.accept_invitation", token="abc")`` →
    ``https://assess.example.com/invitations/abc``
    """
    base = (current_app.config.get("ASSESS_BASE_URL") or "").rstrip("/")
    if not base:
        return url_for(endpoint, _external=True, **values)
    path = url_for(endpoint, **values)
    root = request.script_root if request else ""
    if root and path.startswith(root):
        path = path[len(root) :]
    return base + path


def trusted_hosts(base_url: str, extra: str) -> list[str]:
    """localhost and 127.0.0.1, the base URL's host, and ASSESS_TRUSTED_HOSTS (commas);
    ``.example.com`` also trusts every subdomain (Werkzeug's rule).

    >>> trusted_hosts("https://assess.example.com:8443/x", " a.example, .b.example ")
    ['localhost', '127.0.0.1', 'assess.example.com', 'a.example', '.b.example']
    """
    hosts = ["localhost", "127.0.0.1"]
    host = urlsplit(base_url).hostname if base_url else None
    if host:
        hosts.append(host)
    hosts += [h.strip().lower() for h in extra.split(",") if h.strip()]
    return list(dict.fromkeys(hosts))
