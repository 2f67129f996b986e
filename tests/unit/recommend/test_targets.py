"""Target levels per area, proposed from the profile, for any questionnaire's areas."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given

from assess.core.errors import InputErrors
from assess.core.evaluation import build_report
from assess.core.questionnaire import load_questionnaire_file, validate_files
from assess.core.recommend import Profile, load_policy, propose_targets, shipped_policy_path
from assess.core.scoring import Answer
from tests.unit.recommend.cases import AREA_IDS, PROPERTY, ROOT, growth, profile


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


@PROPERTY
@given(growth())
def test_growing_never_lowers_a_proposed_target(pair: tuple[Profile, Profile]) -> None:
    base, grown = pair
    before, after = propose_targets(base, AREA_IDS), propose_targets(grown, AREA_IDS)
    assert all(after[a] >= before[a] for a in AREA_IDS)
    assert all(2 <= t <= 5 for t in after.values())


# --------------------------------------------------------------------------- a custom questionnaire

MINI = ROOT / "tests" / "unit" / "data" / "mini.yaml"
BUMP = """  area_bumps:
    - when: {customer_demands: true}
      areas: [beta]
      by: 1
      assumption: "a custom questionnaire's area, bumped"
"""


def custom_policy(tmp_path: Path) -> Path:
    """The shipped policy with one more target bump, on the mini questionnaire's area beta."""
    text = shipped_policy_path().read_text(encoding="utf-8")
    assert text.count("  area_bumps:\n") == 1
    path = tmp_path / "custom-policy.yaml"
    path.write_text(text.replace("  area_bumps:\n", BUMP), encoding="utf-8")
    return path


def test_a_policy_bump_on_a_custom_questionnaires_area_applies_to_it(tmp_path: Path) -> None:
    """Does a bump naming an area of a custom questionnaire raise that area's target?"""
    questionnaire = load_questionnaire_file(MINI)
    area_ids = [area.id for area in questionnaire.areas]
    policy = load_policy(custom_policy(tmp_path), area_ids)
    demanding = profile(employees=60, customer_demands=True)
    assert propose_targets(demanding, area_ids, policy) == {"alpha": 3.0, "beta": 4.0}
    assert propose_targets(profile(employees=60), area_ids, policy) == {"alpha": 3.0, "beta": 3.0}
    answers = {qid: Answer("level", 1) for qid in questionnaire.questions}
    report = build_report(questionnaire, answers, profile=demanding, policy=policy)
    assert report.result.areas.set_index("area")["target"].to_dict() == {"alpha": 3.0, "beta": 4.0}
    assert report.recommendation is not None
    assert report.recommendation.targets_proposed == {"alpha": 3.0, "beta": 4.0}


def test_a_custom_area_is_checked_against_the_questionnaires_in_use(tmp_path: Path) -> None:
    """Is a bump on an area no known questionnaire has refused with its line, and accepted
    when its questionnaire is validated with it (`assess validate`)?"""
    path = custom_policy(tmp_path)
    text = path.read_text(encoding="utf-8")
    line = text[: text.index("      areas: [beta]")].count("\n") + 1
    message = f"{path}:{line}: targets.area_bumps[0].areas[0]: unknown area 'beta'"
    with pytest.raises(InputErrors) as caught:
        load_policy(path)
    assert [str(e) for e in caught.value.errors] == [message]
    assert [str(e) for e in validate_files([path])] == [message]
    assert validate_files([path, MINI]) == []
