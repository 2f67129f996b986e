"""History: trends and comparisons across submitted assessments. Pure pandas.

Inputs are plain data: one :class:`Snapshot` per submitted assessment, carrying what was stored
with it (questionnaire identity, results document, answers, question texts and areas, auditor
reviews). Nothing here reads a database or knows about Flask; the web layer, the API and the
reports load snapshots and call these functions::

    trend_frame(snapshots)         # one row per assessment: overall and one column per area
    score_table(snapshots)         # one row per assessment and area: score, previous, delta
    history_document(snapshots)    # the /api/v1 history document
    trend_points(snapshots)        # the input of charts.trend
    compare(old, new)              # what changed between two assessments, question by question
    verified_scores(snapshot)      # self-assessed against auditor-verified area scores

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
from assess.core.scoring import NA, UNKNOWN, Answer

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
    :meth:`assess.core.scoring.Result.to_dict` document; ``answers`` question id → :class:`Answer`;
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
    results: Mapping[str, Any]
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
        results: Mapping[str, Any] | None = None,
        verified: Mapping[str, int] | None = None,
    ) -> Snapshot:
        """A snapshot from a questionnaire and its answers; ``results`` are scored when not
        given (pass the stored ones for a submitted assessment). The label defaults to the date.

        >>> q = _example_questionnaire()
        >>> s = Snapshot.from_answers(q, {"red.one": Answer("level", 3)}, id=7,
        ...                           submitted_at="2024-05-01T10:00:00")
        >>> s.label, s.results["overall"]["score"], s.area_of["blue.one"], s.weights["red.two"]
        ('2024-05-01', 3.0, 'blue', 3.0)
        """
        if results is None:
            results = scoring.score(questionnaire, answers, targets).to_dict()
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


def _areas_of_results(snapshot: Snapshot) -> list[Mapping[str, Any]]:
    return list(snapshot.results.get("areas", []))


def _area_titles(snapshots: Sequence[Snapshot]) -> dict[str, str]:
    """Area id → title, in order of first appearance; the latest title wins."""
    titles: dict[str, str] = {}
    for snapshot in snapshots:
        for area in _areas_of_results(snapshot):
            titles[area["id"]] = area.get("title") or area["id"]
    return titles


def _questions_frame(snapshot: Snapshot) -> pd.DataFrame:
    """One row per question of the snapshot's questionnaire, with the columns of
    :func:`assess.core.scoring.questions_frame` (from ``definition`` when the snapshot has it)."""
    if snapshot.definition is not None:
        return scoring.questions_frame(snapshot.definition)
    stored = {a["id"]: a for a in _areas_of_results(snapshot)}
    area_ids = list(dict.fromkeys([*stored, *snapshot.area_of.values()]))
    areas = pd.DataFrame(
        {
            "area": area_ids,
            "area_title": [stored.get(a, {}).get("title") or a for a in area_ids],
            "area_weight": [
                float(snapshot.area_weights.get(a, stored.get(a, {}).get("weight", 1.0)))
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


def _scores(frames: Mapping[str, pd.DataFrame]) -> dict[str, tuple[pd.DataFrame, float | None]]:
    """Area scores (id, title, score, answered, total) and the overall score of each long
    frame, scored together in one pass of :func:`assess.core.scoring.score_areas`."""
    empty = pd.DataFrame(columns=["id", "title", "score", "answered", "total"])
    parts = [frame.assign(assessment=key) for key, frame in frames.items() if not frame.empty]
    if not parts:
        return dict.fromkeys(frames, (empty, None))
    together = pd.concat(parts, ignore_index=True)
    areas = scoring.score_areas(together)
    overall = scoring.overall_scores(areas).set_index("assessment")["score"]
    table = areas.rename(columns={"area": "id"})
    return {
        key: (
            table.loc[table["assessment"] == key, list(empty.columns)].reset_index(drop=True),
            _num(overall.get(key)),
        )
        for key in frames
    }


def _area_changes(old: pd.DataFrame, new: pd.DataFrame) -> list[dict[str, Any]]:
    """Per area (``new``'s order, then areas only ``old`` has): from, to and delta. Both
    frames have the columns id, title and score."""

    def side(frame: pd.DataFrame, name: str) -> pd.DataFrame:
        return frame[["id", "title", "score"]].rename(
            columns={"title": f"title_{name}", "score": name}
        )

    order = pd.DataFrame({"id": list(dict.fromkeys([*new["id"], *old["id"]]))}, dtype=object)
    merged = order.merge(side(new, "to"), on="id", how="left").merge(
        side(old, "from"), on="id", how="left"
    )
    return [
        {
            "id": row["id"],
            "title": row["title_to"] if isinstance(row["title_to"], str) else row["title_from"],
            "from": _num(row["from"]),
            "to": _num(row["to"]),
            "delta": _delta(row["from"], row["to"]),
        }
        for row in merged.to_dict("records")
    ]


def _stored_areas(snapshot: Snapshot) -> pd.DataFrame:
    areas = _areas_of_results(snapshot)
    return pd.DataFrame(
        {
            "id": [a["id"] for a in areas],
            "title": [a.get("title") or a["id"] for a in areas],
            "score": pd.Series([_num(a.get("score")) for a in areas], dtype="float64"),
        },
        columns=["id", "title", "score"],
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
            OVERALL: _num(s.results.get("overall", {}).get("score")),
            **{a["id"]: _num(a.get("score")) for a in _areas_of_results(s)},
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
        overall = s.results.get("overall", {})
        areas = _areas_of_results(s)
        assessments.append(
            {
                "id": s.id,
                "submitted_at": s.when.isoformat(),
                "label": s.label,
                "questionnaire": dict(s.questionnaire),
                "overall": {
                    "score": _num(overall.get("score")),
                    "level": overall.get("level"),
                    "label": overall.get("label"),
                },
                "areas": [
                    {
                        "id": a["id"],
                        "title": a.get("title") or a["id"],
                        "score": _num(a.get("score")),
                        "target": _num(a.get("target")),
                        "gap": _num(a.get("gap")),
                    }
                    for a in areas
                ],
                "delta": {
                    "overall": deltas.get((s.id, OVERALL)),
                    "areas": {a["id"]: deltas.get((s.id, a["id"])) for a in areas},
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
        {
            "label": s.label,
            "date": s.when.tz_convert(None).isoformat(),
            "overall": _num(s.results.get("overall", {}).get("score")),
            "areas": {a["id"]: _num(a.get("score")) for a in _areas_of_results(s)},
            "area_titles": {a["id"]: a.get("title") or a["id"] for a in _areas_of_results(s)},
        }
        for s in _ordered(snapshots)
    ]


# --------------------------------------------------------------------------- comparisons


def api_value(answer: Answer | None) -> int | str | None:
    """An answer as the API writes it: a level, ``na``, ``unknown``, or None when unanswered.

    >>> api_value(Answer("level", 3)), api_value(Answer("na")), api_value(None)
    (3, 'na', None)
    """
    return None if answer is None else answer.value


def scored_value(answer: Answer | None) -> int | None:
    """The value an answer scores: its level, 0 for ``unknown``, None for ``na`` or none.

    >>> scored_value(Answer("unknown")), scored_value(Answer("na")), scored_value(Answer("level", 2))
    (0, None, 2)
    """
    if answer is None or answer.status == NA:
        return None
    return 0 if answer.status == UNKNOWN else answer.level


def change_of(old: Answer | None, new: Answer | None) -> str | None:
    """How an answer changed: ``improved`` or ``regressed`` by scored value, ``changed`` when
    the scored value is the same or either side scores nothing (na, unanswered) but the value
    or the note differs, None when nothing changed.

    >>> change_of(Answer("level", 1), Answer("level", 3)), change_of(Answer("level", 1), Answer("unknown"))
    ('improved', 'regressed')
    >>> change_of(Answer("na"), Answer("level", 3)), change_of(Answer("level", 2), Answer("level", 2, "why"))
    ('changed', 'changed')
    >>> change_of(None, None) is None
    True
    """
    before = (api_value(old), old.note if old else "")
    after = (api_value(new), new.note if new else "")
    if before == after:
        return None
    a, b = scored_value(old), scored_value(new)
    if a is None or b is None or a == b:
        return "changed"
    return "improved" if b > a else "regressed"


def compare(old: Snapshot, new: Snapshot) -> dict[str, Any]:
    """What changed from ``old`` to ``new``.

    Area and overall scores come from each snapshot's results. Questions are matched by id;
    only those in both questionnaires whose value or note changed are listed, in ``new``'s
    order. When the questionnaires differ (another hash), ``areas_on_common_questions`` and
    ``overall_on_common_questions`` score both again on the shared questions only, each with
    its own weights, so a change of questionnaire is not mistaken for progress.

    >>> old, new = _example()
    >>> diff = compare(old, new)
    >>> diff["overall"], diff["same_questionnaire"], diff["common"], diff["added"], diff["removed"]
    ({'from': 1.0, 'to': 2.75, 'delta': 1.75}, True, 4, [], [])
    >>> [(q["id"], q["from"], q["to"], q["change"]) for q in diff["questions"]]
    [('red.one', 2, 4, 'improved'), ('red.two', 2, 2, 'changed'), ('blue.one', 'unknown', 3, 'improved'), ('blue.two', 'na', 3, 'changed')]
    """
    common = [qid for qid in new.questions if qid in old.questions]
    questions = []
    for qid in common:
        before, after = old.answers.get(qid), new.answers.get(qid)
        change = change_of(before, after)
        if change is None:
            continue
        questions.append(
            {
                "id": qid,
                "text": new.questions[qid],
                "area": new.area_of[qid],
                "from": api_value(before),
                "to": api_value(after),
                "note_from": (before.note if before else "") or None,
                "note_to": (after.note if after else "") or None,
                "change": change,
            }
        )
    old_overall = old.results.get("overall", {}).get("score")
    new_overall = new.results.get("overall", {}).get("score")
    same = old.questionnaire.get("hash") == new.questionnaire.get("hash")
    document: dict[str, Any] = {
        "old": {"id": old.id, "label": old.label, "questionnaire": dict(old.questionnaire)},
        "new": {"id": new.id, "label": new.label, "questionnaire": dict(new.questionnaire)},
        "same_questionnaire": same,
        "overall": {
            "from": _num(old_overall),
            "to": _num(new_overall),
            "delta": _delta(old_overall, new_overall),
        },
        "areas": _area_changes(_stored_areas(old), _stored_areas(new)),
        "questions": questions,
        "added": [qid for qid in new.questions if qid not in old.questions],
        "removed": [qid for qid in old.questions if qid not in new.questions],
        "common": len(common),
    }
    if not same:
        scores = _scores(
            {"old": answers_table(old, only=common), "new": answers_table(new, only=common)}
        )
        (old_areas, old_score), (new_areas, new_score) = scores["old"], scores["new"]
        document["areas_on_common_questions"] = _area_changes(old_areas, new_areas)
        document["overall_on_common_questions"] = {
            "from": old_score,
            "to": new_score,
            "delta": _delta(old_score, new_score),
        }
    return document


def verified_scores(snapshot: Snapshot) -> list[dict[str, Any]]:
    """Per area: the self-assessed score and the verified one (the auditor's verified level
    where there is one, the self-assessed answer elsewhere), with how many answers were
    reviewed out of those answered. Same weighted-mean rules and weights as scoring.

    >>> old, new = _example()
    >>> [(a["id"], a["self"], a["verified"], a["reviewed"], a["answered"]) for a in verified_scores(old)]
    [('red', 2.0, 1.25, 1, 2), ('blue', 0.0, 2.0, 1, 2)]
    """
    own = answers_table(snapshot)
    scores = _scores({"self": own, "verified": answers_table(snapshot, levels=snapshot.verified)})
    reviewed = (
        own.assign(reviewed=own["question"].isin(set(snapshot.verified)))
        .groupby("area", sort=False)["reviewed"]
        .sum()
    )
    table = (
        scores["self"][0]
        .merge(
            scores["verified"][0][["id", "score"]].rename(columns={"score": "verified"}),
            on="id",
            how="left",
        )
        .assign(reviewed=lambda d: d["id"].map(reviewed))
    )
    return [
        {
            "id": row["id"],
            "title": row["title"],
            "self": _num(row["score"]),
            "verified": _num(row["verified"]),
            "reviewed": int(row["reviewed"]),
            "answered": int(row["answered"]),
            "total": int(row["total"]),
        }
        for row in table.to_dict("records")
    ]


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
