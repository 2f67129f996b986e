"""From a vCISO to a full-time CISO: the headcount where the policy tips, and the triggers that
say when to hand over."""

from __future__ import annotations

import math
from collections.abc import Callable

from assess.core.recommend.costs import estimate_costs
from assess.core.recommend.engagement import ORDER, choose_engagement
from assess.core.recommend.gaps import Gaps
from assess.core.recommend.policy import Policy, sources_of
from assess.core.recommend.profile import Profile
from assess.core.recommend.reasons import decision_reasons, total_points
from assess.core.recommend.words import about, join, number
from assess.core.results import Transition, Trigger


def _points(profile: Profile, policy: Policy) -> float:
    return total_points(decision_reasons(profile, policy))


def _search_headcount(profile: Profile, policy: Policy, tips: Callable[[int], bool]) -> int | None:
    """The smallest larger headcount at which ``tips`` holds, or None within the policy's
    bands. ``tips`` never turns false as headcount grows, so it is found by halving."""
    last = max(band.at_least for band in policy.factors.employees.bands)
    for rule in policy.regulations.values():
        if rule.large is not None and rule.large.employees_over is not None:
            last = max(last, rule.large.employees_over + 1)
    high = max(math.ceil(last), profile.employees + 1)
    if not tips(high):
        return None
    low = profile.employees  # does not tip (the caller's verdict says so)
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (low, middle) if tips(middle) else (middle, high)
    return high


def tipping_headcount(profile: Profile, policy: Policy) -> int | None:
    """The smallest larger headcount at which, all else equal, the policy says ``ciso``.

    Points never fall as headcount grows, so the first such headcount is found by halving.
    """
    threshold = policy.decision.threshold.value

    def tips(employees: int) -> bool:
        grown = profile.model_copy(update={"employees": employees})
        return _points(grown, policy) >= threshold

    return _search_headcount(profile, policy, tips)


def _engagement(profile: Profile, policy: Policy) -> str:
    return choose_engagement(profile, _points(profile, policy), policy)[1]


def next_step(profile: Profile, policy: Policy) -> tuple[int, str] | None:
    """(headcount, engagement): the smallest larger headcount at which, all else equal, the
    policy advises a heavier engagement than today's, and that engagement. Growing never
    lightens the engagement, so this too is found by halving."""
    today = ORDER.index(_engagement(profile, policy))

    def heavier(employees: int) -> bool:
        grown = profile.model_copy(update={"employees": employees})
        return ORDER.index(_engagement(grown, policy)) > today

    tip = _search_headcount(profile, policy, heavier)
    if tip is None:
        return None
    return tip, _engagement(profile.model_copy(update={"employees": tip}), policy)


def _regulation_trigger(profile: Profile, policy: Policy) -> Trigger:
    """Another regulation, or a first one that names a security leader."""
    names = [policy.regulations[code].name for code in profile.regulations]
    if names:
        text = (
            f"You take on another regulation beyond {join(names)}, or a regulator names "
            "duties your current arrangement cannot meet."
        )
        for code in profile.regulations:
            note = policy.regulations[code].trigger_note
            text += f" {note}" if note else ""
    elif policy.transition.regulation_trigger:
        text = policy.transition.regulation_trigger
    else:
        naming = [
            rule.short_name for rule in policy.regulations.values() if rule.names_security_leader
        ]
        text = (
            "You become subject to a regulation that names a security leader "
            f"({', '.join(naming)}): a vCISO can hold that role at first, but it adds work."
        )
    return Trigger(id="regulations", text=text)


#: An engagement, as the next-step sentence names it.
_ADVISE = {
    "fractional": "a vCISO on retainer",
    "fractional_with_manager": "a security manager plus a vCISO",
    "full_time": "a full-time CISO",
}


def _next_step_words(
    profile: Profile, gaps: Gaps | None, policy: Policy
) -> tuple[int, str, str] | None:
    """(headcount, " (or with one more incident)" or "", "we would advise X (about $Y a year)") for the nearer step up, when it
    comes before a full-time CISO."""
    step = next_step(profile, policy)
    if step is None or step[1] == "full_time":
        return None
    headcount, engagement = step
    grown = profile.model_copy(update={"employees": headcount})
    gaps = gaps if gaps is not None else Gaps(mean=None, points=0.0, scored=0, unscored=())
    costs = estimate_costs(grown, gaps, policy)
    option = next(o for o in costs.options if o.engagement == engagement)
    more = profile.model_copy(update={"incidents_24m": profile.incidents_24m + 1})
    incident = " (or with one more incident)" if _engagement(more, policy) == engagement else ""
    return (
        headcount,
        incident,
        (
            f"we would advise {_ADVISE[engagement]} (about {about(option.annual_usd)} a year "
            f"at that size)."
        ),
    )


def _next_step_trigger(profile: Profile, gaps: Gaps | None, policy: Policy) -> Trigger | None:
    words = _next_step_words(profile, gaps, policy)
    if words is None:
        return None
    headcount, incident, advice = words
    return Trigger(
        id="next_step",
        text=f"Headcount reaches about {headcount:,} (today {profile.employees:,}){incident}: "
        f"with everything else unchanged, {advice}",
    )


def _triggers(
    profile: Profile, hours: int, policy: Policy, gaps: Gaps | None = None
) -> list[Trigger]:
    t = policy.transition
    tip = tipping_headcount(profile, policy)
    if tip is not None:
        headcount = Trigger(
            id="headcount",
            text=f"Headcount reaches about {tip:,} (today {profile.employees:,}): with everything "
            "else unchanged, this policy would then recommend a full-time CISO.",
        )
    else:
        headcount = Trigger(
            id="headcount",
            text=f"Headcount passes {number(t.employees_fallback.value)} (today "
            f"{profile.employees:,}); practitioners see that as the size where a full-time "
            "CISO starts to pay (a heuristic).",
        )
    team = int(t.security_team.value)
    incidents = int(t.incidents.value)
    share = t.hours_share.value
    full = policy.costs.vciso.full_time_hours.value
    limit = math.floor(share * full)
    quarters = int(t.sustained_quarters.value)
    step = _next_step_trigger(profile, gaps, policy)
    return [
        headcount,
        *([step] if step else []),
        _regulation_trigger(profile, policy),
        Trigger(
            id="security_team",
            text=f"Your security team grows to {team} or more people who need daily direction "
            f"(today {profile.security_staff}).",
            met=profile.security_staff >= team,
        ),
        Trigger(
            id="incidents",
            text=f"You have {incidents} or more serious incidents within 24 months "
            f"(today {profile.incidents_24m}).",
            met=profile.incidents_24m >= incidents,
        ),
        Trigger(
            id="vciso_hours",
            text=f"The vCISO's hours stay above {limit} a month ({share:.0%} of a "
            f"{number(full)}-hour full-time month) for {quarters} quarters in a row "
            f"(estimate today: {hours}).",
            met=hours >= limit,
        ),
        Trigger(
            id="board_requirement",
            text="Your board, investors, a regulator or a key customer require an in-house "
            "security officer by name.",
        ),
    ]


def _distance(profile: Profile, gaps: Gaps | None, policy: Policy) -> str:
    """How far a CISO is, in staff, and the nearer step up, in the owner's words."""
    tip = tipping_headcount(profile, policy)
    if tip is None:
        return ""
    text = (
        f"A full-time CISO is not close: you would need about {tip:,} staff with everything "
        "else unchanged. "
    )
    words = _next_step_words(profile, gaps, policy)
    if words is not None:
        headcount, incident, advice = words
        text += f"The next step up is closer: at about {headcount:,} staff{incident}, {advice} "
    return text


def plan_transition(
    hire: str,
    points: float,
    profile: Profile,
    hours: int,
    policy: Policy,
    gaps: Gaps | None = None,
) -> Transition:
    """Keep (a CISO in place), hire now (``ciso``), plan now (within the policy's
    ``plan_within`` points of the threshold) or revisit (sooner when a trigger is already met:
    far from the line, a trigger calls for more vCISO hours, not a hire)."""
    t = policy.transition
    sources = sources_of(t.employees_fallback, t.security_team, t.incidents, t.hours_share)
    if profile.security_leader == "ciso":
        return Transition(
            status="keep",
            summary=(
                "Keep your CISO. Review each year that the work still fills the job; if it has "
                "become too small, share the CISO's time rather than replace them."
            ),
            triggers=(),
            sources=(),
        )
    if hire == "ciso":
        return Transition(
            status="hire_now",
            summary=(
                "Hire now rather than later. Recruiting a senior security leader takes time: "
                "until the CISO starts, an interim vCISO can hold the role (and any regulatory "
                "designation), then hand over the program, the evidence and the open work."
            ),
            triggers=(),
            sources=(),
        )
    triggers = _triggers(profile, hours, policy, gaps)
    close = policy.decision.threshold.value - points <= policy.decision.plan_within.value
    already = [trigger for trigger in triggers if trigger.met]
    if close:
        summary = (
            "You are close to the line: plan and budget for a full-time CISO now, and ask the "
            "vCISO to build a program someone can take over. Move when any of these happens:"
        )
        status = "plan_now"
    elif already:
        signs = join([_SIGNS[trigger.id] for trigger in already])
        one = "One sign" if len(already) == 1 else f"{len(already)} signs"
        summary = (
            f"{one} of a heavier security workload {'is' if len(already) == 1 else 'are'} "
            f"already present ({signs}). At {profile.employees:,} people that calls for more "
            "vCISO hours and a tested response plan, not a hire; review in six months, and "
            "earlier when any of these happens:"
        )
        status = "revisit"
    else:
        summary = (
            f"{_distance(profile, gaps, policy)}A vCISO fits for now. Review this decision "
            "once a year, and earlier when any of these happens:"
        )
        status = "revisit"
    return Transition(status=status, summary=summary, triggers=tuple(triggers), sources=sources)


#: A met trigger, as the transition's summary names it.
_SIGNS = {
    "security_team": "a security team to direct",
    "incidents": "repeated serious incidents",
    "vciso_hours": "the vCISO's hours near a full-time load",
    "headcount": "the headcount",
    "regulations": "a regulation",
    "board_requirement": "a demand for a named security officer",
}
