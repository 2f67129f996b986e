"""The maturity gaps as the recommendation reads them: two numbers, and the areas to start with."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from assess.core.results import FocusArea


@dataclass(frozen=True)
class Gaps:
    """The maturity gaps in two numbers: their weighted mean and their weighted sum."""

    mean: float | None  # weighted mean gap over scored areas (levels below target)
    points: float  # sum of weight × gap, weights scaled to average 1 (unscored areas count 0)
    scored: int
    unscored: tuple[str, ...]  # titles of areas with no score yet
    #: Too little is answered to trust the gaps: the hours assume a program starting out.
    starting_out: bool = field(default=False, repr=False)


REQUIRED_COLUMNS = ("area", "title", "weight", "score", "target", "gap")


def summarize_gaps(areas: pd.DataFrame) -> Gaps:
    """Weighted mean and weighted sum of the gaps.

    >>> frame = pd.DataFrame({"area": ["a", "b", "c"], "title": ["A", "B", "C"],
    ...     "weight": [1.0, 1.0, 2.0], "score": [1.0, 3.0, None], "target": [3.0, 3.0, 3.0],
    ...     "gap": [2.0, 0.0, None]})
    >>> summarize_gaps(frame)
    Gaps(mean=1.0, points=1.5, scored=2, unscored=('C',))
    """
    missing = [column for column in REQUIRED_COLUMNS if column not in areas.columns]
    if missing:
        raise ValueError(f"areas frame lacks column(s) {', '.join(missing)}")
    if areas.empty:
        return Gaps(mean=None, points=0.0, scored=0, unscored=())
    weight = areas["weight"].astype(float)
    gap = areas["gap"].astype(float)
    scored = gap.notna()
    weighted = (weight * gap.fillna(0.0)).clip(lower=0.0)
    mean_weight = float(weight.mean())
    points = float(weighted.sum()) / mean_weight if mean_weight > 0 else 0.0
    scored_weight = float(weight[scored].sum())
    mean = float(weighted[scored].sum()) / scored_weight if scored_weight > 0 else None
    unscored = tuple(str(t) for t in areas.loc[~scored, "title"])
    return Gaps(mean=mean, points=points, scored=int(scored.sum()), unscored=unscored)


def first_areas(areas: pd.DataFrame, count: int) -> tuple[FocusArea, ...]:
    """The areas with the largest weighted gaps (weight × gap), ties in questionnaire order."""
    rows = []
    for position, row in enumerate(areas.itertuples(index=False)):
        gap = float(row.gap)
        if math.isnan(gap) or gap <= 0:
            continue
        weighted = float(row.weight) * gap
        score = None if pd.isna(row.score) else float(row.score)
        rows.append(
            (
                -weighted,
                position,
                FocusArea(
                    area=row.area,
                    title=row.title,
                    score=score,
                    target=float(row.target),
                    gap=gap,
                    weighted_gap=weighted,
                ),
            )
        )
    rows.sort(key=lambda item: (item[0], item[1]))
    return tuple(item[2] for item in rows[:count])
