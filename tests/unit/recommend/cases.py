"""Shared by the recommendation's tests: area frames, profiles, and Hypothesis strategies."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from assess.core.questionnaire import get_questionnaire
from assess.core.recommend import (
    INDUSTRIES,
    REGULATIONS,
    SECURITY_LEADERS,
    SENSITIVE_DATA,
    Profile,
    parse_profile,
    propose_targets,
)

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples"
#: The nine areas of the shipped questionnaire, in its order.
AREA_IDS = tuple(area.id for area in get_questionnaire("ciso-nine-areas").areas)


def areas_frame(
    gaps: dict[str, float] | float, targets: dict[str, float] | None = None
) -> pd.DataFrame:
    """The nine areas with the given gaps (one number: the same gap everywhere)."""
    targets = targets or dict.fromkeys(AREA_IDS, 3.0)
    if not isinstance(gaps, dict):
        gaps = dict.fromkeys(AREA_IDS, float(gaps))
    rows = []
    for area in AREA_IDS:
        gap = gaps.get(area, 0.0)
        target = targets[area]
        score = math.nan if math.isnan(gap) else max(target - gap, 0.0)
        rows.append(
            {
                "area": area,
                "title": area.replace("-", " ").capitalize(),
                "weight": 1.0,
                "score": score,
                "target": target,
                "gap": gap if math.isnan(gap) else target - score,
            }
        )
    return pd.DataFrame(rows)


def frame_for(profile: Profile, mean_score: float) -> pd.DataFrame:
    """Every area scored ``mean_score`` against the targets proposed for ``profile``."""
    targets = propose_targets(profile, AREA_IDS)
    frame = pd.DataFrame(
        {
            "area": list(AREA_IDS),
            "title": [a.replace("-", " ").capitalize() for a in AREA_IDS],
            "weight": 1.0,
            "score": mean_score,
            "target": [targets[a] for a in AREA_IDS],
        }
    )
    return frame.assign(gap=(frame["target"] - frame["score"]).clip(lower=0.0))


def profile(**fields: Any) -> Profile:
    return parse_profile({"organization": "Test Co", "industry": "other", **fields})


# --------------------------------------------------------------------------- strategies

profiles = st.builds(
    lambda employees, revenue, industry, regulations, sensitive, it, sec, leader, incidents, demands: (
        Profile(
            organization="Prop Co",
            employees=employees,
            annual_revenue_usd=revenue,
            industry=industry,
            regulations=regulations,
            sensitive_data=sensitive,
            it_staff=min(it, employees),
            security_staff=min(sec, employees),
            security_leader=leader,
            incidents_24m=incidents,
            customer_demands=demands,
        )
    ),
    st.integers(1, 5000),
    st.one_of(st.none(), st.floats(0, 2e9, allow_nan=False)),
    st.sampled_from(INDUSTRIES),
    st.lists(st.sampled_from(REGULATIONS), max_size=5),
    st.lists(st.sampled_from(SENSITIVE_DATA), max_size=4),
    st.integers(0, 80),
    st.integers(0, 15),
    st.sampled_from(SECURITY_LEADERS),
    st.integers(0, 6),
    st.booleans(),
)


gap_values = st.one_of(st.just(math.nan), st.floats(0, 5, allow_nan=False))


gap_maps = st.fixed_dictionaries({area: gap_values for area in AREA_IDS})


@st.composite
def growth(draw: st.DrawFn) -> tuple[Profile, Profile]:
    """A profile and the same one grown in headcount, revenue, regulations, data or incidents."""
    base = draw(profiles)
    revenue = base.annual_revenue_usd
    more_revenue = draw(st.floats(0, 2e9, allow_nan=False))
    grown_revenue = more_revenue if revenue is None else revenue + more_revenue
    if revenue is None and draw(st.booleans()):
        grown_revenue = None
    grown = Profile.model_validate(
        base.model_dump()
        | {
            "employees": base.employees + draw(st.integers(0, 3000)),
            "annual_revenue_usd": grown_revenue,
            "regulations": list(base.regulations)
            + draw(st.lists(st.sampled_from(REGULATIONS), max_size=4)),
            "sensitive_data": list(base.sensitive_data)
            + draw(st.lists(st.sampled_from(SENSITIVE_DATA), max_size=3)),
            "incidents_24m": base.incidents_24m + draw(st.integers(0, 4)),
            "customer_demands": base.customer_demands or draw(st.booleans()),
        }
    )
    return base, grown


PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
