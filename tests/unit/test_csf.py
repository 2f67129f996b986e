"""The NIST CSF 2.0 view (assess/core/csf.py), worked out by hand."""

from __future__ import annotations

import pytest

from assess.core.csf import CSF_FUNCTIONS, csf_scores
from assess.core.questionnaire import CSF_CATEGORIES, get_questionnaire
from assess.core.scoring import Answer, answers_frame, score, score_areas


@pytest.fixture(scope="module")
def q2():
    return get_questionnaire("ciso-nine-areas")


def test_is_a_category_the_weighted_mean_of_its_tagged_questions(q2):
    tagged = [qid for qid, q in q2.questions.items() if "PR.AA" in q.csf]
    assert len(tagged) >= 2
    levels = {qid: i % 5 + 1 for i, qid in enumerate(tagged)}
    answers = {qid: Answer("level", level) for qid, level in levels.items()}
    targets = {area.id: 2.0 + i % 3 for i, area in enumerate(q2.areas)}
    frame = answers_frame(q2, answers)
    areas = score_areas(frame, targets)
    row = csf_scores(frame, areas, q2).set_index("category").loc["PR.AA"]
    weights = {qid: q2.questions[qid].weight for qid in tagged}
    expected = sum(levels[q] * weights[q] for q in tagged) / sum(weights.values())
    target = sum(targets[q2.area_of[q].id] for q in tagged) / len(tagged)
    assert row["score"] == pytest.approx(expected)
    assert row["target"] == pytest.approx(target)
    assert row["gap"] == pytest.approx(max(target - expected, 0))
    assert (row["function"], row["function_name"]) == ("PR", "Protect")
    assert row["category_name"] == CSF_CATEGORIES["PR.AA"]
    assert (row["questions"], row["total"]) == (len(tagged), len(tagged))


def test_are_dont_know_zero_and_na_left_out(q2):
    tagged = [qid for qid, q in q2.questions.items() if "PR.AA" in q.csf]
    answers = {tagged[0]: Answer("unknown"), tagged[1]: Answer("level", 4)}
    frame = answers_frame(q2, answers)
    row = csf_scores(frame, score_areas(frame), q2).set_index("category").loc["PR.AA"]
    w0, w1 = (q2.questions[q].weight for q in tagged[:2])
    assert row["score"] == pytest.approx(4 * w1 / (w0 + w1))
    assert row["questions"] == 2


def test_are_categories_in_csf_order_and_unscored_ones_empty(q2):
    frame = answers_frame(q2, {})
    view = csf_scores(frame, score_areas(frame), q2)
    functions = list(dict.fromkeys(view["function"]))
    assert functions == [f for f in CSF_FUNCTIONS if f in functions]
    order = list(CSF_CATEGORIES)
    assert list(view["category"]) == sorted(view["category"], key=order.index)
    assert view["score"].isna().all() and (view["questions"] == 0).all()


def test_do_the_results_carry_the_view(q2):
    results = score(q2, {"program-oversight.mfa": Answer("level", 2)}).results()
    pr_aa = next(c for c in results.csf if c.category == "PR.AA")
    assert pr_aa.score == 2.0 and pr_aa.questions == 1
    assert {c.function for c in results.csf} <= set(CSF_FUNCTIONS)
