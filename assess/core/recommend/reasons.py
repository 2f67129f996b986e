"""Why: each factor of the profile as points toward a CISO or a vCISO, and the verdict those
points give.

The points are summed in the fixed factor order; factors that grow with the organization never
lose points as they grow (the policy validator refuses bands that fall). Headcount and revenue
points are interpolated between the bands' starts, so one more employee or dollar moves them
by a sliver, never by a band. The answers add no points: the verdict cannot flip on one answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from assess.core.recommend.policy import Band, Policy, band_for, interpolate, sources_of
from assess.core.recommend.profile import Profile
from assess.core.recommend.words import join, money
from assess.core.results import Reason


def _band_label(bands: Sequence[Band], band: Band, unit: str = "") -> str:
    index = list(bands).index(band)
    start = f"{unit}{band.at_least:,.0f}"
    if index + 1 < len(bands):
        return f"{start}–{unit}{bands[index + 1].at_least - 1:,.0f}"
    return f"{start} and more"


def _employees_reason(profile: Profile, policy: Policy) -> Reason:
    factor = policy.factors.employees
    band = band_for(factor.bands, profile.employees)
    n = profile.employees
    return Reason(
        factor="employees",
        title=factor.title,
        value=n,
        shown=f"{n:,} people",
        weight=round(interpolate(factor.bands, n), 6),
        explanation=(
            f"{n:,} people ({_band_label(factor.bands, band)} staff). {band.note or ''}".strip()
        ),
        sources=sources_of(band),
        phrase=f"{n:,} people",
    )


def _revenue_reason(profile: Profile, policy: Policy) -> Reason:
    factor = policy.factors.annual_revenue_usd
    revenue = profile.annual_revenue_usd
    if revenue is None:
        return Reason(
            factor="annual_revenue_usd",
            title=factor.title,
            value=None,
            shown="not given",
            weight=0.0,
            explanation=factor.unknown_note,
        )
    band = band_for(factor.bands, revenue)
    return Reason(
        factor="annual_revenue_usd",
        title=factor.title,
        value=revenue,
        shown=money(revenue),
        weight=round(interpolate(factor.bands, revenue), 6),
        explanation=f"{money(revenue)} a year. {band.note or ''}".strip(),
        sources=sources_of(band),
        phrase=f"{money(revenue)} in revenue",
    )


def _regulation_reasons(profile: Profile, policy: Policy) -> list[Reason]:
    reasons = []
    for code in profile.regulations:
        rule = policy.regulations[code]
        text = rule.requires
        if rule.names_security_leader:
            text += (
                " The rule requires a full-time officer."
                if rule.full_time_required
                else " The rule itself does not require a full-time hire."
            )
        weight = rule.points.value
        sources = [rule.citation, rule.points]
        if rule.large is not None and rule.large.applies(profile):
            weight += rule.large.points
            text += " " + rule.large.note
            sources.append(rule.large)
        reasons.append(
            Reason(
                factor="regulation",
                title="Regulation",
                value=code,
                shown=rule.name,
                weight=weight,
                explanation=text,
                sources=sources_of(*sources),
                phrase=rule.short_name,
            )
        )
    return reasons


def _regulations_count_reason(profile: Profile, policy: Policy) -> Reason | None:
    count = len(profile.regulations)
    if count < 2:
        return None
    factor = policy.factors.regulations_count
    band = band_for(factor.bands, count)
    names = join([policy.regulations[code].name for code in profile.regulations])
    return Reason(
        factor="regulations_count",
        title=factor.title,
        value=count,
        shown=f"{count} regulations",
        weight=band.value,
        explanation=f"{count} regulations ({names}). {band.note or ''}".strip(),
        sources=sources_of(band),
        phrase=f"{count} regulations",
    )


def _sensitive_reason(profile: Profile, policy: Policy) -> Reason | None:
    if not profile.sensitive_data:
        return None
    factor = policy.factors.sensitive_data
    kinds = [factor.kinds[kind] for kind in profile.sensitive_data]
    names = join([kind.name for kind in kinds])
    return Reason(
        factor="sensitive_data",
        title=factor.title,
        value=profile.sensitive_data,
        shown=", ".join(kind.name for kind in kinds),
        weight=sum(kind.points.value for kind in kinds),
        explanation=f"You hold {names}. {factor.note}",
        sources=sources_of(factor),
        phrase=f"{names} to protect" if len(kinds) <= 2 else "sensitive data to protect",
    )


def _incidents_reason(profile: Profile, policy: Policy) -> Reason:
    factor = policy.factors.incidents_24m
    n = profile.incidents_24m
    band = band_for(factor.bands, n)
    said = {0: "No incidents", 1: "One incident"}.get(n, f"{n} incidents")
    return Reason(
        factor="incidents_24m",
        title=factor.title,
        value=n,
        shown=str(n),
        weight=band.value,
        explanation=f"{said} in the last 24 months. {band.note or ''}".strip(),
        sources=sources_of(band),
        phrase=f"{said.lower()} in the last two years".replace("one incident", "an incident"),
    )


def _demands_reason(profile: Profile, policy: Policy) -> Reason:
    factor = policy.factors.customer_demands
    demanded = profile.customer_demands
    return Reason(
        factor="customer_demands",
        title=factor.title,
        value=demanded,
        shown="yes" if demanded else "no",
        weight=factor.points.value if demanded else 0.0,
        explanation=factor.note_true if demanded else factor.note_false,
        sources=sources_of(factor.points) if demanded else (),
        phrase="customers, insurers or the board asking for documented security",
    )


def _staff_reason(profile: Profile, policy: Policy) -> Reason:
    factor = policy.factors.security_staff
    n = profile.security_staff
    band = band_for(factor.bands, n)
    head = "" if n == 0 else f"{n} dedicated security {'person' if n == 1 else 'people'}. "
    return Reason(
        factor="security_staff",
        title=factor.title,
        value=n,
        shown=str(n),
        weight=band.value,
        explanation=(head + (band.note or "")).strip(),
        sources=sources_of(band),
        phrase="a security specialist to direct" if n == 1 else f"a security team of {n} to lead",
    )


def _leader_reason(profile: Profile, policy: Policy) -> Reason:
    factor = policy.factors.security_leader
    level = factor.levels[profile.security_leader]
    return Reason(
        factor="security_leader",
        title=factor.title,
        value=profile.security_leader,
        shown=level.label or profile.security_leader.replace("_", " "),
        weight=level.points.value,
        explanation=level.note,
        sources=sources_of(level.points),
        phrase="a full-time CISO already in place",
    )


FACTOR_ORDER = (
    "employees",
    "annual_revenue_usd",
    "regulation",
    "regulations_count",
    "sensitive_data",
    "incidents_24m",
    "customer_demands",
    "security_staff",
    "security_leader",
)


def decision_reasons(profile: Profile, policy: Policy) -> tuple[Reason, ...]:
    """Every factor's reason, in the fixed factor order (the points are summed in this order).
    Only the profile counts: the answers never move the verdict."""
    reasons: list[Reason | None] = [
        _employees_reason(profile, policy),
        _revenue_reason(profile, policy),
        *_regulation_reasons(profile, policy),
        _regulations_count_reason(profile, policy),
        _sensitive_reason(profile, policy),
        _incidents_reason(profile, policy),
        _demands_reason(profile, policy),
        _staff_reason(profile, policy),
        _leader_reason(profile, policy),
    ]
    return tuple(reason for reason in reasons if reason is not None)


def total_points(reasons: Iterable[Reason]) -> float:
    """The sum of the reasons' points, rounded to 6 places so float noise never flips a verdict."""
    return round(sum(reason.weight for reason in reasons), 6)


def by_weight(reasons: Iterable[Reason]) -> tuple[Reason, ...]:
    """Strongest first; ties keep the factor order."""
    return tuple(
        sorted(reasons, key=lambda r: (-abs(r.weight), FACTOR_ORDER.index(r.factor), str(r.value)))
    )


def verdict(points: float, policy: Policy) -> tuple[str, float]:
    """``ciso`` at or above the threshold, and the margin: the distance from it in points.

    >>> from assess.core.recommend import load_policy
    >>> verdict(10, load_policy()), verdict(5, load_policy()), verdict(-30, load_policy())
    (('ciso', 0.0), ('vciso', 5.0), ('vciso', 40.0))
    """
    threshold = policy.decision.threshold.value
    hire = "ciso" if points >= threshold else "vciso"
    return hire, round(abs(points - threshold), 6)
