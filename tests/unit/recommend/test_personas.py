"""Personas an adviser would agree with: the hire, the engagement, the transition; the edge cases
of issue 12 (a tiny shop at target, a CISO in place, one answer, nothing answered, one dollar,
one employee, the industry) and the properties: no answer flips the verdict, growing never
lightens the engagement, one more employee moves the hours by at most 5%."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assess.core.recommend import (
    REGULATIONS,
    Profile,
    exact_hours,
    load_policy,
    load_profile,
    recommend,
    summarize_gaps,
)
from assess.core.recommend.engagement import ORDER
from assess.outputs.recommendation_text import format_recommendation
from tests.unit.recommend.cases import (
    EXAMPLES,
    PROPERTY,
    areas_frame,
    frame_for,
    gap_maps,
    growth,
    profile,
    profiles,
)


@dataclass(frozen=True)
class Persona:
    id: str
    why: str  # the reason an adviser would agree
    fields: dict[str, Any]
    expected: str
    mean_score: float = 1.5
    transition: str | None = None
    engagement: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


PERSONAS = [
    Persona(
        "vciso-5-person-bookkeeper-glba-lets-a-provider-be-the-qualified-individual",
        "Five people cannot keep a security executive busy, and the FTC Safeguards Rule lets "
        "the Qualified Individual work for a service provider: the IT provider does the basics "
        "and a vCISO, named Qualified Individual, reviews them a few times a year.",
        dict(
            employees=5,
            industry="professional_services",
            regulations=["glba"],
            sensitive_data=["financial", "pii"],
        ),
        "vciso",
        engagement="basics",
    ),
    Persona(
        "vciso-12-person-nonprofit-unregulated-needs-repeatable-basics",
        "A small unregulated charity needs repeatable basics (target 2), not an executive: "
        "its IT provider with a periodic vCISO review, not a retainer.",
        dict(employees=12, industry="nonprofit", sensitive_data=["pii"]),
        "vciso",
        engagement="basics",
    ),
    Persona(
        "vciso-40-person-dental-group-hipaa-security-official-can-be-an-added-duty",
        "HIPAA asks for a designated security official; HHS lets a small office give the role to "
        "an existing employee, so a part-time expert fits even after an incident.",
        dict(
            employees=40,
            industry="healthcare",
            regulations=["hipaa"],
            sensitive_data=["phi", "pii"],
            incidents_24m=1,
            customer_demands=True,
            it_staff=1,
        ),
        "vciso",
        engagement="fractional",
    ),
    Persona(
        "vciso-30-person-ny-fintech-nydfs-allows-a-third-party-ciso-but-plan-ahead",
        "NYDFS 500.4 lets the CISO be employed by a third party; three regimes and three "
        "incidents bring it close to the line, so plan a CISO rather than hire now.",
        dict(
            employees=30,
            industry="finance",
            regulations=["nydfs", "glba", "soc2"],
            sensitive_data=["financial", "pii", "payment"],
            incidents_24m=3,
            customer_demands=True,
            security_staff=1,
            it_staff=3,
            security_leader="it_manager",
        ),
        "vciso",
        engagement="fractional",
        transition="plan_now",
    ),
    Persona(
        "vciso-80-person-law-firm-client-audits-are-a-part-time-reporting-job",
        "Client security questionnaires need an owner, but an unregulated 80-person firm has "
        "no team to lead and no regulator naming a leader.",
        dict(
            employees=80,
            industry="professional_services",
            sensitive_data=["pii", "intellectual_property"],
            customer_demands=True,
            it_staff=2,
        ),
        "vciso",
        engagement="fractional",
        transition="revisit",
    ),
    Persona(
        "vciso-150-person-saas-soc2-gdpr-ccpa-close-to-the-line",
        "Three compliance regimes and customer demands at 150 staff are a growing workload, but "
        "none of them requires a full-time officer: vCISO now, plan a CISO.",
        dict(
            employees=150,
            industry="technology",
            regulations=["soc2", "gdpr", "ccpa"],
            sensitive_data=["pii", "intellectual_property"],
            customer_demands=True,
            security_staff=2,
            it_staff=10,
        ),
        "vciso",
        engagement="fractional_with_manager",
        transition="plan_now",
    ),
    Persona(
        "vciso-300-person-unregulated-tech-calm-history-no-team",
        "Size alone is a heuristic: with no regulation, no incidents, no team and no outside "
        "demands, a 300-person firm can be led part-time.",
        dict(
            employees=300,
            industry="technology",
            sensitive_data=["pii", "intellectual_property"],
            it_staff=20,
        ),
        "vciso",
        engagement="fractional",
        transition="revisit",
    ),
    Persona(
        "ciso-350-person-defense-manufacturer-cmmc-itar-cui-and-a-team",
        "CMMC and ITAR over CUI, primes auditing, a security team and large gaps make security "
        "a standing workload at 350 staff.",
        dict(
            employees=350,
            industry="manufacturing",
            regulations=["cmmc", "itar"],
            sensitive_data=["cui", "intellectual_property"],
            incidents_24m=1,
            security_staff=2,
            it_staff=12,
            customer_demands=True,
        ),
        "ciso",
        transition="hire_now",
    ),
    Persona(
        "ciso-400-person-hospital-hipaa-pci-repeated-incidents-team-of-four-board",
        "A 300–500 person regulated firm with large gaps, repeated incidents, a team to lead and "
        "board demands leans CISO.",
        dict(
            employees=400,
            industry="healthcare",
            regulations=["hipaa", "pci_dss"],
            sensitive_data=["phi", "pii", "payment"],
            incidents_24m=3,
            security_staff=4,
            it_staff=25,
            customer_demands=True,
            security_leader="cio",
        ),
        "ciso",
    ),
    Persona(
        "ciso-450-person-listed-retailer-sec-disclosure-pci-team-of-three",
        "A public company must disclose management's cybersecurity expertise and the board's "
        "oversight; with card data, incidents and a team of three, the job is full-time.",
        dict(
            employees=450,
            annual_revenue_usd=300_000_000,
            industry="retail",
            regulations=["sox", "pci_dss"],
            sensitive_data=["pii", "payment"],
            incidents_24m=2,
            security_staff=3,
            customer_demands=True,
            it_staff=30,
        ),
        "ciso",
    ),
    Persona(
        "vciso-180-person-energy-firm-over-400m-revenue-needs-an-owner-not-yet-a-ciso",
        "Revenue alone never makes a full-time CISO: a $500M energy firm of 180 staff with no "
        "regulation listed needs a security manager in the building with a vCISO, and a check "
        "of NERC CIP and the TSA pipeline directives.",
        dict(employees=180, annual_revenue_usd=500_000_000, industry="energy", it_staff=15),
        "vciso",
        engagement="fractional_with_manager",
    ),
    Persona(
        "ciso-1500-person-enterprise-size-alone",
        "At 1,000+ staff a CISO is the norm (66% of enterprises in IDG's survey had one).",
        dict(
            employees=1500,
            industry="retail",
            regulations=["sox"],
            sensitive_data=["pii"],
            it_staff=60,
        ),
        "ciso",
        mean_score=3.5,
    ),
    Persona(
        "ciso-2500-person-ny-bank-class-a-with-a-ciso-already",
        "A large NYDFS-regulated bank that may be Class A, with a CISO and a department of "
        "twelve: keep a full-time CISO, with certainty.",
        dict(
            employees=2500,
            annual_revenue_usd=1_200_000_000,
            industry="finance",
            regulations=["nydfs", "glba", "sox", "pci_dss"],
            sensitive_data=["financial", "pii", "payment"],
            security_staff=12,
            it_staff=150,
            security_leader="ciso",
            customer_demands=True,
            incidents_24m=2,
        ),
        "ciso",
    ),
]


@pytest.mark.parametrize("persona", PERSONAS, ids=[p.id for p in PERSONAS])
def test_persona_gets_the_answer_an_adviser_would_give(persona: Persona) -> None:
    """Does each persona get the hire an adviser would agree with, for the stated reason?"""
    subject = profile(**persona.fields)
    rec = recommend(subject, frame_for(subject, persona.mean_score))
    assert rec.hire == persona.expected, f"{persona.why} (points {rec.points})"
    if persona.engagement:
        assert rec.engagement == persona.engagement, f"{persona.why} (points {rec.points})"
    elif persona.expected == "ciso":
        assert rec.engagement == "full_time", persona.why
    if persona.transition:
        assert rec.transition.status == persona.transition, persona.why


@pytest.mark.parametrize("persona", PERSONAS, ids=[p.id for p in PERSONAS])
def test_persona_report_fits_a_terminal_and_serialises(persona: Persona) -> None:
    """Is every persona's report plain JSON and a block no wider than 100 columns?"""
    subject = profile(**persona.fields)
    rec = recommend(subject, frame_for(subject, persona.mean_score))
    text = format_recommendation(rec)
    assert max(len(line) for line in text.splitlines()) <= 100
    data = rec.model_dump(mode="json")
    assert json.loads(json.dumps(data, allow_nan=False)) == data


def test_a_five_to_fifty_person_shop_is_vciso_even_when_regulated() -> None:
    """Does any one regulation (or two) keep a 5–50 person shop with a vCISO?"""
    for employees in (5, 20, 49):
        for regulations in ([code] for code in REGULATIONS):
            rec = recommend(profile(employees=employees, regulations=regulations), areas_frame(2.0))
            assert rec.hire == "vciso", (employees, regulations)


def test_the_shipped_example_profile_is_a_vciso_case() -> None:
    """Is the 62-person medical billing example a vCISO case, with HIPAA explained truthfully?"""
    subject = load_profile(EXAMPLES / "profile.yaml")
    rec = recommend(subject, frame_for(subject, 1.8))
    assert rec.hire == "vciso"
    hipaa = next(r for r in rec.reasons if r.value == "hipaa")
    assert "does not require a full-time hire" in hipaa.explanation
    assert "45 CFR 164.308(a)(2)" in hipaa.sources


@pytest.mark.parametrize(
    "path",
    [*sorted((EXAMPLES / "profiles").iterdir()), EXAMPLES / "profile.yaml"],
    ids=lambda p: p.name,
)
def test_example_profiles_load(path: Path) -> None:
    """Does every shipped example profile validate (YAML and JSON alike)?"""
    assert load_profile(path).employees >= 1


# --------------------------------------------------------------------------- issue 12's edge cases


def _rec(score: float, **fields: Any):
    subject = profile(**fields)
    return recommend(subject, frame_for(subject, score))


def test_basics_a_five_person_shop_at_target_is_not_sold_a_retainer() -> None:
    """Is a 5-person unregulated shop already at target told to let its IT provider do the
    basics with a review a few times a year, for far less than a $24,000 retainer?"""
    rec = _rec(3.0, employees=5, industry="retail")
    assert (rec.hire, rec.engagement) == ("vciso", "basics")
    basics = rec.chosen_option
    assert basics is not None and basics.annual_usd < 24_000
    review = basics.lines[0]
    assert "hours a year" in review.basis and "our assumption" in review.basis
    assert "IT provider" in rec.summary and "our assumption" in rec.summary


def test_full_time_a_sixty_person_firm_keeps_its_ciso() -> None:
    """Is a 60-person firm with a full-time CISO meeting every target told to keep them?"""
    rec = _rec(4.0, employees=60, industry="finance", security_leader="ciso")
    assert (rec.hire, rec.engagement) == ("ciso", "full_time")
    assert rec.transition.status == "keep"
    assert rec.summary.startswith("Keep your CISO")
    assert "replace him" not in rec.summary and "instead of" not in rec.summary


def test_a_ciso_below_target_is_asked_for_a_plan_not_replaced() -> None:
    """When targets are not met, does the advice say what to ask of the CISO?"""
    rec = _rec(1.0, employees=60, industry="finance", security_leader="ciso")
    assert rec.engagement == "full_time"
    assert "ask your CISO for a plan" in rec.summary


CMMC_SUPPLIER = dict(
    employees=120,
    industry="manufacturing",
    regulations=["cmmc", "itar"],
    sensitive_data=["cui", "intellectual_property"],
    customer_demands=True,
    security_staff=1,
    it_staff=4,
)


def test_fractional_with_manager_a_cmmc_supplier_does_not_flip_on_its_answers() -> None:
    """Does a 120-person CMMC/ITAR supplier get the same verdict with every answer at 2 as
    at 3: a security manager with a vCISO, the maturity moving only the hours?"""
    at_two, at_three = _rec(2.0, **CMMC_SUPPLIER), _rec(3.0, **CMMC_SUPPLIER)
    assert (at_two.hire, at_two.engagement) == (at_three.hire, at_three.engagement)
    assert at_two.engagement == "fractional_with_manager"
    assert at_two.costs.vciso.hours_per_month > at_three.costs.vciso.hours_per_month


def test_nothing_answered_is_provisional_and_says_so_first() -> None:
    """With nothing answered, is the verdict marked provisional, and does the summary start
    by saying it rests on the profile alone?"""
    subject = profile(**CMMC_SUPPLIER)
    frame = areas_frame(math.nan).assign(answered=0, unknown=0, total=6)
    rec = recommend(subject, frame)
    assert rec.provisional is True and rec.answered_share == 0
    assert rec.summary.startswith(
        "None of the questions is answered yet, so this verdict rests on your profile alone; "
        "the hours and where to start will follow from your answers."
    )
    answered = recommend(subject, areas_frame(0.0).assign(answered=6, unknown=0, total=6))
    assert rec.costs.vciso.annual_usd > answered.costs.vciso.annual_usd  # not cheaper


def test_sixty_percent_answered_is_no_longer_provisional() -> None:
    subject = profile(**CMMC_SUPPLIER)
    six = recommend(subject, areas_frame(1.0).assign(answered=4, unknown=0, total=6))
    four = recommend(subject, areas_frame(1.0).assign(answered=3, unknown=0, total=6))
    dont_know = recommend(subject, areas_frame(1.0).assign(answered=6, unknown=3, total=6))
    assert (six.provisional, four.provisional, dont_know.provisional) == (False, True, True)


def test_one_dollar_of_revenue_changes_nothing() -> None:
    """Does $399,999,999 → $400,000,000 keep the verdict and move the points by a sliver?"""
    fields = dict(employees=180, industry="energy", it_staff=15)
    below = _rec(2.0, annual_revenue_usd=399_999_999, **fields)
    at = _rec(2.0, annual_revenue_usd=400_000_000, **fields)
    assert (below.hire, below.engagement) == (at.hire, at.engagement)
    assert at.engagement == "fractional_with_manager"
    assert any("NERC CIP-003" in note for note in at.notes)
    assert abs(at.points - below.points) < 1e-6


def test_one_more_employee_at_seventy_five_moves_the_hours_by_a_sliver() -> None:
    """Does 74 → 75 staff move the hours and every option's cost by less than 5%?"""
    fields = dict(industry="retail", regulations=["pci_dss"], sensitive_data=["payment"])
    before, after = _rec(1.5, employees=74, **fields), _rec(1.5, employees=75, **fields)
    hours = [r.costs.vciso.base_hours + r.costs.vciso.gap_hours for r in (before, after)]
    assert hours[0] <= hours[1] <= hours[0] * 1.05
    for old, new in zip(before.costs.options, after.costs.options, strict=True):
        assert old.annual_usd <= new.annual_usd <= old.annual_usd * 1.05
    assert before.engagement == after.engagement == "fractional"


def test_industry_changes_the_price_of_a_leader() -> None:
    """Do healthcare, retail and finance get different CISO costs, from the named survey?"""
    costs = {
        industry: _rec(2.0, employees=800, industry=industry).costs.ciso.annual_usd
        for industry in ("healthcare", "retail", "energy", "finance")
    }
    assert costs["healthcare"] < costs["retail"] == costs["energy"] < costs["finance"]


def test_affordability_is_the_chosen_option_against_revenue() -> None:
    rec = _rec(2.0, employees=62, annual_revenue_usd=11_500_000, regulations=["hipaa"])
    chosen = rec.chosen_option
    assert rec.affordability is not None and chosen is not None
    assert rec.affordability.share == pytest.approx(chosen.annual_usd / 11_500_000, rel=1e-5)
    assert "of your $11.5M revenue" in rec.affordability.text
    unknown = _rec(2.0, employees=62, regulations=["hipaa"]).affordability
    assert unknown is not None and unknown.share is None


# --------------------------------------------------------------------------- properties


@PROPERTY
@given(profiles, gap_maps, gap_maps)
def test_no_answer_moves_the_verdict(subject: Profile, first: dict, second: dict) -> None:
    """Same profile, any two answer sets: the same hire and engagement."""
    one, two = recommend(subject, areas_frame(first)), recommend(subject, areas_frame(second))
    assert (one.hire, one.engagement, one.points) == (two.hire, two.engagement, two.points)


@PROPERTY
@given(growth())
def test_growing_never_lightens_the_engagement(pair: tuple[Profile, Profile]) -> None:
    base, grown = pair
    before, after = recommend(base, areas_frame(1.0)), recommend(grown, areas_frame(1.0))
    assert ORDER.index(after.engagement) >= ORDER.index(before.engagement)


@PROPERTY
@given(profiles, st.integers(1, 4999), st.floats(0, 5, allow_nan=False))
def test_one_more_employee_moves_the_hours_by_at_most_five_percent(
    subject: Profile, employees: int, gap: float
) -> None:
    """Over the whole range, hours(n + 1) ≤ 1.05 × hours(n), and never fewer."""
    policy = load_policy()
    gaps = summarize_gaps(areas_frame(gap))
    now = exact_hours(subject.model_copy(update={"employees": employees}), gaps, policy)[0]
    more = exact_hours(subject.model_copy(update={"employees": employees + 1}), gaps, policy)[0]
    assert now <= more <= now * 1.05 + 1e-9


@PROPERTY
@given(profiles, st.integers(1, 4999))
def test_one_more_employee_makes_no_cliff_in_any_cost(subject: Profile, employees: int) -> None:
    """Every option's cost grows by at most 5% plus one more person's monitoring."""
    policy = load_policy()
    h = policy.costs.hands_on
    per_person = h.endpoints_per_employee.value * h.per_endpoint_month.value * 12
    now = recommend(subject.model_copy(update={"employees": employees}), areas_frame(1.0))
    more = recommend(subject.model_copy(update={"employees": employees + 1}), areas_frame(1.0))
    for old, new in zip(now.costs.options, more.costs.options, strict=True):
        assert new.annual_usd <= old.annual_usd * 1.05 + per_person + 1, old.engagement


def test_the_summary_quotes_the_option_totals_the_cards_show() -> None:
    """Does the summary quote the recommended option's total with its breakdown (vCISO and
    monitoring), against the full-time option's total with the same monitoring?"""
    rec = _rec(
        1.5,
        employees=62,
        industry="healthcare",
        regulations=["hipaa", "pci_dss"],
        sensitive_data=["pii", "phi", "payment"],
        incidents_24m=1,
        customer_demands=True,
    )
    options = {option.engagement: option for option in rec.costs.options}
    chosen, full = options["fractional"], options["full_time"]
    vciso, monitoring = (line.annual_usd for line in chosen.lines)
    assert f"about ${round(chosen.annual_usd, -2):,.0f} a year including monitoring" in rec.summary
    said = re.search(r"\(\$([\d,]+) for the vCISO, \$([\d,]+) for monitoring", rec.summary)
    parts = [int(said.group(i).replace(",", "")) for i in (1, 2)]
    assert sum(parts) == round(chosen.annual_usd, -2)  # the sentence adds up
    assert abs(parts[0] - vciso) <= 100 and abs(parts[1] - monitoring) <= 100  # as the table
    assert f"about ${round(chosen.annual_usd, -2):,.0f} a year" in rec.affordability.text
    assert f"against about ${round(full.annual_usd, -2):,.0f} for a full-time CISO" in rec.summary


def test_a_small_firm_far_below_the_line_is_compared_with_the_it_provider_option() -> None:
    rec = _rec(1.5, employees=12, industry="retail", regulations=["pci_dss"])
    assert rec.engagement == "fractional"
    basics = next(option for option in rec.costs.options if option.engagement == "basics")
    assert f"against about ${round(basics.annual_usd, -2):,.0f} for your IT provider" in (
        rec.summary
    )
    assert "full-time CISO" not in rec.summary.split(".")[0]


def test_a_small_retailer_with_two_incidents_is_not_told_to_budget_for_a_ciso() -> None:
    """Is a 20-person retailer with two incidents, far below the line, told that the sign
    calls for more vCISO hours and a tested response plan, not a hire?"""
    rec = _rec(1.5, employees=20, industry="retail", incidents_24m=2)
    assert rec.threshold - rec.points > load_policy().decision.plan_within.value
    assert rec.transition.status == "revisit"
    summary = rec.transition.summary
    assert summary.startswith("One sign of a heavier security workload is already present")
    assert "(repeated serious incidents)" in summary and "not a hire" in summary
    assert "budget for a full-time CISO" not in summary


def test_keep_ciso_says_what_the_profile_alone_would_point_to() -> None:
    """Does the keep-CISO advice drop the claim that replacing costs more (false on our own
    numbers), and name what the profile alone points to, priced from the options?"""
    rec = _rec(4.0, employees=60, industry="finance", security_leader="ciso")
    without = _rec(4.0, employees=60, industry="finance")
    option = next(o for o in rec.costs.options if o.engagement == without.engagement)
    assert rec.summary.startswith(
        "Keep your CISO: a leader who meets every target is worth keeping. At 60 people your "
        f"profile alone would point to a vCISO (about ${round(option.annual_usd, -2):,.0f} a "
        "year with monitoring); weigh that only if the role falls vacant."
    )
    assert "costs more than it saves" not in rec.summary + rec.transition.summary
    assert "really full-time" not in rec.summary
    small = _rec(4.0, employees=20, industry="retail", security_leader="ciso")
    assert "check whether the role is really full-time" in small.summary


def test_basics_cover_tiny_firms_and_very_small_ones_under_light_regulations() -> None:
    """Do the basics go to the firms the targets call tiny, and to under-10-staff firms under
    only GLBA, HIPAA, CCPA, FERPA or GDPR (16 review hours + 8 per regulation), while CMMC,
    ITAR, NYDFS and SOC 2 stay on a retainer?"""
    assert _rec(3.0, employees=20, industry="retail", sensitive_data=["pii"]).engagement == (
        "basics"
    )
    demanded = _rec(3.0, employees=20, industry="retail", customer_demands=True)
    assert demanded.engagement == "fractional"
    clinic = _rec(3.0, employees=8, industry="healthcare", regulations=["hipaa", "gdpr"])
    assert clinic.engagement == "basics"
    assert clinic.chosen_option.lines[0].basis.startswith("32 hours a year")
    assert "as your security official; you remain responsible" in clinic.summary
    for heavy in ("cmmc", "itar", "nydfs", "soc2"):
        rec = _rec(3.0, employees=8, industry="manufacturing", regulations=["hipaa", heavy])
        assert rec.engagement == "fractional", heavy
    assert _rec(3.0, employees=10, industry="finance", regulations=["glba"]).engagement == (
        "fractional"
    )


def test_a_large_firm_that_needs_an_owner_in_the_building_gets_a_ciso() -> None:
    """Is a 550-person HIPAA provider (6+ points, below the threshold) advised a full-time
    CISO, because a manager plus a vCISO costs nearly as much there, with the margin still
    said from its side of the line and the vCISO's hours capped at 48?"""
    rec = _rec(
        1.5,
        employees=550,
        industry="healthcare",
        regulations=["hipaa"],
        sensitive_data=["phi", "pii"],
    )
    assert 6 <= rec.points < rec.threshold
    assert (rec.hire, rec.engagement) == ("ciso", "full_time")
    assert "would cost nearly as much as a CISO" in rec.summary
    assert "points below the 10" in format_recommendation(rec)
    assert rec.costs.vciso.hours_per_month <= 48
    smaller = _rec(
        1.5,
        employees=499,
        industry="healthcare",
        regulations=["hipaa"],
        sensitive_data=["phi", "pii"],
    )
    assert smaller.engagement == "fractional_with_manager"


def test_a_security_manager_only_from_75_staff_and_the_specialist_first() -> None:
    """Below 75 staff, 6+ points call for more vCISO hours, not a manager; from 75, a firm
    with a security specialist is told to make them the day-to-day owner, or hire one."""
    heavy = dict(
        industry="finance",
        regulations=["nydfs", "glba", "soc2"],
        sensitive_data=["financial", "pii"],
        incidents_24m=2,
        security_staff=1,
    )
    small, large = _rec(1.5, employees=74, **heavy), _rec(1.5, employees=75, **heavy)
    assert small.points >= 6 and small.engagement == "fractional"
    assert large.engagement == "fractional_with_manager"
    assert large.summary.startswith(
        "Make your security specialist the day-to-day owner, or hire one"
    )


def test_the_summary_says_what_the_hours_buy_and_who_the_qualified_individual_is() -> None:
    """Does the summary say what the chosen engagement delivers, and tell a GLBA firm on a
    retainer that its vCISO can be the Qualified Individual?"""
    policy = load_policy()
    rec = _rec(
        1.5, employees=40, industry="finance", regulations=["glba"], sensitive_data=["financial"]
    )
    assert rec.engagement == "fractional"
    assert policy.engagements.delivers["fractional"] in rec.summary
    assert (
        "Your vCISO can be your Qualified Individual under the FTC Safeguards Rule; you "
        "remain responsible." in rec.summary
    )
    assert set(policy.engagements.delivers) == set(ORDER)


def test_the_summary_puts_what_the_law_requires_first_then_the_90_days() -> None:
    """Does the summary name the regulations' obligations first, then point to the first 90
    days rather than to areas the roadmap may not start with?"""
    rec = _rec(
        1.5, employees=40, industry="healthcare", regulations=["hipaa"], sensitive_data=["phi"]
    )
    first = rec.summary.index("Do first, because the law requires it:")
    then = rec.summary.index('Then start with the steps listed under "Your first 90 days".')
    duties = rec.summary[first:then]
    for title in (
        "name your security official",
        "business associate agreements",
        "a written risk analysis of your electronic health information",
    ):
        assert f"{title} (HIPAA)" in duties, title
    plain = _rec(1.5, employees=40, industry="retail", customer_demands=True)
    assert "Do first" not in plain.summary
    assert plain.summary.endswith('Start with the steps listed under "Your first 90 days".')
