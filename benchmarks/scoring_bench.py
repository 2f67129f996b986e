"""Scoring many assessments: score_matrix (numpy sums over each area's block of columns,
wrapped in pandas frames) and the long-frame pandas path, against a plain per-question loop.

Both compute, per assessment, each area's weighted mean, target, gap and counts, and the
overall weighted mean of the area scores (``assess.core.scoring`` rules). The numbers are checked
to agree before anything is timed.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from assess.core.questionnaire import Questionnaire, get_questionnaire
from assess.core.scoring import (
    DEFAULT_TARGET,
    LEVEL,
    MISSING,
    NA_CODE,
    UNKNOWN_CODE,
    answers_long_frame,
    overall_scores,
    score_areas,
    score_matrix,
)

SIZES = (1, 100, 10_000)
REPEAT = 7
TOLERANCE = 1e-9

#: One answer as the loop reads it: (status, level or None).
Answers = dict[str, tuple[str, int | None]]


def random_answer_sets(questionnaire: Questionnaire, n: int, seed: int = 7) -> list[Answers]:
    """``n`` answer sets for the whole questionnaire: mostly levels, some ``unknown``, ``na``
    where allowed, and a few questions left unanswered."""
    rng = random.Random(seed)
    questions = list(questionnaire.questions.values())
    sets = []
    for _ in range(n):
        answers: Answers = {}
        for q in questions:
            roll = rng.random()
            if roll < 0.04:
                continue  # not answered yet
            if roll < 0.10:
                answers[q.id] = ("unknown", None)
            elif roll < 0.15 and q.allow_na:
                answers[q.id] = ("na", None)
            else:
                answers[q.id] = ("level", rng.randint(0, 5))
        sets.append(answers)
    return sets


def long_answers(sets: list[Answers]) -> pd.DataFrame:
    """The answers as the long frame's input: ``assessment, question, status, level``."""
    assessment, question, status, level = [], [], [], []
    for i, answers in enumerate(sets):
        for qid, (st, lv) in answers.items():
            assessment.append(i)
            question.append(qid)
            status.append(st)
            level.append(math.nan if lv is None else float(lv))
    return pd.DataFrame(
        {"assessment": assessment, "question": question, "status": status, "level": level}
    )


def long_frame_path(frame: pd.DataFrame, targets: Mapping[str, float]) -> tuple[pd.DataFrame, Any]:
    areas = score_areas(frame, targets)
    return areas, overall_scores(areas)


_CODES = {"level": LEVEL, "unknown": UNKNOWN_CODE, "na": NA_CODE}


def arrays(questionnaire: Questionnaire, sets: list[Answers]) -> tuple[np.ndarray, np.ndarray]:
    """The answers as score_matrix reads them: codes and levels, assessments × questions."""
    index = {qid: i for i, qid in enumerate(questionnaire.questions)}
    codes = np.full((len(sets), len(index)), MISSING, dtype=np.int8)
    levels = np.zeros(codes.shape)
    for row, answers in enumerate(sets):
        for qid, (status, level) in answers.items():
            codes[row, index[qid]] = _CODES[status]
            if level is not None:
                levels[row, index[qid]] = level
    return codes, levels


def loop(
    questionnaire: Questionnaire, sets: list[Answers], targets: Mapping[str, float]
) -> list[tuple[dict[str, tuple[Any, ...]], float | None]]:
    """The same scores with plain Python: for each assessment, each area, each question."""
    layout = [
        (
            area.id,
            float(area.weight),
            float(targets.get(area.id, DEFAULT_TARGET)),
            [(q.id, float(q.weight)) for q in area.questions],
        )
        for area in questionnaire.areas
    ]
    results = []
    for answers in sets:
        areas = {}
        weighted = total = 0.0
        for area_id, area_weight, target, questions in layout:
            wl = w = 0.0
            answered = unknown = na = 0
            for qid, weight in questions:
                answer = answers.get(qid)
                if answer is None:
                    continue
                answered += 1
                status, level = answer
                if status == "level":
                    wl += level * weight
                    w += weight
                elif status == "unknown":
                    unknown += 1
                    w += weight
                else:
                    na += 1
            score = wl / w if w > 0 else None
            gap = None if score is None else max(target - score, 0.0)
            areas[area_id] = (score, target, gap, answered, len(questions), unknown, na)
            if score is not None:
                weighted += score * area_weight
                total += area_weight
        results.append((areas, weighted / total if total > 0 else None))
    return results


def _close(a: Any, b: Any) -> bool:
    if a is None or (isinstance(a, float) and math.isnan(a)):
        return b is None or (isinstance(b, float) and math.isnan(b))
    return (
        b is not None and not (isinstance(b, float) and math.isnan(b)) and abs(a - b) <= TOLERANCE
    )


def check_agree(
    questionnaire: Questionnaire, sets: list[Answers], targets: Mapping[str, float]
) -> int:
    """Compare both paths on ``sets``; raise on the first difference. Returns values compared."""
    frame = answers_long_frame(questionnaire, long_answers(sets))
    areas, overall = long_frame_path(frame, targets)
    expected = loop(questionnaire, sets, targets)
    compared = 0
    matrix = score_matrix(questionnaire, *arrays(questionnaire, sets), targets)
    for i, (by_area, overall_score) in enumerate(expected):
        for area_id, (score, target, gap, answered, _total, unknown, na) in by_area.items():
            pairs = [
                (matrix.score.at[i, area_id], score),
                (matrix.target[area_id], target),
                (matrix.gap.at[i, area_id], gap),
                (matrix.answered.at[i, area_id], answered),
                (matrix.unknown.at[i, area_id], unknown),
                (matrix.na.at[i, area_id], na),
            ]
            for got, want in pairs:
                if not _close(float(got), want if want is None else float(want)):
                    raise AssertionError(
                        f"matrix: assessment {i} area {area_id}: {got!r} != {want!r}"
                    )
                compared += 1
        if not _close(float(matrix.overall[i]), overall_score):
            raise AssertionError(f"matrix: assessment {i} overall differs from the loop")
        compared += 1
    for row in areas.itertuples(index=False):
        score, target, gap, answered, total, unknown, na = expected[row.assessment][0][row.area]
        pairs = [
            (row.score, score),
            (row.target, target),
            (row.gap, gap),
            (row.answered, answered),
            (row.total, total),
            (row.unknown, unknown),
            (row.na, na),
        ]
        for got, want in pairs:
            if not _close(float(got), want if want is None else float(want)):
                raise AssertionError(
                    f"assessment {row.assessment} area {row.area}: {got!r} != {want!r}"
                )
            compared += 1
    for row in overall.itertuples(index=False):
        if not _close(float(row.score), expected[row.assessment][1]):
            raise AssertionError(f"assessment {row.assessment} overall: {row.score} != loop")
        compared += 1
    return compared


def best_of(func: Callable[[], Any], repeat: int = REPEAT) -> float:
    best = math.inf
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


@dataclass
class ScoringTimes:
    n: int
    vectorized: float  # score_matrix on the answers as arrays
    long_frame: float  # score_areas + overall_scores on a built long frame
    with_frame: float  # answers_long_frame + score_areas + overall_scores
    loop: float


def run() -> tuple[list[ScoringTimes], int]:
    questionnaire = get_questionnaire("ciso-nine-areas")
    areas = [a.id for a in questionnaire.areas]
    # Targets as a profile would propose them: not all the same.
    targets = {area: 2.5 + (i % 4) * 0.5 for i, area in enumerate(areas)}
    compared = check_agree(questionnaire, random_answer_sets(questionnaire, 300, seed=1), targets)
    times = []
    for n in SIZES:
        sets = random_answer_sets(questionnaire, n)
        answers = long_answers(sets)
        frame = answers_long_frame(questionnaire, answers)
        codes, levels = arrays(questionnaire, sets)
        times.append(
            ScoringTimes(
                n=n,
                vectorized=best_of(
                    lambda c=codes, lv=levels: score_matrix(questionnaire, c, lv, targets)
                ),
                long_frame=best_of(lambda f=frame: long_frame_path(f, targets)),
                with_frame=best_of(
                    lambda a=answers: long_frame_path(answers_long_frame(questionnaire, a), targets)
                ),
                loop=best_of(lambda s=sets: loop(questionnaire, s, targets)),
            )
        )
    return times, compared
