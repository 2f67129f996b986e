"""(placeholder: being written)"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("orgs", __name__)
