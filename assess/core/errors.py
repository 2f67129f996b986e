"""Errors the user can act on.

Every problem with input the user gave us (a questionnaire file, an answers file, a profile,
a policy) is raised as an :class:`InputError`. Its ``str()`` is one line that names the file,
the line where we know it, the place inside the document and what is wrong, so the CLI can
print it as is and the web layer can show it beside a field.
"""

from __future__ import annotations


class InputError(ValueError):
    """A problem with user-supplied input, explained in one line.

    >>> str(InputError("is not a level", file="a.yaml", line=3, place="answers.x"))
    'a.yaml:3: answers.x: is not a level'
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        place: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.place = place
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file + (f":{self.line}" if self.line else "") + ": "
        if self.place:
            where += f"{self.place}: "
        return where + self.message


class InputErrors(InputError):
    """Several input errors found at once (validation reports all of them)."""

    def __init__(self, errors: list[InputError]) -> None:
        self.errors = errors
        first = errors[0]
        super().__init__(first.message, file=first.file, line=first.line, place=first.place)

    def __str__(self) -> str:
        return "\n".join(InputError.__str__(e) for e in self.errors)
