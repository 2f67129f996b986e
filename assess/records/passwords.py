"""Common passwords that are refused at sign-up (a short list of the most used ones, plus
simple patterns of them); the goal is to stop the obvious, not to be a breach database."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def _common() -> frozenset[str]:
    path = Path(__file__).with_name("common-passwords.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().lower() for line in lines if line.strip() and not line.startswith("#")
    )


def is_common(password: str) -> bool:
    """True for a password on the list, also with digits or symbols stuck on the end.

    >>> is_common("Password123!"), is_common("correct horse battery staple")
    (True, False)
    """
    lowered = password.lower()
    if lowered in _common():
        return True
    stem = re.sub(r"[\d\W_]+$", "", lowered)
    if stem and stem in _common():
        return True
    return len(set(lowered)) <= 2
