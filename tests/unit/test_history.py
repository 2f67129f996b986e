"""History: trends, deltas and comparisons, worked out by hand, and the properties of compare."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pytest

from assess.core import charts
from assess.core.history import (
    Snapshot,
    answers_table,
    history_document,
    score_table,
    trend_frame,
    trend_points,
)
from assess.core.questionnaire import Questionnaire, load_questionnaire_file
from assess.core.scoring import Answer, answers_frame
from tests.conftest import DATA

MINI = load_questionnaire_file(DATA / "mini.yaml")


def changed_mini() -> Questionnaire:
    """mini 0.2: beta.two removed, a new area gamma with one question gamma.one."""
    data = MINI.model_dump(mode="json")
    data["version"] = "0.2"
    data["areas"][1]["questions"] = data["areas"][1]["questions"][:1]
    data["areas"].append(
        {
            "id": "gamma",
            "title": "Gamma",
            "responsibility": "Third area.",
            "csf": ["DE.CM"],
            "weight": 1,
            "questions": [
                {
                    "id": "gamma.one",
                    "text": "Five?",
                    "help": "Because.",
                    "levels": {i: f"e{i}" for i in range(6)},
                }
            ],
        }
    )
    return Questionnaire.model_validate(data)


MINI2 = changed_mini()


def L(level: int, note: str = "") -> Answer:
    return Answer("level", level, note)


def snap(questionnaire=MINI, answers=None, *, id=1, at="2024-01-01", label=None, verified=None):
    return Snapshot.from_answers(
        questionnaire, answers or {}, id=id, submitted_at=at, label=label, verified=verified
    )


def plain(snapshot: Snapshot) -> Snapshot:
    """The same snapshot as the web layer may build it: plain data, no Questionnaire object."""
    return dataclasses.replace(snapshot, definition=None)


#: Two answer sets of mini and mini 0.2, for comparisons (test_comparison.py) and plain data.
OLD_ANSWERS = {"alpha.one": L(2), "alpha.two": L(4), "beta.one": L(1), "beta.two": L(5)}
NEW_ANSWERS = {
    "alpha.one": L(3),
    "alpha.two": L(4),
    "beta.one": Answer("unknown"),
    "gamma.one": L(2),
}


# --------------------------------------------------------------------------- trends

# Given out of order; the last two were submitted at the same instant (in other time zones).
JAN = dict(id=3, at="2024-01-10T08:00:00", label="Jan")  # naive: taken as UTC
JUN_A = dict(id=1, at="2024-06-01T00:00:00+02:00", label="Jun a")
JUN_B = dict(id=2, at=datetime(2024, 5, 31, 22, 0, tzinfo=UTC), label="Jun b")


@pytest.fixture
def three():
    jan = snap(answers={q: L(2) for q in MINI.questions}, **JAN)  # alpha 2, beta 2, overall 2
    jun_a = snap(answers={"alpha.one": L(4), "alpha.two": L(4)}, **JUN_A)  # beta unanswered
    # alpha (5 + 3·3) / 4 = 3.5; beta unknown 0, na left out -> 0; overall (2·3.5 + 0) / 3
    jun_b = snap(
        answers={
            "alpha.one": L(5),
            "alpha.two": L(3),
            "beta.one": Answer("unknown"),
            "beta.two": Answer("na"),
        },
        **JUN_B,
    )
    return [jun_b, jan, jun_a]


def when(*stamps: str) -> pd.Series:
    return pd.Series(pd.to_datetime(list(stamps), utc=True)).astype("datetime64[us, UTC]")


def test_trend_frame_matches_a_frame_worked_out_by_hand(three):
    expected = pd.DataFrame(
        {
            "id": [3, 1, 2],
            "submitted_at": when("2024-01-10T08:00Z", "2024-05-31T22:00Z", "2024-05-31T22:00Z"),
            "label": ["Jan", "Jun a", "Jun b"],
            "overall": [2.0, 4.0, 7 / 3],
            "alpha": [2.0, 4.0, 3.5],
            "beta": [2.0, np.nan, 0.0],
        }
    )
    pd.testing.assert_frame_equal(trend_frame(three), expected)


def test_trend_frame_is_oldest_first_whatever_the_input_order(three):
    for order in ([0, 1, 2], [2, 1, 0], [1, 2, 0]):
        frame = trend_frame([three[i] for i in order])
        assert frame["id"].tolist() == [3, 1, 2]


def test_no_assessments_give_an_empty_history():
    frame = trend_frame([])
    assert frame.empty and frame.columns.tolist() == ["id", "submitted_at", "label", "overall"]
    assert score_table([]).empty
    assert history_document([]) == {"assessments": []}
    assert trend_points([]) == []


def test_score_table_has_previous_scores_and_deltas_worked_out_by_hand(three):
    nan = np.nan
    expected = pd.DataFrame(
        {
            "id": [3, 3, 3, 1, 1, 1, 2, 2, 2],
            "submitted_at": when(*["2024-01-10T08:00Z"] * 3, *["2024-05-31T22:00Z"] * 6),
            "label": ["Jan"] * 3 + ["Jun a"] * 3 + ["Jun b"] * 3,
            "area": ["overall", "alpha", "beta"] * 3,
            "title": ["Overall", "Alpha", "Beta"] * 3,
            "score": [2.0, 2.0, 2.0, 4.0, 4.0, nan, 7 / 3, 3.5, 0.0],
            "previous": [nan, nan, nan, 2.0, 2.0, 2.0, 4.0, 4.0, nan],
            "delta": [nan, nan, nan, 2.0, 2.0, nan, 7 / 3 - 4, -0.5, nan],
        }
    )
    pd.testing.assert_frame_equal(score_table(three), expected)


def test_history_document_follows_the_api_contract(three):
    doc = history_document(three)
    first, second, third = doc["assessments"]
    assert [a["id"] for a in doc["assessments"]] == [3, 1, 2]
    assert first["submitted_at"] == "2024-01-10T08:00:00+00:00"
    assert second["submitted_at"] == third["submitted_at"] == "2024-05-31T22:00:00+00:00"
    assert first["questionnaire"] == MINI.identity
    assert first["delta"] == {"overall": None, "areas": {"alpha": None, "beta": None}}
    assert second["delta"] == {"overall": 2.0, "areas": {"alpha": 2.0, "beta": None}}
    assert third["delta"]["overall"] == pytest.approx(7 / 3 - 4)
    assert third["delta"]["areas"] == {"alpha": -0.5, "beta": None}
    assert third["overall"] == {"score": pytest.approx(7 / 3), "level": 2, "label": "Repeatable"}
    assert third["areas"] == [
        {"id": "alpha", "title": "Alpha", "score": 3.5, "target": 3.0, "gap": 0.0},
        {"id": "beta", "title": "Beta", "score": 0.0, "target": 3.0, "gap": 3.0},
    ]
    assert second["areas"][1] == {
        "id": "beta",
        "title": "Beta",
        "score": None,
        "target": 3.0,
        "gap": None,
    }


def test_trend_points_draw_as_a_trend_chart(three):
    points = trend_points(three)
    assert points[0] == {
        "label": "Jan",
        "date": "2024-01-10T08:00:00",
        "overall": 2.0,
        "areas": {"alpha": 2.0, "beta": 2.0},
        "area_titles": {"alpha": "Alpha", "beta": "Beta"},
    }
    assert points[1]["areas"] == {"alpha": 4.0, "beta": None}
    fig = charts.trend(points)
    overall = next(t for t in fig.data if t.name == "Overall")
    assert list(overall.y) == [2.0, 4.0, pytest.approx(7 / 3)]
    assert [t.name for t in fig.data] == ["Alpha", "Beta", "Overall"]


# --------------------------------------------------------------------------- plain data


def test_a_plain_data_snapshot_builds_the_same_frame_as_scoring():
    s = snap(MINI2, NEW_ANSWERS)
    expected = answers_frame(MINI2, NEW_ANSWERS, assessment=s.id)
    columns = ["area", "area_title", "area_weight", "question", "weight", "status", "level"]
    for frame in (answers_table(s), answers_table(plain(s))):
        pd.testing.assert_frame_equal(
            frame[columns].reset_index(drop=True), expected[columns], check_dtype=False
        )


def test_a_snapshot_must_name_the_same_questions_in_questions_and_area_of():
    s = snap()
    with pytest.raises(ValueError, match=r"alpha\.one"):
        dataclasses.replace(s, questions={k: v for k, v in s.questions.items() if k != "alpha.one"})
