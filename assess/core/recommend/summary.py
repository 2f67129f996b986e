"""The summary paragraph: the verdict, the price, what decided it and where to start."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from assess.core.recommend.engagement import choose_engagement
from assess.core.recommend.gaps import Gaps
from assess.core.recommend.obligations import obligations_for
from assess.core.recommend.policy import Policy
from assess.core.recommend.profile import Profile
from assess.core.recommend.reasons import FACTOR_ORDER, decision_reasons, total_points
from assess.core.recommend.words import join, money, price
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
            else f"{count} regulations ({', '.join(regulation_names)})"
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


#: Below this headcount and at least this many points under the threshold, a full-time CISO is
#: no comparison: the summary weighs the vCISO against the lighter IT-provider option instead.
SMALL_FIRM, FAR_BELOW = 50, 5

#: Below this headcount a full-time CISO in place is worth a second look (review 12).
SMALL_CISO = 25

#: An engagement, as "your profile alone would point to …" names it.
_ADVISED = {
    "basics": "your IT provider with a periodic vCISO review",
    "fractional": "a vCISO",
    "fractional_with_manager": "a security manager plus a vCISO",
}

#: What each priced line is called inside a sentence's breakdown, by the start of its name.
_LINE_WORDS = (
    ("vCISO review", "the vCISO's reviews"),
    ("vCISO", "the vCISO"),
    ("Security manager", "the security manager"),
    ("CISO", "the CISO"),
    ("Round-the-clock monitoring", "monitoring"),
)


def _line_word(what: str) -> str:
    return next(word for start, word in _LINE_WORDS if what.startswith(start))


def priced(option: CostOption) -> str:
    """An option's total with its breakdown, to the hundred (:func:`~assess.core.recommend.words.price`): "about
    $108,300 a year including monitoring and response ($86,700 for the vCISO, $21,600 for
    monitoring)".

    Lines for the same person (pay and overheads) are added together.
    """
    parts: dict[str, float] = {}
    for line in option.lines:
        word = _line_word(line.what)
        parts[word] = parts.get(word, 0) + line.annual_usd
    total = round(option.annual_usd, -2)  # as :func:`price` quotes it elsewhere
    rounded = _apportioned(parts, total)
    breakdown = ", ".join(f"{money(usd)} for {word}" for word, usd in rounded.items())
    return f"about {money(total)} a year including monitoring and response ({breakdown})"


def _apportioned(parts: dict[str, float], total: float, step: int = 100) -> dict[str, int]:
    """The parts in whole ``step`` s that add up to ``total`` (a whole step within half a
    step per part of their sum): each rounded down, and the steps left go to the largest
    remainders, so the sentence adds up as the reader checks it and each part is within a
    step of its line in the cost table.

    >>> _apportioned({"the vCISO": 86_736, "monitoring": 21_600}, 108_300)
    {'the vCISO': 86700, 'monitoring': 21600}
    >>> _apportioned({"a": 150, "b": 150}, 300)
    {'a': 200, 'b': 100}
    """
    floors = {word: int(usd // step * step) for word, usd in parts.items()}
    left = round((total - sum(floors.values())) / step)
    for word in sorted(parts, key=lambda w: parts[w] - floors[w], reverse=True)[: max(left, 0)]:
        floors[word] += step
    return floors


def _against(costs: Costs, engagement: str) -> str:
    """The other option an owner weighs: its total, said the same way."""
    option = _option(costs, engagement)
    what = {
        "basics": "your IT provider with a periodic vCISO review",
        "fractional": "a vCISO on retainer",
        "fractional_with_manager": "a security manager plus a vCISO",
        "full_time": "a full-time CISO",
    }[engagement]
    return f"about {price(option.annual_usd)} for {what}, with the same monitoring"


def _keep_ciso(profile: Profile, costs: Costs, policy: Policy, *, meets: bool) -> str:
    """Keep the CISO, with what the profile alone would point to, priced from the options."""
    without = profile.model_copy(update={"security_leader": "none"})
    points = total_points(decision_reasons(without, policy))
    _, alone = choose_engagement(without, points, policy)
    head = (
        "Keep your CISO: a leader who meets every target is worth keeping."
        if meets
        else "Keep your CISO."
    )
    if alone == "full_time":
        text = f"{head} At {profile.employees:,} people your profile alone calls for one too."
    else:
        option = _option(costs, alone)
        text = (
            f"{head} At {profile.employees:,} people your profile alone would point to "
            f"{_ADVISED[alone]} (about {price(option.annual_usd)} a year with monitoring); "
            "weigh that only if the role falls vacant."
        )
    if profile.employees < SMALL_CISO:
        text += " At your size, check whether the role is really full-time."
    return text


#: Who a light regulation names, for "name your vCISO or IT provider as …".
_ROLES = {"glba": "Qualified Individual", "hipaa": "security official"}


def _basics_because(profile: Profile, policy: Policy) -> list[str]:
    """Why the basics cover the work, and, under a light regulation, who holds its role."""
    people = f"{profile.employees:,} people"
    if not profile.regulations:
        return [
            f"At {people}, under no regulation and with no outside demands, that covers the "
            "work; these figures are our assumption, as no survey covers firms this small."
        ]
    names = join([policy.regulations[code].short_name for code in profile.regulations])
    roles = join(sorted({_ROLES[code] for code in profile.regulations if code in _ROLES}))
    named = (
        f" Name your vCISO or your IT provider in writing as your {roles}; you remain responsible."
        if roles
        else ""
    )
    return [
        f"At {people} under {names}, a few reviews a year cover the work, with more hours for "
        f"each regulation; these figures are our assumption, as no survey covers firms this "
        f"small.{named}"
    ]


def _required_first(profile: Profile, policy: Policy) -> str:
    """The obligations of the profile's regulations, said first: the law asks for them."""
    items = [
        f"{item['title'][:1].lower()}{item['title'][1:]} "
        f"({policy.regulations[item['regulation']].short_name})"
        for item in obligations_for(profile, policy)
    ]
    return f"Do first, because the law requires it: {join(items)}." if items else ""


def provisional_text(answered: float) -> str:
    """What a provisional verdict stands on, in the owner's words.

    >>> provisional_text(0.0)[:38], provisional_text(0.25)[:28]
    ('None of the questions is answered yet,', 'Only 25% of the questions ar')
    """
    said = (
        "None of the questions is answered yet"
        if answered == 0
        else f"Only {answered:.0%} of the questions are answered"
    )
    return (
        f"{said}, so this verdict rests on your profile alone; the hours and where to start "
        "will follow from your answers. With only your profile we assume the hours a firm "
        "starting out needs; firms that answer usually see where to focus."
    )


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
    vciso = costs.vciso
    margin = policy.decision.threshold.value - sum(reason.weight for reason in reasons)
    people = f"{profile.employees:,} people"
    parts = []
    if provisional:
        parts.append(provisional_text(answered))
    areas = join([area.title for area in focus])
    if profile.security_leader == "ciso":
        parts.append(
            _keep_ciso(profile, costs, policy, meets=bool(gaps.mean is not None and not focus))
        )
        if focus:
            parts.append(
                f"Some areas are below target: ask your CISO for a plan with dates to close the "
                f"gaps, starting with {areas}."
            )
        elif gaps.mean is None:
            parts.append("Answer the questionnaire to see what to ask of them.")
        else:
            parts.append("Ask them to keep it there.")
        return " ".join(parts)
    if engagement == "basics":
        basics = _option(costs, "basics")
        parts += [
            "Let your IT provider (MSP) do the basics and have a virtual CISO review your "
            f"security a few times a year: {priced(basics)}, against "
            f"{_against(costs, 'fractional')}.",
            *_basics_because(profile, policy),
        ]
    elif engagement == "fractional_with_manager":
        option = _option(costs, "fractional_with_manager")
        drivers = [phrase for _, phrase in strongest_drivers(reasons)[:2]]
        with_ = f" with {join(drivers)}" if drivers else ""
        owner = (
            "Make your security specialist the day-to-day owner, or hire one, and engage a "
            "virtual CISO for about "
            if profile.security_staff >= 1
            else "Hire a security manager in-house and engage a virtual CISO for about "
        )
        parts += [
            f"{owner}"
            f"{round(vciso.hours_per_month * policy.costs.manager.vciso_share.value)} hours a "
            f"month: {priced(option)}, against {_against(costs, 'full_time')}.",
            f"At {people}{with_}, the day-to-day security work needs an owner in the "
            "building, while leading it is still part-time work for an experienced CISO.",
            *_named_leader_sentence(profile, policy),
        ]
        if transition.status == "plan_now":
            parts.append("You are close to the line: plan for a full-time CISO as you grow.")
    elif engagement == "fractional":
        drivers = [phrase for _, phrase in strongest_drivers(reasons)[:2]]
        even = f", even with {join(drivers)}" if drivers else ""
        small = profile.employees < SMALL_FIRM and margin >= FAR_BELOW
        parts += [
            f"Engage a virtual CISO, an experienced security leader, for about "
            f"{vciso.hours_per_month} hours a month: {priced(_option(costs, 'fractional'))}, "
            f"against {_against(costs, 'basics' if small else 'full_time')}.",
            f"At {people}{even}, leading security is part-time work for the right person.",
            *_named_leader_sentence(profile, policy),
        ]
        if transition.status == "plan_now":
            parts.append("You are close to the line: plan for a full-time CISO as you grow.")
    else:
        drivers = [phrase for _, phrase in strongest_drivers(reasons)[:3]]
        because = f"With {people}, {join(drivers)}" if drivers else f"At {people}"
        parts += [
            f"Hire a full-time CISO: {priced(_option(costs, 'full_time'))}, against "
            f"{_against(costs, 'fractional_with_manager')}.",
            f"{because}, security needs a leader every day; a vCISO would need about "
            f"{vciso.hours_per_month} hours a month and would still be a part-time voice in a "
            "full-time job. An interim vCISO can hold the role while you recruit.",
        ]
        if margin > 0:
            parts.append(
                "You are below the line for a CISO on points alone, but at your size a security "
                "manager plus a vCISO would cost nearly as much as a CISO."
            )
    delivers = policy.engagements.delivers.get(engagement)
    if delivers:
        parts.append(delivers)
    if "glba" in profile.regulations and engagement in ("fractional", "fractional_with_manager"):
        parts.append(
            "Your vCISO can be your Qualified Individual under the FTC Safeguards Rule; you "
            "remain responsible."
        )
    required = _required_first(profile, policy)
    if required:
        parts.append(required)
    if focus:
        parts.append(
            f'{"Then s" if required else "S"}tart with the steps listed under "Your first 90 days".'
        )
    elif gaps.mean is None:
        parts.append("Answer the questionnaire to see where to start.")
    else:
        parts.append("Every area meets its target: keep it there.")
    return " ".join(parts)
