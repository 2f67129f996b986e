"""The recommendation put together: points → ciso or vciso, explained, priced, with a
transition, a reporting line, the areas to start with and notes on the profile."""

from __future__ import annotations

import pandas as pd

from assess.core.recommend.costs import estimate_costs
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
    (score and gap NaN for unscored areas), like ``assess.core.scoring.Result.areas``.

    >>> profile = Profile(organization="Five Person Bookkeeping", employees=5,
    ...                   industry="finance", regulations=["glba"])
    >>> areas = pd.DataFrame({"area": ["incident-response"], "title": ["Incident response"],
    ...     "weight": [1.0], "score": [1.0], "target": [3.0], "gap": [2.0]})
    >>> rec = recommend(profile, areas)
    >>> rec.hire, rec.confidence, rec.costs.vciso.hours_per_month
    ('vciso', 0.95, 9)
    """
    policy = policy or load_policy()
    gaps = summarize_gaps(areas)
    reasons = decision_reasons(profile, gaps, policy)
    points = total_points(reasons)
    hire, confidence = verdict(points, policy)
    costs = estimate_costs(profile, gaps, policy)
    transition = plan_transition(hire, points, profile, gaps, costs.vciso.hours_per_month, policy)
    focus = first_areas(areas, int(policy.decision.first_areas.value))
    targets = propose_targets(profile, [str(a) for a in areas["area"]], policy)
    return Recommendation(
        organization=profile.organization,
        hire=hire,
        confidence=confidence,
        points=points,
        threshold=policy.decision.threshold.value,
        summary=summary_paragraph(hire, profile, reasons, costs, transition, focus, gaps, policy),
        reasons=by_weight(reasons),
        costs=costs,
        transition=transition,
        reporting_line=reporting_line(profile, policy),
        first_areas=focus,
        targets_proposed=targets,
        notes=profile_notes(profile, policy),
        policy=PolicyRef(id=policy.id, version=policy.version),
    )
