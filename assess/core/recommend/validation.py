"""Pydantic errors in plain words, shared by the profile and the policy.

A pydantic error becomes ``(location, message)``: "must be at least 1 (got -4)", "unknown key
(did you mean 'employees'?)", "'hippa' is not one of hipaa, ... (did you mean 'hipaa'?)".
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pydantic_core import PydanticCustomError

from assess.core.documents import Document, place_of
from assess.core.errors import InputError
from assess.core.recommend.words import number

Loc = tuple[str | int, ...]


def not_bool(value: Any) -> Any:
    """YAML's ``yes``/``true`` must not pass as the number 1."""
    if isinstance(value, bool):
        raise PydanticCustomError(
            "bool_not_number", "must be a number (got {value})", {"value": str(value).lower()}
        )
    return value


def choice(value: Any) -> Any:
    """Accept ``PCI-DSS``, ``Professional services`` or ``vCISO`` for their ids."""
    if isinstance(value, str):
        return value.strip().lower().replace("-", "_").replace(" ", "_")
    return value


def choices(value: Any) -> Any:
    if value is None:
        return ()
    if isinstance(value, list | tuple):
        return [choice(item) for item in value]
    return value


def canonical(options: tuple[str, ...]):
    """Dedupe a list of choices and put it in the order of ``options`` (output is stable)."""

    def order(values: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(sorted(set(values), key=options.index))

    return order


def hint(value: Any, options: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` when ``value`` is close to one of ``options``."""
    if not isinstance(value, str):
        return ""
    close = difflib.get_close_matches(value, list(options), n=1, cutoff=0.7)
    return f" (did you mean {close[0]!r}?)" if close else ""


_NUMERIC = {
    "greater_than_equal": ("must be at least", "ge"),
    "greater_than": ("must be more than", "gt"),
    "less_than_equal": ("must be at most", "le"),
    "less_than": ("must be less than", "lt"),
}
_SIMPLE = {
    "int_parsing": "must be a whole number",
    "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_parsing": "must be a number",
    "float_type": "must be a number",
    "finite_number": "must be a finite number",
    "bool_parsing": "must be true or false",
    "bool_type": "must be true or false",
    "string_type": "must be text",
    "list_type": "must be a list",
    "tuple_type": "must be a list",
    "dict_type": "must be a mapping",
    "model_type": "must be a mapping",
    "model_attributes_type": "must be a mapping",
}


def translate(err: Mapping[str, Any], options: Mapping[str, Sequence[str]]) -> tuple[Loc, str]:
    """One pydantic error as (location, plain message).

    ``options`` maps a field name to its choices, and ``"(keys)"`` to the known keys.
    """
    loc: Loc = tuple(part for part in err["loc"] if part != "")
    kind, value, ctx = err["type"], err.get("input"), err.get("ctx") or {}
    got = f" (got {value!r})"
    field = next((part for part in reversed(loc) if isinstance(part, str)), "")
    if "field" in ctx:
        loc = (ctx["field"],)
    if kind == "missing":
        return loc, "is required"
    if kind == "extra_forbidden":
        known = options.get("(keys)", ())
        listed = f" (known: {', '.join(known)})" if known else ""
        return loc, f"unknown key{hint(field, known)}{listed}"
    if kind == "literal_error":
        allowed = options.get(field) or [ctx.get("expected", "")]
        return loc, f"{value!r} is not one of {', '.join(allowed)}{hint(value, allowed)}"
    if kind in _NUMERIC:
        words, key = _NUMERIC[kind]
        return loc, f"{words} {number(ctx[key])}{got}"
    if kind in _SIMPLE:
        return loc, _SIMPLE[kind] + got
    if kind == "string_too_short":
        return loc, "must not be empty"
    if kind == "string_too_long":
        return loc, f"must be at most {ctx.get('max_length')} characters long"
    if kind == "too_short":
        return loc, f"needs at least {ctx.get('min_length')} item(s)"
    if kind == "string_pattern_mismatch":
        return loc, f"{value!r} is not a valid id (lower-case letters, digits and dashes)"
    return loc, str(err["msg"]).removeprefix("Value error, ")


def error_at(doc: Document | None, file: str | None, loc: Loc, message: str) -> InputError:
    """An :class:`InputError` at ``loc``: with its line when there is a document."""
    if doc is not None:
        return doc.error(loc, message)
    return InputError(message, file=file, place=place_of(loc))
