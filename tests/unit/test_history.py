"""History: trends, deltas and comparisons, worked out by hand, and the properties of compare."""

from __future__ import annotations

import dataclasses
import math
from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assess.core import charts
from assess.core.history import (
    Snapshot,
    answers_table,
    compare,
    history_document,
    score_table,
    trend_frame,
    trend_points,
    verified_scores,
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


# --------------------------------------------------------------------------- compare

OLD_ANSWERS = {"alpha.one": L(2), "alpha.two": L(4), "beta.one": L(1), "beta.two": L(5)}
NEW_ANSWERS = {
    "alpha.one": L(3),
    "alpha.two": L(4),
    "beta.one": Answer("unknown"),
    "gamma.one": L(2),
}


def test_compare_across_two_questionnaire_versions():
    old = snap(MINI, OLD_ANSWERS, id=1, at="2024-01-01")
    new = snap(MINI2, NEW_ANSWERS, id=2, at="2024-07-01")
    diff = compare(old, new)
    assert diff["same_questionnaire"] is False
    assert diff["added"] == ["gamma.one"] and diff["removed"] == ["beta.two"]
    assert diff["common"] == 3
    # old: alpha (2 + 12) / 4 = 3.5, beta (1 + 5) / 2 = 3, overall (7 + 3) / 3
    # new: alpha (3 + 12) / 4 = 3.75, beta unknown = 0, gamma 2, overall (7.5 + 0 + 2) / 4
    assert diff["areas"] == [
        {"id": "alpha", "title": "Alpha", "from": 3.5, "to": 3.75, "delta": 0.25},
        {"id": "beta", "title": "Beta", "from": 3.0, "to": 0.0, "delta": -3.0},
        {"id": "gamma", "title": "Gamma", "from": None, "to": 2.0, "delta": None},
    ]
    assert diff["overall"] == {
        "from": pytest.approx(10 / 3),
        "to": 2.375,
        "delta": pytest.approx(2.375 - 10 / 3),
    }
    # On alpha.one, alpha.two and beta.one only: beta was 1 (beta.two left out), gamma has none.
    assert diff["areas_on_common_questions"] == [
        {"id": "alpha", "title": "Alpha", "from": 3.5, "to": 3.75, "delta": 0.25},
        {"id": "beta", "title": "Beta", "from": 1.0, "to": 0.0, "delta": -1.0},
    ]
    assert diff["overall_on_common_questions"] == {
        "from": pytest.approx(8 / 3),
        "to": 2.5,
        "delta": pytest.approx(2.5 - 8 / 3),
    }
    # alpha.two did not change, so it is not listed.
    assert diff["questions"] == [
        {
            "id": "alpha.one",
            "text": "One?",
            "area": "alpha",
            "from": 2,
            "to": 3,
            "note_from": None,
            "note_to": None,
            "change": "improved",
        },
        {
            "id": "beta.one",
            "text": "Three?",
            "area": "beta",
            "from": 1,
            "to": "unknown",
            "note_from": None,
            "note_to": None,
            "change": "regressed",
        },
    ]


def test_compare_marks_na_unanswered_and_note_only_changes_as_changed():
    old = snap(
        answers={"alpha.two": Answer("na"), "beta.one": L(2, "a"), "beta.two": Answer("unknown")}
    )
    new = snap(
        answers={"alpha.one": L(0), "alpha.two": L(3), "beta.one": L(2, "b"), "beta.two": L(0)},
        id=2,
    )
    diff = compare(old, new)
    assert diff["same_questionnaire"] is True
    assert "areas_on_common_questions" not in diff
    assert diff["added"] == diff["removed"] == [] and diff["common"] == 4
    rows = [
        (q["id"], q["from"], q["to"], q["note_from"], q["note_to"], q["change"])
        for q in diff["questions"]
    ]
    assert rows == [
        ("alpha.one", None, 0, None, None, "changed"),
        ("alpha.two", "na", 3, None, None, "changed"),
        ("beta.one", 2, 2, "a", "b", "changed"),
        ("beta.two", "unknown", 0, None, None, "changed"),  # both score 0
    ]


def test_compare_without_common_questions_scores_nothing_on_them():
    other = MINI2.model_dump(mode="json")
    other["id"] = "other"
    other["areas"] = other["areas"][2:]
    gamma_only = Questionnaire.model_validate(other)
    diff = compare(snap(MINI, OLD_ANSWERS), snap(gamma_only, {"gamma.one": L(4)}, id=2))
    assert diff["common"] == 0 and diff["questions"] == []
    assert diff["areas_on_common_questions"] == []
    assert diff["overall_on_common_questions"] == {"from": None, "to": None, "delta": None}


# --------------------------------------------------------------------------- verified scores


def test_verified_scores_use_the_auditors_levels_where_given():
    answers = {
        "alpha.one": L(2),
        "alpha.two": L(4),
        "beta.one": Answer("unknown"),
        "beta.two": Answer("na"),
    }
    s = snap(answers=answers, verified={"alpha.two": 3, "beta.one": 1})
    # alpha: self (2 + 4·3) / 4 = 3.5, verified (2 + 3·3) / 4 = 2.75; beta: 0 -> 1 (na left out)
    assert verified_scores(s) == [
        {
            "id": "alpha",
            "title": "Alpha",
            "self": 3.5,
            "verified": 2.75,
            "reviewed": 1,
            "answered": 2,
            "total": 2,
        },
        {
            "id": "beta",
            "title": "Beta",
            "self": 0.0,
            "verified": 1.0,
            "reviewed": 1,
            "answered": 2,
            "total": 2,
        },
    ]
    assert verified_scores(plain(s)) == verified_scores(s)


def test_without_reviews_verified_equals_self_equals_the_stored_results():
    s = snap(answers=OLD_ANSWERS)
    rows = verified_scores(s)
    assert [r["self"] for r in rows] == [a["score"] for a in s.results["areas"]]
    assert all(r["verified"] == r["self"] and r["reviewed"] == 0 for r in rows)


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


# --------------------------------------------------------------------------- properties

VALUES = st.one_of(st.integers(0, 5), st.sampled_from(["na", "unknown"]))


def to_answer(value, note: str) -> Answer:
    return Answer(value, None, note) if isinstance(value, str) else Answer("level", value, note)


@st.composite
def snapshots(draw, id: int = 1) -> Snapshot:
    questionnaire = draw(st.sampled_from([MINI, MINI2]))
    answers = {}
    for qid in questionnaire.questions:
        if draw(st.booleans()):
            answers[qid] = to_answer(draw(VALUES), draw(st.sampled_from(["", "see policy"])))
    verified = draw(
        st.dictionaries(st.sampled_from(list(questionnaire.questions)), st.integers(0, 5))
    )
    return snap(questionnaire, answers, id=id, at=f"2024-0{id}-01", verified=verified)


def negated(value):
    return None if value is None else -value


def by_id(rows):
    return {row["id"]: row for row in rows}


SWAP = {"improved": "regressed", "regressed": "improved", "changed": "changed"}
PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(snapshots())
def test_comparing_an_assessment_with_itself_changes_nothing(a):
    diff = compare(a, a)
    assert diff["questions"] == [] and diff["added"] == [] and diff["removed"] == []
    assert diff["same_questionnaire"] is True
    for row in [*diff["areas"], diff["overall"]]:
        assert row["delta"] == (None if row["from"] is None else 0.0)


@PROPERTY
@given(snapshots(id=1), snapshots(id=2))
def test_comparing_the_other_way_round_negates_every_delta(a, b):
    forward, backward = compare(a, b), compare(b, a)
    assert forward["overall"]["delta"] == negated(backward["overall"]["delta"])
    keys = ["areas"] + (
        ["areas_on_common_questions"] if "areas_on_common_questions" in forward else []
    )
    for key in keys:
        there, back = by_id(forward[key]), by_id(backward[key])
        assert there.keys() == back.keys()
        for area_id, row in there.items():
            assert row["delta"] == negated(back[area_id]["delta"])
            assert (row["from"], row["to"]) == (back[area_id]["to"], back[area_id]["from"])
    if "overall_on_common_questions" in forward:
        there, back = (
            forward["overall_on_common_questions"],
            backward["overall_on_common_questions"],
        )
        assert there["delta"] == negated(back["delta"])
    assert (forward["added"], forward["removed"]) == (backward["removed"], backward["added"])
    assert forward["common"] == backward["common"]
    there, back = by_id(forward["questions"]), by_id(backward["questions"])
    assert there.keys() == back.keys()
    for qid, row in there.items():
        assert row["change"] == SWAP[back[qid]["change"]]
        assert (row["from"], row["to"]) == (back[qid]["to"], back[qid]["from"])


@PROPERTY
@given(snapshots(id=1), snapshots(id=2))
def test_plain_data_snapshots_compare_like_those_with_a_questionnaire(a, b):
    assert compare(plain(a), plain(b)) == compare(a, b)
    assert verified_scores(plain(a)) == verified_scores(a)


@PROPERTY
@given(snapshots())
def test_verified_scores_stay_within_the_scale(a):
    for row in verified_scores(a):
        for value in (row["self"], row["verified"]):
            assert value is None or (0.0 <= value <= 5.0 and not math.isnan(value))
        assert 0 <= row["reviewed"] <= row["total"]
