"""Scoring: frames worked out by hand, and the properties the contract promises."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assess.core.scoring import (
    Answer,
    AnswerValueError,
    answers_frame,
    level_of,
    overall_scores,
    parse_answer,
    roadmap,
    score,
    score_areas,
)


def L(level: int, note: str = "") -> Answer:
    return Answer("level", level, note)


def test_area_scores_match_a_frame_worked_out_by_hand(mini):
    # alpha: one=2 (w1), two=4 (w3) -> (2 + 12) / 4 = 3.5 ; beta: one=unknown (0), two=na -> 0
    answers = {
        "alpha.one": L(2),
        "alpha.two": L(4),
        "beta.one": Answer("unknown"),
        "beta.two": Answer("na"),
    }
    areas = score_areas(answers_frame(mini, answers), {"alpha": 4})
    expected = pd.DataFrame(
        {
            "area": ["alpha", "beta"],
            "score": [3.5, 0.0],
            "target": [4.0, 3.0],
            "gap": [0.5, 3.0],
            "answered": [2, 2],
            "total": [2, 2],
            "unknown": [0, 1],
            "na": [0, 1],
        }
    )
    pd.testing.assert_frame_equal(areas[expected.columns].reset_index(drop=True), expected)


def test_overall_is_weighted_by_area_weight(mini):
    answers = {"alpha.one": L(2), "alpha.two": L(4), "beta.one": L(1), "beta.two": L(5)}
    result = score(mini, answers)
    # alpha 3.5 (weight 2), beta 3.0 (weight 1) -> (7 + 3) / 3
    assert result.overall_score == pytest.approx(10 / 3)
    assert result.overall_level == 3
    assert result.overall_label == "Defined"


def test_unanswered_areas_have_no_score_and_are_left_out_of_overall(mini):
    result = score(mini, {"alpha.one": L(5)})
    areas = result.results().model_dump(mode="json")["areas"]
    assert areas[1]["score"] is None and areas[1]["gap"] is None
    assert areas[1]["answered"] == 0
    assert result.overall_score == 5.0
    assert result.unanswered == ["alpha.two", "beta.one", "beta.two"]


def test_no_answers_at_all_scores_nothing(mini):
    result = score(mini, {})
    assert result.overall_score is None and result.overall_level is None
    assert result.roadmap.empty
    assert len(result.unanswered) == 4


def test_roadmap_takes_the_next_level_of_the_weakest_answers_in_the_largest_gaps(mini):
    answers = {"alpha.one": L(1), "alpha.two": L(3), "beta.one": L(0), "beta.two": L(3)}
    result = score(mini, answers)  # alpha 2.5 (gap .5, w2), beta 1.5 (gap 1.5, w1)
    steps = result.results().model_dump(mode="json")["roadmap"]
    # priorities: beta.one 1*1.5*1*3 = 4.5 ; alpha.one 2*.5*1*2 = 2 ; others at target
    assert [s["question"] for s in steps] == ["beta.one", "alpha.one"]
    assert steps[0]["step"] == "c1" and steps[0]["next_level"] == 1
    assert steps[1]["step"] == "a2"
    assert [s["rank"] for s in steps] == [1, 2]


def test_unknown_answers_enter_the_roadmap_as_level_zero(mini):
    result = score(mini, {"beta.one": Answer("unknown"), "beta.two": L(2)})
    first = result.results().model_dump(mode="json")["roadmap"][0]
    assert first["question"] == "beta.one" and first["unknown"] is True and first["step"] == "c1"


def test_scores_keep_full_precision(mini):
    result = score(mini, {"alpha.one": L(1), "alpha.two": L(2)})
    assert result.results().model_dump(mode="json")["areas"][0]["score"] == pytest.approx(7 / 4)
    result = score(mini, {"beta.one": L(1), "beta.two": L(2)})
    assert result.results().model_dump(mode="json")["areas"][1]["score"] == 1.5


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (6, "outside 0–5"),
        (-1, "outside 0–5"),
        ("high", "is not a level"),
        (2.5, "is not a level"),
        (True, "is not a level"),
        (None, "is not a level"),
        ({"note": "x"}, "needs a level"),
        ({"level": 2, "colour": "red"}, "unknown key"),
    ],
)
def test_bad_answer_values_are_refused_with_a_reason(value, message):
    with pytest.raises(AnswerValueError, match=message):
        parse_answer(value)


def test_level_of_floors_within_the_scale():
    assert [level_of(x) for x in (0.0, 0.99, 1.0, 4.999, 5.0)] == [0, 0, 1, 4, 5]
    assert level_of(math.nan) is None


def test_many_assessments_score_in_one_frame(mini):
    frames = [
        answers_frame(mini, {"alpha.one": L(i), "beta.one": L(5 - i)}, assessment=i)
        for i in range(6)
    ]
    areas = score_areas(pd.concat(frames, ignore_index=True))
    overall = overall_scores(areas)
    assert len(areas) == 12 and len(overall) == 6
    for i in range(6):
        single = score(mini, {"alpha.one": L(i), "beta.one": L(5 - i)})
        assert overall.loc[overall["assessment"] == i, "score"].item() == pytest.approx(
            single.overall_score
        )


# --------------------------------------------------------------------------- properties

QUESTIONS = ["alpha.one", "alpha.two", "beta.one", "beta.two"]
value_st = st.one_of(st.integers(0, 5), st.sampled_from(["unknown", "na", None]))


def _answers(values):
    out = {}
    for qid, v in zip(QUESTIONS, values, strict=True):
        if v is None or (v == "na" and not qid.endswith("two")):
            continue
        out[qid] = parse_answer(v)
    return out


answers_st = st.lists(value_st, min_size=4, max_size=4).map(_answers)
targets_st = st.fixed_dictionaries({"alpha": st.integers(0, 5), "beta": st.integers(0, 5)})


def _scores(result):
    data = result.results().model_dump(mode="json")
    return [a["score"] for a in data["areas"]] + [data["overall"]["score"]]


@settings(max_examples=200, deadline=None)
@given(answers=answers_st, targets=targets_st)
def test_scores_and_gaps_stay_within_the_scale(mini, answers, targets):
    data = score(mini, answers, targets).results().model_dump(mode="json")
    for value in [a["score"] for a in data["areas"]] + [data["overall"]["score"]]:
        assert value is None or 0 <= value <= 5
    for area in data["areas"]:
        assert area["gap"] is None or 0 <= area["gap"] <= area["target"]


@settings(max_examples=200, deadline=None)
@given(answers=answers_st, which=st.sampled_from(QUESTIONS), bump=st.integers(1, 5))
def test_raising_one_answer_never_lowers_any_score(mini, answers, which, bump):
    current = answers.get(which)
    if current is None or current.status == "na":
        return
    level = 0 if current.status == "unknown" else current.level
    raised = dict(answers, **{which: Answer("level", min(level + bump, 5))})
    for before, after in zip(
        _scores(score(mini, answers)), _scores(score(mini, raised)), strict=True
    ):
        if before is not None:
            assert after >= before - 1e-12


@settings(max_examples=200, deadline=None)
@given(answers=answers_st, which=st.sampled_from(["alpha.two", "beta.two"]))
def test_marking_an_answer_na_changes_no_other_area(mini, answers, which):
    area = which.split(".")[0]
    before = {a["id"]: a for a in score(mini, answers).results().model_dump(mode="json")["areas"]}
    after = {
        a["id"]: a
        for a in score(mini, dict(answers, **{which: Answer("na")}))
        .results()
        .model_dump(mode="json")["areas"]
    }
    for area_id in before:
        if area_id != area:
            assert before[area_id] == after[area_id]


@settings(max_examples=100, deadline=None)
@given(answers=answers_st, seed=st.randoms())
def test_the_order_of_answers_does_not_matter(mini, answers, seed):
    items = list(answers.items())
    seed.shuffle(items)
    assert score(mini, dict(items)).results() == score(mini, answers).results()


@settings(max_examples=50, deadline=None)
@given(answers=answers_st)
def test_roadmap_ranks_are_best_first(mini, answers):
    frame = answers_frame(mini, answers)
    steps = roadmap(frame, score_areas(frame), mini)
    assert list(steps["priority"]) == sorted(steps["priority"], reverse=True)


@settings(max_examples=60, deadline=None)
@given(sets=st.lists(answers_st, min_size=1, max_size=6), targets=targets_st)
def test_the_matrix_path_scores_like_the_long_frame(mini, sets, targets):
    from assess.core.scoring import answer_matrix, score_matrix

    frames = [answers_frame(mini, answers, assessment=i) for i, answers in enumerate(sets)]
    areas = score_areas(pd.concat(frames, ignore_index=True), targets)
    overall = overall_scores(areas)
    matrix = score_matrix(mini, *answer_matrix(mini, sets), targets)
    for row in areas.itertuples(index=False):
        i, area = row.assessment, row.area
        for column, wide in (
            ("score", matrix.score),
            ("gap", matrix.gap),
            ("answered", matrix.answered),
            ("unknown", matrix.unknown),
            ("na", matrix.na),
        ):
            got, want = float(wide.at[i, area]), float(getattr(row, column))
            assert (math.isnan(got) and math.isnan(want)) or got == pytest.approx(
                want, abs=1e-12
            ), column
    for row in overall.itertuples(index=False):
        got, want = float(matrix.overall[row.assessment]), float(row.score)
        assert (math.isnan(got) and math.isnan(want)) or got == pytest.approx(want, abs=1e-12)
