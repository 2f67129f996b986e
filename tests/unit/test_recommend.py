"""The CISO-or-vCISO recommendation: personas an adviser would agree with, the JSON contract,
the profile's one-line errors, and the properties the issue promises (Hypothesis)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assess.core.errors import InputError
from assess.core.recommend import (
    AREA_IDS,
    INDUSTRIES,
    REGULATIONS,
    SECURITY_LEADERS,
    SENSITIVE_DATA,
    Profile,
    format_recommendation,
    load_policy,
    load_profile,
    parse_profile,
    propose_targets,
    recommend,
    summarize_gaps,
)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def areas_frame(
    gaps: dict[str, float] | float, targets: dict[str, float] | None = None
) -> pd.DataFrame:
    """The nine areas with the given gaps (one number: the same gap everywhere)."""
    targets = targets or dict.fromkeys(AREA_IDS, 3.0)
    if not isinstance(gaps, dict):
        gaps = dict.fromkeys(AREA_IDS, float(gaps))
    rows = []
    for area in AREA_IDS:
        gap = gaps.get(area, 0.0)
        target = targets[area]
        score = math.nan if math.isnan(gap) else max(target - gap, 0.0)
        rows.append(
            {
                "area": area,
                "title": area.replace("-", " ").capitalize(),
                "weight": 1.0,
                "score": score,
                "target": target,
                "gap": gap if math.isnan(gap) else target - score,
            }
        )
    return pd.DataFrame(rows)


def frame_for(profile: Profile, mean_score: float) -> pd.DataFrame:
    """Every area scored ``mean_score`` against the targets proposed for ``profile``."""
    targets = propose_targets(profile, AREA_IDS)
    frame = pd.DataFrame(
        {
            "area": list(AREA_IDS),
            "title": [a.replace("-", " ").capitalize() for a in AREA_IDS],
            "weight": 1.0,
            "score": mean_score,
            "target": [targets[a] for a in AREA_IDS],
        }
    )
    return frame.assign(gap=(frame["target"] - frame["score"]).clip(lower=0.0))


def profile(**fields: Any) -> Profile:
    return parse_profile({"organization": "Test Co", "industry": "other", **fields})


# --------------------------------------------------------------------------- personas


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
    assert json.loads(json.dumps(rec.to_dict(), allow_nan=False)) == rec.to_dict()


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


# --------------------------------------------------------------------------- the JSON contract


def test_to_dict_has_the_contract_keys() -> None:
    """Does the recommendation JSON carry every key the issue names, with plain JSON types?"""
    rec = recommend(load_profile(EXAMPLES / "profile.yaml"), areas_frame(1.5)).to_dict()
    for key in (
        "hire",
        "confidence",
        "summary",
        "reasons",
        "costs",
        "transition",
        "reporting_line",
        "first_areas",
        "targets_proposed",
        "policy",
    ):
        assert key in rec
    assert rec["hire"] in ("ciso", "vciso")
    assert 0 <= rec["confidence"] <= 1
    for reason in rec["reasons"]:
        assert {"factor", "value", "effect", "weight", "explanation"} <= set(reason)
        assert reason["effect"] in ("toward_ciso", "toward_vciso", "neutral")
    assert {"annual_usd", "assumptions", "sources"} <= set(rec["costs"]["ciso"])
    assert {"annual_usd", "hours_per_month", "hourly_rate_usd", "assumptions", "sources"} <= set(
        rec["costs"]["vciso"]
    )
    assert rec["policy"] == {"id": "recommendation-policy", "version": load_policy().version}
    json.dumps(rec, allow_nan=False)


def test_vciso_cost_is_hours_times_rate_times_twelve() -> None:
    """Is the vCISO's yearly cost hours a month × hourly rate × 12?"""
    costs = recommend(profile(employees=60), areas_frame(2.0)).costs.vciso
    assert costs.annual_usd == costs.hours_per_month * costs.hourly_rate_usd * 12


def test_ciso_cost_uses_the_lower_band_for_small_firms_plus_overheads() -> None:
    """Do small firms get the lower compensation band, with the overhead as an assumption?"""
    small = recommend(profile(employees=60), areas_frame(1.0)).costs.ciso
    large = recommend(profile(employees=600), areas_frame(1.0)).costs.ciso
    assert small.compensation_usd == 300_000 < large.compensation_usd == 403_000
    assert small.annual_usd == round(300_000 * (1 + small.overhead_rate))
    assert any("30% of CISOs earn under $300K" in s for s in small.sources)
    assert any("our assumption" in a for a in small.assumptions)


def test_vciso_hours_grow_with_gaps_and_size_and_are_cross_checked() -> None:
    """Do the vCISO hours grow with the gaps and headcount, and cite the vendor ranges?"""
    low = recommend(profile(employees=60), areas_frame(0.0)).costs.vciso
    high = recommend(profile(employees=60), areas_frame(3.0)).costs.vciso
    bigger = recommend(profile(employees=300), areas_frame(3.0)).costs.vciso
    assert low.hours_per_month < high.hours_per_month < bigger.hours_per_month
    assert any("kapacyber" in s for s in high.sources)
    assert any("no survey-grade public figure" in a for a in high.assumptions)


def test_vciso_hours_are_capped() -> None:
    """Are the hours capped at the policy's maximum?"""
    policy = load_policy()
    costs = recommend(profile(employees=5000), areas_frame(5.0)).costs.vciso
    assert costs.hours_per_month <= policy.costs.vciso.max_hours.value


def test_regulations_that_name_a_leader_are_described_truthfully() -> None:
    """Does every regulation naming a leader get a reason saying it needs no full-time hire?"""
    rec = recommend(
        profile(employees=60, regulations=["hipaa", "nydfs", "glba", "sox"]), areas_frame(1.0)
    )
    by_code = {r.value: r for r in rec.reasons if r.factor == "regulation"}
    for code, citation in {
        "hipaa": "45 CFR 164.308(a)(2)",
        "nydfs": "23 NYCRR 500.4",
        "glba": "16 CFR 314.4",
        "sox": "SEC Regulation S-K Item 106(c), release 33-11216",
    }.items():
        assert "does not require a full-time hire" in by_code[code].explanation
        assert citation in by_code[code].sources
    assert "third-party service" in by_code["nydfs"].explanation
    assert "none of them requires a full-time hire" in rec.summary


def test_reasons_come_strongest_first() -> None:
    """Are the reasons ordered by the size of their effect?"""
    rec = recommend(load_profile(EXAMPLES / "profile.yaml"), areas_frame(2.0))
    weights = [abs(r.weight) for r in rec.reasons]
    assert weights == sorted(weights, reverse=True)


def test_first_areas_are_the_largest_weighted_gaps() -> None:
    """Are the first areas the largest weight × gap, skipping unscored and on-target ones?"""
    gaps = dict.fromkeys(AREA_IDS, 0.0) | {
        "incident-response": 2.5,
        "security-budget": 1.0,
        "vendor-relationships": 2.0,
        "awareness-training": math.nan,
    }
    frame = areas_frame(gaps)
    frame.loc[frame["area"] == "security-budget", "weight"] = 3.0
    focus = recommend(profile(employees=60), frame).first_areas
    assert [a.area for a in focus] == [
        "security-budget",
        "incident-response",
        "vendor-relationships",
    ]


def test_unscored_areas_are_named_and_not_counted() -> None:
    """Does an unanswered area stay out of the gap mean, and is it named?"""
    gaps = dict.fromkeys(AREA_IDS, 1.0) | {"security-budget": math.nan}
    summary = summarize_gaps(areas_frame(gaps))
    assert summary.mean == pytest.approx(1.0)
    assert summary.scored == 8
    rec = recommend(profile(employees=60), areas_frame(gaps))
    gap_reason = next(r for r in rec.reasons if r.factor == "maturity_gap")
    assert "Security budget" in gap_reason.explanation


def test_nothing_scored_yet_still_recommends() -> None:
    """Does a profile with no answers yet get a recommendation and a prompt to answer?"""
    rec = recommend(profile(employees=60), areas_frame(math.nan))
    assert rec.hire == "vciso"
    assert rec.first_areas == ()
    assert "Answer the questionnaire" in rec.summary


def test_missing_columns_are_a_programming_error() -> None:
    with pytest.raises(ValueError, match="gap"):
        recommend(profile(employees=60), areas_frame(1.0).drop(columns=["gap"]))


def test_reporting_line_is_the_chief_executive_with_a_dotted_line_to_it() -> None:
    """Does security report to the CEO, with a dotted line to IT and yearly board reports?"""
    rec = recommend(
        profile(employees=60, security_leader="cio", it_staff=4, regulations=["nydfs"]),
        areas_frame(1.0),
    )
    line = rec.reporting_line
    assert "chief executive" in line.reports_to
    assert line.dotted_line_to == "the CIO"
    assert "at least yearly" in line.board_reporting
    assert "23 NYCRR 500.4" in line.board_reporting
    assert any("CIO vs CISO" in s for s in line.sources)
    no_it = recommend(profile(employees=8), areas_frame(1.0)).reporting_line
    assert no_it.dotted_line_to == "your IT service provider"


def test_vciso_transition_names_the_triggers() -> None:
    """Does a vCISO verdict say in plain words when to hand over to a full-time CISO?"""
    rec = recommend(load_profile(EXAMPLES / "profile.yaml"), areas_frame(1.5))
    ids = [t.id for t in rec.transition.triggers]
    assert ids == [
        "headcount",
        "regulations",
        "security_team",
        "incidents",
        "vciso_hours",
        "board_requirement",
    ]
    headcount = rec.transition.triggers[0].text
    assert "Headcount reaches about" in headcount
    tipped = int(headcount.split("about ")[1].split(" ")[0].replace(",", ""))
    grown = load_profile(EXAMPLES / "profile.yaml").model_copy(update={"employees": tipped})
    assert recommend(grown, areas_frame(1.5)).hire == "ciso"


def test_ciso_transition_suggests_an_interim_vciso() -> None:
    rec = recommend(profile(employees=1500), areas_frame(1.0))
    assert rec.transition.status == "hire_now"
    assert "interim vCISO" in rec.transition.summary


def test_profile_notes_catch_likely_omissions() -> None:
    """Does a profile holding card and health data without PCI DSS or HIPAA get a note?"""
    rec = recommend(
        profile(employees=60, industry="healthcare", sensitive_data=["phi", "payment"]),
        areas_frame(1.0),
    )
    assert any("HIPAA" in n for n in rec.notes)
    assert any("PCI DSS" in n for n in rec.notes)


def test_format_has_every_section_and_numbered_sources() -> None:
    text = format_recommendation(
        recommend(load_profile(EXAMPLES / "profile.yaml"), areas_frame(1.5))
    )
    for heading in (
        "Recommendation for Harborview Medical Billing: hire a virtual CISO (vCISO)",
        "\nWhy\n",
        "Yearly cost",
        "From a vCISO to a full-time CISO",
        "Reporting line",
        "First 90 days",
        "\nSources\n",
        "  [1] ",
    ):
        assert heading in text


def test_another_policy_changes_the_answer() -> None:
    """Does a policy with a lower threshold turn the same profile into a CISO case?"""
    policy = load_policy()
    decision = policy.decision.model_copy(
        update={"threshold": policy.decision.threshold.model_copy(update={"value": 0.0})}
    )
    strict = policy.model_copy(update={"decision": decision})
    subject = load_profile(EXAMPLES / "profile.yaml")
    assert recommend(subject, areas_frame(1.0)).hire == "vciso"
    assert recommend(subject, areas_frame(1.0), strict).hire == "ciso"


def test_works_with_the_real_questionnaire_and_scoring() -> None:
    """Do proposed targets flow through scoring into the recommendation?"""
    from assess.core.questionnaire import get_questionnaire
    from assess.core.scoring import Answer, score

    questionnaire = get_questionnaire("ciso-nine-areas")
    subject = load_profile(EXAMPLES / "profile.yaml")
    targets = propose_targets(subject, [a.id for a in questionnaire.areas])
    answers = {qid: Answer("level", 1) for qid in questionnaire.questions}
    result = score(questionnaire, answers, targets)
    rec = recommend(subject, result.areas)
    assert rec.hire == "vciso"
    assert dict(rec.targets_proposed) == targets
    assert len(rec.first_areas) == 3


# --------------------------------------------------------------------------- targets


def test_targets_base_three_tiny_two_regulated_higher() -> None:
    """Are targets 2 for a tiny unregulated shop, 3 by default, 4 for regulated areas?"""
    tiny = propose_targets(profile(employees=6), AREA_IDS)
    assert set(tiny.values()) == {2.0}
    plain = propose_targets(profile(employees=100), AREA_IDS)
    assert set(plain.values()) == {3.0}
    clinic = propose_targets(
        profile(employees=60, regulations=["hipaa"], sensitive_data=["phi"], customer_demands=True),
        AREA_IDS,
    )
    assert clinic["incident-response"] == clinic["continuity-recovery"] == 4.0
    assert clinic["stakeholder-reporting"] == clinic["vendor-relationships"] == 4.0
    assert clinic["security-budget"] == 3.0


def test_targets_reach_five_only_for_heavily_regulated_large_organizations() -> None:
    bank = propose_targets(
        profile(
            employees=2500,
            regulations=["nydfs", "glba", "sox", "pci_dss"],
            sensitive_data=["financial", "pii", "payment"],
            customer_demands=True,
        ),
        AREA_IDS,
    )
    assert set(bank.values()) == {5.0}
    assert propose_targets(profile(employees=60), ["made-up-area"]) == {"made-up-area": 3.0}


# --------------------------------------------------------------------------- profile errors


def write(tmp_path: Path, text: str, name: str = "profile.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


GOOD = "organization: Acme\nindustry: retail\nemployees: 60\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "organization: Acme\nindustry: retail\nemployees: -4\n",
            "profile.yaml:3: employees: must be at least 1 (got -4)",
        ),
        (
            "organization: Acme\nindustry: aerospace\nemployees: 60\n",
            "profile.yaml:2: industry: 'aerospace' is not one of " + ", ".join(INDUSTRIES),
        ),
        (
            GOOD + "regulations: [hipaa, hippa]\n",
            "profile.yaml:4: regulations[1]: 'hippa' is not one of "
            + ", ".join(REGULATIONS)
            + " (did you mean 'hipaa'?)",
        ),
        (
            GOOD + "security_leader: ceo\n",
            "profile.yaml:4: security_leader: 'ceo' is not one of " + ", ".join(SECURITY_LEADERS),
        ),
        (
            GOOD + "sensitive_data: [pii, dna]\n",
            "profile.yaml:4: sensitive_data[1]: 'dna' is not one of " + ", ".join(SENSITIVE_DATA),
        ),
        (
            "organization: Acme\nindustry: retail\nemployees: sixty\n",
            "profile.yaml:3: employees: must be a whole number (got 'sixty')",
        ),
        (
            "organization: Acme\nindustry: retail\nemployees: 6.5\n",
            "profile.yaml:3: employees: must be a whole number (got 6.5)",
        ),
        (
            "organization: Acme\nindustry: retail\nemployees: yes\n",
            "profile.yaml:3: employees: must be a number (got true)",
        ),
        (
            GOOD + "customer_demands: maybe\n",
            "profile.yaml:4: customer_demands: must be true or false (got 'maybe')",
        ),
        (
            GOOD + "regulations: hipaa\n",
            "profile.yaml:4: regulations: must be a list (got 'hipaa')",
        ),
        (
            GOOD + "annual_revenue_usd: -5\n",
            "profile.yaml:4: annual_revenue_usd: must be at least 0 (got -5)",
        ),
        (
            GOOD + "incidents_24m: -1\n",
            "profile.yaml:4: incidents_24m: must be at least 0 (got -1)",
        ),
        (
            GOOD + "security_staff: 70\n",
            "profile.yaml:4: security_staff: cannot exceed employees (70 > 60)",
        ),
        ("organization: Acme\nemployees: 60\n", "profile.yaml:1: industry: is required"),
        (
            GOOD + "employes: 61\n",
            "profile.yaml:4: employes: unknown key (did you mean 'employees'?) (known: "
            "organization, employees, annual_revenue_usd, industry, regulations, sensitive_data, "
            "it_staff, security_staff, security_leader, incidents_24m, customer_demands)",
        ),
        ("- just\n- a list\n", "profile.yaml:1: (top level): a profile must be a mapping with"),
        ("organization: [\n", "profile.yaml:2: malformed YAML"),
    ],
    ids=[
        "negative-employees",
        "unknown-industry",
        "unknown-regulation-with-hint",
        "unknown-leader",
        "unknown-data-kind",
        "employees-not-a-number",
        "employees-fractional",
        "employees-boolean",
        "demands-not-boolean",
        "regulations-not-a-list",
        "negative-revenue",
        "negative-incidents",
        "more-security-staff-than-employees",
        "missing-industry",
        "unknown-key",
        "not-a-mapping",
        "malformed-yaml",
    ],
)
def test_a_bad_profile_gets_one_line_naming_the_field(
    tmp_path: Path, text: str, expected: str
) -> None:
    """Is every bad profile one line that names the file, the line and the field?"""
    path = write(tmp_path, text)
    with pytest.raises(InputError) as caught:
        load_profile(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(str(tmp_path / "profile.yaml")[: -len("profile.yaml")])
    assert message.split(str(tmp_path) + "/", 1)[1].startswith(expected)


def test_the_first_problem_by_line_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, "organization: Acme\nindustry: aerospace\nemployees: -4\n")
    with pytest.raises(InputError, match=r"profile.yaml:2: industry"):
        load_profile(path)


def test_json_profile_errors_name_the_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '{\n  "organization": "Acme",\n  "industry": "retail",\n  "employees": 0\n}\n',
        "profile.json",
    )
    with pytest.raises(
        InputError, match=r"profile.json:4: employees: must be at least 1 \(got 0\)"
    ):
        load_profile(path)


def test_parse_profile_without_a_document_names_file_and_field() -> None:
    with pytest.raises(InputError) as caught:
        parse_profile({"organization": "A", "industry": "x", "employees": 3}, file="form")
    assert str(caught.value).startswith("form: industry: 'x' is not one of healthcare")


def test_profile_normalises_choices_and_dedupes() -> None:
    """Are spellings like 'PCI-DSS', 'Professional services' and repeats accepted and ordered?"""
    p = parse_profile(
        {
            "organization": " Acme ",
            "employees": "60",
            "industry": "Professional services",
            "regulations": ["SOC2", "PCI-DSS", "soc2"],
            "sensitive_data": None,
            "security_leader": "IT manager",
        }
    )
    assert p.organization == "Acme"
    assert p.employees == 60
    assert p.industry == "professional_services"
    assert p.regulations == ("pci_dss", "soc2")
    assert p.sensitive_data == ()
    assert p.security_leader == "it_manager"


def test_profile_is_frozen_and_documents_every_field() -> None:
    p = profile(employees=5)
    with pytest.raises(ValueError, match="frozen"):
        p.employees = 6  # type: ignore[misc]
    for name, info in Profile.model_fields.items():
        assert info.description, name
    schema = Profile.model_json_schema()
    assert schema["properties"]["industry"]["enum"] == list(INDUSTRIES)


# --------------------------------------------------------------------------- properties

profiles = st.builds(
    lambda employees, revenue, industry, regulations, sensitive, it, sec, leader, incidents, demands: (
        Profile(
            organization="Prop Co",
            employees=employees,
            annual_revenue_usd=revenue,
            industry=industry,
            regulations=regulations,
            sensitive_data=sensitive,
            it_staff=min(it, employees),
            security_staff=min(sec, employees),
            security_leader=leader,
            incidents_24m=incidents,
            customer_demands=demands,
        )
    ),
    st.integers(1, 5000),
    st.one_of(st.none(), st.floats(0, 2e9, allow_nan=False)),
    st.sampled_from(INDUSTRIES),
    st.lists(st.sampled_from(REGULATIONS), max_size=5),
    st.lists(st.sampled_from(SENSITIVE_DATA), max_size=4),
    st.integers(0, 80),
    st.integers(0, 15),
    st.sampled_from(SECURITY_LEADERS),
    st.integers(0, 6),
    st.booleans(),
)
gap_values = st.one_of(st.just(math.nan), st.floats(0, 5, allow_nan=False))
gap_maps = st.fixed_dictionaries({area: gap_values for area in AREA_IDS})


@st.composite
def growth(draw: st.DrawFn) -> tuple[Profile, Profile]:
    """A profile and the same one grown in headcount, revenue, regulations, data or incidents."""
    base = draw(profiles)
    revenue = base.annual_revenue_usd
    more_revenue = draw(st.floats(0, 2e9, allow_nan=False))
    grown_revenue = more_revenue if revenue is None else revenue + more_revenue
    if revenue is None and draw(st.booleans()):
        grown_revenue = None
    grown = Profile.model_validate(
        base.model_dump()
        | {
            "employees": base.employees + draw(st.integers(0, 3000)),
            "annual_revenue_usd": grown_revenue,
            "regulations": list(base.regulations)
            + draw(st.lists(st.sampled_from(REGULATIONS), max_size=4)),
            "sensitive_data": list(base.sensitive_data)
            + draw(st.lists(st.sampled_from(SENSITIVE_DATA), max_size=3)),
            "incidents_24m": base.incidents_24m + draw(st.integers(0, 4)),
            "customer_demands": base.customer_demands or draw(st.booleans()),
        }
    )
    return base, grown


PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(growth(), gap_maps)
def test_growing_never_moves_the_answer_from_ciso_to_vciso(
    pair: tuple[Profile, Profile], gaps: dict[str, float]
) -> None:
    base, grown = pair
    frame = areas_frame(gaps)
    before, after = recommend(base, frame), recommend(grown, frame)
    assert after.points >= before.points
    assert not (before.hire == "ciso" and after.hire == "vciso")


@PROPERTY
@given(growth())
def test_growing_never_lowers_a_proposed_target(pair: tuple[Profile, Profile]) -> None:
    base, grown = pair
    before, after = propose_targets(base, AREA_IDS), propose_targets(grown, AREA_IDS)
    assert all(after[a] >= before[a] for a in AREA_IDS)
    assert all(2 <= t <= 5 for t in after.values())


@PROPERTY
@given(profiles, gap_maps, st.lists(st.floats(0, 3, allow_nan=False), min_size=9, max_size=9))
def test_larger_gaps_never_lower_the_vciso_hours(
    subject: Profile, gaps: dict[str, float], extra: list[float]
) -> None:
    larger = {
        area: (gap if math.isnan(gap) else min(gap + more, 5.0))
        for (area, gap), more in zip(gaps.items(), extra, strict=True)
    }
    before = recommend(subject, areas_frame(gaps))
    after = recommend(subject, areas_frame(larger))
    assert after.costs.vciso.hours_per_month >= before.costs.vciso.hours_per_month
    assert after.points >= before.points


@PROPERTY
@given(profiles, gap_maps)
def test_the_same_inputs_always_give_the_same_output(
    subject: Profile, gaps: dict[str, float]
) -> None:
    first = recommend(subject, areas_frame(gaps))
    again = recommend(Profile.model_validate(subject.model_dump()), areas_frame(dict(gaps)))
    assert first == again
    assert json.dumps(first.to_dict(), allow_nan=False) == json.dumps(again.to_dict())
    assert format_recommendation(first) == format_recommendation(again)
    assert 0.5 <= first.confidence <= 0.95
    assert max(len(line) for line in format_recommendation(first).splitlines()) <= 100
