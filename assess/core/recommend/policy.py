"""The recommendation policy as validated models: every threshold, weight, cost and sentence
about a regulation that ``questionnaires/recommendation-policy.yaml`` holds.

Reading the file and the checks pydantic cannot make live in :mod:`.policy_file`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from assess.core.recommend.profile import Profile
from assess.core.recommend.validation import not_bool

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Finite = Annotated[float, BeforeValidator(not_bool), Field(allow_inf_nan=False)]
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
    #: How people say this leader ("IT manager", "nobody"); the id with spaces when not given.
    label: Text | None = None


class LeaderFactor(_Model):
    title: Text
    levels: dict[str, LeaderLevel]


class DataKind(_Model):
    name: Text
    points: Amount


class SensitiveFactor(Justified):
    title: Text
    kinds: dict[str, DataKind]
    note: Text


class Factors(_Model):
    """The profile's factors. Maturity is not one: the answers set the vCISO hours and the
    urgency, never the verdict, so no answer can flip it."""

    #: Points interpolate between the bands' starts (no cliff at a band's edge).
    employees: BandFactor
    #: Points interpolate between the bands' starts (no cliff at a band's edge).
    annual_revenue_usd: RevenueFactor
    regulations_count: BandFactor
    incidents_24m: BandFactor
    security_staff: BandFactor
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
    #: The short name for summaries ("HIPAA", "SOC 2"); ``name`` when not given.
    label: Text | None = None
    citation: Text
    names_security_leader: bool
    full_time_required: bool
    requires: Text
    points: Amount
    large: LargeRule | None = None
    #: A change under this regulation that is itself a reason to hire (a transition trigger).
    trigger_note: Text | None = None

    @property
    def short_name(self) -> str:
        return self.label or self.name


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
    #: The median total compensation the size and industry factors scale.
    compensation: Amount
    #: No CISO is priced below this, however small the firm or its industry's pay.
    minimum_compensation: Amount
    overhead_rate: Amount
    overhead_includes: Text


class PayPolicy(_Model):
    """How pay scales: with headcount (interpolated between the bands' starts) and industry."""

    size_scale: Bands
    industry_scale: dict[str, Amount]


class ManagerCosts(_Model):
    """An in-house security manager (one level below a CISO), paired with a vCISO."""

    compensation: Amount
    vciso_share: Amount
    #: No security manager is priced below this, however small the firm or its industry's pay.
    minimum_compensation: Amount | None = None


class VolumeTier(Justified):
    """From ``from_endpoints`` computers on, each further one costs ``value`` a month."""

    from_endpoints: NonNegative
    value: NonNegative


class HandsOnCosts(_Model):
    """The hands-on work (monitoring and response) that an MSP or MDR provider does."""

    per_endpoint_month: Amount
    endpoints_per_employee: Amount
    what: Text
    #: Cheaper prices from these many computers on, priced marginally (no cliff).
    volume_tiers: tuple[VolumeTier, ...] = ()
    #: Said with the line: what to subtract, what is not included.
    note: Text | None = None

    def monthly(self, endpoints: float) -> float:
        """The monthly price of ``endpoints`` computers, each tier priced on its own share."""
        starts = [0.0, *(tier.from_endpoints for tier in self.volume_tiers)]
        prices = [self.per_endpoint_month.value, *(tier.value for tier in self.volume_tiers)]
        ends = [*starts[1:], math.inf]
        return sum(
            max(min(endpoints, end) - start, 0.0) * price
            for start, end, price in zip(starts, ends, prices, strict=True)
        )


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
    #: Hours a month by headcount, interpolated between the bands' starts.
    base_hours: Bands
    #: Extra hours for a build-out, as a share of the base at a gap of ``build_out_full_at``.
    build_out_uplift: Amount
    build_out_full_at: Amount
    max_hours: Amount
    full_time_hours: Amount
    retainer_checks: tuple[RetainerCheck, ...] = ()


class CostsPolicy(_Model):
    ciso: CisoCosts
    pay: PayPolicy
    manager: ManagerCosts
    vciso: VcisoCosts
    hands_on: HandsOnCosts


class RegulatedBasics(Justified):
    """Below ``below_employees`` and under only these regulations, the basics still fit: the
    vCISO or the IT provider is named as the Qualified Individual or security official, and
    each regulation adds review hours."""

    below_employees: NonNegative
    regulations: tuple[str, ...]
    review_hours_per_regulation: NonNegative

    def applies(self, profile: Profile) -> bool:
        return (
            profile.employees < self.below_employees
            and bool(profile.regulations)
            and set(profile.regulations) <= set(self.regulations)
        )


class Basics(_Model):
    """An IT provider for the basics with a periodic vCISO review (hours a year): below
    ``below_employees`` under no regulation, for the firms the targets call tiny, and below
    ``regulated.below_employees`` under only the regulations it lists."""

    below_employees: Amount
    review_hours_per_year: Amount
    regulated: RegulatedBasics | None = None


class LargeFirm(Justified):
    """From ``employees_at_least`` staff and ``points_at_least`` points: a full-time CISO,
    below the threshold (a manager and a vCISO would cost nearly as much)."""

    employees_at_least: NonNegative
    points_at_least: Finite

    def applies(self, profile: Profile, points: float) -> bool:
        return profile.employees >= self.employees_at_least and points >= self.points_at_least


class ManagerFrom(Number):
    """From ``value`` points (below the threshold), and from ``employees_at_least`` staff when
    given: an in-house security manager with a vCISO."""

    employees_at_least: NonNegative | None = None

    def applies(self, profile: Profile, points: float) -> bool:
        big_enough = self.employees_at_least is None or profile.employees >= self.employees_at_least
        return points >= self.value and big_enough


class EngagementPolicy(_Model):
    basics: Basics
    #: From these points (below the threshold): an in-house security manager with a vCISO.
    manager_from: ManagerFrom
    large: LargeFirm | None = None
    #: What each engagement's hours buy, in a sentence or two, by engagement.
    delivers: dict[str, Text] = Field(default_factory=dict)

    def is_basics(self, profile: Profile, tiny: Tiny | None = None) -> bool:
        """Basics fit: below the line under no regulation, a tiny firm (``tiny``: the
        targets' rule), or a very small one under only the light regulations."""
        basics = self.basics
        if profile.employees < basics.below_employees.value and not profile.regulations:
            return True
        if tiny is not None and tiny.applies(profile):
            return True
        return basics.regulated is not None and basics.regulated.applies(profile)

    def review_hours(self, profile: Profile) -> float:
        """The vCISO's review hours a year before the build-out: more for each regulation."""
        hours = self.basics.review_hours_per_year.value
        regulated = self.basics.regulated
        if regulated is not None and profile.regulations:
            hours += regulated.review_hours_per_regulation * len(profile.regulations)
        return hours


class TransitionPolicy(_Model):
    employees_fallback: Amount
    security_team: Amount
    incidents: Amount
    hours_share: Amount
    sustained_quarters: Amount
    #: The trigger for an organization under no regulation yet; said from the regulations
    #: that name a security leader when not given.
    regulation_trigger: Text | None = None


class ReportingPolicy(Justified):
    reports_to: Text
    board_report_months: Amount
    why: Text
    #: Regulation id → what it asks of board reporting, in the order the report says them;
    #: the regulation's citation is the source.
    board_duties: dict[str, Text] = Field(default_factory=dict)


class ProfileCheck(_Model):
    """A note for a profile that likely leaves a regulation out: it works in ``industry`` or
    holds one of ``holds_any``, but lists none of ``unless_listed`` and holds none of
    ``unless_holds``."""

    industry: str | None = None
    holds_any: tuple[str, ...] | None = None
    unless_listed: tuple[str, ...] = ()
    unless_holds: tuple[str, ...] = ()
    note: Text

    @model_validator(mode="after")
    def _has_a_condition(self) -> ProfileCheck:
        if self.industry is None and not self.holds_any:
            raise ValueError("needs industry or holds_any")
        return self

    def applies(self, profile: Profile) -> bool:
        regulations, data = set(profile.regulations), set(profile.sensitive_data)
        matches = (self.industry is None or profile.industry == self.industry) and (
            not self.holds_any or bool(data & set(self.holds_any))
        )
        return (
            matches
            and not regulations & set(self.unless_listed)
            and not data & set(self.unless_holds)
        )


class Obligation(_Model):
    """A step a regulation asks for in so many words, put on the roadmap with its source
    when the profile names the regulation."""

    title: Text
    action: Text
    #: What is true when it is done (a roadmap step's ``step``).
    done_when: Text
    source: Text


class Decision(_Model):
    threshold: Number
    #: Below this share of questions answered, the verdict is provisional.
    provisional_below: Amount
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
    profile_checks: tuple[ProfileCheck, ...] = ()
    targets: TargetsPolicy
    engagements: EngagementPolicy
    costs: CostsPolicy
    transition: TransitionPolicy
    reporting: ReportingPolicy
    #: Regulation id → what it asks for in so many words (roadmap steps with their source).
    obligations: dict[str, tuple[Obligation, ...]] = Field(default_factory=dict)

    @property
    def identity(self) -> dict[str, str]:
        return {"id": self.id, "version": self.version}


def band_for(bands: Sequence[Band], value: float) -> Band:
    """The band ``value`` falls in: the last one whose ``at_least`` it reaches.

    >>> bands = [Band(at_least=0, value=0, assumption="x"),
    ...          Band(at_least=2, value=1, assumption="x")]
    >>> band_for(bands, 1.5).value, band_for(bands, 2).value, band_for(bands, 9).value
    (0.0, 1.0, 1.0)
    """
    chosen = bands[0]
    for band in bands[1:]:
        if value < band.at_least:
            break
        chosen = band
    return chosen


def interpolate(bands: Sequence[Band], value: float) -> float:
    """The value at ``value``, straight between the two bands' starts around it; the first
    band's value before it, the last band's after it. No cliff at a band's edge.

    >>> bands = [Band(at_least=0, value=0, assumption="x"),
    ...          Band(at_least=10, value=5, assumption="x")]
    >>> interpolate(bands, 4), interpolate(bands, 10), interpolate(bands, 99)
    (2.0, 5.0, 5.0)
    """
    lower = band_for(bands, value)
    index = list(bands).index(lower)
    if value < lower.at_least or index + 1 == len(bands):
        return float(lower.value)
    upper = bands[index + 1]
    share = (value - lower.at_least) / (upper.at_least - lower.at_least)
    return float(lower.value + (upper.value - lower.value) * share)


def sources_of(*items: Justified | str | None) -> tuple[str, ...]:
    """The sources among ``items`` (policy objects or plain strings), in order, each once.

    An object based on an assumption cites nothing.
    """
    out: list[str] = []
    for item in items:
        source = item if isinstance(item, str) else getattr(item, "source", None)
        if source and source not in out:
            out.append(source)
    return tuple(out)
