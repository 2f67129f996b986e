"""Target levels per area, proposed from the profile: more regulated, data-rich or larger,
higher. The owner may override them; scoring uses them by default."""

from __future__ import annotations

from collections.abc import Sequence

from assess.core.recommend.policy import Policy, band_for
from assess.core.recommend.policy_file import load_policy
from assess.core.recommend.profile import Profile


def target_pressure(profile: Profile, policy: Policy) -> float:
    """How much the profile raises the bar: regulations, sensitive data, size, demands."""
    pressure = policy.targets.pressure
    total = pressure.per_regulation.value * len(profile.regulations)
    total += sum(pressure.sensitive_data[kind].value for kind in profile.sensitive_data)
    total += band_for(pressure.employees, profile.employees).value
    if profile.customer_demands:
        total += pressure.customer_demands.value
    return total


def base_target(profile: Profile, policy: Policy) -> float:
    """The target level of every area before per-area bumps."""
    if policy.targets.tiny.applies(profile):
        return policy.targets.tiny.target
    return band_for(policy.targets.levels, target_pressure(profile, policy)).value


def propose_targets(
    profile: Profile, area_ids: Sequence[str], policy: Policy | None = None
) -> dict[str, float]:
    """A target level per area: base 3, higher when more regulated, data-rich or larger.

    >>> tiny = Profile(organization="Two Chairs Salon", employees=6, industry="retail")
    >>> propose_targets(tiny, ["incident-response", "program-oversight"])
    {'incident-response': 2.0, 'program-oversight': 2.0}
    >>> clinic = tiny.model_copy(update={"employees": 60, "regulations": ("hipaa",),
    ...                                  "sensitive_data": ("phi", "pii")})
    >>> propose_targets(clinic, ["incident-response", "program-oversight"])
    {'incident-response': 4.0, 'program-oversight': 3.0}
    """
    policy = policy or load_policy()
    base = base_target(profile, policy)
    cap = policy.targets.bump_cap.value
    bumps = [bump for bump in policy.targets.area_bumps if bump.when.holds(profile)]
    targets = {}
    for area in area_ids:
        raise_by = sum(bump.by for bump in bumps if area in bump.areas)
        targets[area] = float(max(base, min(base + raise_by, cap)) if raise_by else base)
    return targets
