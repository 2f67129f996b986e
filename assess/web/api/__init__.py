"""The JSON API under ``/api/v1``: the same use cases as the pages, behind bearer tokens.

One blueprint (``bp``, defined in :mod:`assess.web.api.common` with the plumbing every view
shares), its routes in one module per job. Importing the package registers them all.
"""

from assess.web.api import (  # noqa: F401  (importing registers the routes)
    account,
    assessments,
    catalog,
    changes,
    downloads,
    evidence,
    organizations,
    plan,
    portfolio,
    records,
    reviews,
    team,
)
from assess.web.api.common import bp

__all__ = ["bp"]
