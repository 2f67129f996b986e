"""The results contract: one assessment's scores, roadmap and recommendation, typed.

Scoring and the recommendation produce these models; the database stores their JSON
(``Results.model_dump(mode="json")``) and reads it back through :func:`Results.from_stored`,
which upgrades documents written by earlier versions; pages, PDFs, history, exports, the API
and the CLI take the models. The OpenAPI document's component schemas are generated from
them, so the shape is written once, here.

``schema_version`` says which shape a document has:

- 0: documents stored before the contract had a version (no ``schema_version`` key). Their
  keys are those of version 1.
- 1: before the roadmap's actions and the engagements.
- 2: this shape. Roadmap steps add ``action``, ``kind`` (``find_out``, ``start``,
  ``improve``, ``obligation``), ``essential``, ``source`` and ``regulation``; the document adds
  the NIST CSF 2.0 view (``csf``). The recommendation adds ``engagement`` (who does the work:
  ``basics``, ``fractional``, ``fractional_with_manager``, ``full_time``), ``provisional`` and
  ``answered_share``, ``margin`` (points from the threshold, in place of ``confidence``),
  ``costs.options`` (one priced option per engagement) and ``affordability``. A version 1
  document is upgraded by :func:`_roadmap_v1_to_v2` and :func:`_recommendation_v1_to_v2`;
  its recommendation's ``confidence`` is kept.

>>> doc = {"questionnaire": {"id": "q", "version": "1.0", "hash": "ab"},
...        "overall": {"score": None, "level": None, "label": None},
...        "areas": [], "roadmap": [], "unanswered": []}
>>> results = Results.from_stored(doc)
>>> results.schema_version, results.recommendation is None
(2, True)
>>> list(results.model_dump(mode="json"))
['schema_version', 'questionnaire', 'overall', 'areas', 'roadmap', 'csf', 'unanswered']
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import suppress
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    SerializerFunctionWrapHandler,
    ValidationError,
    computed_field,
    model_serializer,
)

from assess.core.errors import InputError

SCHEMA_VERSION = 2

#: 0–5. The bounds are documented, not enforced on reading: a stored score a rounding error
#: past 5 must still show.
Score = Annotated[float, Field(json_schema_extra={"minimum": 0, "maximum": 5})]
Level = Annotated[int, Field(ge=0, le=5)]
Count = Annotated[int, Field(ge=0)]
Usd = Annotated[int, Field(ge=0, description="US dollars")]
#: A float shown to two decimals in JSON; full precision while the core computes with it.
Rounded = Annotated[float, PlainSerializer(lambda v: round(v, 2), return_type=float)]


class Contract(BaseModel):
    """Immutable; unknown keys in stored documents are ignored rather than refused, so a
    result written by a later version still shows."""

    model_config = ConfigDict(frozen=True, extra="ignore")


# --------------------------------------------------------------------------- scores


class QuestionnaireIdentity(Contract):
    id: str
    version: str
    hash: str = Field(description="SHA-256 of the content")


class Overall(Contract):
    score: Score | None = Field(description="Weighted mean of the area scores, 0–5")
    level: Level | None
    label: str | None = Field(description="The level's name in the questionnaire's scale")


class AreaScore(Contract):
    id: str
    title: str
    weight: float
    score: Score | None = Field(description="Weighted mean of the answered questions, 0–5")
    target: float
    gap: float | None = Field(description="max(target − score, 0); null when nothing is scored")
    answered: Count
    total: Count
    unknown: Count
    na: Count


StepKind = Literal["find_out", "start", "improve", "obligation"]


class RoadmapStep(Contract):
    """One step of the roadmap: raise one answer by one level, find out a "don't know", or
    meet an obligation a regulation in the profile names (with its source)."""

    rank: Annotated[int, Field(ge=1)]
    area: str | None = Field(description="The area's id; null for an obligation")
    question: str | None = Field(description="The question's id; null for an obligation")
    text: str = Field(description="The question, or the obligation's title")
    current_level: Level | None = Field(description="Null for an obligation")
    unknown: bool
    next_level: Level | None = Field(description="Null for an obligation")
    step: str = Field(description="The next level's description: what is true when it is done.")
    action: str = Field(
        description="What to do: the action that reaches the next level (verb, deliverable, "
        "who), what to find out and from whom, or what the regulation asks"
    )
    kind: StepKind = Field(
        description='find_out for a "don\'t know", start for level 0, improve otherwise; '
        "obligation for what a regulation in the profile asks"
    )
    essential: bool = Field(description="An essential safeguard: ranked before the others")
    source: str | None = Field(description="Where an obligation is written; null otherwise")
    regulation: str | None = Field(description="The regulation an obligation comes from")
    priority: float
    first_90_days: bool


class CsfScore(Contract):
    """One NIST CSF 2.0 category: the weighted mean of the levels of the questions tagged
    with it, against the mean of their areas' targets."""

    function: str = Field(description="The CSF function's id: GV, ID, PR, DE, RS or RC")
    function_name: str
    category: str = Field(description="The category's id, e.g. PR.AA")
    category_name: str
    score: Score | None = Field(description="Weighted mean of the tagged questions' levels")
    target: float = Field(description="Mean of the tagged questions' area targets")
    gap: float | None = Field(description="max(target − score, 0); null when nothing is scored")
    questions: Count = Field(description="Tagged questions with a scored answer")
    total: Count = Field(description="Questions tagged with the category")


# --------------------------------------------------------------------------- recommendation


def _in_order(data: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    """``data`` with ``keys`` first, in that order: computed fields where the JSON has
    always had them rather than at the end."""
    return {key: data[key] for key in keys if key in data} | data


class Reason(Contract):
    """One factor's contribution: points toward a CISO (positive) or a vCISO (negative)."""

    factor: str
    title: str
    value: Any = Field(description="The profile's value for this factor")
    weight: Rounded
    explanation: str
    sources: tuple[str, ...] = ()
    #: A few words for the summary ("HIPAA obligations"); not part of the JSON.
    phrase: str = Field("", exclude=True)
    #: The value as the terminal shows it ("62 people", "HIPAA"); not part of the JSON.
    shown: str = Field("", exclude=True)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def effect(self) -> Literal["toward_ciso", "toward_vciso", "neutral"]:
        if self.weight > 0:
            return "toward_ciso"
        return "toward_vciso" if self.weight < 0 else "neutral"

    @model_serializer(mode="wrap")
    def _keys_in_order(self, handler: SerializerFunctionWrapHandler):
        # No return annotation: the JSON schema stays the model's own.
        return _in_order(handler(self), ("factor", "title", "value", "effect"))


class CisoCost(Contract):
    annual_usd: Usd
    compensation_usd: Usd
    overhead_rate: float
    assumptions: tuple[str, ...]
    sources: tuple[str, ...]


class VcisoCost(Contract):
    annual_usd: Usd
    monthly_usd: Usd
    hours_per_month: Count
    hourly_rate_usd: float
    base_hours: float
    gap_hours: Rounded
    capped: bool
    assumptions: tuple[str, ...]
    sources: tuple[str, ...]


Engagement = Literal["basics", "fractional", "fractional_with_manager", "full_time"]

#: The engagements from the lightest to the heaviest, and how an owner says them.
ENGAGEMENTS: dict[str, str] = {
    "basics": "An IT provider for the basics, with a periodic vCISO review",
    "fractional": "A virtual CISO (vCISO) on retainer",
    "fractional_with_manager": "An in-house security manager with a vCISO",
    "full_time": "A full-time CISO",
}


class CostLine(Contract):
    """One line of an option's yearly cost: what it pays for, how it is reckoned, its source
    (none when the figure is our assumption, said in ``basis``)."""

    what: str
    annual_usd: Usd
    basis: str
    source: str | None = None


class CostOption(Contract):
    """One engagement, priced: the sum of its lines."""

    engagement: Engagement
    label: str
    annual_usd: Usd
    lines: tuple[CostLine, ...]


class Costs(Contract):
    ciso: CisoCost
    vciso: VcisoCost
    options: tuple[CostOption, ...] = Field(
        (), description="One entry per engagement, lightest first, each with its cost lines"
    )


class Affordability(Contract):
    """The recommended option's yearly cost beside the revenue, when the revenue is known."""

    annual_usd: Usd
    revenue_usd: float | None
    share: float | None = Field(description="annual_usd / revenue_usd; null without revenue")
    text: str


class Trigger(Contract):
    id: str
    text: str
    met: bool = False


class Transition(Contract):
    """When a vCISO engagement should hand over to a full-time CISO."""

    status: Literal["hire_now", "plan_now", "revisit", "keep"]
    summary: str
    triggers: tuple[Trigger, ...]
    sources: tuple[str, ...]


class ReportingLine(Contract):
    reports_to: str
    dotted_line_to: str | None
    board_reporting: str
    why: str
    sources: tuple[str, ...]


class FocusArea(Contract):
    area: str
    title: str
    score: Annotated[float | None, PlainSerializer(lambda v: None if v is None else round(v, 2))]
    target: float
    gap: Rounded
    weighted_gap: Rounded


class PolicyRef(Contract):
    id: str
    version: str


def _cited(*groups: tuple[str, ...]) -> tuple[str, ...]:
    """The sources of ``groups`` in order, each once."""
    return tuple(dict.fromkeys(source for group in groups for source in group))


class Recommendation(Contract):
    """Hire a full-time CISO or a vCISO, and the engagement that fits: the reasons, costs,
    transition and first areas."""

    organization: str
    hire: Literal["ciso", "vciso"]
    engagement: Engagement = Field(
        description="Who does the work: basics (an IT provider and a periodic vCISO review), "
        "fractional (a vCISO retainer), fractional_with_manager (an in-house security manager "
        "and a vCISO) or full_time (a full-time CISO)"
    )
    provisional: bool = Field(
        description="True when fewer than 60% of the questions are answered: the verdict then "
        "rests on the profile alone"
    )
    answered_share: Annotated[float, Field(ge=0, le=1)] = Field(
        description="Share of the questions answered (not 'don't know'; n/a counts as answered)"
    )
    margin: Rounded = Field(
        description="The distance in points between the total and the threshold: the larger, "
        "the further the verdict is from tipping the other way"
    )
    #: Version 1 documents only: the former 0.5–0.95 reading of the margin.
    confidence: Annotated[float, Field(ge=0, le=1)] | None = Field(
        None, exclude_if=lambda value: value is None
    )
    points: Rounded = Field(description="Total points; at the threshold or above: ciso")
    threshold: float
    summary: str
    reasons: tuple[Reason, ...]
    costs: Costs
    affordability: Affordability | None = Field(None, exclude_if=lambda value: value is None)
    transition: Transition
    reporting_line: ReportingLine
    first_areas: tuple[FocusArea, ...]
    targets_proposed: dict[str, float]
    notes: tuple[str, ...]
    policy: PolicyRef

    @computed_field  # type: ignore[prop-decorator]
    @property
    def hire_label(self) -> str:
        return "full-time CISO" if self.hire == "ciso" else "virtual CISO (vCISO)"

    @computed_field  # type: ignore[prop-decorator]
    @property
    def engagement_label(self) -> str:
        return ENGAGEMENTS[self.engagement]

    @property
    def chosen_option(self) -> CostOption | None:
        return next((o for o in self.costs.options if o.engagement == self.engagement), None)

    @computed_field(description="Every source cited, in order")  # type: ignore[prop-decorator]
    @property
    def sources(self) -> tuple[str, ...]:
        return _cited(
            *(reason.sources for reason in self.reasons),
            self.costs.ciso.sources,
            self.costs.vciso.sources,
            tuple(line.source for o in self.costs.options for line in o.lines if line.source),
            self.transition.sources,
            self.reporting_line.sources,
        )

    @model_serializer(mode="wrap")
    def _keys_in_order(self, handler: SerializerFunctionWrapHandler):
        # hire_label after hire and sources before policy, as the JSON has always had them.
        data = handler(self)
        head = ("organization", "hire", "hire_label", "engagement", "engagement_label")
        tail = ("sources", "policy")
        middle = tuple(key for key in data if key not in head + tail)
        return _in_order(data, head + middle + tail)


# --------------------------------------------------------------------------- the document


class Results(Contract):
    """The same document as ``assess score --format json``; ``recommendation`` is there when
    the organization has a complete profile."""

    model_config = ConfigDict(
        json_schema_extra=lambda schema: schema["required"].insert(0, "schema_version")
    )

    schema_version: Literal[2] = Field(
        SCHEMA_VERSION, description="The shape of this document; stored ones are upgraded"
    )
    questionnaire: QuestionnaireIdentity
    overall: Overall
    areas: tuple[AreaScore, ...]
    roadmap: tuple[RoadmapStep, ...]
    csf: tuple[CsfScore, ...] = Field(
        description="The scores by NIST CSF 2.0 category; empty without csf tags, and for "
        "documents stored before version 2 (the answers are not in the document)"
    )
    unanswered: tuple[str, ...]
    recommendation: Recommendation | None = Field(None, exclude_if=lambda value: value is None)

    def area(self, area_id: str) -> AreaScore | None:
        return next((a for a in self.areas if a.id == area_id), None)

    @classmethod
    def from_stored(cls, document: Mapping[str, Any]) -> Results:
        """Read a stored document of any schema version, upgrading it to this one.

        A document that is not a results document of a known version is an
        :class:`~assess.core.errors.InputError` naming the place that is wrong.
        """
        data = dict(document)
        version = data.get("schema_version", 0)
        if not isinstance(version, int) or not 0 <= version <= SCHEMA_VERSION:
            raise InputError(f"results: unknown schema_version {version!r}")
        while version < SCHEMA_VERSION:
            data = UPGRADES[version](data)
            version = data["schema_version"]
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            first = exc.errors()[0]
            place = ".".join(str(part) for part in first["loc"])
            raise InputError(f"results: {place}: {first['msg']}") from None


def _v0_to_v1(data: dict[str, Any]) -> dict[str, Any]:
    """Documents stored before the version key have version 1's keys."""
    return {**data, "schema_version": 1}


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 2 changed the roadmap (with the CSF view) and the recommendation."""
    return {**_recommendation_v1_to_v2(_roadmap_v1_to_v2(data)), "schema_version": 2}


def _recommendation_v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """A version 1 recommendation as it was, with version 2's fields: the engagement its
    ``hire`` meant, not provisional, the margin from its points and threshold (what its
    ``confidence`` was computed from; the confidence itself is kept) and one cost option for
    each of its two priced options. Nothing else changes."""
    rec = data.get("recommendation")
    if not isinstance(rec, dict) or "engagement" in rec:
        return data
    areas = [a for a in data.get("areas") or () if isinstance(a, dict)]
    total = sum(a.get("total") or 0 for a in areas)
    answered = sum((a.get("answered") or 0) - (a.get("unknown") or 0) for a in areas)
    new = {
        "engagement": "full_time" if rec.get("hire") == "ciso" else "fractional",
        "provisional": False,
        "answered_share": round(min(max(answered / total, 0.0), 1.0), 4) if total else 0.0,
    }
    with suppress(KeyError, TypeError, ValueError):  # validation names what is missing
        new["margin"] = abs(float(rec["points"]) - float(rec["threshold"]))
    costs = rec.get("costs")
    if isinstance(costs, dict) and "options" not in costs:
        with suppress(KeyError, TypeError, ValueError):
            costs = {**costs, "options": _options_v1(costs)}
    return {**data, "recommendation": {**rec, **new, "costs": costs}}


def _first(sources: Any) -> str | None:
    return sources[0] if sources else None


def _options_v1(costs: dict[str, Any]) -> list[dict[str, Any]]:
    """A version 1 document's two priced options as version 2's cost options."""
    vciso, ciso = costs["vciso"], costs["ciso"]
    hours, rate = vciso["hours_per_month"], vciso["hourly_rate_usd"]
    pay, annual = ciso["compensation_usd"], ciso["annual_usd"]
    return [
        {
            "engagement": "fractional",
            "label": ENGAGEMENTS["fractional"],
            "annual_usd": vciso["annual_usd"],
            "lines": [
                {
                    "what": "vCISO retainer",
                    "annual_usd": vciso["annual_usd"],
                    "basis": f"{hours} hours a month at ${rate:,.0f} an hour, 12 months",
                    "source": _first(vciso.get("sources") or ()),
                }
            ],
        },
        {
            "engagement": "full_time",
            "label": ENGAGEMENTS["full_time"],
            "annual_usd": annual,
            "lines": [
                {
                    "what": "CISO total compensation",
                    "annual_usd": pay,
                    "basis": "total compensation",
                    "source": _first(ciso.get("sources") or ()),
                },
                {
                    "what": "Overheads",
                    "annual_usd": max(annual - pay, 0),
                    "basis": f"{float(ciso['overhead_rate']):.0%} of compensation",
                },
            ],
        },
    ]


def _roadmap_v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 2's roadmap steps say what to do and of which kind, and the document has the
    CSF view. A version 1 step's action is its step (the next level's description, all it
    had); its kind follows from its answer; it was not marked essential and had no source.
    The CSF view is left empty: it needs the answers, which the document does not hold."""

    def step(old: Mapping[str, Any]) -> dict[str, Any]:
        if old.get("unknown"):
            kind = "find_out"
        elif old.get("current_level") == 0:
            kind = "start"
        else:
            kind = "improve"
        return {
            **old,
            "action": old.get("step"),
            "kind": kind,
            "essential": False,
            "source": None,
            "regulation": None,
        }

    roadmap = data.get("roadmap")
    steps = [step(s) if isinstance(s, Mapping) else s for s in roadmap or ()]
    return {
        **data,
        "roadmap": steps if isinstance(roadmap, list | tuple) else roadmap,
        "csf": [],
        "schema_version": 2,
    }


#: version → the function that lifts a document of that version by one.
UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {0: _v0_to_v1, 1: _v1_to_v2}
