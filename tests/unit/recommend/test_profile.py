"""The organization profile: one-line errors naming the field, normalised choices."""

from __future__ import annotations

from pathlib import Path

import pytest

from assess.core.errors import InputError
from assess.core.recommend import (
    INDUSTRIES,
    REGULATIONS,
    SECURITY_LEADERS,
    SENSITIVE_DATA,
    Profile,
    load_profile,
    parse_profile,
)
from tests.unit.recommend.cases import profile


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
