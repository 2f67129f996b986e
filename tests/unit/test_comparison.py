"""Comparisons: two assessments across questionnaire versions, worked out by hand, an auditor's
verified scores, and the properties of compare."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assess.core.comparison import compare, verified_scores
from assess.core.history import Snapshot
from assess.core.questionnaire import Questionnaire
from assess.core.scoring import Answer
from tests.unit.test_history import MINI, MINI2, NEW_ANSWERS, OLD_ANSWERS, L, plain, snap

# --------------------------------------------------------------------------- compare


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
    assert [r["self"] for r in rows] == [a["score"] for a in s.results.model_dump()["areas"]]
    assert all(r["verified"] == r["self"] and r["reviewed"] == 0 for r in rows)


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
