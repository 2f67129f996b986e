"""The recommendation policy: the shipped file is valid and honest, and a broken one is refused
with errors that name the file, the line and the place."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from assess.core.errors import InputError, InputErrors
from assess.core.recommend import (
    REGULATIONS,
    Justified,
    Policy,
    load_policy,
    recommend,
    shipped_policy_path,
)
from tests.unit.recommend.cases import areas_frame, profile

SHIPPED = shipped_policy_path()
TEXT = SHIPPED.read_text(encoding="utf-8")


def line_of(snippet: str, text: str = TEXT) -> int:
    """The 1-based line where ``snippet`` starts in ``text``."""
    return text[: text.index(snippet)].count("\n") + 1


def broken(tmp_path: Path, old: str, new: str) -> Path:
    """The shipped policy with one exact edit (line numbers stay comparable)."""
    assert TEXT.count(old) == 1, old
    path = tmp_path / "recommendation-policy.yaml"
    path.write_text(TEXT.replace(old, new), encoding="utf-8")
    return path


def errors_of(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_policy(path)
    error = caught.value
    return [str(e) for e in error.errors] if isinstance(error, InputErrors) else [str(error)]


# --------------------------------------------------------------------------- the shipped policy


def test_the_shipped_policy_is_valid_and_cached() -> None:
    """Is the shipped policy valid, identified, and read only once?"""
    policy = load_policy()
    assert isinstance(policy, Policy)
    assert policy.identity == {"id": "recommendation-policy", "version": policy.version}
    assert load_policy() is policy
    assert load_policy(SHIPPED) == policy


def _walk(node: Any, justified: bool, path: str) -> list[str]:
    """Places of numbers with no source or assumption on themselves or an enclosing object."""
    if isinstance(node, dict):
        here = justified or "source" in node or "assumption" in node
        return [p for key, value in node.items() for p in _walk(value, here, f"{path}.{key}")]
    if isinstance(node, list):
        return [p for i, item in enumerate(node) for p in _walk(item, justified, f"{path}[{i}]")]
    if isinstance(node, int | float) and not isinstance(node, bool) and not justified:
        return [path]
    return []


def test_every_number_in_the_policy_has_a_source_or_an_assumption() -> None:
    assert _walk(yaml.safe_load(TEXT), False, "") == []


def test_every_justified_object_has_exactly_one_basis() -> None:
    """Does every object holding numbers carry exactly one of source and assumption?"""

    def walk(model: Any) -> list[Justified]:
        found = [model] if isinstance(model, Justified) else []
        if hasattr(model, "__pydantic_fields__"):
            for name in type(model).model_fields:
                found += walk(getattr(model, name))
        elif isinstance(model, dict):
            for value in model.values():
                found += walk(value)
        elif isinstance(model, tuple):
            for value in model:
                found += walk(value)
        return found

    objects = walk(load_policy())
    assert len(objects) > 50
    assert all((o.source is None) != (o.assumption is None) for o in objects)


def test_no_regulation_is_described_as_requiring_a_full_time_ciso() -> None:
    """Are regulations described as what they are: none requires a full-time CISO?"""
    policy = load_policy()
    assert set(policy.regulations) == set(REGULATIONS)
    assert not any(rule.full_time_required for rule in policy.regulations.values())
    naming = {code for code, rule in policy.regulations.items() if rule.names_security_leader}
    assert naming == {"hipaa", "glba", "sox", "nydfs"}
    assert "third-party service" in policy.regulations["nydfs"].requires
    assert policy.regulations["nydfs"].citation == "23 NYCRR 500.4"
    assert policy.regulations["hipaa"].citation == "45 CFR 164.308(a)(2)"


def test_headcount_and_revenue_cut_offs_are_heuristics_not_law() -> None:
    """Do headcount and revenue bands cite surveys or vendors, or say they are assumptions?"""
    policy = load_policy()
    for band in (*policy.factors.employees.bands, *policy.factors.annual_revenue_usd.bands):
        basis = band.basis
        assert any(
            word in basis for word in ("IDG", "IANS", "TechRepublic", "our assumption", "NYCRR")
        ), basis


def test_costs_cite_the_reference_figures() -> None:
    """Are the costs' figures from named, dated sources, a vendor's figure labelled so?"""
    costs = load_policy().costs
    assert "IANS/Artico CISO Compensation report 2024" in costs.ciso.compensation.basis
    sizes = " ".join(band.basis for band in costs.pay.size_scale)
    assert "Sophos and Cybersecurity Ventures, 2026 CISO Report" in sizes
    assert "finance average $728K" in costs.pay.industry_scale["finance"].basis
    assert "one level below the CISO" in costs.manager.compensation.basis
    assert "a vendor's figure" in costs.vciso.hourly_rate.basis
    assert costs.vciso.hourly_rate.value == 400
    assert "May 2026" in costs.hands_on.per_endpoint_month.basis
    assert [c.monthly_low for c in costs.vciso.retainer_checks] == [2500, 4000, 6500]


def test_no_source_is_unnamed_or_undated() -> None:
    """Does every source in the policy name its author and carry a year (or cite a law)?"""
    import re

    def sources(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "source" and isinstance(value, str):
                    yield value
                else:
                    yield from sources(value)
        elif isinstance(node, list):
            for item in node:
                yield from sources(item)

    found = list(sources(yaml.safe_load(TEXT)))
    assert found
    for source in found:
        assert "undated" not in source and "practitioner articles" not in source, source
        assert re.search(r"20\d\d|CFR|NYCRR", source), source


def test_validate_files_reports_policy_errors(tmp_path: Path) -> None:
    """Does `assess validate` (validate_files) run the policy validator on *policy.yaml?"""
    from assess.core.questionnaire import validate_files

    assert validate_files([SHIPPED]) == []
    path = broken(tmp_path, "  threshold:\n    value: 10\n", "  threshold:\n    value: ten\n")
    errors = validate_files([path])
    assert len(errors) == 1
    assert "decision.threshold.value: must be a number (got 'ten')" in str(errors[0])


# --------------------------------------------------------------------------- broken policies


FIRST_AREAS = (
    '    assumption: "our assumption: three areas are as many as a first 90 days can move"\n'
)


def test_a_number_without_a_source_or_assumption_is_refused(tmp_path: Path) -> None:
    path = broken(tmp_path, FIRST_AREAS, "")
    line = line_of("  first_areas:")
    assert errors_of(path) == [
        f"{path}:{line}: decision.first_areas: needs exactly one of source or assumption "
        "(has neither)"
    ]


def test_a_number_with_both_source_and_assumption_is_refused(tmp_path: Path) -> None:
    path = broken(tmp_path, FIRST_AREAS, FIRST_AREAS + '    source: "a survey"\n')
    assert errors_of(path) == [
        f"{path}:{line_of('  first_areas:')}: decision.first_areas: needs exactly one "
        "of source or assumption (has both)"
    ]


def test_a_negative_cost_is_refused(tmp_path: Path) -> None:
    path = broken(
        tmp_path, "    hourly_rate:\n      value: 400\n", "    hourly_rate:\n      value: -400\n"
    )
    line = line_of("    hourly_rate:\n") + 1
    assert errors_of(path) == [
        f"{path}:{line}: costs.vciso.hourly_rate.value: must be at least 0 (got -400)"
    ]


def test_a_negative_salary_is_refused(tmp_path: Path) -> None:
    path = broken(tmp_path, "      value: 403000\n", "      value: -403000\n")
    line = line_of("      value: 403000\n")
    assert errors_of(path) == [
        f"{path}:{line}: costs.ciso.compensation.value: must be at least 0 (got -403000)"
    ]


def test_hours_that_jump_more_than_five_percent_per_employee_are_refused(tmp_path: Path) -> None:
    """Would an edit that puts a cliff back into the hours be refused?"""
    old = "      - at_least: 25\n        value: 10\n"
    path = broken(tmp_path, old, "      - at_least: 25\n        value: 14\n")
    errors = errors_of(path)
    assert len(errors) == 1
    assert "costs.vciso.base_hours[2].value: rises more than 5% per employee" in errors[0]


def test_an_unknown_key_is_refused(tmp_path: Path) -> None:
    path = broken(tmp_path, "  plan_within:\n", "  plan_witin:\n")
    line = line_of("  plan_within:\n")
    assert errors_of(path) == [
        f"{path}:{line_of('decision:')}: decision.plan_within: is required",
        f"{path}:{line}: decision.plan_witin: unknown key",
    ]


def test_a_band_whose_points_fall_as_headcount_grows_is_refused(tmp_path: Path) -> None:
    """Would growing move the answer toward a vCISO? Then the policy is refused."""
    path = broken(
        tmp_path,
        "      - at_least: 500\n        value: 5\n",
        "      - at_least: 500\n        value: 1\n",
    )
    line = line_of("      - at_least: 500\n        value: 5\n") + 1
    assert errors_of(path) == [
        f"{path}:{line}: factors.employees.bands[5].value: must not be lower than the previous "
        "band's 2 (growing must never move the answer toward a vCISO)"
    ]


def test_bands_out_of_order_are_refused(tmp_path: Path) -> None:
    path = broken(
        tmp_path,
        "      - at_least: 500\n        value: 5\n",
        "      - at_least: 200\n        value: 5\n",
    )
    line = line_of("      - at_least: 500\n        value: 5\n")
    assert errors_of(path) == [
        f"{path}:{line}: factors.employees.bands[5].at_least: must be greater than the previous "
        "band's 250"
    ]


def test_a_negative_regulation_weight_is_refused(tmp_path: Path) -> None:
    old = 'points: {value: 2, assumption: "our assumption: a designated CISO and yearly board reports"}'
    path = broken(tmp_path, old, old.replace("value: 2", "value: -2"))
    assert errors_of(path) == [
        f"{path}:{line_of(old)}: regulations.nydfs.points.value: must be at least 0 (got -2)"
    ]


def test_an_unknown_regulation_is_refused_and_a_missing_one_reported(tmp_path: Path) -> None:
    path = broken(tmp_path, "  ferpa:\n    name: FERPA\n", "  ferpaa:\n    name: FERPA\n")
    errors = errors_of(path)
    line = line_of("  ferpa:\n    name: FERPA\n")
    assert (
        f"{path}:{line}: regulations.ferpaa: unknown regulation 'ferpaa' (did you mean 'ferpa'?)"
        in errors[1]
    )
    assert errors[0].endswith("regulations: regulation not described: ferpa")


def test_an_unknown_area_in_a_target_bump_is_refused(tmp_path: Path) -> None:
    old = "      areas: [security-personnel]\n"
    path = broken(tmp_path, old, "      areas: [security-people]\n")
    assert errors_of(path) == [
        f"{path}:{line_of(old)}: targets.area_bumps[5].areas[0]: unknown area 'security-people'"
        " (did you mean 'security-personnel'?)"
    ]


def test_a_provisional_share_above_one_is_refused(tmp_path: Path) -> None:
    path = broken(
        tmp_path, "  provisional_below:\n    value: 0.6\n", "  provisional_below:\n    value: 60\n"
    )
    assert errors_of(path) == [
        f"{path}:{line_of('  provisional_below:') + 1}: decision.provisional_below.value: must be "
        "a share between 0 and 1"
    ]


def test_a_boolean_is_not_a_number(tmp_path: Path) -> None:
    path = broken(tmp_path, "  threshold:\n    value: 10\n", "  threshold:\n    value: yes\n")
    assert errors_of(path) == [
        f"{path}:{line_of('  threshold:') + 1}: decision.threshold.value: must be a number (got true)"
    ]


def test_several_problems_are_all_reported_in_line_order(tmp_path: Path) -> None:
    text = TEXT.replace(
        "    hourly_rate:\n      value: 400\n", "    hourly_rate:\n      value: -1\n"
    )
    text = text.replace("  plan_within:\n", "  plan_witin:\n")
    path = tmp_path / "p-policy.yaml"
    path.write_text(text, encoding="utf-8")
    errors = errors_of(path)
    assert len(errors) == 3
    assert "plan_within: is required" in errors[0]
    assert "plan_witin: unknown key" in errors[1]
    assert "hourly_rate" in errors[2]


def test_a_policy_that_is_not_a_mapping_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x-policy.yaml"
    path.write_text("- 1\n", encoding="utf-8")
    assert errors_of(path) == [
        f"{path}:1: (top level): a policy must be a mapping with id, version, decision, factors, ..."
    ]


def test_a_missing_policy_file_is_one_line(tmp_path: Path) -> None:
    assert errors_of(tmp_path / "nope-policy.yaml") == [
        f"{tmp_path / 'nope-policy.yaml'}: policy file not found"
    ]


# --------------------------------------------------------------------------- regulation prose


def test_what_regulations_ask_is_written_in_the_policy() -> None:
    """Do labels, board duties, triggers and profile checks come from the policy file?"""
    policy = load_policy()
    assert all(rule.label for rule in policy.regulations.values())
    assert policy.regulations["soc2"].short_name == "SOC 2"
    assert list(policy.reporting.board_duties) == ["nydfs", "glba", "sox"]
    assert "23 NYCRR 500.4" in policy.reporting.board_duties["nydfs"]
    assert "Class A" in (policy.regulations["nydfs"].trigger_note or "")
    assert {level.label for level in policy.factors.security_leader.levels.values()} == {
        "nobody",
        "IT manager",
        "CIO",
        "vCISO",
        "CISO",
    }
    assert [check.holds_any for check in policy.profile_checks][:3] == [
        ("phi",),
        ("payment",),
        ("cui",),
    ]


def test_a_policy_without_the_optional_prose_still_loads(tmp_path: Path) -> None:
    """Does a policy written before labels, duties and checks existed load, with fallbacks?"""
    text = "".join(
        line for line in TEXT.splitlines(keepends=True) if not line.startswith("    label: ")
    )
    path = tmp_path / "old-policy.yaml"
    path.write_text(text, encoding="utf-8")
    policy = load_policy(path)
    assert policy.regulations["glba"].short_name == "GLBA (FTC Safeguards Rule)"
    assert policy.regulations["glba"].label is None


def test_a_board_duty_for_an_unknown_regulation_is_refused(tmp_path: Path) -> None:
    old = "  board_duties:\n    nydfs: >-\n"
    path = broken(tmp_path, old, "  board_duties:\n    nydsf: >-\n")
    assert errors_of(path) == [
        f"{path}:{line_of(old) + 1}: reporting.board_duties.nydsf: unknown regulation 'nydsf' "
        f"(did you mean 'nydfs'?) (known: {', '.join(REGULATIONS)})"
    ]


def test_a_profile_check_on_an_unknown_data_kind_is_refused(tmp_path: Path) -> None:
    old = "  - holds_any: [payment]\n"
    path = broken(tmp_path, old, "  - holds_any: [payments]\n")
    assert errors_of(path) == [
        f"{path}:{line_of(old)}: profile_checks[1].holds_any[0]: unknown data kind 'payments' "
        "(did you mean 'payment'?)"
    ]


def test_a_profile_check_without_a_condition_is_refused(tmp_path: Path) -> None:
    old = "  - industry: healthcare\n    unless_listed: [hipaa]\n"
    path = broken(tmp_path, old, "  - unless_listed: [hipaa]\n")
    assert errors_of(path) == [
        f"{path}:{line_of(old)}: profile_checks[3]: needs industry or holds_any"
    ]


def test_sources_are_worded_for_what_they_show() -> None:
    """IANS/Artico surveyed CISOs, so their findings are said of firms with a CISO; HHS lets a
    small office give the security official's role to an existing employee; the industry pay
    ratios are an approximation."""
    policy = load_policy()
    revenue = {band.at_least: band.note for band in policy.factors.annual_revenue_usd.bands}
    assert revenue[400_000_000].startswith("Among firms with a CISO, those above $400M revenue")
    assert "HHS lets a small office give the role to an existing" in " ".join(
        policy.regulations["hipaa"].requires.split()
    )
    rec = recommend(profile(employees=60, industry="healthcare"), areas_frame(1.0))
    assert "(an approximation: IANS/Artico" in rec.costs.ciso.assumptions[0]
