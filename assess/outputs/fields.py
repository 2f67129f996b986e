"""The one accessor through which the report views read results: a field by key or attribute.

TRANSITIONAL. The results document (areas, roadmap, recommendation ...) is being turned into
typed pydantic models (``assess.core.results``) whose field names are today's JSON keys. Until
every caller passes models, the report views (:mod:`assess.outputs.report_views`,
:mod:`assess.outputs.recommendation_view`) read every field of the results through
:func:`field`, which takes either shape. Switching them to models is a change here: replace
the body by ``getattr(obj, name, default)``, or the calls by attribute access.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def field(obj: Any, name: str, default: Any = None) -> Any:
    """``obj[name]`` for a mapping, ``obj.name`` for an object; ``default`` when it has none.

    >>> field({"score": 2.5}, "score"), field(None, "score"), field({}, "gap", 0)
    (2.5, None, 0)
    >>> class Area:
    ...     score = 1.0
    >>> field(Area(), "score"), field(Area(), "gap", 0)
    (1.0, 0)
    """
    if obj is None:
        return default
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


def items(obj: Any, name: str) -> list[Any]:
    """A list field, empty when it is missing or None.

    >>> items({"reasons": None}, "reasons"), items({"roadmap": [1]}, "roadmap")
    ([], [1])
    """
    return list(field(obj, name) or [])
