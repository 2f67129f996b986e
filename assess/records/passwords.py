"""The one password rule: :func:`password_problem`. Every form, API route and command that
sets a password (sign-up, the CLI, invitations, change and reset) calls it.

Strength is estimated by zxcvbn (Dropbox's estimator, maintained as the ``zxcvbn`` package):
dictionaries of common passwords, names and words, keyboard walks (``1q2w3e4r5t``,
``qwertyuiop``), sequences (``abcdefghij``), repeats, dates and l33t spellings; the account's
email, its parts and the product's name are given to it as words an attacker would try
first. A score of 3 of 4 is required ("safely unguessable": about 10^8 guesses or more).
A short list of the most used passwords (with digits or symbols stuck on the end) is
checked first, so the commonest are refused with a plain message.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

MIN_PASSWORD = 10
MAX_PASSWORD = 200
MIN_SCORE = 3
#: Words an attacker tries first against this product's accounts.
PRODUCT_WORDS = ("assess", "assessment", "assessments", "cybersecurity", "ciso", "vciso")
#: zxcvbn's time grows with the length; the first characters decide the estimate.
_ESTIMATE_CHARS = 100


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


def personal_words(email: str | None) -> list[str]:
    """The email, its local part and the labels of its domain, split at dots, dashes and
    underscores, and the product's name: the first guesses against an account.

    >>> personal_words("Jane.Doe@acme-dental.example")[:7]
    ['jane.doe@acme-dental.example', 'jane.doe', 'acme-dental.example', 'janedoe', 'jane', 'doe', 'acmedental']
    """
    words: list[str] = []
    if email:
        address = email.strip().lower()
        local, _, domain = address.partition("@")
        words += [address, local, domain]
        for part in (local, *domain.split(".")):
            words += [re.sub(r"[._+\-]+", "", part), *re.split(r"[._+\-]+", part)]
    words += PRODUCT_WORDS
    return [w for w in dict.fromkeys(words) if len(w) >= 3]


def password_problem(password: str, email: str | None = None) -> str | None:
    """Why ``password`` is refused for the account ``email``, or None when it is fine.

    >>> password_problem("abcdefghij")
    'Choose a password that is harder to guess: sequences like "abc" or "6543" are easy to guess.'
    >>> password_problem("correct horse battery", "owner@example.com") is None
    True
    """
    if not isinstance(password, str):
        return "A password is required."
    if len(password) < MIN_PASSWORD:
        return f"Use at least {MIN_PASSWORD} characters."
    if len(password) > MAX_PASSWORD:
        return f"Use at most {MAX_PASSWORD} characters."
    if is_common(password):
        return "This password is on lists of common passwords; choose another."
    lowered = password.lower()
    words = personal_words(email)
    mine = [w for w in words if w not in PRODUCT_WORDS and len(w) >= 4]
    if any(w in lowered and len(w) >= len(lowered) / 2 for w in mine):
        return "Do not use your email address in your password."
    if any(w in lowered and len(w) >= len(lowered) / 2 for w in PRODUCT_WORDS):
        return "Do not build your password on this product's name."
    from zxcvbn import zxcvbn

    estimate = zxcvbn(password[:_ESTIMATE_CHARS], user_inputs=words)
    if estimate["score"] >= MIN_SCORE:
        return None
    warning = (estimate.get("feedback") or {}).get("warning") or ""
    if warning:
        return "Choose a password that is harder to guess: " + warning[0].lower() + warning[1:]
    return (
        "Choose a password that is harder to guess: a few unrelated words make a long "
        "password that is easy to remember."
    )
