"""Obligations: the steps a regulation in the profile asks for in so many words (a HIPAA risk
analysis, the FTC Safeguards Rule's Qualified Individual, ...), each with its source, as the
policy's ``obligations`` lists them. The roadmap shows them in the first 90 days."""

from __future__ import annotations

from assess.core.recommend.policy import Policy
from assess.core.recommend.policy_file import load_policy
from assess.core.recommend.profile import Profile


def obligations_for(profile: Profile, policy: Policy | None = None) -> list[dict[str, str]]:
    """The obligations of the profile's regulations, in the profile's order of regulations.

    >>> from assess.core.recommend.profile import parse_profile
    >>> profile = parse_profile({"organization": "x", "employees": 12, "industry": "finance",
    ...     "regulations": ["glba"], "sensitive_data": [], "it_staff": 1, "security_staff": 0,
    ...     "security_leader": "none", "incidents_24m": 0, "customer_demands": False})
    >>> [(o["regulation"], o["source"][:27]) for o in obligations_for(profile)]
    [('glba', 'FTC Safeguards Rule, 16 CFR'), ('glba', 'FTC Safeguards Rule, 16 CFR')]
    """
    policy = policy or load_policy()
    return [
        {"regulation": regulation, **item.model_dump()}
        for regulation in profile.regulations
        for item in policy.obligations.get(regulation, ())
    ]
