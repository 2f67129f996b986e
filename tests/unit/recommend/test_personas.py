"""Personas an adviser would agree with: the hire, the confidence, the transition."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from assess.core.recommend import REGULATIONS, load_profile, recommend
from assess.outputs.recommendation_text import format_recommendation
from tests.unit.recommend.cases import EXAMPLES, areas_frame, frame_for, profile


@dataclass(frozen=True)
class Persona:
    id: str
    why: str  # the reason an adviser would agree
    fields: dict[str, Any]
    expected: str
    mean_score: float = 1.5
    transition: str | None = None
    min_confidence: float = 0.5
    extra: dict[str, Any] = field(default_factory=dict)


PERSONAS = [
    Persona(
        "vciso-5-person-bookkeeper-glba-lets-a-provider-be-the-qualified-individual",
        "Five people cannot keep a security executive busy, and the FTC Safeguards Rule lets "
        "the Qualified Individual work for a service provider.",
        dict(
            employees=5,
            industry="professional_services",
            regulations=["glba"],
            sensitive_data=["financial", "pii"],
        ),
        "vciso",
        min_confidence=0.9,
    ),
    Persona(
        "vciso-12-person-nonprofit-unregulated-needs-repeatable-basics",
        "A small unregulated charity needs repeatable basics (target 2), not an executive.",
        dict(employees=12, industry="nonprofit", sensitive_data=["pii"]),
        "vciso",
        min_confidence=0.9,
    ),
    Persona(
        "vciso-40-person-dental-group-hipaa-security-official-can-be-an-added-duty",
        "HIPAA asks for a designated security official; HHS expects small offices to make it an "
        "additional duty, so a part-time expert fits even after an incident.",
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
        min_confidence=0.9,
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
        transition="revisit",
        min_confidence=0.9,
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
        min_confidence=0.8,
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
        min_confidence=0.7,
    ),
    Persona(
        "ciso-180-person-energy-firm-over-400m-revenue-is-a-large-firm",
        "IANS/Artico: firms above $400M revenue have a CISO heading functional leaders.",
        dict(employees=180, annual_revenue_usd=500_000_000, industry="energy", it_staff=15),
        "ciso",
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
        min_confidence=0.65,
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
        min_confidence=0.95,
    ),
]


@pytest.mark.parametrize("persona", PERSONAS, ids=[p.id for p in PERSONAS])
def test_persona_gets_the_answer_an_adviser_would_give(persona: Persona) -> None:
    """Does each persona get the hire an adviser would agree with, for the stated reason?"""
    subject = profile(**persona.fields)
    rec = recommend(subject, frame_for(subject, persona.mean_score))
    assert rec.hire == persona.expected, f"{persona.why} (points {rec.points})"
    assert rec.confidence >= persona.min_confidence, persona.why
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
