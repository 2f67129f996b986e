"""The problems a use case reports to its caller, who turns them into a response: a page or
the API maps each in one place (:mod:`assess.web.errors`), the CLI prints one line."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


class Invalid(ValueError):
    """Input the user can fix: a message per field (or per question id)."""

    def __init__(
        self, errors: Mapping[str, str], message: str = "Some values are not valid."
    ) -> None:
        self.errors = dict(errors)
        self.message = message
        super().__init__(message)


class Locked(RuntimeError):
    """The assessment was submitted; its answers never change again."""


@dataclass
class Conflict(RuntimeError):
    """Answers changed by someone else since the client read them."""

    questions: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{len(self.questions)} answer(s) changed since you opened the page"


class Refused(RuntimeError):
    """What was asked would break a rule of the current state (removing or demoting the last
    owner, deleting a submitted assessment): 409, with the reason as the message."""


class Gone(LookupError):
    """The thing existed and was ended on purpose (a revoked invitation): 410."""


class NotFound(LookupError):
    """No such record where the caller looked (for example an assessment id that is not one
    of the organization's)."""


class TooLarge(ValueError):
    """A file larger than the server accepts (evidence over ASSESS_MAX_EVIDENCE)."""
