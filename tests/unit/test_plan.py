"""The action plan's pure rules (assess/core/plan.py): overdue, progress in words, and what
later submissions say about an item's goal."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from assess.core import plan

T0 = datetime(2026, 1, 1, 9)
TODAY = date(2026, 6, 1)


def sub(number: int, days: int, **levels: int) -> plan.Submission:
    return plan.Submission(number, f"#{number}", T0 + timedelta(days=days), levels)


def test_is_an_item_overdue_only_after_its_day_and_while_open():
    due = date(2026, 5, 31)
    assert plan.is_overdue(due, "open", TODAY) and plan.is_overdue(due, "in_progress", TODAY)
    assert not plan.is_overdue(due, "done", TODAY)
    assert not plan.is_overdue(due, "risk_accepted", TODAY)
    assert not plan.is_overdue(TODAY, "open", TODAY)
    assert not plan.is_overdue(None, "open", TODAY)


def test_does_the_progress_read_as_the_pages_say_it():
    later = TODAY + timedelta(days=30)
    items = [("done", None)] * 7 + [("open", date(2026, 1, 1))] * 2 + [("open", later)] * 3
    assert plan.progress(items, TODAY).text == "7 of 12 done, 2 overdue"
    # Open items without a date can never be overdue: the text says how many there are.
    items = items[:9] + [("open", None)] * 3
    assert plan.progress(items, TODAY).text == "7 of 12 done, 2 overdue, 3 with no due date"


STATUS = st.sampled_from(plan.STATUSES)
DUE = st.one_of(st.none(), st.dates(date(2025, 1, 1), date(2027, 1, 1)))


@given(st.lists(st.tuples(STATUS, DUE), max_size=30))
def test_do_the_progress_counts_add_up(items):
    p = plan.progress(items, TODAY)
    assert p.total == len(items)
    assert p.done + p.risk_accepted + p.overdue <= p.total
    assert p.overdue == sum(1 for s, d in items if s not in plan.CLOSED and d and d < TODAY)
    assert p.as_dict()["text"] == p.text


def test_is_the_goal_met_in_the_latest_later_submission_only():
    source, met, fell = sub(1, 0, q=1), sub(2, 30, q=2), sub(3, 60, q=1)
    assert plan.met_in("q", 2, [source, met], T0, source_id=1) == met
    assert plan.met_in("q", 2, [source, met, fell], T0, source_id=1) is None
    # A submission that did not ask the question says nothing: the one before decides.
    assert plan.met_in("q", 2, [source, met, sub(4, 90, other=5)], T0, source_id=1) == met
    # The source itself and what came before the baseline never count.
    assert plan.met_in("q", 1, [source], T0 - timedelta(days=1), source_id=1) is None
    assert plan.met_in("q", 2, [met], T0 + timedelta(days=40), source_id=None) is None
    # Free items (no question or no goal) are never met by a submission.
    assert plan.met_in(None, 2, [met], T0) is None and plan.met_in("q", None, [met], T0) is None


@given(
    st.lists(
        st.tuples(st.integers(0, 90), st.one_of(st.none(), st.integers(0, 5))),
        max_size=8,
        unique_by=lambda t: t[0],
    ),
    st.integers(1, 5),
    st.integers(0, 90),
)
def test_is_met_in_always_a_later_submission_at_the_goal(answers, goal, after):
    submissions = [
        sub(i + 2, days, **({} if level is None else {"q": level}))
        for i, (days, level) in enumerate(answers)
    ]
    baseline = T0 + timedelta(days=after)
    found = plan.met_in("q", goal, submissions, baseline, source_id=None)
    later = [s for s in submissions if s.submitted_at > baseline and "q" in s.levels]
    if found is None:
        assert not later or max(later, key=lambda s: s.submitted_at).levels["q"] < goal
    else:
        assert found.submitted_at > baseline and found.levels["q"] >= goal
        assert found == max(later, key=lambda s: s.submitted_at)


def test_does_only_a_later_fall_below_the_goal_of_a_done_item_regress():
    done_at = T0 + timedelta(days=10)
    below, at = sub(5, 20, q=1), sub(6, 20, q=2)
    assert plan.regressed("done", "q", 2, done_at, below)
    assert not plan.regressed("done", "q", 2, done_at, at)
    assert not plan.regressed("in_progress", "q", 2, done_at, below)
    assert not plan.regressed("done", "q", 2, T0 + timedelta(days=30), below)
    assert not plan.regressed("done", "q", 2, done_at, sub(7, 20, other=0))
    assert not plan.regressed("done", None, 2, done_at, below)
