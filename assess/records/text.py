"""Text as the records keep it: what no database can store, names cleaned to one line, the
longest names and notes, and times written as ISO 8601 in UTC."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from typing import Any

from assess.records.errors import Invalid

MAX_NAME = 200
MAX_NOTE = 4000


def unstorable(text: str) -> str | None:
    """Why a text cannot be stored, if it cannot: PostgreSQL keeps no NUL character in text,
    and no database keeps half a surrogate pair (JSON can carry both).

    >>> unstorable("fine"), unstorable("a\\x00b")
    (None, 'Text cannot contain NUL characters.')
    """
    if "\x00" in text:
        return "Text cannot contain NUL characters."
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "Text cannot contain unpaired surrogates (it is not valid Unicode)."
    return None


def clean_name(name: Any, field_name: str = "name") -> str:
    """A name on one line, its spaces collapsed; :class:`Invalid` for ``field_name`` when it
    is missing, too long or unstorable.

    >>> clean_name("  Acme \\n  Dental ")
    'Acme Dental'
    """
    if not isinstance(name, str) or not name.strip():
        raise Invalid({field_name: "A name is required."})
    name = " ".join(name.split())
    if len(name) > MAX_NAME:
        raise Invalid({field_name: f"Use at most {MAX_NAME} characters."})
    problem = unstorable(name) or control_problem(name)
    if problem:
        raise Invalid({field_name: problem})
    return name


def control_problem(text: str) -> str | None:
    """Names are printed in charts, PDFs, file names and spreadsheets: control characters
    (C0, DEL, C1) have no place in them.

    >>> control_problem("Acme"), control_problem("Acme\x07")
    (None, 'Names cannot contain control characters (U+0007).')
    """
    for char in text:
        if unicodedata.category(char) == "Cc":
            return f"Names cannot contain control characters (U+{ord(char):04X})."
    return None


def iso(value: datetime | None) -> str | None:
    """A stored (naive UTC) time as the API and the exports write it.

    >>> iso(datetime(2026, 3, 1, 9, 30, 5, 123)), iso(None)
    ('2026-03-01T09:30:05Z', None)
    """
    return value.isoformat(timespec="seconds") + "Z" if value else None
