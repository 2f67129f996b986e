"""Full-time CISO or virtual CISO: a recommendation from the profile and the maturity gaps.

Pure: no Flask, no database. The rules live in a YAML policy (``questionnaires/
recommendation-policy.yaml``) that an adviser can edit: every threshold, weight and cost in it
carries a ``source`` or is marked as an ``assumption``, and what each regulation asks (its
label, citation, board-reporting duty, the notes for a profile that seems to leave it out) is
written there too. The flow::

    profile = load_profile("examples/profile.yaml")        # validated, one-line errors
    targets = propose_targets(profile, area_ids)            # scoring uses these by default
    rec = recommend(profile, result.areas)                  # points → engagement, explained
    rec.model_dump(mode="json")                             # the results contract's JSON

(:func:`assess.outputs.recommendation_text.format_recommendation` prints it for a terminal.)

The verdict is a points model over the profile: each factor adds points toward a full-time CISO
(positive) or toward a vCISO (negative); at the policy's threshold the answer becomes ``ciso``.
Factors that grow with the organization (headcount, revenue, regulations, sensitive data,
incidents, customer demands, security staff) never lose points as they grow (the policy
validator refuses bands that fall), so growing never moves the answer from ``ciso`` to
``vciso``. The answers add no points (maturity sets the vCISO hours), so no answer flips it.
The engagement (:mod:`.engagement`) follows from the points: basics, fractional, fractional
with a manager, full time.

The modules, by job: :mod:`.profile` (the organization profile), :mod:`.policy` (the policy's
models) and :mod:`.policy_file` (reading and checking it), :mod:`.targets` (target levels per
area), :mod:`.gaps` (the gaps in two numbers, the areas to start with), :mod:`.reasons` (points
per factor, the verdict), :mod:`.engagement` (which engagement, how much was answered,
affordability), :mod:`.costs`, :mod:`.transition` (from a vCISO to a CISO),
:mod:`.reporting` (the reporting line), :mod:`.summary` (the paragraph), :mod:`.words` (money
and numbers in words), :mod:`.recommendation` (all of it put together).
"""

from assess.core.recommend.costs import (
    ciso_cost,
    cost_options,
    estimate_costs,
    exact_hours,
    vciso_cost,
    vciso_hours,
)
from assess.core.recommend.engagement import (
    affordability,
    answered_share,
    choose_engagement,
)
from assess.core.recommend.gaps import REQUIRED_COLUMNS, Gaps, first_areas, summarize_gaps
from assess.core.recommend.policy import Band, Justified, Policy, band_for, interpolate, sources_of
from assess.core.recommend.policy_file import (
    POLICY_FILE,
    known_area_ids,
    load_policy,
    parse_policy,
    shipped_policy_path,
)
from assess.core.recommend.profile import (
    CHOICES,
    HIRES,
    INDUSTRIES,
    PROFILE_FIELDS,
    REGULATIONS,
    SECURITY_LEADERS,
    SENSITIVE_DATA,
    Profile,
    load_profile,
    parse_profile,
)
from assess.core.recommend.reasons import (
    FACTOR_ORDER,
    decision_reasons,
    total_points,
    verdict,
)
from assess.core.recommend.recommendation import profile_notes, recommend
from assess.core.recommend.reporting import reporting_line
from assess.core.recommend.targets import base_target, propose_targets, target_pressure
from assess.core.recommend.transition import plan_transition, tipping_headcount
from assess.core.results import (
    ENGAGEMENTS,
    Affordability,
    CisoCost,
    CostLine,
    CostOption,
    Costs,
    FocusArea,
    Reason,
    Recommendation,
    ReportingLine,
    Transition,
    Trigger,
    VcisoCost,
)

__all__ = [
    "CHOICES",
    "ENGAGEMENTS",
    "FACTOR_ORDER",
    "HIRES",
    "INDUSTRIES",
    "POLICY_FILE",
    "PROFILE_FIELDS",
    "REGULATIONS",
    "REQUIRED_COLUMNS",
    "SECURITY_LEADERS",
    "SENSITIVE_DATA",
    "Affordability",
    "Band",
    "CisoCost",
    "CostLine",
    "CostOption",
    "Costs",
    "FocusArea",
    "Gaps",
    "Justified",
    "Policy",
    "Profile",
    "Reason",
    "Recommendation",
    "ReportingLine",
    "Transition",
    "Trigger",
    "VcisoCost",
    "affordability",
    "answered_share",
    "band_for",
    "base_target",
    "choose_engagement",
    "ciso_cost",
    "cost_options",
    "decision_reasons",
    "estimate_costs",
    "exact_hours",
    "first_areas",
    "interpolate",
    "known_area_ids",
    "load_policy",
    "load_profile",
    "parse_policy",
    "parse_profile",
    "plan_transition",
    "profile_notes",
    "propose_targets",
    "recommend",
    "reporting_line",
    "shipped_policy_path",
    "sources_of",
    "summarize_gaps",
    "target_pressure",
    "tipping_headcount",
    "total_points",
    "vciso_cost",
    "vciso_hours",
    "verdict",
]
