"""What each engagement costs a year, line by line: a full-time CISO's pay and overheads (scaled
by headcount and industry), a security manager's, a vCISO's hours × rate, a periodic review, and
the hands-on monitoring and response (MDR) every option needs.

Hours and pay are interpolated between the policy's bands, so one more employee never moves
them by more than a sliver (the policy validator holds the hours to 5% per employee).
"""

from __future__ import annotations

import math

from assess.core.recommend.gaps import Gaps
from assess.core.recommend.policy import (
    Justified,
    Policy,
    RetainerCheck,
    band_for,
    interpolate,
    sources_of,
)
from assess.core.recommend.profile import Profile
from assess.core.recommend.words import join, money, number
from assess.core.results import ENGAGEMENTS, CisoCost, CostLine, CostOption, Costs, VcisoCost


def _said(item: Justified) -> str:
    """A policy figure's basis, short: its source, or "our assumption" (the policy says why)."""
    return item.source or "our assumption"


def pay_scale(profile: Profile, policy: Policy) -> tuple[float, float, Justified]:
    """(size scale, industry scale, the industry figure) for the pay of a security leader."""
    pay = policy.costs.pay
    industry = pay.industry_scale[profile.industry]
    return interpolate(pay.size_scale, profile.employees), industry.value, industry


def ciso_cost(profile: Profile, policy: Policy) -> CisoCost:
    """The median total compensation × size × industry, plus overheads."""
    costs = policy.costs.ciso
    size, industry, figure = pay_scale(profile, policy)
    band = band_for(policy.costs.pay.size_scale, profile.employees)
    scaled = costs.compensation.value * size * industry
    floor = costs.minimum_compensation
    pay = round(max(scaled, floor.value))
    rate = costs.overhead_rate
    assumptions = (
        f"Pay: {money(pay)} total compensation: the median {money(costs.compensation.value)} "
        f"({costs.compensation.basis}) × {size:.2f} for {profile.employees:,} people "
        f"({band.basis}) × {industry:.2f} for {profile.industry.replace('_', ' ')} "
        f"(an approximation: {_said(figure)})"
        + (
            f", raised to the floor of {money(floor.value)} ({floor.basis})."
            if scaled < floor.value
            else "."
        ),
        f"Overheads: {rate.value:.0%} for {costs.overhead_includes}. Basis: {rate.basis}.",
    )
    return CisoCost(
        annual_usd=round(pay * (1 + rate.value)),
        compensation_usd=pay,
        overhead_rate=rate.value,
        assumptions=assumptions,
        sources=sources_of(costs.compensation, band, figure, floor, rate),
    )


def build_out(gaps: Gaps, policy: Policy) -> float:
    """The share of extra hours the gaps call for: 0 at target, the full uplift from
    ``build_out_full_at`` levels below target on average (0 with nothing scored)."""
    v = policy.costs.vciso
    if gaps.starting_out:
        return v.build_out_uplift.value
    if gaps.mean is None:
        return 0.0
    return v.build_out_uplift.value * min(gaps.mean / v.build_out_full_at.value, 1.0)


def exact_hours(profile: Profile, gaps: Gaps, policy: Policy) -> tuple[float, float, bool]:
    """(hours a month unrounded, base hours, capped): the base by headcount, raised by the
    build-out share, capped. Non-decreasing in headcount and in the gaps."""
    v = policy.costs.vciso
    base = interpolate(v.base_hours, profile.employees)
    raw = base * (1 + build_out(gaps, policy))
    cap = v.max_hours.value
    return min(raw, cap), base, raw > cap


def vciso_hours(profile: Profile, gaps: Gaps, policy: Policy) -> tuple[int, float, float, bool]:
    """Hours a month: (rounded hours, base hours, build-out hours, capped)."""
    hours, base, capped = exact_hours(profile, gaps, policy)
    return math.floor(hours + 0.5), base, hours - base, capped


#: How the cross-check with a vendor's range starts, so pages can show it above the options.
ESTIMATES = "Estimates, not quotes."


def _retainer_lines(
    profile: Profile, monthly: int, policy: Policy
) -> tuple[list[str], list[RetainerCheck]]:
    lines, used = [], []
    for check in policy.costs.vciso.retainer_checks:
        if not check.covers(profile.employees):
            continue
        low, high = check.monthly_low, check.monthly_high
        if monthly < low:
            because = "below that range, because your program is small or close to target"
        elif monthly > high:
            because = "above that range, because of the size of your gaps and the hours while the program is being built"
        else:
            because = "within that range"
        size = (
            f"{check.employees_from:,.0f}–{check.employees_to:,.0f} staff"
            if check.employees_to is not None
            else "small and mid-size firms"
        )
        lines.append(
            f"{ESTIMATES} vCISO firms charge firms of {size} about {money(low * 12)}–"
            f"{money(high * 12)} a year ({check.basis}); we estimate {money(monthly * 12)}: "
            f"{because}."
        )
        used.append(check)
    return lines, used


def vciso_cost(profile: Profile, gaps: Gaps, policy: Policy) -> VcisoCost:
    """A vCISO retainer: hours a month × the hourly rate × 12 (the unrounded hours, so the
    cost has no steps), with each assumption and the vendor's ranges as a cross-check."""
    v = policy.costs.vciso
    hours, base, capped = exact_hours(profile, gaps, policy)
    rate = v.hourly_rate.value
    monthly = round(hours * rate)
    band = band_for(v.base_hours, profile.employees)
    share = build_out(gaps, policy)
    gap_text = (
        f"with only your profile we assume the hours a firm starting out needs ({share:.0%}, "
        f"{hours - base:.1f} h, while the program is being built); firms that answer usually "
        "see where to focus"
        if gaps.starting_out
        else "nothing is scored yet, so no hours are added while the program is being built"
        if gaps.mean is None
        else f"your areas are on average {gaps.mean:.1f} levels below target, adding "
        f"{share:.0%} ({hours - base:.1f} h) while the program is being built"
    )
    if gaps.unscored:
        gap_text += f" (not scored yet, so not counted: {join(gaps.unscored)})"
    assumptions = [
        f"Base: {base:.1f} h a month at {profile.employees:,} people. Basis: {band.basis}.",
        f"While the program is being built: {gap_text}. Basis: {v.build_out_uplift.basis}.",
        f"Rate: {money(rate)} an hour. Basis: {v.hourly_rate.basis}.",
    ]
    if capped:
        assumptions.append(
            f"Cap: {number(v.max_hours.value)} h a month. Basis: {v.max_hours.basis}."
        )
    checks, used = _retainer_lines(profile, monthly, policy)
    return VcisoCost(
        annual_usd=monthly * 12,
        monthly_usd=monthly,
        hours_per_month=math.floor(hours + 0.5),
        hourly_rate_usd=rate,
        base_hours=round(base, 2),
        gap_hours=hours - base,
        capped=capped,
        assumptions=(*assumptions, *checks),
        sources=sources_of(band, v.build_out_uplift, v.hourly_rate, *used),
    )


def _line(what: str, annual: float, basis: str, *items: Justified) -> CostLine:
    cited = sources_of(*items)
    return CostLine(
        what=what, annual_usd=round(annual), basis=basis, source="; ".join(cited) or None
    )


def hands_on_line(profile: Profile, policy: Policy) -> CostLine:
    """Round-the-clock monitoring and response (MDR): computers × a monthly price × 12, the
    volume tiers priced marginally."""
    h = policy.costs.hands_on
    endpoints = profile.employees * h.endpoints_per_employee.value
    price = f"about {money(h.per_endpoint_month.value)} per computer a month"
    tiers = [t for t in h.volume_tiers if endpoints > t.from_endpoints]
    if tiers:
        price += "".join(f", {money(t.value)} above {t.from_endpoints:,.0f}" for t in tiers)
    basis = f"{price}; {endpoints:,.0f} computers and servers"
    if h.note:
        basis += f". {h.note}"
    return _line(h.what, h.monthly(endpoints) * 12, basis, h.per_endpoint_month, *tiers)


def _vciso_line(what: str, hours_month: float, policy: Policy, basis: str) -> CostLine:
    v = policy.costs.vciso
    return _line(
        what,
        hours_month * v.hourly_rate.value * 12,
        f"{hours_month:.1f} hours a month at {money(v.hourly_rate.value)} an hour{basis}",
        v.hourly_rate,
    )


def _pay_lines(who: str, pay: int, policy: Policy, source: Justified, basis: str) -> list[CostLine]:
    rate = policy.costs.ciso.overhead_rate
    return [
        _line(f"{who}: total compensation", pay, basis, source),
        _line(
            f"{who}: overheads",
            round(pay * (1 + rate.value)) - pay,
            f"{rate.value:.0%} for benefits, payroll taxes, recruiting and tools",
            rate,
        ),
    ]


def _retainer_basis(vciso: VcisoCost, rate: float) -> str:
    """Year one (with the hours while the program is being built) and once built."""
    hours = vciso.base_hours + vciso.gap_hours
    basis = f"{hours:.1f} hours a month at {money(rate)} an hour, 12 months"
    if vciso.gap_hours > 0.05:
        steady = round(vciso.base_hours * rate * 12, -2)
        basis += (
            f": {money(vciso.annual_usd)} in year one ({hours:.1f} h), about {money(steady)} "
            f"once built ({vciso.base_hours:.1f} h)"
        )
    return basis


def _ciso_pay_basis(profile: Profile, policy: Policy) -> tuple[Justified, str]:
    """The CISO's pay line: the floor when it applies, else the median scaled."""
    costs = policy.costs.ciso
    size, industry, _ = pay_scale(profile, policy)
    floor = costs.minimum_compensation
    if costs.compensation.value * size * industry < floor.value:
        return floor, (
            f"the floor for small and mid-size firms ({money(floor.value)}; Cybersecurity "
            "Ventures/Sophos 2026 CISO report, vendor-sponsored)"
        )
    return costs.compensation, "the median, scaled to your size and industry"


def cost_options(
    profile: Profile, gaps: Gaps, policy: Policy, ciso: CisoCost, vciso: VcisoCost
) -> tuple[CostOption, ...]:
    """Every engagement, priced line by line, lightest first."""
    hours, _, _ = exact_hours(profile, gaps, policy)
    hands_on = hands_on_line(profile, policy)
    review = policy.engagements.review_hours(profile) * (1 + build_out(gaps, policy))
    rate = policy.costs.vciso.hourly_rate
    manager = policy.costs.manager
    size, industry, _ = pay_scale(profile, policy)
    manager_scaled = manager.compensation.value * size * industry
    manager_floor = manager.minimum_compensation
    manager_pay = round(max(manager_scaled, manager_floor.value if manager_floor else 0))
    if manager_floor is not None and manager_scaled < manager_floor.value:
        manager_basis = (
            f"our floor for a security manager ({money(manager_floor.value)}; above the BLS "
            "May 2024 median for information security analysts)"
        )
        manager_source: Justified = manager_floor
    else:
        manager_basis = (
            f"our estimate, scaled from {money(manager.compensation.value)} (IANS/Artico 2022, "
            "one level below the CISO) to your size and industry"
        )
        manager_source = manager.compensation
    share = manager.vciso_share.value
    lines = {
        "basics": [
            _line(
                "vCISO review a few times a year",
                review * rate.value,
                f"{review:.0f} hours a year at {money(rate.value)} an hour (our assumption)",
                rate,
            ),
            hands_on,
        ],
        "fractional": [
            CostLine(
                what="vCISO retainer",
                annual_usd=vciso.annual_usd,
                basis=_retainer_basis(vciso, rate.value),
                source="; ".join(sources_of(rate)) or None,
            ),
            hands_on,
        ],
        "fractional_with_manager": [
            *_pay_lines("Security manager", manager_pay, policy, manager_source, manager_basis),
            _vciso_line(
                "vCISO alongside the manager",
                hours * share,
                policy,
                f" ({share:.0%} of a retainer's hours, our assumption)",
            ),
            hands_on,
        ],
        "full_time": [
            *_pay_lines("CISO", ciso.compensation_usd, policy, *_ciso_pay_basis(profile, policy)),
            hands_on,
        ],
    }
    return tuple(
        CostOption(
            engagement=key,  # type: ignore[arg-type]
            label=ENGAGEMENTS[key],
            annual_usd=sum(line.annual_usd for line in option),
            lines=tuple(option),
        )
        for key, option in lines.items()
    )


def estimate_costs(profile: Profile, gaps: Gaps, policy: Policy) -> Costs:
    """Both leaders' yearly costs, and every engagement's."""
    ciso = ciso_cost(profile, policy)
    vciso = vciso_cost(profile, gaps, policy)
    return Costs(ciso=ciso, vciso=vciso, options=cost_options(profile, gaps, policy, ciso, vciso))
