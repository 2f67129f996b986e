"""Which engagement fits, how much of the questionnaire the advice stands on, and what the
recommended option costs beside the revenue.

The engagement comes from the profile's points, never from the answers: ``basics`` (an IT
provider and a periodic vCISO review) below about 10 staff under no regulation, ``fractional``
(a vCISO retainer), ``fractional_with_manager`` (an in-house security manager and a vCISO) from
the policy's ``manager_from`` points, and ``full_time`` (a CISO) at the threshold, or whenever a
CISO is already in place: the advice is then to keep them. Growing only adds points, so it
never moves the engagement toward a lighter one.
"""

from __future__ import annotations

import pandas as pd

from assess.core.recommend.policy import Policy
from assess.core.recommend.profile import Profile
from assess.core.recommend.words import money, price
from assess.core.results import Affordability, CostOption

#: The engagements from the lightest to the heaviest.
ORDER = ("basics", "fractional", "fractional_with_manager", "full_time")


def choose_engagement(profile: Profile, points: float, policy: Policy) -> tuple[str, str]:
    """(hire, engagement) for ``profile`` with ``points``.

    >>> from assess.core.recommend import load_policy
    >>> shop = Profile(organization="Shop", employees=5, industry="retail")
    >>> choose_engagement(shop, -9, load_policy())
    ('vciso', 'basics')
    >>> choose_engagement(shop.model_copy(update={"security_leader": "ciso"}), -9, load_policy())
    ('ciso', 'full_time')
    """
    threshold = policy.decision.threshold.value
    large = policy.engagements.large
    if profile.security_leader == "ciso" or points >= threshold:
        return "ciso", "full_time"
    if large is not None and large.applies(profile, points):
        return "ciso", "full_time"
    if policy.engagements.manager_from.applies(profile, points):
        return "vciso", "fractional_with_manager"
    if policy.engagements.is_basics(profile, policy.targets.tiny):
        return "vciso", "basics"
    return "vciso", "fractional"


def answered_share(areas: pd.DataFrame) -> float:
    """The share of questions answered with a level or n/a ("don't know" and unanswered ones
    are not), from the per-area counts; without counts, the share of areas scored.

    >>> answered_share(pd.DataFrame({"answered": [6, 2], "unknown": [1, 0], "total": [6, 6],
    ...                              "score": [1.0, 2.0]}))
    0.5833
    """
    if {"answered", "unknown", "total"} <= set(areas.columns):
        total = float(areas["total"].sum())
        known = float((areas["answered"] - areas["unknown"]).sum())
        share = known / total if total > 0 else 0.0
    elif len(areas):
        share = float(areas["score"].notna().mean())
    else:
        share = 0.0
    return round(min(max(share, 0.0), 1.0), 4)


def affordability(profile: Profile, option: CostOption) -> Affordability:
    """The recommended option's yearly cost as a share of revenue, said in a sentence."""
    revenue = profile.annual_revenue_usd
    cost = option.annual_usd
    if not revenue:
        return Affordability(
            annual_usd=cost,
            revenue_usd=revenue,
            share=None,
            text=f"{option.label}: about {price(cost)} a year. Give your revenue to "
            "see it as a share of it.",
        )
    share = cost / revenue
    said = f"{share:.1%}" if share < 0.1 else f"{share:.0%}"
    return Affordability(
        annual_usd=cost,
        revenue_usd=revenue,
        share=round(share, 6),
        text=f"{option.label}: about {price(cost)} a year, {said} of your "
        f"{money(revenue)} revenue.",
    )
