"""Scoring: answers in, area scores, overall score, gaps and roadmap out. Pure pandas.

The pipeline is a few named verbs over one long frame (one row per assessment and question)::

    frame = answers_frame(questionnaire, answers)        # or answers_long_frame for many
    areas = score_areas(frame, targets)                  # one row per assessment and area
    overall = overall_scores(areas)                      # one row per assessment
    steps = roadmap(frame, areas, questionnaire)         # next steps (assess.core.roadmap)
    view = csf_scores(frame, areas, questionnaire)       # by CSF category (assess.core.csf)

Rules (../shared/design/ARCHITECTURE.md): a level 0–5 is scored as is; ``unknown`` ("don't
know") is scored 0 and counted apart; ``na`` and missing answers are left out of every mean.
Area score = weighted mean of its scored answers; overall = weighted mean of area scores by
area weight; gap = max(target − score, 0). Scores keep full precision.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from assess.core.csf import csf_scores
from assess.core.questionnaire import LEVELS, Questionnaire
from assess.core.results import (
    AreaScore,
    CsfScore,
    Overall,
    QuestionnaireIdentity,
    Recommendation,
    Results,
    RoadmapStep,
)
from assess.core.roadmap import FIRST_90_DAYS, ROADMAP_COLUMNS, obligation_steps, roadmap

__all__ = ["FIRST_90_DAYS", "ROADMAP_COLUMNS", "roadmap"]  # re-exported: their old home

NA = "na"
UNKNOWN = "unknown"
DEFAULT_TARGET = 3.0

Status = Literal["level", "na", "unknown"]


@dataclass(frozen=True)
class Answer:
    """One answer: a level 0–5, or ``na`` / ``unknown``, with an optional note."""

    status: Status
    level: int | None = None
    note: str = ""

    @property
    def value(self) -> int | str:
        """The answer as the API and answer files write it: a level, ``na`` or ``unknown``."""
        return self.level if self.status == "level" else self.status


class AnswerValueError(ValueError):
    """An answer value that is not a level 0–5, ``na`` or ``unknown``."""


def parse_level(value: Any) -> Answer:
    """Read one answer value.

    >>> parse_level(3), parse_level("na"), parse_level(" Unknown ")
    (Answer(status='level', level=3, note=''), Answer(status='na', level=None, note=''), Answer(status='unknown', level=None, note=''))
    >>> parse_level(7)
    Traceback (most recent call last):
    ...
    assess.core.scoring.AnswerValueError: level 7 is outside 0–5
    """
    if isinstance(value, bool) or value is None:
        raise AnswerValueError(f"{value!r} is not a level (use 0–5, na or unknown)")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text in (NA, UNKNOWN):
            return Answer(status=text)  # type: ignore[arg-type]
        if not text.lstrip("-").isdigit():
            raise AnswerValueError(f"{value!r} is not a level (use 0–5, na or unknown)")
        try:
            value = int(text)
        except ValueError:  # isdigit() admits "²", which int() refuses, as it does 5000 digits
            raise AnswerValueError(f"{value!r} is not a level (use 0–5, na or unknown)") from None
    if isinstance(value, int):
        if value not in LEVELS:
            raise AnswerValueError(f"level {value} is outside 0–5")
        return Answer(status="level", level=value)
    raise AnswerValueError(f"{value!r} is not a level (use 0–5, na or unknown)")


def parse_answer(value: Any, *, max_note: int = 4000) -> Answer:
    """Read an answer: a bare value, or ``{level: ..., note: ...}``.

    >>> parse_answer({"level": 2, "note": "written, not approved"}).note
    'written, not approved'
    """
    if isinstance(value, Mapping):
        unknown_keys = set(value) - {"level", "note"}
        if unknown_keys:
            raise AnswerValueError(
                f"unknown key {sorted(map(str, unknown_keys))[0]!r} (use level and note)"
            )
        if "level" not in value:
            raise AnswerValueError("an answer needs a level (0–5, na or unknown)")
        note = value.get("note") or ""
        if not isinstance(note, str):
            raise AnswerValueError("note must be text")
        if len(note) > max_note:
            raise AnswerValueError(f"note is longer than {max_note} characters")
        answer = parse_level(value["level"])
        return Answer(status=answer.status, level=answer.level, note=note.strip())
    return parse_level(value)


# --------------------------------------------------------------------------- frames

_QUESTION_FRAMES: dict[str, pd.DataFrame] = {}


def questions_frame(questionnaire: Questionnaire) -> pd.DataFrame:
    """One row per question with its area and weights, in questionnaire order (cached)."""
    key = questionnaire.content_hash
    cached = _QUESTION_FRAMES.get(key)
    if cached is None:
        rows = [
            {
                "area": area.id,
                "area_title": area.title,
                "area_weight": float(area.weight),
                "area_order": a,
                "question": q.id,
                "question_order": i,
                "weight": float(q.weight),
            }
            for a, area in enumerate(questionnaire.areas)
            for i, q in enumerate(area.questions)
        ]
        cached = pd.DataFrame(rows)
        if len(_QUESTION_FRAMES) > 64:
            _QUESTION_FRAMES.clear()
        _QUESTION_FRAMES[key] = cached
    return cached


def answers_long_frame(questionnaire: Questionnaire, answers: pd.DataFrame) -> pd.DataFrame:
    """Join a long frame of answers (columns ``assessment, question, status, level``) with
    the questionnaire: one row per assessment and question, unanswered ones included as
    ``missing``. ``level`` is the scored value: the level, 0 for ``unknown``, NaN otherwise.
    """
    questions = questions_frame(questionnaire)
    assessments = pd.Index(answers["assessment"].unique(), name="assessment")
    grid = questions.merge(pd.DataFrame({"assessment": assessments}), how="cross")
    frame = grid.merge(
        answers[["assessment", "question", "status", "level"]],
        on=["assessment", "question"],
        how="left",
        validate="one_to_one",
    )
    status = frame["status"].fillna("missing")
    level = frame["level"].astype("float64").where(status == "level")
    level = level.mask(status == UNKNOWN, 0.0)
    return frame.assign(status=status, level=level)


def answers_frame(
    questionnaire: Questionnaire, answers: Mapping[str, Answer], assessment: Any = 0
) -> pd.DataFrame:
    """The long frame for one assessment's answers (see :func:`answers_long_frame`)."""
    records = pd.DataFrame(
        {
            "assessment": [assessment] * len(answers),
            "question": list(answers),
            "status": [a.status for a in answers.values()],
            "level": [np.nan if a.level is None else float(a.level) for a in answers.values()],
        },
        columns=["assessment", "question", "status", "level"],
    )
    if records.empty:
        records = pd.DataFrame(
            {"assessment": [assessment], "question": [None], "status": [None], "level": [np.nan]}
        )
    return answers_long_frame(questionnaire, records)


# --------------------------------------------------------------------------- verbs


def score_areas(frame: pd.DataFrame, targets: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Area scores per assessment: weighted mean of scored answers, counts, target and gap.

    >>> from assess.core.questionnaire import get_questionnaire
    >>> q = get_questionnaire("ciso-nine-areas")
    >>> first = q.areas[0].questions
    >>> f = answers_frame(q, {first[0].id: Answer("level", 4), first[1].id: Answer("unknown")})
    >>> row = score_areas(f).iloc[0]
    >>> expected = (4 * first[0].weight) / (first[0].weight + first[1].weight)
    >>> int(row["answered"]), int(row["unknown"]), bool(row["score"] == expected)
    (2, 1, True)
    """
    targets = targets or {}
    scored = frame["level"].notna()
    work = frame.assign(
        wl=(frame["level"] * frame["weight"]).where(scored, 0.0),
        w=frame["weight"].where(scored, 0.0),
        is_answered=frame["status"] != "missing",
        is_unknown=frame["status"] == UNKNOWN,
        is_na=frame["status"] == NA,
    )
    grouped = work.groupby(["assessment", "area"], sort=False)
    areas = grouped.agg(
        title=("area_title", "first"),
        weight=("area_weight", "first"),
        order=("area_order", "first"),
        wl=("wl", "sum"),
        w=("w", "sum"),
        answered=("is_answered", "sum"),
        total=("question", "size"),
        unknown=("is_unknown", "sum"),
        na=("is_na", "sum"),
    ).reset_index()
    score = (areas["wl"] / areas["w"]).where(areas["w"] > 0)
    target = areas["area"].map(lambda a: float(targets.get(a, DEFAULT_TARGET)))
    return (
        areas.assign(
            score=score,
            target=target,
            gap=(target - score).clip(lower=0.0),
            answered=areas["answered"].astype(int),
            unknown=areas["unknown"].astype(int),
            na=areas["na"].astype(int),
            total=areas["total"].astype(int),
        )
        .drop(columns=["wl", "w"])
        .sort_values(["assessment", "order"], kind="stable")
        .reset_index(drop=True)
    )


def overall_scores(areas: pd.DataFrame) -> pd.DataFrame:
    """Overall score per assessment: weighted mean of the scored areas by area weight."""
    scored = areas["score"].notna()
    work = areas.assign(
        ws=(areas["score"] * areas["weight"]).where(scored, 0.0),
        w=areas["weight"].where(scored, 0.0),
    )
    sums = work.groupby("assessment", sort=False)[["ws", "w"]].sum()
    score = (sums["ws"] / sums["w"]).where(sums["w"] > 0)
    return pd.DataFrame({"score": score, "level": score.map(level_of)}).reset_index()


def shown_score(score: float) -> float:
    """The score as people read it: rounded *down* to one decimal, so a shown score never
    exceeds the real one and always agrees with its level (0.9965 shows 0.9, level 0).
    Every page, report, spreadsheet format and text output shows this; the API keeps the
    full number. Float noise (2.3 stored as 2.2999999999999998) is not a step down.

    >>> shown_score(0.9965), shown_score(2.2999999999999998), shown_score(3.0), shown_score(4.96)
    (0.9, 2.3, 3.0, 4.9)
    """
    return math.floor(round(float(score) * 10, 6)) / 10


def level_of(score: float) -> int | None:
    """The maturity level a score has reached: the whole part of its shown score
    (:func:`shown_score`), within 0–5.

    >>> level_of(2.999), level_of(3.0), level_of(float("nan"))
    (2, 3, None)
    """
    if score is None or (isinstance(score, float) and math.isnan(score)):
        return None
    return int(min(max(math.floor(shown_score(score)), 0), 5))


# --------------------------------------------------------------------------- many at once

#: Answer codes in the matrix form: one small integer per assessment and question.
MISSING, LEVEL, UNKNOWN_CODE, NA_CODE = 0, 1, 2, 3
_CODES = {"level": LEVEL, UNKNOWN: UNKNOWN_CODE, NA: NA_CODE}


def answer_matrix(
    questionnaire: Questionnaire, answer_sets: list[Mapping[str, Answer]]
) -> tuple[np.ndarray, np.ndarray]:
    """Answers as two assessments × questions arrays (in questionnaire order): a code
    (0 missing, 1 level, 2 unknown, 3 na) and the level (0 wherever there is no level, which
    :func:`score_matrix` relies on)."""
    index = {qid: i for i, qid in enumerate(questionnaire.questions)}
    codes = np.zeros((len(answer_sets), len(index)), dtype=np.int8)
    levels = np.zeros(codes.shape, dtype=np.float64)
    for row, answers in enumerate(answer_sets):
        for qid, answer in answers.items():
            col = index[qid]
            codes[row, col] = _CODES[answer.status]
            if answer.level is not None:
                levels[row, col] = answer.level
    return codes, levels


@dataclass(frozen=True)
class ScoreMatrix:
    """Scores of many assessments: one row per assessment, one column per area."""

    score: pd.DataFrame
    answered: pd.DataFrame
    unknown: pd.DataFrame
    na: pd.DataFrame
    target: pd.Series
    overall: pd.Series

    @property
    def gap(self) -> pd.DataFrame:
        return (self.target - self.score).clip(lower=0.0)


def score_matrix(
    questionnaire: Questionnaire,
    codes: np.ndarray,
    levels: np.ndarray,
    targets: Mapping[str, float] | None = None,
) -> ScoreMatrix:
    """Area and overall scores of many assessments at once, on numpy arrays.

    The same rules as :func:`score_areas` and :func:`overall_scores`, for when thousands are
    scored together (a portfolio, a benchmark): every area's sums and counts are products
    of the answer arrays with a questions × areas membership matrix.

    >>> from assess.core.questionnaire import get_questionnaire
    >>> q = get_questionnaire("ciso-nine-areas-quick")
    >>> first = q.areas[0].questions
    >>> codes, levels = answer_matrix(q, [{first[0].id: Answer("level", 4), first[1].id: Answer("unknown")}])
    >>> m = score_matrix(q, codes, levels)
    >>> expected = 4 * first[0].weight / (first[0].weight + first[1].weight)
    >>> bool(m.score.iloc[0, 0] == expected), int(m.unknown.iloc[0, 0]), bool(m.overall[0] == expected)
    (True, 1, True)
    """
    targets = targets or {}
    area_ids = [area.id for area in questionnaire.areas]
    questions = questions_frame(questionnaire)
    # questions × areas: 1 where the question belongs to the area; weighted, its question's weight.
    membership = np.equal.outer(questions["area_order"].to_numpy(), np.arange(len(area_ids)))
    weighted = membership * questions["weight"].to_numpy()[:, None]
    membership = membership.astype(np.float32)

    # ``levels`` is 0 wherever there is no level (answer_matrix makes it so), and "don't know"
    # scores 0: the weighted sum of levels needs no mask.
    sums = levels @ weighted
    scored = ((codes == LEVEL) | (codes == UNKNOWN_CODE)).astype(np.float64)
    weight_sums = scored @ weighted
    with np.errstate(invalid="ignore", divide="ignore"):
        scores = np.where(weight_sums > 0, sums / weight_sums, np.nan)

    def count(mask: np.ndarray) -> np.ndarray:
        # In float32 (exact for counts below 2**24): numpy multiplies booleans without BLAS,
        # many times slower.
        return np.rint(mask.astype(np.float32) @ membership).astype(np.int64)

    area_weights = np.array([float(a.weight) for a in questionnaire.areas])
    has = weight_sums > 0
    # Element-wise sums rather than matrix products: no BLAS call for a 9-wide product.
    denominator = (has * area_weights).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        overall = np.where(
            denominator > 0,
            (np.where(has, scores, 0.0) * area_weights).sum(axis=1) / denominator,
            np.nan,
        )

    def frame(values: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame(values, columns=area_ids, copy=False)

    return ScoreMatrix(
        score=frame(scores),
        answered=frame(count(codes != MISSING)),
        unknown=frame(count(codes == UNKNOWN_CODE)),
        na=frame(count(codes == NA_CODE)),
        target=pd.Series({a: float(targets.get(a, DEFAULT_TARGET)) for a in area_ids}),
        overall=pd.Series(overall),
    )


# --------------------------------------------------------------------------- one assessment


@dataclass
class Result:
    """The scores of one assessment as frames; :meth:`results` gives the typed contract."""

    questionnaire: Questionnaire
    areas: pd.DataFrame
    overall_score: float | None
    overall_level: int | None
    roadmap: pd.DataFrame
    unanswered: list[str] = field(default_factory=list)
    csf: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def overall_label(self) -> str | None:
        return None if self.overall_level is None else self.questionnaire.label(self.overall_level)

    def results(
        self,
        recommendation: Recommendation | None = None,
        obligations: Sequence[Mapping[str, str]] = (),
    ) -> Results:
        """The ``assess score --format json`` document as a model (scores unrounded).

        ``obligations`` (``{regulation, title, action, done_when, source}``, what a regulation
        in the profile asks) join the first 90 days, ranked after every safeguard step: they
        neither push a safeguard out of the first 90 days nor move its rank.
        """
        areas = self.areas.rename(columns={"area": "id"})
        steps = self.roadmap.rename(columns={"level": "current_level"}).assign(
            unknown=lambda d: d["status"] == UNKNOWN,
            first_90_days=lambda d: d["rank"] <= FIRST_90_DAYS,
            source=None,
            regulation=None,
        )
        rows = steps[list(STEP_FIELDS)].to_dict("records")
        extra = obligation_steps(obligations, after=len(rows))
        return Results(
            questionnaire=QuestionnaireIdentity(**self.questionnaire.identity),
            overall=Overall(
                score=_num(self.overall_score), level=self.overall_level, label=self.overall_label
            ),
            areas=tuple(
                AreaScore.model_validate(
                    {**row, "score": _num(row["score"]), "gap": _num(row["gap"])}
                )
                for row in areas[list(AREA_FIELDS)].to_dict("records")
            ),
            roadmap=tuple(RoadmapStep.model_validate(row) for row in [*rows, *extra]),
            csf=tuple(
                CsfScore.model_validate(
                    {**row, "score": _num(row["score"]), "gap": _num(row["gap"])}
                )
                for row in self.csf.to_dict("records")
            ),
            unanswered=tuple(self.unanswered),
            recommendation=recommendation,
        )


#: The frames' columns, named as the contract names them.
AREA_FIELDS = tuple(AreaScore.model_fields)
STEP_FIELDS = tuple(RoadmapStep.model_fields)


def _num(value: Any) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


def score(
    questionnaire: Questionnaire,
    answers: Mapping[str, Answer],
    targets: Mapping[str, float] | None = None,
) -> Result:
    """Score one assessment's answers against the targets (3 for every area by default)."""
    frame = answers_frame(questionnaire, answers)
    areas = score_areas(frame, targets)
    overall = overall_scores(areas).iloc[0]
    return Result(
        questionnaire=questionnaire,
        areas=areas.drop(columns=["assessment"]),
        overall_score=_num(overall["score"]),
        overall_level=level_of(overall["score"]),
        roadmap=roadmap(frame, areas, questionnaire).drop(columns=["assessment"]),
        unanswered=frame.loc[frame["status"] == "missing", "question"].tolist(),
        csf=csf_scores(frame, areas, questionnaire),
    )
