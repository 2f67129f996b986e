"""What each option costs: a CISO's pay and overheads, a vCISO's hours × rate, capped."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from assess.core.recommend import Profile, load_policy, recommend
from tests.unit.recommend.cases import PROPERTY, areas_frame, gap_maps, profile, profiles


def test_vciso_cost_is_hours_times_rate_times_twelve() -> None:
    """Is the vCISO's yearly cost hours a month × hourly rate × 12?"""
    costs = recommend(profile(employees=60), areas_frame(2.0)).costs.vciso
    assert costs.annual_usd == costs.hours_per_month * costs.hourly_rate_usd * 12


def test_ciso_cost_uses_the_lower_band_for_small_firms_plus_overheads() -> None:
    """Do small firms get the lower compensation band, with the overhead as an assumption?"""
    small = recommend(profile(employees=60), areas_frame(1.0)).costs.ciso
    large = recommend(profile(employees=600), areas_frame(1.0)).costs.ciso
    assert small.compensation_usd == 300_000 < large.compensation_usd == 403_000
    assert small.annual_usd == round(300_000 * (1 + small.overhead_rate))
    assert any("30% of CISOs earn under $300K" in s for s in small.sources)
    assert any("our assumption" in a for a in small.assumptions)


def test_vciso_hours_grow_with_gaps_and_size_and_are_cross_checked() -> None:
    """Do the vCISO hours grow with the gaps and headcount, and cite the vendor ranges?"""
    low = recommend(profile(employees=60), areas_frame(0.0)).costs.vciso
    high = recommend(profile(employees=60), areas_frame(3.0)).costs.vciso
    bigger = recommend(profile(employees=300), areas_frame(3.0)).costs.vciso
    assert low.hours_per_month < high.hours_per_month < bigger.hours_per_month
    assert any("kapacyber" in s for s in high.sources)
    assert any("no survey-grade public figure" in a for a in high.assumptions)


def test_vciso_hours_are_capped() -> None:
    """Are the hours capped at the policy's maximum?"""
    policy = load_policy()
    costs = recommend(profile(employees=5000), areas_frame(5.0)).costs.vciso
    assert costs.hours_per_month <= policy.costs.vciso.max_hours.value


@PROPERTY
@given(profiles, gap_maps, st.lists(st.floats(0, 3, allow_nan=False), min_size=9, max_size=9))
def test_larger_gaps_never_lower_the_vciso_hours(
    subject: Profile, gaps: dict[str, float], extra: list[float]
) -> None:
    larger = {
        area: (gap if math.isnan(gap) else min(gap + more, 5.0))
        for (area, gap), more in zip(gaps.items(), extra, strict=True)
    }
    before = recommend(subject, areas_frame(gaps))
    after = recommend(subject, areas_frame(larger))
    assert after.costs.vciso.hours_per_month >= before.costs.vciso.hours_per_month
    assert after.points >= before.points
