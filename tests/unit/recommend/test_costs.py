"""What each option costs: a CISO's pay and overheads by size and industry, a vCISO's hours ×
rate, capped, and every engagement line by line."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from assess.core.recommend import Profile, load_policy, recommend
from tests.unit.recommend.cases import PROPERTY, areas_frame, gap_maps, profile, profiles


def test_vciso_cost_is_hours_times_rate_times_twelve() -> None:
    """Is the vCISO's yearly cost its (unrounded) hours a month × hourly rate × 12?"""
    costs = recommend(profile(employees=60), areas_frame(2.0)).costs.vciso
    hours = costs.base_hours + costs.gap_hours
    assert costs.monthly_usd == round(hours * costs.hourly_rate_usd)
    assert costs.annual_usd == costs.monthly_usd * 12
    assert costs.hours_per_month == round(hours)


def test_ciso_pay_scales_with_size_and_industry_plus_overheads() -> None:
    """Does a CISO cost more in a larger firm and in finance than in healthcare, never under
    the SMB floor, with overheads from the vendor's range?"""
    small = recommend(profile(employees=60), areas_frame(1.0)).costs.ciso
    large = recommend(profile(employees=600), areas_frame(1.0)).costs.ciso
    finance = recommend(profile(employees=600, industry="finance"), areas_frame(1.0)).costs.ciso
    health = recommend(profile(employees=600, industry="healthcare"), areas_frame(1.0)).costs.ciso
    assert 250_000 <= small.compensation_usd < large.compensation_usd
    assert health.compensation_usd < large.compensation_usd < finance.compensation_usd
    assert small.annual_usd == round(small.compensation_usd * (1 + small.overhead_rate))
    assert any("IANS/Artico CISO Compensation report 2024" in s for s in small.sources)
    assert any("Sophos and Cybersecurity Ventures, 2026" in s for s in small.sources)
    assert any("finance average $728K" in s for s in finance.sources)


def test_vciso_hours_grow_with_gaps_and_size_and_are_cross_checked() -> None:
    """Do the vCISO hours grow with the gaps and headcount, and cite the vendor's guide?"""
    low = recommend(profile(employees=60), areas_frame(0.0)).costs.vciso
    high = recommend(profile(employees=60), areas_frame(3.0)).costs.vciso
    bigger = recommend(profile(employees=300), areas_frame(3.0)).costs.vciso
    assert low.hours_per_month < high.hours_per_month < bigger.hours_per_month
    assert any("kapacyber vCISO price guide 2026 (a vendor's figure" in s for s in high.sources)
    assert high.hourly_rate_usd == 400


def test_hours_stay_within_the_vendors_guide_at_target() -> None:
    """At target, do the hours sit inside the vendor's ranges (5–10 h for 10–25 staff, 10–15
    for 25–75, 15–25 for 75–250)?"""
    for employees, low, high in (
        (10, 5, 10),
        (24, 5, 10),
        (25, 10, 15),
        (74, 10, 15),
        (75, 15, 25),
        (249, 15, 25),
    ):
        cost = recommend(profile(employees=employees), areas_frame(0.0)).costs.vciso
        assert low <= cost.base_hours + cost.gap_hours <= high, employees


def test_every_engagement_is_priced_line_by_line_with_the_hands_on_work() -> None:
    """Does every option list its lines, sum to its total, and carry the MDR line?"""
    rec = recommend(profile(employees=60, regulations=["hipaa"]), areas_frame(1.0))
    assert [o.engagement for o in rec.costs.options] == [
        "basics",
        "fractional",
        "fractional_with_manager",
        "full_time",
    ]
    for option in rec.costs.options:
        assert option.annual_usd == sum(line.annual_usd for line in option.lines)
        assert any(line.what.startswith("Round-the-clock monitoring") for line in option.lines)
    mdr = next(
        line
        for line in rec.costs.options[0].lines
        if line.what.startswith("Round-the-clock monitoring")
    )
    assert "NzingaNet Inc." in mdr.source and "May 2026" in mdr.source


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


def test_pay_lines_say_their_basis_a_floor_or_a_scaled_figure() -> None:
    """Is a small healthcare firm's security manager priced at the $140,000 floor (our
    assumption) and its CISO at the small-firm floor, each line saying so; and is a larger
    firm's manager 'our estimate, scaled from $245,000'?"""
    small = recommend(profile(employees=80, industry="healthcare"), areas_frame(1.5)).costs.options
    lines = {line.what: line for option in small for line in option.lines}
    manager = lines["Security manager: total compensation"]
    assert manager.annual_usd == 140_000 and manager.basis.startswith("our floor")
    assert manager.source is None  # an assumption, not a source
    ciso = lines["CISO: total compensation"]
    assert ciso.annual_usd == 250_000
    assert ciso.basis.startswith("the floor for small and mid-size firms ($250,000;")
    large = recommend(profile(employees=400, industry="finance"), areas_frame(1.5)).costs.options
    lines = {line.what: line for option in large for line in option.lines}
    assert lines["Security manager: total compensation"].basis.startswith(
        "our estimate, scaled from $245,000 (IANS/Artico 2022, one level below the CISO)"
    )
    assert lines["CISO: total compensation"].basis == "the median, scaled to your size and industry"


def test_monitoring_is_priced_by_volume_tiers_without_a_cliff() -> None:
    """Are the first 300 computers $25 a month, the next up to 1,200 $18, the rest $12, each
    tier on its own share, so one more computer adds at most $25 a month?"""
    h = load_policy().costs.hands_on
    assert h.monthly(300) == 300 * 25
    assert h.monthly(1200) == 300 * 25 + 900 * 18
    assert h.monthly(1500) == 300 * 25 + 900 * 18 + 300 * 12
    for endpoints in (299.5, 300, 1199.5, 1200, 5000):
        assert 0 < h.monthly(endpoints + 1) - h.monthly(endpoints) <= 25
    line = recommend(profile(employees=1500), areas_frame(1.0)).costs.options[0].lines[-1]
    assert "subtract this line" in line.basis and "$18 above 300, $12 above 1,200" in line.basis


def test_the_retainer_says_year_one_and_once_built_and_the_vendor_range() -> None:
    """Does the retainer line give year one and the steady state, and the estimate stand
    against the vendor's published yearly range as an estimate, not a quote?"""
    rec = recommend(profile(employees=60), areas_frame(1.0))
    vciso = rec.costs.vciso
    retainer = rec.costs.options[1].lines[0]
    steady = round(vciso.base_hours * 400 * 12, -2)
    assert f"${vciso.annual_usd:,.0f} in year one" in retainer.basis
    assert f"about ${steady:,.0f} once built ({vciso.base_hours:.1f} h)" in retainer.basis
    note = next(a for a in vciso.assumptions if a.startswith("Estimates, not quotes."))
    assert (
        "about $48,000–$78,000 a year" in note and f"we estimate ${vciso.annual_usd:,.0f}" in note
    )
