"""The recommendation put together: the profile's points → ciso or vciso and the engagement
that fits, explained, priced option by option, with a transition, a reporting line, the areas
to start with and notes on the profile. The answers set the hours and the urgency only."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from assess.core.recommend.costs import estimate_costs
from assess.core.recommend.engagement import affordability, answered_share, choose_engagement
from assess.core.recommend.gaps import first_areas, summarize_gaps
from assess.core.recommend.policy import Policy
from assess.core.recommend.policy_file import load_policy
from assess.core.recommend.profile import Profile
from assess.core.recommend.reasons import by_weight, decision_reasons, total_points, verdict
from assess.core.recommend.reporting import reporting_line
from assess.core.recommend.summary import summary_paragraph
from assess.core.recommend.targets import propose_targets
from assess.core.recommend.transition import plan_transition
from assess.core.results import PolicyRef, Recommendation


def profile_notes(profile: Profile, policy: Policy | None = None) -> tuple[str, ...]:
    """Things in the profile an adviser would ask about before trusting the result: the
    policy's checks for regulations likely left out, then a team nobody leads."""
    policy = policy or load_policy()
    notes = [check.note for check in policy.profile_checks if check.applies(profile)]
    if profile.security_leader == "none" and profile.security_staff > 0:
        notes.append(
            "You have security staff but nobody leads security: whoever you hire, they will "
            "need a clear mandate over that team."
        )
    return tuple(notes)


def recommend(
    profile: Profile, areas: pd.DataFrame, policy: Policy | None = None
) -> Recommendation:
    """Recommend a full-time CISO or a vCISO for ``profile`` given its area scores.

    ``areas`` has one row per area with columns area, title, weight, score, target and gap
    (score and gap NaN for unscored areas), like ``assess.core.scoring.Result.areas``; with
    its answered, unknown and total columns the advice says how much of it was answered.

    >>> profile = Profile(organization="Five Person Bookkeeping", employees=5,
    ...                   industry="finance", regulations=["glba"])
    >>> areas = pd.DataFrame({"area": ["incident-response"], "title": ["Incident response"],
    ...     "weight": [1.0], "score": [1.0], "target": [3.0], "gap": [2.0]})
    >>> rec = recommend(profile, areas)
    >>> rec.hire, rec.engagement, rec.margin, rec.costs.vciso.hours_per_month
    ('vciso', 'basics', 18.5, 8)
    """
    policy = policy or load_policy()
    gaps = summarize_gaps(areas)
    reasons = decision_reasons(profile, policy)
    points = total_points(reasons)
    hire, margin = verdict(points, policy)
    hire, engagement = choose_engagement(profile, points, policy)
    share = answered_share(areas)
    provisional = share < policy.decision.provisional_below.value
    if provisional:  # not answering must not make the advice cheaper
        gaps = replace(gaps, starting_out=True)
    costs = estimate_costs(profile, gaps, policy)
    transition = plan_transition(hire, points, profile, costs.vciso.hours_per_month, policy, gaps)
    focus = first_areas(areas, int(policy.decision.first_areas.value))
    targets = propose_targets(profile, [str(a) for a in areas["area"]], policy)
    chosen = next(option for option in costs.options if option.engagement == engagement)
    return Recommendation(
        organization=profile.organization,
        hire=hire,
        engagement=engagement,
        provisional=provisional,
        answered_share=share,
        margin=margin,
        points=points,
        threshold=policy.decision.threshold.value,
        summary=summary_paragraph(
            hire,
            engagement,
            profile,
            reasons,
            costs,
            transition,
            focus,
            gaps,
            policy,
            provisional=provisional,
            answered=share,
        ),
        reasons=by_weight(reasons),
        costs=costs,
        affordability=affordability(profile, chosen),
        transition=transition,
        reporting_line=reporting_line(profile, policy),
        first_areas=focus,
        targets_proposed=targets,
        notes=profile_notes(profile, policy),
        policy=PolicyRef(id=policy.id, version=policy.version),
    )
