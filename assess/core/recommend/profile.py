"""The organization profile the recommendation reads: its fields, choices and one-line errors."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

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

from assess.core.documents import Document, load_document
from assess.core.recommend.validation import (
    Loc,
    canonical,
    choice,
    choices,
    error_at,
    not_bool,
    translate,
)

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
HIRES = ("ciso", "vciso")
#: The choices of every profile field that has them (the web form builds its selects here).
CHOICES: dict[str, tuple[str, ...]] = {
    "industry": INDUSTRIES,
    "regulations": REGULATIONS,
    "sensitive_data": SENSITIVE_DATA,
    "security_leader": SECURITY_LEADERS,
}

#: The largest value each number of a profile may take (the smallest is 1 for employees, 0
#: for the others): far above any organization this tool is for, far below what breaks the
#: arithmetic (a 10**400 headcount overflowed every float in the costs). The API's schema,
#: the web form and the CLI all refuse what lies outside.
MAX_EMPLOYEES = 10_000_000
MAX_REVENUE_USD = 10**13
MAX_INCIDENTS = 1_000_000
BOUNDS: dict[str, tuple[int, int]] = {
    "employees": (1, MAX_EMPLOYEES),
    "annual_revenue_usd": (0, MAX_REVENUE_USD),
    "it_staff": (0, MAX_EMPLOYEES),
    "security_staff": (0, MAX_EMPLOYEES),
    "incidents_24m": (0, MAX_INCIDENTS),
}

Count = Annotated[int, BeforeValidator(not_bool)]
Money = Annotated[
    float, BeforeValidator(not_bool), Field(ge=0, le=MAX_REVENUE_USD, allow_inf_nan=False)
]
Industry = Annotated[Literal[INDUSTRIES], BeforeValidator(choice)]  # type: ignore[valid-type]
Leader = Annotated[Literal[SECURITY_LEADERS], BeforeValidator(choice)]  # type: ignore[valid-type]
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
        ge=1,
        le=MAX_EMPLOYEES,
        description="People on the payroll, full-time equivalents (at least 1).",
    )
    annual_revenue_usd: Money | None = Field(
        default=None,
        description="Yearly revenue in US dollars (optional; leave empty if unsure).",
    )
    industry: Industry = Field(description="The industry you mainly work in.")
    regulations: Annotated[
        tuple[Regulation, ...], BeforeValidator(choices), AfterValidator(canonical(REGULATIONS))
    ] = Field(
        default=(),
        description="Regulations and standards you must meet (leave empty if none apply).",
    )
    sensitive_data: Annotated[
        tuple[SensitiveKind, ...],
        BeforeValidator(choices),
        AfterValidator(canonical(SENSITIVE_DATA)),
    ] = Field(
        default=(),
        description="Kinds of sensitive data you store or process.",
    )
    it_staff: Count = Field(
        default=0,
        ge=0,
        le=MAX_EMPLOYEES,
        description="People whose main job is IT (including security).",
    )
    security_staff: Count = Field(
        default=0,
        ge=0,
        le=MAX_EMPLOYEES,
        description="People whose main job is information security.",
    )
    security_leader: Leader = Field(
        default="none", description="Who is accountable for security today."
    )
    incidents_24m: Count = Field(
        default=0,
        ge=0,
        le=MAX_INCIDENTS,
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
        raise error_at(
            doc, file, (), "a profile must be a mapping with " + ", ".join(PROFILE_FIELDS)
        )
    try:
        return Profile.model_validate(dict(data))
    except ValidationError as exc:
        options = {**CHOICES, "(keys)": PROFILE_FIELDS}
        problems = [translate(err, options) for err in exc.errors()]
    order = {name: i for i, name in enumerate(PROFILE_FIELDS)}

    def position(problem: tuple[Loc, str]) -> tuple[int, int]:
        loc = problem[0]
        line = (doc.line_of(loc) if doc is not None else None) or 0
        return line, order.get(str(loc[0]) if loc else "", len(order))

    loc, message = min(problems, key=position)
    raise error_at(doc, file, loc, message)


def load_profile(path: str | Path) -> Profile:
    """Read and validate a profile from a YAML or JSON file."""
    doc = load_document(path, "profile file")
    return parse_profile(doc.data, doc=doc)
