"""An adviser's portfolio: one row per client organization, from its latest two submissions.

Pure: the records read each organization's latest two submitted assessments (their stored
overall and area scores, never the whole results document) and hand them here as
:class:`Client`; this module computes every column, filters, sorts and pages the rows, and
summarizes the clients per area for the portfolio chart.

Rules:

- **Due** = the last submission's date + the organization's cadence (3, 6 or 12 months,
  calendar months; the 31st becomes the month's last day). *Never assessed* is its own state,
  with no due date.
- **Overdue** when today is after the due date.
- **Change** = latest overall − previous overall, only when both were taken on the same
  questionnaire (the same content hash); otherwise null, with ``change_reason``
  ``no_previous`` or ``different_questionnaire``: a quick check against a full assessment
  scores other questions, and would pass for progress.
- **Regressed**: some area scored lower than in the previous submission on the same
  questionnaire (null when there is no comparable previous one).
- **Largest gap**: the area whose gap to target is largest (ties: the questionnaire's order).
- **Verified difference**: the overall score with the auditor's verified levels in place of
  the reviewed answers, minus the self-assessed one, both scored the same way
  (:func:`verified_difference`); null without reviews.
"""

from __future__ import annotations

import calendar
import math
import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from operator import itemgetter
from types import MappingProxyType
from typing import Any, NamedTuple

from assess.core import scoring
from assess.core.questionnaire import Questionnaire
from assess.core.scoring import Answer

CADENCES = (3, 6, 12)
DEFAULT_CADENCE = 12
FILTERS = ("overdue", "regressed", "never_assessed")
ORDERS = ("asc", "desc")
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200

NEVER_ASSESSED = "never_assessed"
OVERDUE = "overdue"
CURRENT = "current"
NO_PREVIOUS = "no_previous"
DIFFERENT_QUESTIONNAIRE = "different_questionnaire"


#: The default of the mappings below: empty, and read-only since it is shared.
_EMPTY: Mapping[str, Any] = MappingProxyType({})


class Submission(NamedTuple):
    """What the portfolio reads of one submitted assessment: its overall (a mapping with the
    keys of :class:`assess.core.results.Overall`), each area's score by area id (in the
    questionnaire's order) and its largest gap (:func:`largest_gap`).

    Immutable (a named tuple: the records build a thousand of them per view, and a frozen
    dataclass took four times as long to make)."""

    id: int
    submitted_at: datetime
    questionnaire_hash: str
    questionnaire_id: str
    questionnaire_version: str
    overall: Mapping[str, Any] | None
    area_scores: Mapping[str, float | None] = _EMPTY
    largest_gap: Mapping[str, Any] | None = None


class Baseline(NamedTuple):
    """What a client's latest submission is compared with: the one before it, as far as the
    comparison reads it (its questionnaire, overall score and area scores)."""

    id: int
    questionnaire_hash: str
    score: float | None
    area_scores: Mapping[str, float | None] = _EMPTY


def baseline(submission: Submission) -> Baseline:
    """A submission as the baseline of the next one."""
    return Baseline(
        submission.id,
        submission.questionnaire_hash,
        (submission.overall or _EMPTY).get("score"),
        submission.area_scores,
    )


class Client(NamedTuple):
    """One organization of the portfolio, with the user's role and its latest two submissions."""

    id: int
    name: str
    role: str
    cadence_months: int = DEFAULT_CADENCE
    latest: Submission | None = None
    previous: Baseline | None = None
    extra: Mapping[str, Any] = _EMPTY


# --------------------------------------------------------------------------- dates


def add_months(day: date, months: int) -> date:
    """``day`` plus whole calendar months; a day the month lacks becomes its last day.

    >>> add_months(date(2026, 1, 31), 1), add_months(date(2026, 11, 15), 3)
    (datetime.date(2026, 2, 28), datetime.date(2027, 2, 15))
    """
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_date(last_submitted: datetime | date | None, cadence_months: int) -> date | None:
    """When the next assessment is due; None for an organization never assessed.

    >>> due_date(datetime(2026, 3, 1, 9), 6), due_date(None, 12) is None
    (datetime.date(2026, 9, 1), True)
    """
    if last_submitted is None:
        return None
    day = last_submitted.date() if isinstance(last_submitted, datetime) else last_submitted
    return add_months(day, cadence_months)


# --------------------------------------------------------------------------- one row


def _score(value: Any) -> float | None:
    if type(value) is float:  # the usual case, first: this runs for every area of every client
        return None if value != value else value  # NaN is not a score
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def largest_gap(areas: Sequence[Mapping[str, Any]]) -> dict[str, Any] | None:
    """The area furthest below its target: ``{area, title, gap}``; None when every scored
    area meets its target or nothing is scored.

    >>> largest_gap([{"id": "a", "title": "A", "gap": 0.5}, {"id": "b", "title": "B", "gap": 1.5}])
    {'area': 'b', 'title': 'B', 'gap': 1.5}
    >>> largest_gap([{"id": "a", "title": "A", "gap": 0.0}]) is None
    True
    """
    best: dict[str, Any] | None = None
    for area in areas:
        gap = _score(area.get("gap"))
        if gap is None or gap <= 0:
            continue
        if best is None or gap > best["gap"]:
            best = {
                "area": area.get("id"),
                "title": area.get("title") or area.get("id"),
                "gap": gap,
            }
    if best is not None:
        best["gap"] = round(best["gap"], 2)
    return best


def regressed_areas(latest: Submission, previous: Baseline) -> list[str]:
    """The areas that scored lower in ``latest`` than in ``previous`` (both scored)."""
    before = previous.area_scores
    found = []
    for area_id, score in latest.area_scores.items():
        old = before.get(area_id)
        if type(score) is float and type(old) is float:  # the usual case: no conversion
            if score < old - 1e-9:  # NaN compares false: not a score, not a regression
                found.append(area_id)
            continue
        old, new = _score(old), _score(score)
        if old is not None and new is not None and new < old - 1e-9:
            found.append(area_id)
    return found


def portfolio_row(client: Client, today: date) -> dict[str, Any]:
    """The row of one client, as the API returns it (plan items and the verified difference
    are filled in by the caller: they need more than the stored scores; the records count
    every organization's plan items, 0 when it has none)."""
    latest, previous = client.latest, client.previous
    if latest is None:
        return {
            "id": client.id,
            "name": client.name,
            "role": client.role,
            "state": NEVER_ASSESSED,
            "cadence_months": client.cadence_months,
            "assessment_id": None,
            "questionnaire": None,
            "last_submitted": None,
            "score": None,
            "level": None,
            "level_label": None,
            "change": None,
            "change_reason": None,
            "largest_gap": None,
            "regressed": None,
            "regressed_areas": [],
            "next_due": None,
            "overdue": False,
            "open_plan_items": None,
            "overdue_plan_items": None,
            "verified_difference": None,
            "reviewed_answers": 0,
        }
    overall = latest.overall or _EMPTY
    score = _score(overall.get("score"))
    due = due_date(latest.submitted_at, client.cadence_months)
    overdue = due is not None and today > due
    change = reason = regressed = None
    regressed_list: list[str] = []
    if previous is None:
        reason = NO_PREVIOUS
    elif previous.questionnaire_hash != latest.questionnaire_hash:
        reason = DIFFERENT_QUESTIONNAIRE
    else:
        old = _score(previous.score)
        change = None if score is None or old is None else round(score - old, 2)
        regressed_list = regressed_areas(latest, previous)
        regressed = bool(regressed_list)
    return {
        "id": client.id,
        "name": client.name,
        "role": client.role,
        "state": OVERDUE if overdue else CURRENT,
        "cadence_months": client.cadence_months,
        "assessment_id": latest.id,
        "questionnaire": {"id": latest.questionnaire_id, "version": latest.questionnaire_version},
        "last_submitted": latest.submitted_at.date().isoformat(),
        "score": _rounded(score),
        "level": overall.get("level"),
        "level_label": overall.get("label"),
        "change": change,
        "change_reason": reason,
        "largest_gap": dict(latest.largest_gap) if latest.largest_gap else None,
        "regressed": regressed,
        "regressed_areas": regressed_list,
        "next_due": due.isoformat() if due else None,
        "overdue": overdue,
        "open_plan_items": None,
        "overdue_plan_items": None,
        "verified_difference": None,
        "reviewed_answers": 0,
    }


# --------------------------------------------------------------------------- the query


#: Sort keys, each the row's value it sorts by (None sorts last in either order).
SORT_KEYS: dict[str, Callable[[Mapping[str, Any]], Any]] = {
    "name": lambda r: r["name"].casefold(),
    "role": lambda r: r["role"],
    "last_submitted": lambda r: r["last_submitted"],
    "score": lambda r: r["score"],
    "level": lambda r: r["level"],
    "change": lambda r: r["change"],
    "gap": lambda r: r["largest_gap"]["gap"] if r["largest_gap"] else None,
    "regressed": lambda r: r["regressed"],
    "due": lambda r: r["next_due"],
    "overdue": lambda r: r["overdue"],
    "cadence": lambda r: r["cadence_months"],
    "open_plan_items": lambda r: r["open_plan_items"],
    "overdue_plan_items": lambda r: r["overdue_plan_items"],
}


@dataclass(frozen=True)
class PortfolioQuery:
    sort: str = "name"
    order: str = "asc"
    filter: str | None = None
    q: str = ""
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE

    def as_dict(self) -> dict[str, Any]:
        return {
            "sort": self.sort,
            "order": self.order,
            "filter": self.filter,
            "q": self.q,
            "page": self.page,
            "per_page": self.per_page,
        }


def _whole(text: str, low: int, high: int | None) -> int | None:
    if not (text.isascii() and text.isdigit()) or len(text) > 9:
        return None
    number = int(text)
    if number < low or (high is not None and number > high):
        return None
    return number


def parse_query(args: Mapping[str, str]) -> tuple[PortfolioQuery, dict[str, str]]:
    """The portfolio query from request parameters, and a message per parameter that was not
    valid (its default is used in its place).

    >>> parse_query({"sort": "score", "order": "desc", "per_page": "500"})[1]
    {'per_page': 'per_page must be a whole number from 1 to 200.'}
    """
    errors: dict[str, str] = {}
    sort = args.get("sort") or "name"
    if sort not in SORT_KEYS:
        errors["sort"] = f"sort must be one of {', '.join(SORT_KEYS)}."
        sort = "name"
    order = args.get("order") or "asc"
    if order not in ORDERS:
        errors["order"] = "order must be asc or desc."
        order = "asc"
    chosen = args.get("filter") or None
    if chosen is not None and chosen not in FILTERS:
        errors["filter"] = f"filter must be one of {', '.join(FILTERS)}."
        chosen = None
    q = args.get("q") or ""
    if len(q) > 200:  # as sent, before its spaces are trimmed
        errors["q"] = "q must be at most 200 characters."
        q = ""
    q = q.strip()
    page, per_page = 1, DEFAULT_PER_PAGE
    if args.get("page") not in (None, ""):
        page = _whole(str(args["page"]), 1, None) or 0
        if not page:
            errors["page"] = "page must be a whole number from 1."
            page = 1
    if args.get("per_page") not in (None, ""):
        per_page = _whole(str(args["per_page"]), 1, MAX_PER_PAGE) or 0
        if not per_page:
            errors["per_page"] = f"per_page must be a whole number from 1 to {MAX_PER_PAGE}."
            per_page = DEFAULT_PER_PAGE
    return PortfolioQuery(sort, order, chosen, q, page, per_page), errors


def matches(row: Mapping[str, Any], query: PortfolioQuery) -> bool:
    """Whether a row passes the query's filter and its name search (case-insensitive)."""
    if query.q and query.q.casefold() not in row["name"].casefold():
        return False
    if query.filter == OVERDUE:
        return bool(row["overdue"])
    if query.filter == "regressed":
        return bool(row["regressed"])
    if query.filter == NEVER_ASSESSED:
        return row["state"] == NEVER_ASSESSED
    return True


def sort_rows(rows: Sequence[Mapping[str, Any]], sort: str, order: str) -> list[Mapping[str, Any]]:
    """Rows by a sort key, ascending or descending; rows without a value come last either way,
    and ties go by name, then id.

    >>> rows = [{"name": "b", "id": 1, "score": None}, {"name": "a", "id": 2, "score": 2.0},
    ...         {"name": "c", "id": 3, "score": 3.0}]
    >>> [r["name"] for r in sort_rows(rows, "score", "desc")]
    ['c', 'a', 'b']
    """
    key = SORT_KEYS[sort]
    valued = [(key(row), row) for row in sorted(rows, key=_by_name)]  # each key once
    present = [pair for pair in valued if pair[0] is not None]
    # Stable, also in reverse: ties keep the name order.
    present.sort(key=itemgetter(0), reverse=order == "desc")
    return [row for _, row in present] + [row for value, row in valued if value is None]


def _by_name(row: Mapping[str, Any]) -> tuple[str, int]:
    return row["name"].casefold(), row["id"]


def select_rows(
    rows: Sequence[Mapping[str, Any]], query: PortfolioQuery
) -> tuple[list[Mapping[str, Any]], int]:
    """The page of rows the query asks for, and how many rows pass its filter and search."""
    chosen = [r for r in rows if matches(r, query)] if query.q or query.filter else rows
    kept = sort_rows(chosen, query.sort, query.order)
    start = (query.page - 1) * query.per_page
    return kept[start : start + query.per_page], len(kept)


def counts(rows: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    """How many clients are overdue, regressed and never assessed, out of how many."""
    return {
        "total": len(rows),
        OVERDUE: sum(1 for r in rows if r["overdue"]),
        "regressed": sum(1 for r in rows if r["regressed"]),
        NEVER_ASSESSED: sum(1 for r in rows if r["state"] == NEVER_ASSESSED),
    }


# --------------------------------------------------------------------------- across clients


def area_spread(
    clients: Sequence[Client], titles: Mapping[str, str] | None = None
) -> list[dict[str, Any]]:
    """Per area (in the order first met), across the clients' latest submissions: how many
    clients are scored, and the minimum, lower quartile, median, upper quartile and maximum;
    ``titles``: area id → title (the id where none is given).

    >>> s = [Submission(i, datetime(2026, 1, 1), "h", "q", "1", None, {"a": v})
    ...      for i, v in enumerate((1, 2, 4))]
    >>> area_spread([Client(i, "x", "owner", latest=x) for i, x in enumerate(s)], {"a": "A"})
    [{'id': 'a', 'title': 'A', 'clients': 3, 'min': 1.0, 'q1': 1.5, 'median': 2.0, 'q3': 3.0, 'max': 4.0}]
    """
    titles = titles or {}
    values: dict[str, list[float]] = {}
    for client in clients:
        for area_id, score in (client.latest.area_scores if client.latest else {}).items():
            bucket = values.setdefault(area_id, [])
            number = _score(score)
            if number is not None:
                bucket.append(number)
    spread = []
    for area_id, found in values.items():
        scores = sorted(found)
        if not scores:
            continue
        q1, median, q3 = _quartiles(scores)
        spread.append(
            {
                "id": area_id,
                "title": titles.get(area_id, area_id),
                "clients": len(scores),
                "min": round(scores[0], 2),
                "q1": round(q1, 2),
                "median": round(median, 2),
                "q3": round(q3, 2),
                "max": round(scores[-1], 2),
            }
        )
    return spread


def _quartiles(scores: Sequence[float]) -> tuple[float, float, float]:
    """Lower quartile, median, upper quartile (linear interpolation between ranks)."""
    if len(scores) == 1:
        return scores[0], scores[0], scores[0]
    q1, median, q3 = statistics.quantiles(scores, n=4, method="inclusive")
    return q1, median, q3


# --------------------------------------------------------------------------- verified


def verified_difference(
    questionnaire: Questionnaire, answers: Mapping[str, Answer], verified: Mapping[str, int]
) -> float | None:
    """The overall score with the auditor's verified levels in place of the reviewed answers,
    minus the self-assessed overall score, both scored by :mod:`assess.core.scoring`; None
    without a verified level or without a score.

    >>> from assess.core.history import _example_questionnaire
    >>> q = _example_questionnaire()
    >>> verified_difference(q, {"red.one": Answer("level", 4)}, {"red.one": 2})
    -2.0
    """
    reviewed = {qid: level for qid, level in verified.items() if qid in questionnaire.questions}
    if not reviewed:
        return None
    own = _overall(questionnaire, answers)
    checked = dict(answers)
    for qid, level in reviewed.items():
        note = answers[qid].note if qid in answers else ""
        checked[qid] = Answer("level", int(level), note)
    theirs = _overall(questionnaire, checked)
    if own is None or theirs is None:
        return None
    return round(theirs - own, 2)


def _overall(questionnaire: Questionnaire, answers: Mapping[str, Answer]) -> float | None:
    areas = scoring.score_areas(scoring.answers_frame(questionnaire, answers))
    return _score(scoring.overall_scores(areas)["score"].iloc[0])
