"""The summary paragraph: the verdict, the price, what decided it and where to start."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from assess.core.recommend.gaps import Gaps
from assess.core.recommend.policy import Policy
from assess.core.recommend.profile import Profile
from assess.core.recommend.reasons import FACTOR_ORDER
from assess.core.recommend.words import about, join
from assess.core.results import Costs, FocusArea, Reason, Transition


def strongest_drivers(reasons: Iterable[Reason]) -> list[tuple[float, str]]:
    """Reasons pushing toward a CISO, regulations merged into one, strongest first."""
    regulation_weight, regulation_names, drivers = 0.0, [], []
    for reason in reasons:
        if reason.factor in ("regulation", "regulations_count"):
            regulation_weight += reason.weight
            if reason.factor == "regulation":
                regulation_names.append(reason.phrase)
        elif reason.factor != "employees" and reason.weight > 0:
            drivers.append((reason.weight, FACTOR_ORDER.index(reason.factor), reason.phrase))
    if regulation_weight > 0:
        count = len(regulation_names)
        phrase = (
            f"{regulation_names[0]} obligations"
            if count == 1
            else f"{count} regulated regimes ({', '.join(regulation_names)})"
        )
        drivers.append((regulation_weight, FACTOR_ORDER.index("regulation"), phrase))
    drivers.sort(key=lambda d: (-d[0], d[1]))
    return [(weight, phrase) for weight, _, phrase in drivers]


def summary_paragraph(
    hire: str,
    profile: Profile,
    reasons: Sequence[Reason],
    costs: Costs,
    transition: Transition,
    focus: Sequence[FocusArea],
    gaps: Gaps,
    policy: Policy,
) -> str:
    """One short paragraph: the verdict, the price, what decided it, where to start."""
    ciso, vciso = costs.ciso, costs.vciso
    people = f"{profile.employees:,} people"
    if hire == "vciso":
        drivers = [phrase for _, phrase in strongest_drivers(reasons)[:2]]
        even = f", even with {join(drivers)}" if drivers else ""
        parts = [
            f"Engage a virtual CISO: an experienced security leader for about "
            f"{vciso.hours_per_month} hours a month (about {about(vciso.annual_usd)} a year) "
            f"instead of a full-time CISO (about {about(ciso.annual_usd)} a year).",
            f"At {people}{even}, leading security is part-time work for the right person.",
        ]
        named = [
            policy.regulations[code].short_name
            for code in profile.regulations
            if policy.regulations[code].names_security_leader
            and not policy.regulations[code].full_time_required
        ]
        if len(named) == 1:
            parts.append(
                f"{named[0]} names a security leader but does not require a full-time hire."
            )
        elif named:
            parts.append(
                f"{join(named)} name a security leader, but none of them requires a full-time hire."
            )
        if transition.status == "plan_now":
            parts.append("You are close to the line: plan for a full-time CISO as you grow.")
    else:
        drivers = [phrase for _, phrase in strongest_drivers(reasons)[:3]]
        because = f"With {people}, {join(drivers)}" if drivers else f"At {people}"
        parts = [
            f"Hire a full-time CISO, at about {about(ciso.annual_usd)} a year with overheads.",
            f"{because}, security needs a leader every day; a vCISO would need about "
            f"{vciso.hours_per_month} hours a month and would still be a part-time voice in a "
            "full-time job. An interim vCISO can hold the role while you recruit.",
        ]
    if focus:
        parts.append(f"Start with {join([area.title for area in focus])}.")
    elif gaps.mean is None:
        parts.append("Answer the questionnaire to see where to start.")
    else:
        parts.append("Every area meets its target: keep it there.")
    return " ".join(parts)
