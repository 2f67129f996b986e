"""The summary paragraph: the verdict, the price, what decided it and where to start."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from assess.core.recommend.gaps import Gaps
from assess.core.recommend.policy import Policy
from assess.core.recommend.profile import Profile
from assess.core.recommend.reasons import FACTOR_ORDER
from assess.core.recommend.words import about, join
from assess.core.results import CostOption, Costs, FocusArea, Reason, Transition


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


def _named_leader_sentence(profile: Profile, policy: Policy) -> list[str]:
    named = [
        policy.regulations[code].short_name
        for code in profile.regulations
        if policy.regulations[code].names_security_leader
        and not policy.regulations[code].full_time_required
    ]
    if len(named) == 1:
        return [f"{named[0]} names a security leader but does not require a full-time hire."]
    if named:
        return [
            f"{join(named)} name a security leader, but none of them requires a full-time hire."
        ]
    return []


def _option(costs: Costs, engagement: str) -> CostOption:
    return next(option for option in costs.options if option.engagement == engagement)


def summary_paragraph(
    hire: str,
    engagement: str,
    profile: Profile,
    reasons: Sequence[Reason],
    costs: Costs,
    transition: Transition,
    focus: Sequence[FocusArea],
    gaps: Gaps,
    policy: Policy,
    *,
    provisional: bool = False,
    answered: float = 1.0,
) -> str:
    """One short paragraph: the verdict, the price, what decided it, where to start."""
    ciso, vciso = costs.ciso, costs.vciso
    people = f"{profile.employees:,} people"
    parts = []
    if provisional:
        parts.append(
            f"Only {answered:.0%} of the questions are answered, so this verdict rests on your "
            "profile alone until more is answered; the hours and where to start will firm up."
        )
    areas = join([area.title for area in focus])
    if profile.security_leader == "ciso":
        parts.append(
            f"Keep your CISO (about {about(ciso.annual_usd)} a year with overheads at your size "
            "and industry): replacing an established leader costs more than it saves."
        )
        if focus:
            parts.append(
                f"Some areas are below target: ask your CISO for a plan with dates to close the "
                f"gaps, starting with {areas}."
            )
        elif gaps.mean is None:
            parts.append("Answer the questionnaire to see what to ask of them.")
        else:
            parts.append("Every area meets its target: your CISO has it in hand; keep it there.")
        return " ".join(parts)
    if engagement == "basics":
        basics = _option(costs, "basics")
        parts += [
            "Let your IT provider (MSP) do the basics and have a virtual CISO review your "
            f"security a few times a year: about {about(basics.annual_usd)} a year with "
            "monitoring and response, instead of a retainer or a hire.",
            f"At {people} and under no regulation, that covers the work; these figures are our "
            "assumption, as no survey covers firms this small.",
        ]
    elif engagement == "fractional_with_manager":
        option = _option(costs, "fractional_with_manager")
        drivers = [phrase for _, phrase in strongest_drivers(reasons)[:2]]
        with_ = f" with {join(drivers)}" if drivers else ""
        parts += [
            f"Hire a security manager in-house and engage a virtual CISO for about "
            f"{round(vciso.hours_per_month * policy.costs.manager.vciso_share.value)} hours a "
            f"month: about {about(option.annual_usd)} a year together, against about "
            f"{about(_option(costs, 'full_time').annual_usd)} for a full-time CISO.",
            f"At {people}{with_}, the day-to-day security work needs an owner in the "
            "building, while leading it is still part-time work for an experienced CISO.",
            *_named_leader_sentence(profile, policy),
        ]
        if transition.status == "plan_now":
            parts.append("You are close to the line: plan for a full-time CISO as you grow.")
    elif engagement == "fractional":
        drivers = [phrase for _, phrase in strongest_drivers(reasons)[:2]]
        even = f", even with {join(drivers)}" if drivers else ""
        parts += [
            f"Engage a virtual CISO: an experienced security leader for about "
            f"{vciso.hours_per_month} hours a month (about {about(vciso.annual_usd)} a year) "
            f"instead of a full-time CISO (about {about(ciso.annual_usd)} a year).",
            f"At {people}{even}, leading security is part-time work for the right person.",
            *_named_leader_sentence(profile, policy),
        ]
        if transition.status == "plan_now":
            parts.append("You are close to the line: plan for a full-time CISO as you grow.")
    else:
        drivers = [phrase for _, phrase in strongest_drivers(reasons)[:3]]
        because = f"With {people}, {join(drivers)}" if drivers else f"At {people}"
        parts += [
            f"Hire a full-time CISO, at about {about(ciso.annual_usd)} a year with overheads.",
            f"{because}, security needs a leader every day; a vCISO would need about "
            f"{vciso.hours_per_month} hours a month and would still be a part-time voice in a "
            "full-time job. An interim vCISO can hold the role while you recruit.",
        ]
    if focus:
        parts.append(f"Start with {areas}.")
    elif gaps.mean is None:
        parts.append("Answer the questionnaire to see where to start.")
    else:
        parts.append("Every area meets its target: keep it there.")
    return " ".join(parts)
