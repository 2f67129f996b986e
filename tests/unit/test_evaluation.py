"""Evaluation: the use case the CLI, the pages and the API share (load, score, recommend)."""

from __future__ import annotations

import pytest

from assess.core.errors import InputError
from assess.core.evaluation import Report, build_report, score_offline
from assess.core.questionnaire import get_questionnaire
from assess.core.scoring import Answer, score
from tests.conftest import DATA, ROOT

EXAMPLES = ROOT / "examples"

#: Sheets whose questionnaire cannot be found: (file name, text, parts of the one-line message),
#: written like tests/unit/test_answer_sheets.py's BAD_SHEETS; the CLI runs this table too.
BAD_REFERENCES = [
    ("a.yaml", "questionnaire: nope\nanswers: {}\n", ["unknown questionnaire 'nope'"]),
    ("a.yaml", "answers: {}\n", ["no questionnaire"]),
]


def areas_by_id(report: Report) -> dict[str, dict]:
    return {a["id"]: a for a in report.results().model_dump(mode="json")["areas"]}


def test_are_scores_alone_the_results_with_no_recommendation(mini):
    answers = {"alpha.one": Answer("level", 2), "beta.one": Answer("unknown")}
    report = build_report(mini, answers, targets={"alpha": 4})
    assert report.recommendation is None and report.profile is None
    data = report.results().model_dump(mode="json")
    assert "recommendation" not in data
    assert report.results() == score(mini, answers, {"alpha": 4}).results()


def test_does_a_profile_bring_proposed_targets_and_a_recommendation():
    report = score_offline(
        answers_path=EXAMPLES / "answers.yaml", profile_path=EXAMPLES / "profile.yaml"
    )
    data = report.results().model_dump(mode="json")
    assert data["recommendation"] == report.recommendation.model_dump(mode="json")
    assert data["recommendation"]["hire"] in {"ciso", "vciso"}
    assert report.profile.organization == "Harborview Medical Billing"
    plain = score_offline(answers_path=EXAMPLES / "answers.yaml")
    # the same scores; the targets (and so the gaps) are the profile's, not the default
    for area_id, area in areas_by_id(report).items():
        assert area["score"] == areas_by_id(plain)[area_id]["score"]
    assert [a.target for a in report.results().areas] != [a.target for a in plain.results().areas]


def test_do_targets_given_override_the_proposed_ones():
    proposed = score_offline(
        answers_path=EXAMPLES / "answers.yaml", profile_path=EXAMPLES / "profile.yaml"
    )
    chosen = score_offline(
        answers_path=EXAMPLES / "answers.yaml",
        profile_path=EXAMPLES / "profile.yaml",
        target_items=["incident-response=1.5"],
    )
    before, after = areas_by_id(proposed), areas_by_id(chosen)
    assert after["incident-response"]["target"] == 1.5
    for area_id in before.keys() - {"incident-response"}:
        assert after[area_id]["target"] == before[area_id]["target"]


def test_does_the_questionnaire_given_win_over_the_one_the_sheet_names(tmp_path):
    report = score_offline(
        answers_path=EXAMPLES / "answers-quick.csv", questionnaire_ref="ciso-nine-areas-quick"
    )
    assert report.result.questionnaire is get_questionnaire("ciso-nine-areas-quick")
    sheet = tmp_path / "a.yaml"
    sheet.write_text("questionnaire: nope\nanswers:\n  alpha.one: 2\n")
    mini = score_offline(answers_path=sheet, questionnaire_ref=str(DATA / "mini.yaml"))
    assert mini.result.questionnaire.id == "mini"
    assert areas_by_id(mini)["alpha"]["score"] == 2


@pytest.mark.parametrize(("name", "text", "expected"), BAD_REFERENCES)
def test_is_a_sheet_without_a_known_questionnaire_one_clear_line(tmp_path, name, text, expected):
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(InputError) as caught:
        score_offline(answers_path=path)
    message = str(caught.value)
    assert "\n" not in message
    for part in expected:
        assert part in message


def test_does_a_missing_sheet_name_its_file(tmp_path):
    with pytest.raises(InputError) as caught:
        score_offline(answers_path=tmp_path / "none.yaml")
    assert str(caught.value) == f"{tmp_path / 'none.yaml'}: answers file not found"
