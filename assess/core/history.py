"""History: trends across submitted assessments. Pure pandas.

Inputs are plain data: one :class:`Snapshot` per submitted assessment, carrying what was stored
with it (questionnaire identity, typed results, answers, question texts and areas, auditor
reviews). Nothing here reads a database or knows about Flask; the web layer, the API and the
reports load snapshots and call these functions::

    trend_frame(snapshots)         # one row per assessment: overall and one column per area
    score_table(snapshots)         # one row per assessment and area: score, previous, delta
    history_document(snapshots)    # the /api/v1 history document
    trend_points(snapshots)        # the input of charts.trend
    answers_table(snapshot)        # a snapshot's answers as scoring's long frame

Comparing two snapshots is :mod:`assess.core.comparison`.

Everything is ordered oldest first (by ``submitted_at``, then ``id``), whatever the input order.
Scores come from each snapshot's stored results; where a score has to be computed again (on the
questions two questionnaires share, or with verified levels) it goes through
:func:`assess.core.scoring.score_areas` and :func:`assess.core.scoring.overall_scores`, so the rules are
the scoring rules: weighted means, ``unknown`` scored 0, ``na`` and missing left out.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from assess.core import scoring
from assess.core.questionnaire import Questionnaire
from assess.core.results import AreaScore, Results
from assess.core.scoring import UNKNOWN, Answer

#: The pseudo-area of the overall score in :func:`score_table`.
OVERALL = "overall"
#: Columns of :func:`trend_frame` before the area columns; no area may use these ids.
TREND_KEYS = ("id", "submitted_at", "label")
QUESTION_COLUMNS = (
    "area",
    "area_title",
    "area_weight",
    "area_order",
    "question",
    "question_order",
    "weight",
)
SCORE_TABLE_COLUMNS = ("id", "submitted_at", "label", "area", "title", "score", "previous", "delta")


@dataclass(frozen=True)
class Snapshot:
    """One submitted assessment, as plain data.

    ``questionnaire`` is the stored identity ``{id, version, hash}``; ``results`` the stored
    :class:`~assess.core.results.Results`; ``answers`` question id → :class:`Answer`;
    ``questions`` question id → text and ``area_of`` question id → area id, for every question
    of the questionnaire (answered or not), in questionnaire order; ``verified`` question id →
    the level an auditor verified.

    Scores computed again here need weights: they come from ``definition`` (the
    :class:`Questionnaire` itself) when it is given, otherwise from ``weights`` (question id →
    weight) and ``area_weights`` (area id → weight), then the ``weight`` of each area in
    ``results``, and 1.0 for anything not given. :meth:`from_answers` fills all of them.
    """

    id: int
    submitted_at: datetime | str
    label: str
    questionnaire: Mapping[str, str]
    results: Results
    answers: Mapping[str, Answer]
    questions: Mapping[str, str]
    area_of: Mapping[str, str]
    verified: Mapping[str, int] = field(default_factory=dict)
    weights: Mapping[str, float] = field(default_factory=dict)
    area_weights: Mapping[str, float] = field(default_factory=dict)
    definition: Questionnaire | None = None

    def __post_init__(self) -> None:
        if set(self.questions) != set(self.area_of):
            odd = sorted(set(self.questions) ^ set(self.area_of))
            raise ValueError(
                f"snapshot {self.id}: questions and area_of must name the same questions "
                f"(differ on {', '.join(odd[:5])})"
            )

    @classmethod
    def from_answers(
        cls,
        questionnaire: Questionnaire,
        answers: Mapping[str, Answer],
        *,
        id: int,
        submitted_at: datetime | str,
        label: str | None = None,
        targets: Mapping[str, float] | None = None,
        results: Results | None = None,
        verified: Mapping[str, int] | None = None,
    ) -> Snapshot:
        """A snapshot from a questionnaire and its answers; ``results`` are scored when not
        given (pass the stored ones for a submitted assessment). The label defaults to the date.

        >>> q = _example_questionnaire()
        >>> s = Snapshot.from_answers(q, {"red.one": Answer("level", 3)}, id=7,
        ...                           submitted_at="2024-05-01T10:00:00")
        >>> s.label, s.results.overall.score, s.area_of["blue.one"], s.weights["red.two"]
        ('2024-05-01', 3.0, 'blue', 3.0)
        """
        if results is None:
            results = scoring.score(questionnaire, answers, targets).results()
        return cls(
            id=id,
            submitted_at=submitted_at,
            label=label if label is not None else _when(submitted_at).strftime("%Y-%m-%d"),
            questionnaire=dict(questionnaire.identity),
            results=results,
            answers=dict(answers),
            questions={qid: q.text for qid, q in questionnaire.questions.items()},
            area_of={qid: area.id for qid, area in questionnaire.area_of.items()},
            verified=dict(verified or {}),
            weights={qid: float(q.weight) for qid, q in questionnaire.questions.items()},
            area_weights={area.id: float(area.weight) for area in questionnaire.areas},
            definition=questionnaire,
        )

    @property
    def when(self) -> pd.Timestamp:
        """``submitted_at`` as a UTC timestamp (naive times are taken as UTC)."""
        return _when(self.submitted_at)


# --------------------------------------------------------------------------- helpers


def _when(value: datetime | str) -> pd.Timestamp:
    stamp = pd.Timestamp(value)
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")


def _ordered(snapshots: Iterable[Snapshot]) -> list[Snapshot]:
    """Oldest first: by submission time, then id."""
    return sorted(snapshots, key=lambda s: (s.when, s.id))


def _num(value: Any) -> float | None:
    """A score as JSON: a float, or None when there is none."""
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else value


def _delta(old: Any, new: Any) -> float | None:
    old, new = _num(old), _num(new)
    return None if old is None or new is None else new - old


def _areas_of_results(snapshot: Snapshot) -> tuple[AreaScore, ...]:
    return snapshot.results.areas


def _area_titles(snapshots: Sequence[Snapshot]) -> dict[str, str]:
    """Area id → title, in order of first appearance; the latest title wins."""
    titles: dict[str, str] = {}
    for snapshot in snapshots:
        for area in _areas_of_results(snapshot):
            titles[area.id] = area.title or area.id
    return titles


def _questions_frame(snapshot: Snapshot) -> pd.DataFrame:
    """One row per question of the snapshot's questionnaire, with the columns of
    :func:`assess.core.scoring.questions_frame` (from ``definition`` when the snapshot has it)."""
    if snapshot.definition is not None:
        return scoring.questions_frame(snapshot.definition)
    stored = {a.id: a for a in _areas_of_results(snapshot)}
    area_ids = list(dict.fromkeys([*stored, *snapshot.area_of.values()]))
    areas = pd.DataFrame(
        {
            "area": area_ids,
            "area_title": [stored[a].title if a in stored else a for a in area_ids],
            "area_weight": [
                float(snapshot.area_weights.get(a, stored[a].weight if a in stored else 1.0))
                for a in area_ids
            ],
            "area_order": range(len(area_ids)),
        }
    )
    questions = pd.DataFrame(
        {"question": list(snapshot.area_of), "area": list(snapshot.area_of.values())},
        columns=["question", "area"],
    )
    return (
        questions.assign(
            question_order=questions.groupby("area", sort=False).cumcount(),
            weight=[float(snapshot.weights.get(q, 1.0)) for q in questions["question"]],
        )
        .merge(areas, on="area", how="left")
        .sort_values(["area_order", "question_order"], kind="stable")
        .reset_index(drop=True)[list(QUESTION_COLUMNS)]
    )


def answers_table(
    snapshot: Snapshot,
    only: Iterable[str] | None = None,
    levels: Mapping[str, int] | None = None,
) -> pd.DataFrame:
    """The snapshot's long answers frame, as :func:`assess.core.scoring.answers_frame` builds it
    (one row per question, unanswered ones as ``missing``, ``level`` the scored value), ready
    for :func:`assess.core.scoring.score_areas`.

    ``only`` keeps just those question ids; ``levels`` (question id → level) overrides answers,
    e.g. with the levels an auditor verified.

    >>> old, new = _example()
    >>> answers_table(old)[["question", "status", "level"]]
       question   status  level
    0   red.one    level    2.0
    1   red.two    level    2.0
    2  blue.one  unknown    0.0
    3  blue.two       na    NaN
    """
    questions = _questions_frame(snapshot)
    if only is not None:
        questions = questions[questions["question"].isin(set(only))]
    answers = dict(snapshot.answers)
    for qid, level in (levels or {}).items():
        answers[qid] = Answer("level", int(level))
    status = questions["question"].map(lambda q: answers[q].status if q in answers else "missing")
    level = questions["question"].map(
        lambda q: (
            np.nan if q not in answers or answers[q].level is None else float(answers[q].level)
        )
    )
    level = level.astype("float64").where(status == "level").mask(status == UNKNOWN, 0.0)
    return questions.assign(assessment=snapshot.id, status=status, level=level).reset_index(
        drop=True
    )


# --------------------------------------------------------------------------- trends


def trend_frame(snapshots: Iterable[Snapshot]) -> pd.DataFrame:
    """One row per assessment, oldest first: id, submitted_at (UTC), label, overall, and one
    score column per area id (areas in order of first appearance; NaN where an assessment has
    no score for it).

    >>> old, new = _example()
    >>> trend_frame([new, old])
       id              submitted_at       label  overall  red  blue
    0   1 2024-01-15 00:00:00+00:00  January 24     1.00  2.0   0.0
    1   2 2024-07-01 09:30:00+00:00     July 24     2.75  2.5   3.0
    """
    ordered = _ordered(snapshots)
    areas = list(_area_titles(ordered))
    clash = {OVERALL, *TREND_KEYS} & set(areas)
    if clash:
        raise ValueError(f"area id {sorted(clash)[0]!r} clashes with a trend column")
    rows = [
        {
            "id": s.id,
            "submitted_at": s.when,
            "label": s.label,
            OVERALL: _num(s.results.overall.score),
            **{a.id: _num(a.score) for a in _areas_of_results(s)},
        }
        for s in ordered
    ]
    columns = [*TREND_KEYS, OVERALL, *areas]
    return pd.DataFrame(rows, columns=columns).astype(
        {
            "id": "int64",
            "submitted_at": "datetime64[us, UTC]",
            "label": str,
            **dict.fromkeys([OVERALL, *areas], "float64"),
        }
    )


def score_table(snapshots: Iterable[Snapshot]) -> pd.DataFrame:
    """One row per assessment (oldest first) and area, the ``overall`` pseudo-area first:
    score, the same area's score in the previous assessment, and the delta between them (NaN
    for the first assessment, or where either score is missing).

    >>> old, new = _example()
    >>> score_table([old, new])[["id", "area", "score", "previous", "delta"]]
       id     area  score  previous  delta
    0   1  overall   1.00       NaN    NaN
    1   1      red   2.00       NaN    NaN
    2   1     blue   0.00       NaN    NaN
    3   2  overall   2.75       1.0   1.75
    4   2      red   2.50       2.0   0.50
    5   2     blue   3.00       0.0   3.00
    """
    ordered = _ordered(snapshots)
    wide = trend_frame(ordered)
    titles = {OVERALL: "Overall", **_area_titles(ordered)}
    values = [OVERALL, *(c for c in wide.columns if c not in (*TREND_KEYS, OVERALL))]
    keys = [*TREND_KEYS, "_row"]
    wide = wide.assign(_row=range(len(wide)))

    def long(frame: pd.DataFrame, name: str) -> pd.DataFrame:
        return frame.melt(id_vars=keys, value_vars=values, var_name="area", value_name=name)

    previous = wide[keys].join(wide[values].shift(1))
    return (
        long(wide, "score")
        .assign(
            previous=long(previous, "previous")["previous"].astype("float64").to_numpy(),
            _col=lambda d: d["area"].map({a: i for i, a in enumerate(values)}),
        )
        .sort_values(["_row", "_col"], kind="stable")
        .assign(
            score=lambda d: d["score"].astype("float64"),
            title=lambda d: d["area"].map(titles).astype(str),
            delta=lambda d: d["score"] - d["previous"],
        )
        .astype({"area": str})
        .reset_index(drop=True)[list(SCORE_TABLE_COLUMNS)]
    )


def history_document(snapshots: Iterable[Snapshot]) -> dict[str, Any]:
    """The API's history document, oldest first, with each assessment's delta since the one
    before it (None for the first, or where either score is missing).

    >>> old, new = _example()
    >>> doc = history_document([new, old])
    >>> [(a["id"], a["submitted_at"]) for a in doc["assessments"]]
    [(1, '2024-01-15T00:00:00+00:00'), (2, '2024-07-01T09:30:00+00:00')]
    >>> doc["assessments"][1]["delta"]
    {'overall': 1.75, 'areas': {'red': 0.5, 'blue': 3.0}}
    """
    ordered = _ordered(snapshots)
    table = score_table(ordered)
    deltas = {
        (row.id, row.area): _num(row.delta)
        for row in table[["id", "area", "delta"]].itertuples(index=False)
    }
    assessments = []
    for s in ordered:
        overall = s.results.overall
        areas = _areas_of_results(s)
        assessments.append(
            {
                "id": s.id,
                "submitted_at": s.when.isoformat(),
                "label": s.label,
                "questionnaire": dict(s.questionnaire),
                "overall": overall.model_dump(),
                "areas": [
                    {
                        "id": a.id,
                        "title": a.title or a.id,
                        "score": _num(a.score),
                        "target": _num(a.target),
                        "gap": _num(a.gap),
                    }
                    for a in areas
                ],
                "delta": {
                    "overall": deltas.get((s.id, OVERALL)),
                    "areas": {a.id: deltas.get((s.id, a.id)) for a in areas},
                },
            }
        )
    return {"assessments": assessments}


def trend_points(snapshots: Iterable[Snapshot]) -> list[dict[str, Any]]:
    """The points :func:`assess.core.charts.trend` draws, oldest first. ``date`` is the submission
    time in UTC as an ISO string without offset (Plotly reads it as a date).

    >>> old, new = _example()
    >>> trend_points([new, old])[0]
    {'label': 'January 24', 'date': '2024-01-15T00:00:00', 'overall': 1.0, 'areas': {'red': 2.0, 'blue': 0.0}, 'area_titles': {'red': 'Red', 'blue': 'Blue'}}
    """
    return [
        trend_point(
            s.label,
            s.submitted_at,
            s.results.overall.score,
            {a.id: a.score for a in _areas_of_results(s)},
            {a.id: a.title or a.id for a in _areas_of_results(s)},
        )
        for s in _ordered(snapshots)
    ]


def trend_point(
    label: str,
    submitted_at: datetime | str,
    overall: Any,
    areas: Mapping[str, Any],
    titles: Mapping[str, str],
) -> dict[str, Any]:
    """One point of :func:`trend_points` from one submission's scores (as its scores row
    keeps them: the trend needs no answers and no results document).

    >>> trend_point("May", "2024-05-01T10:00:00+02:00", 2.5, {"red": 3, "blue": float("nan")},
    ...             {"red": "Red", "blue": "Blue"})
    {'label': 'May', 'date': '2024-05-01T08:00:00', 'overall': 2.5, 'areas': {'red': 3.0, 'blue': None}, 'area_titles': {'red': 'Red', 'blue': 'Blue'}}
    """
    return {
        "label": label,
        "date": _when(submitted_at).tz_convert(None).isoformat(),
        "overall": _num(overall),
        "areas": {area: _num(score) for area, score in areas.items()},
        "area_titles": {area: titles.get(area) or area for area in areas},
    }


# --------------------------------------------------------------------------- doctest data


def _example_questionnaire() -> Questionnaire:
    """A two-area questionnaire for the examples above (red.two weighs 3)."""
    levels = {i: f"level {i}" for i in range(6)}

    def question(qid: str, weight: float = 1.0) -> dict[str, Any]:
        return {
            "id": qid,
            "text": f"{qid}?",
            "help": "Example.",
            "weight": weight,
            "levels": levels,
        }

    return Questionnaire.model_validate(
        {
            "id": "example",
            "version": "1",
            "title": "Example",
            "scale": {i: {"label": f"L{i}", "description": f"Level {i}."} for i in range(6)},
            "areas": [
                {
                    "id": "red",
                    "title": "Red",
                    "responsibility": "Red things.",
                    "csf": ["GV.OV"],
                    "questions": [question("red.one"), question("red.two", 3)],
                },
                {
                    "id": "blue",
                    "title": "Blue",
                    "responsibility": "Blue things.",
                    "csf": ["RS.MA"],
                    "questions": [question("blue.one"), question("blue.two")],
                },
            ],
        }
    )


def _example() -> tuple[Snapshot, Snapshot]:
    """Two assessments of the example questionnaire, six months apart."""
    q = _example_questionnaire()
    old = Snapshot.from_answers(
        q,
        {
            "red.one": Answer("level", 2),
            "red.two": Answer("level", 2),
            "blue.one": Answer("unknown"),
            "blue.two": Answer("na"),
        },
        id=1,
        submitted_at="2024-01-15",
        label="January 24",
        verified={"red.two": 1, "blue.one": 2},
    )
    new = Snapshot.from_answers(
        q,
        {
            "red.one": Answer("level", 4),
            "red.two": Answer("level", 2, "only for new staff"),
            "blue.one": Answer("level", 3),
            "blue.two": Answer("level", 3),
        },
        id=2,
        submitted_at="2024-07-01T09:30:00Z",
        label="July 24",
    )
    return old, new
