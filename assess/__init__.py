"""Assess: a cybersecurity program maturity self-assessment."""

from __future__ import annotations

from typing import Any


def create_app(test_config: dict[str, Any] | None = None) -> Any:
    """The Flask application factory (see assess.web.app)."""
    from assess.web.app import create_app as factory

    return factory(test_config)
