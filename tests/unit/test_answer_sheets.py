"""Answer sheets: answers read from YAML or CSV files and checked against a questionnaire; every
problem is one line naming the file, the line and the question."""

from __future__ import annotations

from pathlib import Path

import pytest

from assess.core.answer_sheets import (
    AnswerSheet,
    Entry,
    answers_from_sheet,
    check_answer,
    check_answers,
    load_sheet,
    parse_csv_sheet,
    parse_target_level,
    parse_targets,
    parse_yaml_sheet,
    sheet_to_yaml_data,
)
from assess.core.errors import InputError
from assess.core.questionnaire import get_questionnaire
from assess.core.scoring import Answer, AnswerValueError
from tests.conftest import DATA, ROOT

EXAMPLES = ROOT / "examples"

#: (file name, text, the parts of the one-line message). Written by ``write_sheet``: a YAML
#: sheet's ``questionnaire: mini`` is the test questionnaire's path; a CSV sheet is read
#: against that questionnaire. The CLI runs the same table (tests/unit/test_cli.py).
BAD_SHEETS = [
    (
        "a.yaml",
        "questionnaire: mini\nanswers:\n  alpha.one: 2\n  alpha.nine: 3\n",
        ["a.yaml:4:", "alpha.nine", "unknown question id"],
    ),
    (
        "a.yaml",
        "questionnaire: mini\nanswers:\n  alpha.one: 7\n",
        ["a.yaml:3:", "answers.alpha.one", "level 7 is outside 0–5"],
    ),
    (
        "a.yaml",
        "questionnaire: mini\nanswers:\n  alpha.one: high\n",
        ["a.yaml:3:", "'high' is not a level"],
    ),
    ("a.yaml", "questionnaire: mini\nanswers:\n  alpha.one: na\n", ["cannot be answered na"]),
    ("a.yaml", "questionnaire: mini\nanswers: [1, 2\n", ["a.yaml:", "malformed YAML"]),
    (
        "a.csv",
        "question_id,level,note\nalpha.one,2,\nbeta.one,9,\n",
        ["a.csv:3:", "level 9 is outside 0–5"],
    ),
    (
        "a.csv",
        "question_id,level,note\nalpha.one,2,\nalpha.one,3,\n",
        ["a.csv:3:", "answered twice (first on line 2)"],
    ),
    ("a.csv", "id,value\nalpha.one,2\n", ["a.csv:1:", "header must be question_id,level,note"]),
    ("a.csv", b"\xff\xfe".decode("latin-1"), ["not UTF-8"]),
]


def write_sheet(tmp_path: Path, name: str, text: str) -> Path:
    """The sheet as a file; "not UTF-8" cases as latin-1 bytes."""
    path = tmp_path / name
    if text == b"\xff\xfe".decode("latin-1"):
        path.write_bytes(text.encode("latin-1"))
    else:
        path.write_text(text.replace("questionnaire: mini", f"questionnaire: {DATA / 'mini.yaml'}"))
    return path


def read_answers(path: Path) -> dict[str, Answer]:
    sheet = load_sheet(path)
    return answers_from_sheet(
        get_questionnaire(sheet.questionnaire or str(DATA / "mini.yaml")), sheet
    )


@pytest.mark.parametrize(("name", "text", "expected"), BAD_SHEETS)
def test_is_a_bad_sheet_one_line_naming_the_file_the_line_and_the_problem(
    tmp_path, name, text, expected
):
    with pytest.raises(InputError) as caught:
        read_answers(write_sheet(tmp_path, name, text))
    message = str(caught.value)
    assert "\n" not in message
    for part in expected:
        assert part in message


def test_does_the_yaml_example_read_with_notes_and_lines():
    sheet = load_sheet(EXAMPLES / "answers.yaml")
    assert sheet.questionnaire == "ciso-nine-areas"
    assert sheet.file == str(EXAMPLES / "answers.yaml")
    first = sheet.entries[0]
    assert first.question == "program-oversight.accountable-owner"
    assert first.value == {"level": 2, "note": "Our IT manager does it next to her day job."}
    assert first.line == 5
    answers = answers_from_sheet(get_questionnaire("ciso-nine-areas"), sheet)
    assert answers["program-oversight.accountable-owner"] == Answer(
        "level", 2, "Our IT manager does it next to her day job."
    )
    assert answers["program-oversight.policies"] == Answer("level", 2)


def test_does_the_csv_example_read_against_the_quick_questionnaire():
    sheet = load_sheet(EXAMPLES / "answers-quick.csv")
    assert sheet.questionnaire is None  # a CSV file names none: the caller chooses
    answers = answers_from_sheet(get_questionnaire("ciso-nine-areas-quick"), sheet)
    assert len(answers) == 28
    assert answers["program-oversight.accountable-owner"].note.startswith("Our IT manager")
    assert sheet.entries[0].line == 2  # the header is line 1


def test_are_blank_csv_rows_and_levels_skipped_and_a_note_without_level_refused():
    sheet = parse_csv_sheet("question_id,level,note\n\nalpha.one,,\nalpha.two, na ,\n", "s.csv")
    assert sheet.entries == (Entry("alpha.two", "na", 4),)
    with pytest.raises(
        InputError, match=r"s\.csv:2: question 'alpha\.one' has a note but no level"
    ):
        parse_csv_sheet("question_id,level,note\nalpha.one,,why\n", "s.csv")
    with pytest.raises(InputError, match=r"s\.csv:2: 4 columns where the header has 3"):
        parse_csv_sheet("question_id,level,note\nalpha.one,1,a,b\n", "s.csv")
    with pytest.raises(InputError, match="the CSV file is empty"):
        parse_csv_sheet("", "s.csv")


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("- 1\n", "s.yaml:1: (top level): an answers file must be a mapping"),
        ("answer: {}\n", "s.yaml:1: answer: unknown key 'answer'"),
        ("questionnaire: [a]\n", "s.yaml:1: questionnaire: questionnaire must be an id or a path"),
        ("answers: [1]\n", "s.yaml:1: answers: answers must be a mapping"),
    ],
)
def test_is_a_yaml_sheet_of_the_wrong_shape_refused_at_its_place(text, shown):
    with pytest.raises(InputError) as caught:
        parse_yaml_sheet(text, "s.yaml")
    assert str(caught.value).startswith(shown)


def test_is_a_sheet_without_answers_empty():
    assert parse_yaml_sheet("questionnaire: mini\n", "s.yaml").entries == ()
    assert parse_yaml_sheet("questionnaire: mini\nanswers:\n", "s.yaml").entries == ()


def test_does_checking_keep_the_good_answers_and_name_each_bad_one(mini):
    good, bad = check_answers(mini, {"alpha.one": 3, "alpha.two": "na", "beta.one": 9, "x": 1})
    assert good == {"alpha.one": Answer("level", 3), "alpha.two": Answer("na")}
    assert set(bad) == {"beta.one", "x"}
    assert "level 9 is outside 0–5" in bad["beta.one"]
    assert "unknown question id 'x' in mini" in bad["x"]
    with pytest.raises(AnswerValueError, match="cannot be answered na"):
        check_answer(mini, "alpha.one", "na")


def test_does_a_sheet_written_as_yaml_read_back_the_same(mini, tmp_path):
    answers = {"alpha.one": Answer("level", 2, "a note"), "alpha.two": Answer("na")}
    answers["beta.one"] = Answer("unknown")
    import yaml

    path = tmp_path / "back.yaml"
    path.write_text(yaml.safe_dump(sheet_to_yaml_data("mini", answers), allow_unicode=True))
    sheet = load_sheet(path)
    assert sheet.questionnaire == "mini"
    assert answers_from_sheet(mini, sheet) == answers
    assert answers_from_sheet(mini, AnswerSheet("x", None, ())) == {}


def test_are_targets_area_level_pairs_within_the_scale(mini):
    assert parse_targets(["alpha=4", " beta = 2.5"], mini) == {"alpha": 4.0, "beta": 2.5}
    assert parse_targets([], mini) == {}
    with pytest.raises(InputError, match="use AREA=LEVEL"):
        parse_targets(["alpha"], mini)
    with pytest.raises(InputError, match=r"unknown area 'gamma' \(areas: alpha, beta\)"):
        parse_targets(["gamma=3"], mini)
    with pytest.raises(InputError, match="6 is outside 0–5"):
        parse_targets(["alpha=6"], mini)


@pytest.mark.parametrize("value", ["high", None, 10**400, "nan?"])
def test_is_a_target_that_is_not_a_number_refused(value):
    with pytest.raises(InputError, match="is not a number from 0 to 5"):
        parse_target_level(value, "target")


def test_are_target_levels_from_0_to_5_accepted():
    assert [parse_target_level(v) for v in (0, "5", 2.5)] == [0.0, 5.0, 2.5]
    with pytest.raises(InputError, match="target: -1 is outside 0–5"):
        parse_target_level(-1)
