"""Full-time CISO or virtual CISO: a recommendation from the profile and the maturity gaps.

Pure: no Flask, no database. The rules live in a YAML policy (``questionnaires/
recommendation-policy.yaml``) that an adviser can edit: every threshold, weight and cost in it
carries a ``source`` or is marked as an ``assumption``. The flow::

    profile = load_profile("examples/profile.yaml")        # validated, one-line errors
    targets = propose_targets(profile, area_ids)            # scoring uses these by default
    rec = recommend(profile, result.areas)                  # points → ciso or vciso, explained
    print(format_recommendation(rec)); rec.to_dict()        # terminal block / JSON contract

The verdict is a points model: each factor adds points toward a full-time CISO (positive) or
toward a vCISO (negative); at the policy's threshold the answer becomes ``ciso``. Factors that
grow with the organization (headcount, revenue, regulations, sensitive data, incidents,
customer demands, security staff, gaps) never lose points as they grow (the policy validator
refuses bands that fall), so growing never moves the answer from ``ciso`` to ``vciso``.
"""

from __future__ import annotations

import difflib
import math
import textwrap
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import zip_longest
from pathlib import Path
from typing import Annotated, Any, Literal

import pandas as pd
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from assess.core.documents import Document, load_document, place_of, resource_dir
from assess.core.errors import InputError, InputErrors

INDUSTRIES = (
    "healthcare",
    "finance",
    "retail",
    "manufacturing",
    "professional_services",
    "technology",
    "education",
    "government",
    "nonprofit",
    "energy",
    "other",
)
REGULATIONS = (
    "hipaa",
    "pci_dss",
    "glba",
    "sox",
    "gdpr",
    "ccpa",
    "cmmc",
    "itar",
    "nydfs",
    "ferpa",
    "soc2",
)
SENSITIVE_DATA = ("pii", "phi", "payment", "financial", "cui", "intellectual_property")
SECURITY_LEADERS = ("none", "it_manager", "cio", "vciso", "ciso")
#: The nine CISO responsibility areas of the shipped questionnaire.
AREA_IDS = (
    "program-oversight",
    "business-alignment",
    "stakeholder-reporting",
    "incident-response",
    "continuity-recovery",
    "awareness-training",
    "security-personnel",
    "vendor-relationships",
    "security-budget",
)
HIRES = ("ciso", "vciso")
#: Short names of the regulations, for summaries and form labels.
REGULATION_LABELS = {
    "hipaa": "HIPAA",
    "pci_dss": "PCI DSS",
    "glba": "GLBA",
    "sox": "SOX",
    "gdpr": "GDPR",
    "ccpa": "CCPA",
    "cmmc": "CMMC",
    "itar": "ITAR",
    "nydfs": "NYDFS",
    "ferpa": "FERPA",
    "soc2": "SOC 2",
}
#: How people say each security leader.
LEADER_LABELS = {
    "none": "nobody",
    "it_manager": "IT manager",
    "cio": "CIO",
    "vciso": "vCISO",
    "ciso": "CISO",
}
#: The choices of every profile field that has them (the web form builds its selects here).
CHOICES: dict[str, tuple[str, ...]] = {
    "industry": INDUSTRIES,
    "regulations": REGULATIONS,
    "sensitive_data": SENSITIVE_DATA,
    "security_leader": SECURITY_LEADERS,
}
POLICY_FILE = "recommendation-policy.yaml"
WIDTH = 100

Loc = tuple[str | int, ...]


# --------------------------------------------------------------------------- shared validation


def _not_bool(value: Any) -> Any:
    """YAML's ``yes``/``true`` must not pass as the number 1."""
    if isinstance(value, bool):
        raise PydanticCustomError(
            "bool_not_number", "must be a number (got {value})", {"value": str(value).lower()}
        )
    return value


def _choice(value: Any) -> Any:
    """Accept ``PCI-DSS``, ``Professional services`` or ``vCISO`` for their ids."""
    if isinstance(value, str):
        return value.strip().lower().replace("-", "_").replace(" ", "_")
    return value


def _choices(value: Any) -> Any:
    if value is None:
        return ()
    if isinstance(value, list | tuple):
        return [_choice(item) for item in value]
    return value


def _canonical(options: tuple[str, ...]):
    """Dedupe a list of choices and put it in the order of ``options`` (output is stable)."""

    def order(values: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(sorted(set(values), key=options.index))

    return order


def _num(value: float) -> str:
    """A number as people write it.

    >>> _num(1.0), _num(0.5), _num(-4), _num(1500000)
    ('1', '0.5', '-4', '1500000')
    """
    return f"{value:g}" if not float(value).is_integer() else str(int(value))


def _hint(value: Any, options: Iterable[str]) -> str:
    if not isinstance(value, str):
        return ""
    close = difflib.get_close_matches(value, list(options), n=1, cutoff=0.7)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _translate(err: Mapping[str, Any], options: Mapping[str, Sequence[str]]) -> tuple[Loc, str]:
    """One pydantic error as (location, plain message)."""
    loc: Loc = tuple(part for part in err["loc"] if part != "")
    kind, value, ctx = err["type"], err.get("input"), err.get("ctx") or {}
    got = f" (got {value!r})"
    field = next((part for part in reversed(loc) if isinstance(part, str)), "")
    if "field" in ctx:
        loc = (ctx["field"],)
    if kind == "missing":
        return loc, "is required"
    if kind == "extra_forbidden":
        known = options.get("(keys)", ())
        listed = f" (known: {', '.join(known)})" if known else ""
        return loc, f"unknown key{_hint(field, known)}{listed}"
    if kind == "literal_error":
        choices = options.get(field) or [ctx.get("expected", "")]
        return loc, f"{value!r} is not one of {', '.join(choices)}{_hint(value, choices)}"
    numeric = {
        "greater_than_equal": ("must be at least", "ge"),
        "greater_than": ("must be more than", "gt"),
        "less_than_equal": ("must be at most", "le"),
        "less_than": ("must be less than", "lt"),
    }
    if kind in numeric:
        words, key = numeric[kind]
        return loc, f"{words} {_num(ctx[key])}{got}"
    simple = {
        "int_parsing": "must be a whole number",
        "int_type": "must be a whole number",
        "int_from_float": "must be a whole number",
        "float_parsing": "must be a number",
        "float_type": "must be a number",
        "finite_number": "must be a finite number",
        "bool_parsing": "must be true or false",
        "bool_type": "must be true or false",
        "string_type": "must be text",
        "list_type": "must be a list",
        "tuple_type": "must be a list",
        "dict_type": "must be a mapping",
        "model_type": "must be a mapping",
        "model_attributes_type": "must be a mapping",
    }
    if kind in simple:
        return loc, simple[kind] + got
    if kind == "string_too_short":
        return loc, "must not be empty"
    if kind == "string_too_long":
        return loc, f"must be at most {ctx.get('max_length')} characters long"
    if kind == "too_short":
        return loc, f"needs at least {ctx.get('min_length')} item(s)"
    if kind == "string_pattern_mismatch":
        return loc, f"{value!r} is not a valid id (lower-case letters, digits and dashes)"
    return loc, str(err["msg"]).removeprefix("Value error, ")


def _error(doc: Document | None, file: str | None, loc: Loc, message: str) -> InputError:
    if doc is not None:
        return doc.error(loc, message)
    return InputError(message, file=file, place=place_of(loc))


# --------------------------------------------------------------------------- the profile

Count = Annotated[int, BeforeValidator(_not_bool)]
Money = Annotated[float, BeforeValidator(_not_bool), Field(ge=0, allow_inf_nan=False)]
Industry = Annotated[Literal[INDUSTRIES], BeforeValidator(_choice)]  # type: ignore[valid-type]
Leader = Annotated[Literal[SECURITY_LEADERS], BeforeValidator(_choice)]  # type: ignore[valid-type]
Regulation = Literal[REGULATIONS]  # type: ignore[valid-type]
SensitiveKind = Literal[SENSITIVE_DATA]  # type: ignore[valid-type]


class Profile(BaseModel):
    """What the recommendation needs to know about the organization.

    >>> p = Profile(organization="Acme", employees=60, industry="Retail", regulations=["PCI-DSS"])
    >>> p.industry, p.regulations, p.security_leader
    ('retail', ('pci_dss',), 'none')
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    organization: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)
    ] = Field(description="The organization's name, as it should appear in the report.")
    employees: Count = Field(
        ge=1, description="People on the payroll, full-time equivalents (at least 1)."
    )
    annual_revenue_usd: Money | None = Field(
        default=None,
        description="Yearly revenue in US dollars (optional; leave empty if unsure).",
    )
    industry: Industry = Field(description="The industry you mainly work in.")
    regulations: Annotated[
        tuple[Regulation, ...], BeforeValidator(_choices), AfterValidator(_canonical(REGULATIONS))
    ] = Field(
        default=(),
        description="Regulations and standards you must meet (leave empty if none apply).",
    )
    sensitive_data: Annotated[
        tuple[SensitiveKind, ...],
        BeforeValidator(_choices),
        AfterValidator(_canonical(SENSITIVE_DATA)),
    ] = Field(
        default=(),
        description="Kinds of sensitive data you store or process.",
    )
    it_staff: Count = Field(
        default=0, ge=0, description="People whose main job is IT (including security)."
    )
    security_staff: Count = Field(
        default=0, ge=0, description="People whose main job is information security."
    )
    security_leader: Leader = Field(
        default="none", description="Who is accountable for security today."
    )
    incidents_24m: Count = Field(
        default=0,
        ge=0,
        description="Security incidents in the last 24 months that needed a response.",
    )
    customer_demands: bool = Field(
        default=False,
        description=(
            "True when customers, insurers, investors or the board require documented security."
        ),
    )

    @model_validator(mode="after")
    def _staff_within_headcount(self) -> Profile:
        for name in ("it_staff", "security_staff"):
            count = getattr(self, name)
            if count > self.employees:
                raise PydanticCustomError(
                    "exceeds_employees",
                    "cannot exceed employees ({count} > {employees})",
                    {"field": name, "count": count, "employees": self.employees},
                )
        return self


PROFILE_FIELDS = tuple(Profile.model_fields)


def parse_profile(data: Any, file: str | None = None, doc: Document | None = None) -> Profile:
    """Validate profile data; the first problem is raised as a one-line :class:`InputError`.

    >>> parse_profile({"organization": "A", "employees": -4, "industry": "retail"}).employees
    Traceback (most recent call last):
    ...
    assess.core.errors.InputError: employees: must be at least 1 (got -4)
    """
    if doc is not None and file is None:
        file = doc.file
    if not isinstance(data, Mapping):
        raise _error(doc, file, (), "a profile must be a mapping with " + ", ".join(PROFILE_FIELDS))
    try:
        return Profile.model_validate(dict(data))
    except ValidationError as exc:
        options = {**CHOICES, "(keys)": PROFILE_FIELDS}
        problems = [_translate(err, options) for err in exc.errors()]
    order = {name: i for i, name in enumerate(PROFILE_FIELDS)}

    def position(problem: tuple[Loc, str]) -> tuple[int, int]:
        loc = problem[0]
        line = (doc.line_of(loc) if doc is not None else None) or 0
        return line, order.get(str(loc[0]) if loc else "", len(order))

    loc, message = min(problems, key=position)
    raise _error(doc, file, loc, message)


def load_profile(path: str | Path) -> Profile:
    """Read and validate a profile from a YAML or JSON file."""
    doc = load_document(path, "profile file")
    return parse_profile(doc.data, doc=doc)


# --------------------------------------------------------------------------- the policy

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Finite = Annotated[float, BeforeValidator(_not_bool), Field(allow_inf_nan=False)]
NonNegative = Annotated[Finite, Field(ge=0)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Justified(_Model):
    """Anything holding numbers says where they come from: a source or our assumption."""

    source: Text | None = None
    assumption: Text | None = None

    @model_validator(mode="after")
    def _exactly_one_basis(self) -> Justified:
        if (self.source is None) == (self.assumption is None):
            has = "both" if self.source is not None else "neither"
            raise ValueError(f"needs exactly one of source or assumption (has {has})")
        return self

    @property
    def basis(self) -> str:
        return self.source or self.assumption or ""


class Number(Justified):
    value: Finite


class Amount(Justified):
    value: NonNegative


class Band(Justified):
    """From ``at_least`` upward (until the next band), the factor is worth ``value``."""

    at_least: NonNegative
    value: Finite
    note: Text | None = None


Bands = Annotated[tuple[Band, ...], Field(min_length=1)]


class BandFactor(_Model):
    title: Text
    bands: Bands


class RevenueFactor(BandFactor):
    unknown_note: Text


class FlagFactor(_Model):
    title: Text
    points: Amount
    note_true: Text
    note_false: Text


class LeaderLevel(_Model):
    points: Number
    note: Text


class LeaderFactor(_Model):
    title: Text
    levels: dict[str, LeaderLevel]


class DataKind(_Model):
    name: Text
    points: Amount


class SensitiveFactor(_Model):
    title: Text
    kinds: dict[str, DataKind]
    note: Text
    source: Text


class Factors(_Model):
    employees: BandFactor
    annual_revenue_usd: RevenueFactor
    regulations_count: BandFactor
    incidents_24m: BandFactor
    security_staff: BandFactor
    maturity_gap: BandFactor
    customer_demands: FlagFactor
    security_leader: LeaderFactor
    sensitive_data: SensitiveFactor


class LargeRule(Justified):
    """Extra points for a regulation when the organization is large (employees OR revenue)."""

    employees_over: NonNegative | None = None
    revenue_over: NonNegative | None = None
    points: NonNegative
    note: Text

    @model_validator(mode="after")
    def _has_a_test(self) -> LargeRule:
        if self.employees_over is None and self.revenue_over is None:
            raise ValueError("needs employees_over or revenue_over")
        return self

    def applies(self, profile: Profile) -> bool:
        by_staff = self.employees_over is not None and profile.employees > self.employees_over
        revenue = profile.annual_revenue_usd
        by_revenue = self.revenue_over is not None and revenue is not None
        return by_staff or (by_revenue and revenue > self.revenue_over)  # type: ignore[operator]


class RegulationRule(_Model):
    name: Text
    citation: Text
    names_security_leader: bool
    full_time_required: bool
    requires: Text
    points: Amount
    large: LargeRule | None = None


class When(_Model):
    """Conditions of a target bump; all given ones must hold (``*_any``: one of the list)."""

    regulations_any: tuple[str, ...] | None = None
    sensitive_data_any: tuple[str, ...] | None = None
    customer_demands: Literal[True] | None = None
    incidents_at_least: NonNegative | None = None
    security_staff_at_least: NonNegative | None = None
    employees_at_least: NonNegative | None = None

    @model_validator(mode="after")
    def _has_a_condition(self) -> When:
        if not self.model_dump(exclude_none=True):
            raise ValueError("needs at least one condition")
        return self

    def holds(self, profile: Profile) -> bool:
        # Each test is monotone: growing the profile never turns a true one false.
        tests = [
            self.regulations_any is None
            or bool(set(self.regulations_any) & set(profile.regulations)),
            self.sensitive_data_any is None
            or bool(set(self.sensitive_data_any) & set(profile.sensitive_data)),
            self.customer_demands is None or profile.customer_demands,
            self.incidents_at_least is None or profile.incidents_24m >= self.incidents_at_least,
            self.security_staff_at_least is None
            or profile.security_staff >= self.security_staff_at_least,
            self.employees_at_least is None or profile.employees >= self.employees_at_least,
        ]
        return all(tests)


class Bump(Justified):
    when: When
    areas: Annotated[tuple[str, ...], Field(min_length=1)]
    by: Annotated[Finite, Field(gt=0, le=5)]


class Tiny(Justified):
    below_employees: NonNegative
    target: Annotated[Finite, Field(ge=0, le=5)]
    allowed_sensitive_data: tuple[str, ...] = ()

    def applies(self, profile: Profile) -> bool:
        return (
            profile.employees < self.below_employees
            and not profile.regulations
            and not profile.customer_demands
            and set(profile.sensitive_data) <= set(self.allowed_sensitive_data)
        )


class Pressure(_Model):
    per_regulation: Amount
    customer_demands: Amount
    sensitive_data: dict[str, Amount]
    employees: Bands


class TargetsPolicy(_Model):
    pressure: Pressure
    levels: Bands
    tiny: Tiny
    bump_cap: Number
    area_bumps: tuple[Bump, ...] = ()


class CisoCosts(_Model):
    compensation: Bands
    overhead_rate: Amount
    overhead_includes: Text


class RetainerCheck(Justified):
    employees_from: NonNegative
    employees_to: NonNegative | None = None
    monthly_low: NonNegative
    monthly_high: NonNegative

    def covers(self, employees: int) -> bool:
        upper = math.inf if self.employees_to is None else self.employees_to
        return self.employees_from <= employees < upper


class VcisoCosts(_Model):
    hourly_rate: Amount
    base_hours: Bands
    hours_per_gap_point: Bands
    max_hours: Amount
    full_time_hours: Amount
    retainer_checks: tuple[RetainerCheck, ...] = ()


class CostsPolicy(_Model):
    ciso: CisoCosts
    vciso: VcisoCosts


class TransitionPolicy(_Model):
    employees_fallback: Amount
    security_team: Amount
    incidents: Amount
    hours_share: Amount
    sustained_quarters: Amount


class ReportingPolicy(_Model):
    reports_to: Text
    board_report_months: Amount
    why: Text
    source: Text


class Decision(_Model):
    threshold: Number
    confidence_floor: Amount
    confidence_ceiling: Amount
    confidence_full_at: Amount
    plan_within: Amount
    first_areas: Amount


class Policy(_Model):
    """The validated recommendation policy (see ``questionnaires/recommendation-policy.yaml``)."""

    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=120)]
    version: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    title: Text
    description: Text | None = None
    decision: Decision
    factors: Factors
    regulations: dict[str, RegulationRule]
    targets: TargetsPolicy
    costs: CostsPolicy
    transition: TransitionPolicy
    reporting: ReportingPolicy

    @property
    def identity(self) -> dict[str, str]:
        return {"id": self.id, "version": self.version}


def _band_problems(
    loc: Loc, bands: Sequence[Band], start: float, *, rising: bool, non_negative: bool = False
) -> Iterator[tuple[Loc, str]]:
    """Bands must start at ``start``, go up, and (for growth factors) never lose value."""
    if bands[0].at_least > start:
        yield (*loc, 0, "at_least"), f"the first band must start at {_num(start)}"
    for i, band in enumerate(bands):
        if non_negative and band.value < 0:
            yield (*loc, i, "value"), f"must be at least 0 (got {_num(band.value)})"
        if i == 0:
            continue
        previous = bands[i - 1]
        if band.at_least <= previous.at_least:
            yield (
                (*loc, i, "at_least"),
                f"must be greater than the previous band's {_num(previous.at_least)}",
            )
        if rising and band.value < previous.value:
            yield (
                (*loc, i, "value"),
                f"must not be lower than the previous band's {_num(previous.value)} "
                "(growing must never move the answer toward a vCISO)",
            )


def _key_problems(
    loc: Loc, keys: Iterable[str], known: tuple[str, ...], what: str, *, complete: bool = True
) -> Iterator[tuple[Loc, str]]:
    keys = list(keys)
    for key in keys:
        if key not in known:
            yield (
                (*loc, key),
                f"unknown {what} {key!r}{_hint(key, known)} (known: {', '.join(known)})",
            )
    missing = [k for k in known if k not in keys]
    if complete and missing:
        yield loc, f"{what} not described: {', '.join(missing)}"


def _list_problems(
    loc: Loc, values: Sequence[str] | None, known: tuple[str, ...], what: str
) -> Iterator[tuple[Loc, str]]:
    for i, value in enumerate(values or ()):
        if value not in known:
            yield (*loc, i), f"unknown {what} {value!r}{_hint(value, known)}"


def _policy_problems(policy: Policy) -> Iterator[tuple[Loc, str]]:
    """What pydantic cannot check: band order, monotonicity, known ids, sane ranges."""
    f, t, c = policy.factors, policy.targets, policy.costs
    growth = [
        ("employees", f.employees, 1),
        ("annual_revenue_usd", f.annual_revenue_usd, 0),
        ("regulations_count", f.regulations_count, 0),
        ("incidents_24m", f.incidents_24m, 0),
        ("security_staff", f.security_staff, 0),
        ("maturity_gap", f.maturity_gap, 0),
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
            yield ("targets", "levels", i, "value"), f"must be a level 0–5 (got {_num(band.value)})"
    if t.tiny.target > t.levels[0].value:
        yield (
            ("targets", "tiny", "target"),
            f"must not exceed the lowest level {_num(t.levels[0].value)}",
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
            f"must be a level 0–5 (got {_num(t.bump_cap.value)})",
        )
    for i, bump in enumerate(t.area_bumps):
        loc = ("targets", "area_bumps", i)
        yield from _list_problems((*loc, "areas"), bump.areas, AREA_IDS, "area")
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
        ("costs", "ciso", "compensation"), c.ciso.compensation, 1, rising=False, non_negative=True
    )
    for name in ("base_hours", "hours_per_gap_point"):
        yield from _band_problems(
            ("costs", "vciso", name), getattr(c.vciso, name), 1, rising=True, non_negative=True
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
    d = policy.decision
    for name in ("confidence_floor", "confidence_ceiling"):
        if getattr(d, name).value > 1:
            yield (
                ("decision", name, "value"),
                f"must be at most 1 (got {_num(getattr(d, name).value)})",
            )
    if d.confidence_floor.value > d.confidence_ceiling.value:
        yield ("decision", "confidence_floor", "value"), "must not exceed confidence_ceiling"
    if d.confidence_full_at.value <= 0:
        yield ("decision", "confidence_full_at", "value"), "must be more than 0"
    if d.first_areas.value < 1 or not float(d.first_areas.value).is_integer():
        yield ("decision", "first_areas", "value"), "must be a whole number of at least 1"
    if policy.transition.hours_share.value > 1:
        yield ("transition", "hours_share", "value"), "must be a share between 0 and 1"


def parse_policy(doc: Document) -> Policy:
    """Validate a parsed policy document, reporting every problem with its line."""
    if not isinstance(doc.data, dict):
        raise doc.error((), "a policy must be a mapping with id, version, decision, factors, ...")
    try:
        policy = Policy.model_validate(doc.data)
    except ValidationError as exc:
        problems = [_translate(err, {}) for err in exc.errors()]
    else:
        problems = list(_policy_problems(policy))
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


def load_policy(path: str | Path | None = None) -> Policy:
    """The policy in ``path``, or the shipped one (read once) when ``path`` is None.

    >>> load_policy().decision.threshold.value
    10.0
    """
    if path is None:
        return _shipped_policy()
    return parse_policy(load_document(path, "policy file"))


# --------------------------------------------------------------------------- targets


def band_for(bands: Sequence[Band], value: float) -> Band:
    """The band ``value`` falls in: the last one whose ``at_least`` it reaches.

    >>> bands = [Band(at_least=0, value=0, assumption="x"), Band(at_least=2, value=1, assumption="x")]
    >>> band_for(bands, 1.5).value, band_for(bands, 2).value, band_for(bands, 9).value
    (0.0, 1.0, 1.0)
    """
    chosen = bands[0]
    for band in bands[1:]:
        if value < band.at_least:
            break
        chosen = band
    return chosen


def target_pressure(profile: Profile, policy: Policy) -> float:
    """How much the profile raises the bar: regulations, sensitive data, size, demands."""
    pressure = policy.targets.pressure
    total = pressure.per_regulation.value * len(profile.regulations)
    total += sum(pressure.sensitive_data[kind].value for kind in profile.sensitive_data)
    total += band_for(pressure.employees, profile.employees).value
    if profile.customer_demands:
        total += pressure.customer_demands.value
    return total


def base_target(profile: Profile, policy: Policy) -> float:
    """The target level of every area before per-area bumps."""
    if policy.targets.tiny.applies(profile):
        return policy.targets.tiny.target
    return band_for(policy.targets.levels, target_pressure(profile, policy)).value


def propose_targets(
    profile: Profile, area_ids: Sequence[str], policy: Policy | None = None
) -> dict[str, float]:
    """A target level per area: base 3, higher when more regulated, data-rich or larger.

    >>> tiny = Profile(organization="Two Chairs Salon", employees=6, industry="retail")
    >>> propose_targets(tiny, ["incident-response", "program-oversight"])
    {'incident-response': 2.0, 'program-oversight': 2.0}
    >>> clinic = tiny.model_copy(update={"employees": 60, "regulations": ("hipaa",),
    ...                                  "sensitive_data": ("phi", "pii")})
    >>> propose_targets(clinic, ["incident-response", "program-oversight"])
    {'incident-response': 4.0, 'program-oversight': 3.0}
    """
    policy = policy or load_policy()
    base = base_target(profile, policy)
    cap = policy.targets.bump_cap.value
    bumps = [bump for bump in policy.targets.area_bumps if bump.when.holds(profile)]
    targets = {}
    for area in area_ids:
        raise_by = sum(bump.by for bump in bumps if area in bump.areas)
        targets[area] = float(max(base, min(base + raise_by, cap)) if raise_by else base)
    return targets


# --------------------------------------------------------------------------- the gaps


@dataclass(frozen=True)
class Gaps:
    """The maturity gaps in two numbers: their weighted mean and their weighted sum."""

    mean: float | None  # weighted mean gap over scored areas (levels below target)
    points: float  # sum of weight × gap, weights scaled to average 1 (unscored areas count 0)
    scored: int
    unscored: tuple[str, ...]  # titles of areas with no score yet


REQUIRED_COLUMNS = ("area", "title", "weight", "score", "target", "gap")


def summarize_gaps(areas: pd.DataFrame) -> Gaps:
    """Weighted mean and weighted sum of the gaps.

    >>> frame = pd.DataFrame({"area": ["a", "b", "c"], "title": ["A", "B", "C"],
    ...     "weight": [1.0, 1.0, 2.0], "score": [1.0, 3.0, None], "target": [3.0, 3.0, 3.0],
    ...     "gap": [2.0, 0.0, None]})
    >>> summarize_gaps(frame)
    Gaps(mean=1.0, points=1.5, scored=2, unscored=('C',))
    """
    missing = [column for column in REQUIRED_COLUMNS if column not in areas.columns]
    if missing:
        raise ValueError(f"areas frame lacks column(s) {', '.join(missing)}")
    if areas.empty:
        return Gaps(mean=None, points=0.0, scored=0, unscored=())
    weight = areas["weight"].astype(float)
    gap = areas["gap"].astype(float)
    scored = gap.notna()
    weighted = (weight * gap.fillna(0.0)).clip(lower=0.0)
    mean_weight = float(weight.mean())
    points = float(weighted.sum()) / mean_weight if mean_weight > 0 else 0.0
    scored_weight = float(weight[scored].sum())
    mean = float(weighted[scored].sum()) / scored_weight if scored_weight > 0 else None
    unscored = tuple(str(t) for t in areas.loc[~scored, "title"])
    return Gaps(mean=mean, points=points, scored=int(scored.sum()), unscored=unscored)


# --------------------------------------------------------------------------- reasons


@dataclass(frozen=True)
class Reason:
    """One factor's contribution: points toward a CISO (positive) or a vCISO (negative)."""

    factor: str
    title: str
    value: Any
    shown: str
    weight: float
    explanation: str
    sources: tuple[str, ...] = ()
    phrase: str = ""  # a few words for the summary ("HIPAA obligations")

    @property
    def effect(self) -> str:
        if self.weight > 0:
            return "toward_ciso"
        return "toward_vciso" if self.weight < 0 else "neutral"

    def to_dict(self) -> dict[str, Any]:
        value = list(self.value) if isinstance(self.value, tuple) else self.value
        return {
            "factor": self.factor,
            "title": self.title,
            "value": value,
            "effect": self.effect,
            "weight": round(self.weight, 2),
            "explanation": self.explanation,
            "sources": list(self.sources),
        }


def _sources(*items: Any) -> tuple[str, ...]:
    """The sources among ``items`` (Justified objects or plain strings), in order."""
    out: list[str] = []
    for item in items:
        source = item if isinstance(item, str) else getattr(item, "source", None)
        if source and source not in out:
            out.append(source)
    return tuple(out)


def _join(words: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``.

    >>> _join(["HIPAA"]), _join(["HIPAA", "GLBA"]), _join(["a", "b", "c"])
    ('HIPAA', 'HIPAA and GLBA', 'a, b and c')
    """
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _band_label(bands: Sequence[Band], band: Band, unit: str = "") -> str:
    index = list(bands).index(band)
    start = f"{unit}{band.at_least:,.0f}"
    if index + 1 < len(bands):
        return f"{start}–{unit}{bands[index + 1].at_least - 1:,.0f}"
    return f"{start} and more"


def _money(usd: float) -> str:
    """Dollars the way an owner reads them.

    >>> _money(18_000_000), _money(11_500_000), _money(450_000_000), _money(1_500_000_000)
    ('$18M', '$11.5M', '$450M', '$1.5B')
    >>> _money(900_000)
    '$900,000'
    """
    if usd >= 1e9:
        return f"${usd / 1e9:,.1f}B".replace(".0B", "B")
    if usd >= 1e8:
        return f"${usd / 1e6:,.0f}M"
    if usd >= 1e6:
        return f"${usd / 1e6:,.1f}M".replace(".0M", "M")
    return f"${usd:,.0f}"


def _about(usd: float) -> str:
    """Money rounded to the thousand, for estimates.

    >>> _about(523_900)
    '$524,000'
    """
    return _money(round(usd, -3))


def _employees_reason(profile: Profile, policy: Policy) -> Reason:
    factor = policy.factors.employees
    band = band_for(factor.bands, profile.employees)
    n = profile.employees
    return Reason(
        factor="employees",
        title=factor.title,
        value=n,
        shown=f"{n:,} people",
        weight=band.value,
        explanation=f"{n:,} people ({_band_label(factor.bands, band)} staff). {band.note or ''}".strip(),
        sources=_sources(band),
        phrase=f"{n:,} people",
    )


def _revenue_reason(profile: Profile, policy: Policy) -> Reason:
    factor = policy.factors.annual_revenue_usd
    revenue = profile.annual_revenue_usd
    if revenue is None:
        return Reason(
            "annual_revenue_usd", factor.title, None, "not given", 0.0, factor.unknown_note
        )
    band = band_for(factor.bands, revenue)
    return Reason(
        factor="annual_revenue_usd",
        title=factor.title,
        value=revenue,
        shown=_money(revenue),
        weight=band.value,
        explanation=f"{_money(revenue)} a year. {band.note or ''}".strip(),
        sources=_sources(band),
        phrase=f"{_money(revenue)} in revenue",
    )


def _regulation_reasons(profile: Profile, policy: Policy) -> list[Reason]:
    reasons = []
    for code in profile.regulations:
        rule = policy.regulations[code]
        text = rule.requires
        if rule.names_security_leader:
            text += (
                " The rule requires a full-time officer."
                if rule.full_time_required
                else " The rule itself does not require a full-time hire."
            )
        weight = rule.points.value
        sources = [rule.citation, rule.points]
        if rule.large is not None and rule.large.applies(profile):
            weight += rule.large.points
            text += " " + rule.large.note
            sources.append(rule.large)
        reasons.append(
            Reason(
                factor="regulation",
                title="Regulation",
                value=code,
                shown=rule.name,
                weight=weight,
                explanation=text,
                sources=_sources(*sources),
                phrase=REGULATION_LABELS.get(code, rule.name),
            )
        )
    return reasons


def _regulations_count_reason(profile: Profile, policy: Policy) -> Reason | None:
    count = len(profile.regulations)
    if count < 2:
        return None
    factor = policy.factors.regulations_count
    band = band_for(factor.bands, count)
    names = _join([policy.regulations[code].name for code in profile.regulations])
    return Reason(
        factor="regulations_count",
        title=factor.title,
        value=count,
        shown=f"{count} regimes",
        weight=band.value,
        explanation=f"{count} regulated regimes ({names}). {band.note or ''}".strip(),
        sources=_sources(band),
        phrase=f"{count} regulated regimes",
    )


def _sensitive_reason(profile: Profile, policy: Policy) -> Reason | None:
    if not profile.sensitive_data:
        return None
    factor = policy.factors.sensitive_data
    kinds = [factor.kinds[kind] for kind in profile.sensitive_data]
    names = _join([kind.name for kind in kinds])
    return Reason(
        factor="sensitive_data",
        title=factor.title,
        value=profile.sensitive_data,
        shown=", ".join(kind.name for kind in kinds),
        weight=sum(kind.points.value for kind in kinds),
        explanation=f"You hold {names}. {factor.note}",
        sources=_sources(factor.source),
        phrase=f"{names} to protect" if len(kinds) <= 2 else "sensitive data to protect",
    )


def _incidents_reason(profile: Profile, policy: Policy) -> Reason:
    factor = policy.factors.incidents_24m
    n = profile.incidents_24m
    band = band_for(factor.bands, n)
    said = {0: "No incidents", 1: "One incident"}.get(n, f"{n} incidents")
    return Reason(
        factor="incidents_24m",
        title=factor.title,
        value=n,
        shown=str(n),
        weight=band.value,
        explanation=f"{said} in the last 24 months. {band.note or ''}".strip(),
        sources=_sources(band),
        phrase=f"{said.lower()} in the last two years".replace("one incident", "an incident"),
    )


def _demands_reason(profile: Profile, policy: Policy) -> Reason:
    factor = policy.factors.customer_demands
    demanded = profile.customer_demands
    return Reason(
        factor="customer_demands",
        title=factor.title,
        value=demanded,
        shown="yes" if demanded else "no",
        weight=factor.points.value if demanded else 0.0,
        explanation=factor.note_true if demanded else factor.note_false,
        sources=_sources(factor.points) if demanded else (),
        phrase="customers, insurers or the board asking for documented security",
    )


def _staff_reason(profile: Profile, policy: Policy) -> Reason:
    factor = policy.factors.security_staff
    n = profile.security_staff
    band = band_for(factor.bands, n)
    head = "" if n == 0 else f"{n} dedicated security {'person' if n == 1 else 'people'}. "
    return Reason(
        factor="security_staff",
        title=factor.title,
        value=n,
        shown=str(n),
        weight=band.value,
        explanation=(head + (band.note or "")).strip(),
        sources=_sources(band),
        phrase="a security specialist to direct" if n == 1 else f"a security team of {n} to lead",
    )


def _leader_reason(profile: Profile, policy: Policy) -> Reason:
    factor = policy.factors.security_leader
    level = factor.levels[profile.security_leader]
    return Reason(
        factor="security_leader",
        title=factor.title,
        value=profile.security_leader,
        shown=LEADER_LABELS[profile.security_leader],
        weight=level.points.value,
        explanation=level.note,
        sources=_sources(level.points),
        phrase="a full-time CISO already in place",
    )


def _gap_reason(gaps: Gaps, policy: Policy) -> Reason:
    factor = policy.factors.maturity_gap
    if gaps.mean is None:
        return Reason(
            "maturity_gap",
            factor.title,
            None,
            "not scored",
            0.0,
            "No area has been scored yet, so the gaps add nothing; answer the questionnaire "
            "for hours that fit your program.",
        )
    band = band_for(factor.bands, gaps.mean)
    text = f"On average your areas are {_levels(gaps.mean)} levels below their targets. {band.note or ''}"
    if gaps.unscored:
        text += f" Not scored yet, so not counted: {_join(gaps.unscored)}."
    return Reason(
        factor="maturity_gap",
        title=factor.title,
        value=round(gaps.mean, 2),
        shown=f"{gaps.mean:.1f} levels",
        weight=band.value,
        explanation=text.strip(),
        sources=_sources(band),
        phrase=f"gaps averaging {_levels(gaps.mean)} levels below target",
    )


FACTOR_ORDER = (
    "employees",
    "annual_revenue_usd",
    "regulation",
    "regulations_count",
    "sensitive_data",
    "incidents_24m",
    "customer_demands",
    "security_staff",
    "security_leader",
    "maturity_gap",
)


def decision_reasons(profile: Profile, gaps: Gaps, policy: Policy) -> tuple[Reason, ...]:
    """Every factor's reason, in the fixed factor order (the points are summed in this order)."""
    reasons: list[Reason | None] = [
        _employees_reason(profile, policy),
        _revenue_reason(profile, policy),
        *_regulation_reasons(profile, policy),
        _regulations_count_reason(profile, policy),
        _sensitive_reason(profile, policy),
        _incidents_reason(profile, policy),
        _demands_reason(profile, policy),
        _staff_reason(profile, policy),
        _leader_reason(profile, policy),
        _gap_reason(gaps, policy),
    ]
    return tuple(reason for reason in reasons if reason is not None)


def total_points(reasons: Iterable[Reason]) -> float:
    """The sum of the reasons' points, rounded to 6 places so float noise never flips a verdict."""
    return round(sum(reason.weight for reason in reasons), 6)


def _by_weight(reasons: Iterable[Reason]) -> tuple[Reason, ...]:
    """Strongest first; ties keep the factor order."""
    return tuple(
        sorted(reasons, key=lambda r: (-abs(r.weight), FACTOR_ORDER.index(r.factor), str(r.value)))
    )


def verdict(points: float, policy: Policy) -> tuple[str, float]:
    """``ciso`` at or above the threshold; confidence grows with the distance from it.

    >>> verdict(10, load_policy()), verdict(5, load_policy()), verdict(-30, load_policy())
    (('ciso', 0.5), ('vciso', 0.72), ('vciso', 0.95))
    """
    d = policy.decision
    hire = "ciso" if points >= d.threshold.value else "vciso"
    share = min(abs(points - d.threshold.value) / d.confidence_full_at.value, 1.0)
    low, high = d.confidence_floor.value, d.confidence_ceiling.value
    return hire, round(low + (high - low) * share, 2)


# --------------------------------------------------------------------------- costs


@dataclass(frozen=True)
class CisoCost:
    annual_usd: int
    compensation_usd: int
    overhead_rate: float
    assumptions: tuple[str, ...]
    sources: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "annual_usd": self.annual_usd,
            "compensation_usd": self.compensation_usd,
            "overhead_rate": self.overhead_rate,
            "assumptions": list(self.assumptions),
            "sources": list(self.sources),
        }


@dataclass(frozen=True)
class VcisoCost:
    annual_usd: int
    monthly_usd: int
    hours_per_month: int
    hourly_rate_usd: float
    base_hours: float
    gap_hours: float
    capped: bool
    assumptions: tuple[str, ...]
    sources: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "annual_usd": self.annual_usd,
            "monthly_usd": self.monthly_usd,
            "hours_per_month": self.hours_per_month,
            "hourly_rate_usd": self.hourly_rate_usd,
            "base_hours": self.base_hours,
            "gap_hours": round(self.gap_hours, 2),
            "capped": self.capped,
            "assumptions": list(self.assumptions),
            "sources": list(self.sources),
        }


def ciso_cost(profile: Profile, policy: Policy) -> CisoCost:
    """Total compensation by size band plus an overhead for benefits, recruiting and tools."""
    costs = policy.costs.ciso
    band = band_for(costs.compensation, profile.employees)
    rate = costs.overhead_rate
    annual = round(band.value * (1 + rate.value))
    assumptions = (
        f"Pay: {_money(band.value)} total compensation at {profile.employees:,} people. "
        f"Basis: {band.basis}.",
        f"Overheads: {rate.value:.0%} for {costs.overhead_includes}. Basis: {rate.basis}.",
    )
    return CisoCost(
        annual_usd=annual,
        compensation_usd=round(band.value),
        overhead_rate=rate.value,
        assumptions=assumptions,
        sources=_sources(band, rate),
    )


def vciso_hours(profile: Profile, gaps: Gaps, policy: Policy) -> tuple[int, float, float, bool]:
    """Hours a month: a base by headcount plus hours per point of weighted gap, capped.

    Returns (hours, base hours, gap hours, capped). Non-decreasing in headcount and gaps.
    """
    costs = policy.costs.vciso
    base = band_for(costs.base_hours, profile.employees).value
    gap_hours = band_for(costs.hours_per_gap_point, profile.employees).value * gaps.points
    raw = math.floor(base + gap_hours + 0.5)
    cap = math.floor(costs.max_hours.value)
    return min(raw, cap), base, gap_hours, raw > cap


def _retainer_lines(profile: Profile, monthly: int, policy: Policy) -> tuple[list[str], list[Any]]:
    lines, used = [], []
    for check in policy.costs.vciso.retainer_checks:
        if not check.covers(profile.employees):
            continue
        low, high = check.monthly_low, check.monthly_high
        if monthly < low:
            where = "below that range, because your program is small or close to target"
        elif monthly > high:
            where = "above that range, because of the size of your gaps"
        else:
            where = "within that range"
        size = (
            f"{check.employees_from:,.0f}–{check.employees_to:,.0f} staff"
            if check.employees_to is not None
            else "small and mid-size firms"
        )
        lines.append(
            f"Cross-check: vendor retainers for {size} run {_money(low)}–{_money(high)} a month "
            f"({check.basis}); this estimate of {_money(monthly)} a month is {where}."
        )
        used.append(check)
    return lines, used


def vciso_cost(profile: Profile, gaps: Gaps, policy: Policy) -> VcisoCost:
    costs = policy.costs.vciso
    hours, base, gap_hours, capped = vciso_hours(profile, gaps, policy)
    rate = costs.hourly_rate.value
    monthly = round(hours * rate)
    band = band_for(costs.base_hours, profile.employees)
    per_gap = band_for(costs.hours_per_gap_point, profile.employees)
    assumptions = [
        f"Base: {_num(base)} h a month at {profile.employees:,} people. Basis: {band.basis}.",
        f"Gaps: {_num(per_gap.value)} h a month per level of weighted gap; "
        f"{gaps.points:.1f} levels summed over the areas add {gap_hours:.1f} h. "
        f"Basis: {per_gap.basis}.",
        f"Rate: {_money(rate)} an hour. Basis: {costs.hourly_rate.basis}.",
    ]
    if capped:
        assumptions.append(
            f"Cap: {_num(costs.max_hours.value)} h a month. Basis: {costs.max_hours.basis}."
        )
    checks, used = _retainer_lines(profile, monthly, policy)
    return VcisoCost(
        annual_usd=monthly * 12,
        monthly_usd=monthly,
        hours_per_month=hours,
        hourly_rate_usd=rate,
        base_hours=base,
        gap_hours=gap_hours,
        capped=capped,
        assumptions=(*assumptions, *checks),
        sources=_sources(band, per_gap, costs.hourly_rate, *used),
    )


@dataclass(frozen=True)
class Costs:
    ciso: CisoCost
    vciso: VcisoCost

    def to_dict(self) -> dict[str, Any]:
        return {"ciso": self.ciso.to_dict(), "vciso": self.vciso.to_dict()}


# --------------------------------------------------------------------------- transition


@dataclass(frozen=True)
class Trigger:
    id: str
    text: str
    met: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "met": self.met}


@dataclass(frozen=True)
class Transition:
    """When a vCISO engagement should hand over to a full-time CISO."""

    status: str  # "hire_now" (ciso), "plan_now" (close to the line) or "revisit"
    summary: str
    triggers: tuple[Trigger, ...]
    sources: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "summary": self.summary,
            "triggers": [t.to_dict() for t in self.triggers],
            "sources": list(self.sources),
        }


def _points(profile: Profile, gaps: Gaps, policy: Policy) -> float:
    return total_points(decision_reasons(profile, gaps, policy))


def tipping_headcount(profile: Profile, gaps: Gaps, policy: Policy) -> int | None:
    """The smallest larger headcount at which, all else equal, the policy says ``ciso``."""
    threshold = policy.decision.threshold.value
    candidates = {math.ceil(band.at_least) for band in policy.factors.employees.bands}
    for rule in policy.regulations.values():
        if rule.large is not None and rule.large.employees_over is not None:
            candidates.add(math.floor(rule.large.employees_over) + 1)
    for employees in sorted(c for c in candidates if c > profile.employees):
        grown = profile.model_copy(update={"employees": employees})
        if _points(grown, gaps, policy) >= threshold:
            return employees
    return None


def _triggers(profile: Profile, gaps: Gaps, hours: int, policy: Policy) -> list[Trigger]:
    t = policy.transition
    names = [policy.regulations[code].name for code in profile.regulations]
    tip = tipping_headcount(profile, gaps, policy)
    if tip is not None:
        headcount = Trigger(
            "headcount",
            f"Headcount reaches about {tip:,} (today {profile.employees:,}): with everything "
            "else unchanged, this policy would then recommend a full-time CISO.",
        )
    else:
        headcount = Trigger(
            "headcount",
            f"Headcount passes {_num(t.employees_fallback.value)} (today "
            f"{profile.employees:,}); practitioners see that as the size where a full-time "
            "CISO starts to pay (a heuristic).",
        )
    if names:
        regimes = (
            f"You take on another regulated regime beyond {_join(names)}, or a regulator names "
            "duties your current arrangement cannot meet."
        )
        if "nydfs" in profile.regulations:
            regimes += " Under NYDFS, becoming a Class A company (23 NYCRR 500.1(d)) is one."
    else:
        regimes = (
            "You become subject to a regulation that names a security leader (HIPAA, GLBA, "
            "NYDFS, SEC disclosure): a vCISO can hold that role at first, but it adds work."
        )
    team = int(t.security_team.value)
    incidents = int(t.incidents.value)
    share = t.hours_share.value
    full = policy.costs.vciso.full_time_hours.value
    limit = math.floor(share * full)
    quarters = int(t.sustained_quarters.value)
    return [
        headcount,
        Trigger("regulations", regimes),
        Trigger(
            "security_team",
            f"Your security team grows to {team} or more people who need daily direction "
            f"(today {profile.security_staff}).",
            met=profile.security_staff >= team,
        ),
        Trigger(
            "incidents",
            f"You have {incidents} or more serious incidents within 24 months "
            f"(today {profile.incidents_24m}).",
            met=profile.incidents_24m >= incidents,
        ),
        Trigger(
            "vciso_hours",
            f"The vCISO's hours stay above {limit} a month ({share:.0%} of a {_num(full)}-hour "
            f"full-time month) for {quarters} quarters in a row (estimate today: {hours}).",
            met=hours >= limit,
        ),
        Trigger(
            "board_requirement",
            "Your board, investors, a regulator or a key customer require an in-house security "
            "officer by name.",
        ),
    ]


def plan_transition(
    hire: str, points: float, profile: Profile, gaps: Gaps, hours: int, policy: Policy
) -> Transition:
    t = policy.transition
    sources = _sources(t.employees_fallback, t.security_team, t.incidents, t.hours_share)
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
    triggers = _triggers(profile, gaps, hours, policy)
    close = policy.decision.threshold.value - points <= policy.decision.plan_within.value
    already = [trigger for trigger in triggers if trigger.met]
    if close or already:
        summary = (
            "You are close to the line: plan and budget for a full-time CISO now, and ask the "
            "vCISO to build a program someone can take over. Move when any of these happens:"
        )
        status = "plan_now"
    else:
        summary = (
            "A vCISO fits for now. Review this decision once a year, and earlier when any of "
            "these happens:"
        )
        status = "revisit"
    return Transition(status=status, summary=summary, triggers=tuple(triggers), sources=sources)


# --------------------------------------------------------------------------- reporting line


@dataclass(frozen=True)
class ReportingLine:
    reports_to: str
    dotted_line_to: str | None
    board_reporting: str
    why: str
    sources: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "reports_to": self.reports_to,
            "dotted_line_to": self.dotted_line_to,
            "board_reporting": self.board_reporting,
            "why": self.why,
            "sources": list(self.sources),
        }


_BOARD_DUTIES = {
    "nydfs": "NYDFS requires the CISO's written report to the board at least yearly (23 NYCRR 500.4).",
    "glba": "The FTC Safeguards Rule asks the Qualified Individual to report to the board in "
    "writing at least yearly (16 CFR 314.4), unless you hold data on fewer than 5,000 consumers "
    "(16 CFR 314.6).",
    "sox": "As a public company you disclose how the board oversees cybersecurity risk "
    "(Regulation S-K Item 106(c)).",
}


def reporting_line(profile: Profile, policy: Policy) -> ReportingLine:
    """To the chief executive, with a dotted line to IT; a written report at least yearly."""
    rules = policy.reporting
    dotted = {"cio": "the CIO", "it_manager": "the IT manager"}.get(profile.security_leader)
    if dotted is None:
        dotted = "the IT lead" if profile.it_staff > 0 else "your IT service provider"
    audience = (
        "board"
        if profile.employees >= 250 or "sox" in profile.regulations or profile.customer_demands
        else "owner or board"
    )
    months = int(rules.board_report_months.value)
    cadence = "at least yearly" if months == 12 else f"at least every {months} months"
    board = f"A written report to the {audience} {cadence}, on risks, progress and incidents."
    duties = [text for code, text in _BOARD_DUTIES.items() if code in profile.regulations]
    board = " ".join([board, *duties])
    why = rules.why
    if profile.security_leader in ("cio", "it_manager"):
        why += (
            f" Today security sits with {dotted}: keep them doing IT security work, but give the "
            "security leader their own line to the chief executive."
        )
    citations = [
        policy.regulations[code].citation for code in profile.regulations if code in _BOARD_DUTIES
    ]
    return ReportingLine(
        reports_to=rules.reports_to,
        dotted_line_to=dotted,
        board_reporting=board,
        why=why,
        sources=_sources(rules.source, rules.board_report_months, *citations),
    )


# --------------------------------------------------------------------------- first areas


@dataclass(frozen=True)
class FocusArea:
    area: str
    title: str
    score: float | None
    target: float
    gap: float
    weighted_gap: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "area": self.area,
            "title": self.title,
            "score": None if self.score is None else round(self.score, 2),
            "target": self.target,
            "gap": round(self.gap, 2),
            "weighted_gap": round(self.weighted_gap, 2),
        }


def first_areas(areas: pd.DataFrame, count: int) -> tuple[FocusArea, ...]:
    """The areas with the largest weighted gaps (weight × gap), ties in questionnaire order."""
    rows = []
    for position, row in enumerate(areas.itertuples(index=False)):
        gap = float(row.gap)
        if math.isnan(gap) or gap <= 0:
            continue
        weighted = float(row.weight) * gap
        score = None if pd.isna(row.score) else float(row.score)
        rows.append(
            (
                -weighted,
                position,
                FocusArea(row.area, row.title, score, float(row.target), gap, weighted),
            )
        )
    rows.sort(key=lambda item: (item[0], item[1]))
    return tuple(item[2] for item in rows[:count])


# --------------------------------------------------------------------------- profile notes


def profile_notes(profile: Profile) -> tuple[str, ...]:
    """Things in the profile an adviser would ask about before trusting the result."""
    regs, data = set(profile.regulations), set(profile.sensitive_data)
    notes = []
    if "phi" in data and "hipaa" not in regs:
        notes.append(
            "You hold health records but did not list HIPAA: if you are a provider, health "
            "plan, clearinghouse or their business associate, it applies."
        )
    if "payment" in data and "pci_dss" not in regs:
        notes.append(
            "You hold payment card data but did not list PCI DSS: it applies to anyone who "
            "stores, processes or transmits card data."
        )
    if "cui" in data and not regs & {"cmmc", "itar"}:
        notes.append(
            "You hold CUI but listed neither CMMC nor ITAR: check the clauses in your defense "
            "contracts."
        )
    if profile.industry == "healthcare" and not regs & {"hipaa"} and "phi" not in data:
        notes.append(
            "You work in healthcare but listed neither HIPAA nor health records: check whether "
            "you handle patient data."
        )
    if profile.security_leader == "none" and profile.security_staff > 0:
        notes.append(
            "You have security staff but nobody leads security: whoever you hire, they will "
            "need a clear mandate over that team."
        )
    return tuple(notes)


# --------------------------------------------------------------------------- the recommendation


@dataclass(frozen=True)
class Recommendation:
    """The answer, its reasons, costs, transition, reporting line and where to start."""

    organization: str
    hire: str
    confidence: float
    points: float
    threshold: float
    summary: str
    reasons: tuple[Reason, ...]
    costs: Costs
    transition: Transition
    reporting_line: ReportingLine
    first_areas: tuple[FocusArea, ...]
    targets_proposed: tuple[tuple[str, float], ...]
    notes: tuple[str, ...]
    policy: tuple[str, str]  # id, version

    @property
    def hire_label(self) -> str:
        return "full-time CISO" if self.hire == "ciso" else "virtual CISO (vCISO)"

    @property
    def sources(self) -> tuple[str, ...]:
        """Every source cited, in the order the recommendation cites them."""
        return _sources(
            *(s for r in self.reasons for s in r.sources),
            *self.costs.ciso.sources,
            *self.costs.vciso.sources,
            *self.transition.sources,
            *self.reporting_line.sources,
        )

    def to_dict(self) -> dict[str, Any]:
        """The ``recommendation`` object of the JSON output: plain JSON types, stable order."""
        return {
            "organization": self.organization,
            "hire": self.hire,
            "hire_label": self.hire_label,
            "confidence": self.confidence,
            "points": round(self.points, 2),
            "threshold": self.threshold,
            "summary": self.summary,
            "reasons": [reason.to_dict() for reason in self.reasons],
            "costs": self.costs.to_dict(),
            "transition": self.transition.to_dict(),
            "reporting_line": self.reporting_line.to_dict(),
            "first_areas": [area.to_dict() for area in self.first_areas],
            "targets_proposed": dict(self.targets_proposed),
            "notes": list(self.notes),
            "sources": list(self.sources),
            "policy": {"id": self.policy[0], "version": self.policy[1]},
        }


def _drivers(reasons: Iterable[Reason]) -> list[tuple[float, str]]:
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


def _summary(
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
        drivers = [phrase for _, phrase in _drivers(reasons)[:2]]
        even = f", even with {_join(drivers)}" if drivers else ""
        parts = [
            f"Engage a virtual CISO: an experienced security leader for about "
            f"{vciso.hours_per_month} hours a month (about {_about(vciso.annual_usd)} a year) "
            f"instead of a full-time CISO (about {_about(ciso.annual_usd)} a year).",
            f"At {people}{even}, leading security is part-time work for the right person.",
        ]
        named = [
            REGULATION_LABELS.get(code, policy.regulations[code].name)
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
                f"{_join(named)} name a security leader, but none of them requires a full-time hire."
            )
        if transition.status == "plan_now":
            parts.append("You are close to the line: plan for a full-time CISO as you grow.")
    else:
        drivers = [phrase for _, phrase in _drivers(reasons)[:3]]
        because = f"With {people}, {_join(drivers)}" if drivers else f"At {people}"
        parts = [
            f"Hire a full-time CISO, at about {_about(ciso.annual_usd)} a year with overheads.",
            f"{because}, security needs a leader every day; a vCISO would need about "
            f"{vciso.hours_per_month} hours a month and would still be a part-time voice in a "
            "full-time job. An interim vCISO can hold the role while you recruit.",
        ]
    if focus:
        parts.append(f"Start with {_join([area.title for area in focus])}.")
    elif gaps.mean is None:
        parts.append("Answer the questionnaire to see where to start.")
    else:
        parts.append("Every area meets its target: keep it there.")
    return " ".join(parts)


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
    costs = Costs(ciso=ciso_cost(profile, policy), vciso=vciso_cost(profile, gaps, policy))
    transition = plan_transition(hire, points, profile, gaps, costs.vciso.hours_per_month, policy)
    focus = first_areas(areas, int(policy.decision.first_areas.value))
    targets = propose_targets(profile, [str(a) for a in areas["area"]], policy)
    return Recommendation(
        organization=profile.organization,
        hire=hire,
        confidence=confidence,
        points=points,
        threshold=policy.decision.threshold.value,
        summary=_summary(hire, profile, reasons, costs, transition, focus, gaps, policy),
        reasons=_by_weight(reasons),
        costs=costs,
        transition=transition,
        reporting_line=reporting_line(profile, policy),
        first_areas=focus,
        targets_proposed=tuple(targets.items()),
        notes=profile_notes(profile),
        policy=(policy.id, policy.version),
    )


# --------------------------------------------------------------------------- the terminal block

_EFFECT_LABELS = {
    "toward_ciso": "toward CISO",
    "toward_vciso": "toward vCISO",
    "neutral": "neutral",
}


def _wrap(text: str, indent: str = "  ", hang: str | None = None, width: int = WIDTH) -> list[str]:
    return textwrap.wrap(
        text,
        width=width,
        initial_indent=indent,
        subsequent_indent=indent if hang is None else hang,
        break_on_hyphens=False,
    ) or [indent.rstrip()]


def _refs(sources: Iterable[str], numbers: Mapping[str, int]) -> str:
    marks = sorted({numbers[s] for s in sources if s in numbers})
    return (" [" + ", ".join(map(str, marks)) + "]") if marks else ""


def _cost_columns(rec: Recommendation, numbers: Mapping[str, int]) -> list[str]:
    ciso, vciso = rec.costs.ciso, rec.costs.vciso
    column = (WIDTH - 4) // 2
    left = [f"Full-time CISO: about {_about(ciso.annual_usd)} a year"]
    left += [f"{_money(ciso.compensation_usd)} pay + {ciso.overhead_rate:.0%} overheads"]
    right = [f"vCISO: about {_about(vciso.annual_usd)} a year"]
    right += [f"{vciso.hours_per_month} h/month × {_money(vciso.hourly_rate_usd)}/h × 12"]
    for lines, cost in ((left, ciso), (right, vciso)):
        for assumption in cost.assumptions:
            lines += _wrap(assumption, "- ", "  ", column)
        lines += _wrap("Sources:" + _refs(cost.sources, numbers), "", "", column)
    return [f"  {a:<{column}}  {b}".rstrip() for a, b in zip_longest(left, right, fillvalue="")]


def format_recommendation(rec: Recommendation) -> str:
    """A plain-text block for a terminal, at most 100 columns wide."""
    numbers = {source: i + 1 for i, source in enumerate(rec.sources)}
    out = [
        f"Recommendation for {rec.organization}: hire a {rec.hire_label}",
        f"Confidence {rec.confidence:.0%}: {_num(round(rec.points, 2))} points against a "
        f"threshold of {_num(rec.threshold)} (policy {rec.policy[0]} {rec.policy[1]})",
        "",
        *_wrap(rec.summary, ""),
        "",
        "Why",
    ]
    for reason in rec.reasons:
        points = f"{reason.weight:+5.1f}" if reason.weight else "  0.0"
        head = f"  {points}  {_EFFECT_LABELS[reason.effect]:<13} {reason.title}"
        out += _wrap(f"{head}: {reason.shown}", "", " " * 23)
        out += _wrap(reason.explanation + _refs(reason.sources, numbers), " " * 23)
    out += ["", "Yearly cost (estimates, US dollars)", *_cost_columns(rec, numbers), ""]
    transition = rec.transition
    out += ["From a vCISO to a full-time CISO", *_wrap(transition.summary)]
    for trigger in transition.triggers:
        text = trigger.text + (" Already true today." if trigger.met else "")
        out += _wrap(text, "  - ", "    ")
    if transition.sources:
        out += _wrap("Sources:" + _refs(transition.sources, numbers))
    line = rec.reporting_line
    out += ["", "Reporting line"]
    out += _wrap(f"Report to: {line.reports_to}", "  ", "    ")
    if line.dotted_line_to:
        out += _wrap(f"Dotted line to: {line.dotted_line_to}", "  ", "    ")
    out += _wrap(f"Board or owner: {line.board_reporting}", "  ", "    ")
    out += _wrap(f"Why: {line.why}" + _refs(line.sources, numbers), "  ", "    ")
    out += ["", "First 90 days: start with"]
    if rec.first_areas:
        for i, area in enumerate(rec.first_areas, 1):
            score = "not scored" if area.score is None else f"score {area.score:.1f}"
            out += _wrap(
                f"{i}. {area.title}: {score}, target {_num(area.target)}, gap {area.gap:.1f}",
                "  ",
                "     ",
            )
    else:
        out += ["  No area is below its target."]
    if rec.notes:
        out += ["", "Check your profile"]
        for note in rec.notes:
            out += _wrap(note, "  - ", "    ")
    out += ["", "Sources"]
    for source, number in numbers.items():
        mark = f"[{number}] "
        out += _wrap(source, "  " + mark, " " * (2 + len(mark)))
    return "\n".join(out)


def _levels(value: float) -> str:
    """A gap in levels as text: one decimal, or two where one would round up to a whole
    level the value has not reached (1.99 is not "2.0", which reads as "two or more").

    >>> _levels(1.5), _levels(1.99), _levels(2.0), _levels(0.96)
    ('1.5', '1.99', '2.0', '0.96')
    """
    one = f"{value:.1f}"
    if float(one) > value and float(one).is_integer():
        return f"{value:.2f}"
    return one
