"""Comparisons of two submitted assessments: what changed, answer by answer and area by area,
and an auditor's verified scores beside the self-assessed ones. Pure pandas over
:class:`~assess.core.history.Snapshot`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from assess.core import scoring
from assess.core.history import (  # noqa: F401  (_example: the doctests' data)
    Snapshot,
    _delta,
    _example,
    _num,
    answers_table,
)
from assess.core.scoring import NA, UNKNOWN, Answer


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
    areas = snapshot.results.areas
    return pd.DataFrame(
        {
            "id": [a.id for a in areas],
            "title": [a.title or a.id for a in areas],
            "score": pd.Series([_num(a.score) for a in areas], dtype="float64"),
        },
        columns=["id", "title", "score"],
    )


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
    old_overall = old.results.overall.score
    new_overall = new.results.overall.score
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
