"""Reading the recommendation policy: the file, the checks pydantic cannot make, the shipped one.

Area ids in the policy's target bumps are checked against the areas of the questionnaires in
use (the shipped ones, plus any the caller names), so a custom questionnaire's areas can
receive bumps.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path

from pydantic import ValidationError

from assess.core.documents import Document, load_document, resource_dir
from assess.core.errors import InputErrors
from assess.core.questionnaire import shipped_questionnaires
from assess.core.recommend.policy import Band, Policy
from assess.core.recommend.profile import (
    INDUSTRIES,
    REGULATIONS,
    SECURITY_LEADERS,
    SENSITIVE_DATA,
)
from assess.core.recommend.validation import Loc, hint, translate
from assess.core.recommend.words import number

POLICY_FILE = "recommendation-policy.yaml"


def known_area_ids(extra: Iterable[str] = ()) -> tuple[str, ...]:
    """The areas of the shipped questionnaires, then those of ``extra`` not among them.

    >>> known_area_ids(["cloud-security"])[-2:]
    ('security-budget', 'cloud-security')
    """
    shipped = (area.id for q in shipped_questionnaires().values() for area in q.areas)
    return tuple(dict.fromkeys([*shipped, *extra]))


def _band_problems(
    loc: Loc, bands: Sequence[Band], start: float, *, rising: bool, non_negative: bool = False
) -> Iterator[tuple[Loc, str]]:
    """Bands must start at ``start``, go up, and (for growth factors) never lose value."""
    if bands[0].at_least > start:
        yield (*loc, 0, "at_least"), f"the first band must start at {number(start)}"
    for i, band in enumerate(bands):
        if non_negative and band.value < 0:
            yield (*loc, i, "value"), f"must be at least 0 (got {number(band.value)})"
        if i == 0:
            continue
        previous = bands[i - 1]
        if band.at_least <= previous.at_least:
            yield (
                (*loc, i, "at_least"),
                f"must be greater than the previous band's {number(previous.at_least)}",
            )
        if rising and band.value < previous.value:
            yield (
                (*loc, i, "value"),
                f"must not be lower than the previous band's {number(previous.value)} "
                "(growing must never move the answer toward a vCISO)",
            )


#: The most hours may rise from one employee to the next (hours interpolate between bands).
MAX_STEP = 0.05


def _smooth_problems(loc: Loc, bands: Sequence[Band]) -> Iterator[tuple[Loc, str]]:
    """Between two bands' starts the value rises in a straight line; one more employee must
    never add more than 5%. The steepest step is the first one of each stretch."""
    for i in range(1, len(bands)):
        low, high = bands[i - 1], bands[i]
        step = (
            (high.value - low.value) / (high.at_least - low.at_least)
            if high.at_least > low.at_least
            else 0.0
        )
        if low.value > 0 and step / low.value > MAX_STEP:
            yield (
                (*loc, i, "value"),
                f"rises more than {MAX_STEP:.0%} per employee from the previous band "
                f"({number(low.value)} at {number(low.at_least)}): add a band between them",
            )


def _key_problems(
    loc: Loc, keys: Iterable[str], known: Sequence[str], what: str, *, complete: bool = True
) -> Iterator[tuple[Loc, str]]:
    keys = list(keys)
    for key in keys:
        if key not in known:
            yield (
                (*loc, key),
                f"unknown {what} {key!r}{hint(key, known)} (known: {', '.join(known)})",
            )
    missing = [k for k in known if k not in keys]
    if complete and missing:
        yield loc, f"{what} not described: {', '.join(missing)}"


def _list_problems(
    loc: Loc, values: Sequence[str] | None, known: Sequence[str], what: str
) -> Iterator[tuple[Loc, str]]:
    for i, value in enumerate(values or ()):
        if value not in known:
            yield (*loc, i), f"unknown {what} {value!r}{hint(value, known)}"


def _policy_problems(policy: Policy, area_ids: Sequence[str]) -> Iterator[tuple[Loc, str]]:
    """What pydantic cannot check: band order, monotonicity, known ids, sane ranges."""
    f, t, c, d = policy.factors, policy.targets, policy.costs, policy.decision
    growth = [
        ("employees", f.employees, 1),
        ("annual_revenue_usd", f.annual_revenue_usd, 0),
        ("regulations_count", f.regulations_count, 0),
        ("incidents_24m", f.incidents_24m, 0),
        ("security_staff", f.security_staff, 0),
    ]
    for name, factor, start in growth:
        yield from _band_problems(("factors", name, "bands"), factor.bands, start, rising=True)
    if f.annual_revenue_usd.bands[0].value < 0:
        yield (
            ("factors", "annual_revenue_usd", "bands", 0, "value"),
            "must be at least 0 (an unknown revenue counts as the first band)",
        )
    yield from _key_problems(
        ("factors", "security_leader", "levels"),
        f.security_leader.levels,
        SECURITY_LEADERS,
        "leader",
    )
    yield from _key_problems(
        ("factors", "sensitive_data", "kinds"), f.sensitive_data.kinds, SENSITIVE_DATA, "data kind"
    )
    yield from _key_problems(("regulations",), policy.regulations, REGULATIONS, "regulation")
    regulated = policy.engagements.basics.regulated
    if regulated is not None:
        yield from _list_problems(
            ("engagements", "basics", "regulated", "regulations"),
            regulated.regulations,
            REGULATIONS,
            "regulation",
        )
    for i, check in enumerate(policy.profile_checks):
        loc = ("profile_checks", i)
        if check.industry is not None and check.industry not in INDUSTRIES:
            yield (
                (*loc, "industry"),
                f"unknown industry {check.industry!r}{hint(check.industry, INDUSTRIES)}",
            )
        for name in ("holds_any", "unless_holds"):
            yield from _list_problems(
                (*loc, name), getattr(check, name), SENSITIVE_DATA, "data kind"
            )
        yield from _list_problems(
            (*loc, "unless_listed"), check.unless_listed, REGULATIONS, "regulation"
        )
    yield from _key_problems(
        ("targets", "pressure", "sensitive_data"),
        t.pressure.sensitive_data,
        SENSITIVE_DATA,
        "data kind",
    )
    yield from _band_problems(
        ("targets", "pressure", "employees"), t.pressure.employees, 1, rising=True
    )
    yield from _band_problems(("targets", "levels"), t.levels, 0, rising=True)
    for i, band in enumerate(t.levels):
        if not 0 <= band.value <= 5:
            yield (
                ("targets", "levels", i, "value"),
                f"must be a level 0–5 (got {number(band.value)})",
            )
    if t.tiny.target > t.levels[0].value:
        yield (
            ("targets", "tiny", "target"),
            f"must not exceed the lowest level {number(t.levels[0].value)}",
        )
    yield from _list_problems(
        ("targets", "tiny", "allowed_sensitive_data"),
        t.tiny.allowed_sensitive_data,
        SENSITIVE_DATA,
        "data kind",
    )
    if not 0 <= t.bump_cap.value <= 5:
        yield (
            ("targets", "bump_cap", "value"),
            f"must be a level 0–5 (got {number(t.bump_cap.value)})",
        )
    for i, bump in enumerate(t.area_bumps):
        loc = ("targets", "area_bumps", i)
        yield from _list_problems((*loc, "areas"), bump.areas, area_ids, "area")
        yield from _list_problems(
            (*loc, "when", "regulations_any"), bump.when.regulations_any, REGULATIONS, "regulation"
        )
        yield from _list_problems(
            (*loc, "when", "sensitive_data_any"),
            bump.when.sensitive_data_any,
            SENSITIVE_DATA,
            "data kind",
        )
    yield from _band_problems(
        ("costs", "pay", "size_scale"), c.pay.size_scale, 1, rising=True, non_negative=True
    )
    yield from _key_problems(
        ("costs", "pay", "industry_scale"), c.pay.industry_scale, INDUSTRIES, "industry"
    )
    yield from _band_problems(
        ("costs", "vciso", "base_hours"), c.vciso.base_hours, 1, rising=True, non_negative=True
    )
    yield from _smooth_problems(("costs", "vciso", "base_hours"), c.vciso.base_hours)
    if c.vciso.build_out_full_at.value <= 0:
        yield ("costs", "vciso", "build_out_full_at", "value"), "must be more than 0"
    if c.manager.vciso_share.value > 1:
        yield ("costs", "manager", "vciso_share", "value"), "must be a share between 0 and 1"
    if policy.engagements.manager_from.value > d.threshold.value:
        yield (
            ("engagements", "manager_from", "value"),
            f"must not exceed the threshold {number(d.threshold.value)}",
        )
    for name in ("max_hours", "full_time_hours"):
        if getattr(c.vciso, name).value <= 0:
            yield ("costs", "vciso", name, "value"), "must be more than 0"
    for i, check in enumerate(c.vciso.retainer_checks):
        if check.monthly_high < check.monthly_low:
            yield (
                ("costs", "vciso", "retainer_checks", i, "monthly_high"),
                "must not be lower than monthly_low",
            )
    yield from _key_problems(
        ("reporting", "board_duties"),
        policy.reporting.board_duties,
        REGULATIONS,
        "regulation",
        complete=False,
    )
    if d.provisional_below.value > 1:
        yield ("decision", "provisional_below", "value"), "must be a share between 0 and 1"
    yield from _key_problems(
        ("obligations",), policy.obligations, REGULATIONS, "regulation", complete=False
    )
    if d.first_areas.value < 1 or not float(d.first_areas.value).is_integer():
        yield ("decision", "first_areas", "value"), "must be a whole number of at least 1"
    if policy.transition.hours_share.value > 1:
        yield ("transition", "hours_share", "value"), "must be a share between 0 and 1"


def parse_policy(doc: Document, area_ids: Iterable[str] = ()) -> Policy:
    """Validate a parsed policy document, reporting every problem with its line.

    Target bumps may name the areas of the shipped questionnaires and those in ``area_ids``
    (the areas of the questionnaire in use).
    """
    if not isinstance(doc.data, dict):
        raise doc.error((), "a policy must be a mapping with id, version, decision, factors, ...")
    try:
        policy = Policy.model_validate(doc.data)
    except ValidationError as exc:
        problems = [translate(err, {}) for err in exc.errors()]
    else:
        problems = list(_policy_problems(policy, known_area_ids(area_ids)))
        if not problems:
            return policy
    errors = [doc.error(loc, message) for loc, message in problems]
    errors.sort(key=lambda e: (e.line or 0, e.place or ""))
    raise InputErrors(errors)


def shipped_policy_path() -> Path:
    return resource_dir("questionnaires") / POLICY_FILE


@lru_cache(maxsize=1)
def _shipped_policy() -> Policy:
    return parse_policy(load_document(shipped_policy_path(), "policy file"))


def load_policy(path: str | Path | None = None, area_ids: Iterable[str] = ()) -> Policy:
    """The policy in ``path``, or the shipped one (read once) when ``path`` is None.

    ``area_ids``: areas of a questionnaire in use that the policy's bumps may name, besides
    those of the shipped questionnaires.

    >>> load_policy().decision.threshold.value
    10.0
    """
    if path is None:
        return _shipped_policy()
    return parse_policy(load_document(path, "policy file"), area_ids)
