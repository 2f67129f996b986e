"""The action plan's rules, pure: which items are overdue, how far the plan has come, and what
later submissions say about an item's goal (met, or fallen back below it).

An item serves a question (optionally) with a goal level. A submission *counts* for an item
when it is not the item's source assessment and was submitted after the item's baseline (the
source's submission, or the item's creation when the source was a draft or there is none).
The latest counting submission that answered the question decides:

- at or above the goal: the item is **met in** that submission (the plan proposes closing it);
- below the goal, for an item marked done before that submission: a **regression**, and the
  records reopen the item (status back to ``open``, with a history entry saying where).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

STATUSES = ("open", "in_progress", "done", "risk_accepted")
STATUS_LABELS = {
    "open": "Open",
    "in_progress": "In progress",
    "done": "Done",
    "risk_accepted": "Risk accepted",
}
#: Statuses that end the work: never overdue, counted apart from the open ones.
CLOSED = frozenset({"done", "risk_accepted"})


def is_overdue(due: date | None, status: str, today: date) -> bool:
    """An open item whose due date has passed (the due day itself is not overdue).

    >>> d = date(2026, 3, 1)
    >>> is_overdue(d, "open", date(2026, 3, 2)), is_overdue(d, "open", d)
    (True, False)
    >>> is_overdue(d, "done", date(2027, 1, 1)), is_overdue(None, "open", d)
    (False, False)
    """
    return due is not None and status not in CLOSED and due < today


@dataclass(frozen=True)
class Progress:
    """How far a plan has come."""

    total: int
    done: int
    risk_accepted: int
    overdue: int
    #: Open items without a due date: they can never be overdue, so the text counts them.
    undated: int = 0

    @property
    def text(self) -> str:
        """In words, as the pages show it.

        >>> Progress(12, 7, 0, 2).text
        '7 of 12 done, 2 overdue'
        >>> Progress(5, 3, 1, 0).text
        '3 of 5 done, 1 risk accepted, none overdue'
        >>> Progress(0, 0, 0, 0).text
        'No actions yet'
        >>> Progress(4, 0, 0, 0, undated=4).text
        '0 of 4 done, none overdue, 4 with no due date'
        """
        if not self.total:
            return "No actions yet"
        parts = [f"{self.done} of {self.total} done"]
        if self.risk_accepted:
            parts.append(f"{self.risk_accepted} risk accepted")
        parts.append(f"{self.overdue} overdue" if self.overdue else "none overdue")
        if self.undated:
            parts.append(f"{self.undated} with no due date")
        return ", ".join(parts)

    def as_dict(self) -> dict[str, object]:
        return {
            "total": self.total,
            "done": self.done,
            "risk_accepted": self.risk_accepted,
            "overdue": self.overdue,
            "undated": self.undated,
            "text": self.text,
        }


def progress(items: Iterable[tuple[str, date | None]], today: date) -> Progress:
    """The progress of items given as ``(status, due date)``.

    >>> today = date(2026, 6, 1)
    >>> progress([("done", None), ("open", date(2026, 5, 1)), ("in_progress", None)], today).text
    '1 of 3 done, 1 overdue, 1 with no due date'
    """
    items = list(items)
    return Progress(
        total=len(items),
        done=sum(status == "done" for status, _ in items),
        risk_accepted=sum(status == "risk_accepted" for status, _ in items),
        overdue=sum(is_overdue(due, status, today) for status, due in items),
        undated=sum(due is None and status not in CLOSED for status, due in items),
    )


@dataclass(frozen=True)
class Submission:
    """A submitted assessment as the plan reads it: the level of each question it answered
    (``unknown`` as 0; ``na`` left out, since it says nothing about the goal)."""

    assessment_id: int
    label: str
    submitted_at: datetime
    levels: Mapping[str, int]


def counting(
    submissions: Iterable[Submission], baseline: datetime, source_id: int | None
) -> list[Submission]:
    """The submissions that count for an item, oldest first."""
    return sorted(
        (s for s in submissions if s.assessment_id != source_id and s.submitted_at > baseline),
        key=lambda s: (s.submitted_at, s.assessment_id),
    )


def deciding(
    question_id: str | None,
    goal: int | None,
    submissions: Iterable[Submission],
    baseline: datetime,
    source_id: int | None,
) -> Submission | None:
    """The latest counting submission that answered the item's question (None when the item
    has no question or goal, or nothing later answered it)."""
    if question_id is None or goal is None:
        return None
    answered = [s for s in counting(submissions, baseline, source_id) if question_id in s.levels]
    return answered[-1] if answered else None


def met_in(
    question_id: str | None,
    goal: int | None,
    submissions: Iterable[Submission],
    baseline: datetime,
    source_id: int | None = None,
) -> Submission | None:
    """The later submission that reached the goal, if the latest one that asked did.

    >>> t = datetime(2026, 1, 1)
    >>> a = Submission(1, "#1", t, {"q": 1})
    >>> b = Submission(2, "#2", datetime(2026, 6, 1), {"q": 2})
    >>> met_in("q", 2, [a, b], baseline=t, source_id=1).label
    '#2'
    >>> met_in("q", 3, [a, b], baseline=t, source_id=1) is None
    True
    """
    last = deciding(question_id, goal, submissions, baseline, source_id)
    if last is None or goal is None or question_id is None:
        return None
    return last if last.levels[question_id] >= goal else None


def regressed(
    status: str,
    question_id: str | None,
    goal: int | None,
    done_at: datetime | None,
    submission: Submission,
) -> bool:
    """Does this submission, later than the item was marked done, fall below its goal?

    >>> s = Submission(3, "#3", datetime(2026, 9, 1), {"q": 1})
    >>> regressed("done", "q", 2, datetime(2026, 8, 1), s)
    True
    >>> regressed("done", "q", 1, datetime(2026, 8, 1), s), regressed("open", "q", 2, None, s)
    (False, False)
    >>> regressed("done", "q", 2, datetime(2026, 10, 1), s)  # done after it was submitted
    False
    """
    return (
        status == "done"
        and question_id is not None
        and goal is not None
        and question_id in submission.levels
        and (done_at is None or submission.submitted_at > done_at)
        and submission.levels[question_id] < goal
    )
