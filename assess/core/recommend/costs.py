"""What each option costs a year: a full-time CISO's pay and overheads, a vCISO's hours × rate,
cross-checked against vendors' retainer ranges."""

from __future__ import annotations

import math

from assess.core.recommend.gaps import Gaps
from assess.core.recommend.policy import Policy, RetainerCheck, band_for, sources_of
from assess.core.recommend.profile import Profile
from assess.core.recommend.words import money, number
from assess.core.results import CisoCost, Costs, VcisoCost


def ciso_cost(profile: Profile, policy: Policy) -> CisoCost:
    """Total compensation by size band plus an overhead for benefits, recruiting and tools."""
    costs = policy.costs.ciso
    band = band_for(costs.compensation, profile.employees)
    rate = costs.overhead_rate
    annual = round(band.value * (1 + rate.value))
    assumptions = (
        f"Pay: {money(band.value)} total compensation at {profile.employees:,} people. "
        f"Basis: {band.basis}.",
        f"Overheads: {rate.value:.0%} for {costs.overhead_includes}. Basis: {rate.basis}.",
    )
    return CisoCost(
        annual_usd=annual,
        compensation_usd=round(band.value),
        overhead_rate=rate.value,
        assumptions=assumptions,
        sources=sources_of(band, rate),
    )


def vciso_hours(profile: Profile, gaps: Gaps, policy: Policy) -> tuple[int, float, float, bool]:
    """Hours a month: a base by headcount plus hours per point of weighted gap, capped.

    Returns (hours, base hours, gap hours, capped). Non-decreasing in headcount and gaps.
    """
    costs = policy.costs.vciso
    base = band_for(costs.base_hours, profile.employees).value
    gap_hours = band_for(costs.hours_per_gap_point, profile.employees).value * gaps.points
    raw = math.floor(base + gap_hours + 0.5)
    cap = math.floor(costs.max_hours.value)
    return min(raw, cap), base, gap_hours, raw > cap


def _retainer_lines(
    profile: Profile, monthly: int, policy: Policy
) -> tuple[list[str], list[RetainerCheck]]:
    lines, used = [], []
    for check in policy.costs.vciso.retainer_checks:
        if not check.covers(profile.employees):
            continue
        low, high = check.monthly_low, check.monthly_high
        if monthly < low:
            where = "below that range, because your program is small or close to target"
        elif monthly > high:
            where = "above that range, because of the size of your gaps"
        else:
            where = "within that range"
        size = (
            f"{check.employees_from:,.0f}–{check.employees_to:,.0f} staff"
            if check.employees_to is not None
            else "small and mid-size firms"
        )
        lines.append(
            f"Cross-check: vendor retainers for {size} run {money(low)}–{money(high)} a month "
            f"({check.basis}); this estimate of {money(monthly)} a month is {where}."
        )
        used.append(check)
    return lines, used


def vciso_cost(profile: Profile, gaps: Gaps, policy: Policy) -> VcisoCost:
    """Hours a month × the hourly rate × 12, with each assumption and the retainer checks."""
    costs = policy.costs.vciso
    hours, base, gap_hours, capped = vciso_hours(profile, gaps, policy)
    rate = costs.hourly_rate.value
    monthly = round(hours * rate)
    band = band_for(costs.base_hours, profile.employees)
    per_gap = band_for(costs.hours_per_gap_point, profile.employees)
    assumptions = [
        f"Base: {number(base)} h a month at {profile.employees:,} people. Basis: {band.basis}.",
        f"Gaps: {number(per_gap.value)} h a month per level of weighted gap; "
        f"{gaps.points:.1f} levels summed over the areas add {gap_hours:.1f} h. "
        f"Basis: {per_gap.basis}.",
        f"Rate: {money(rate)} an hour. Basis: {costs.hourly_rate.basis}.",
    ]
    if capped:
        assumptions.append(
            f"Cap: {number(costs.max_hours.value)} h a month. Basis: {costs.max_hours.basis}."
        )
    checks, used = _retainer_lines(profile, monthly, policy)
    return VcisoCost(
        annual_usd=monthly * 12,
        monthly_usd=monthly,
        hours_per_month=hours,
        hourly_rate_usd=rate,
        base_hours=base,
        gap_hours=gap_hours,
        capped=capped,
        assumptions=(*assumptions, *checks),
        sources=sources_of(band, per_gap, costs.hourly_rate, *used),
    )


def estimate_costs(profile: Profile, gaps: Gaps, policy: Policy) -> Costs:
    """Both options' yearly costs."""
    return Costs(ciso=ciso_cost(profile, policy), vciso=vciso_cost(profile, gaps, policy))
