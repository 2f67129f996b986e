"""Database set-up: migrations to the latest schema."""

from __future__ import annotations

from flask import current_app
from flask_migrate import upgrade


def init_db() -> None:
    """Upgrade the database to the latest migration; running it again changes nothing."""
    upgrade(directory=current_app.extensions["migrate"].directory)
