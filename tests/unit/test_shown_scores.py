"""One rule for shown scores: a score is shown rounded down to one decimal, so the number a
person reads never exceeds the real one and always agrees with the level it is given."""

from __future__ import annotations

import math

from hypothesis import example, given
from hypothesis import strategies as st

from assess.core import charts
from assess.core.scoring import level_of, shown_score
from assess.outputs.presentation import fmt_gap, fmt_score

SCORES = st.floats(min_value=0.0, max_value=5.0, allow_nan=False)
#: Scores as the scoring makes them: weighted means of levels 0–5 (float noise included).
MEANS = st.lists(
    st.tuples(st.integers(0, 5), st.sampled_from([0.5, 1.0, 1.5, 2.0, 3.0])), min_size=1
).map(lambda pairs: sum(level * w for level, w in pairs) / sum(w for _, w in pairs))


@given(st.one_of(SCORES, MEANS))
@example(0.9965)
@example(2.9999999999)
@example(2.2999999999999998)
@example(4.96)
def test_does_the_shown_score_agree_with_its_level_and_never_exceed_the_real_one(score):
    text = fmt_score(score)
    shown = float(text)
    assert text == f"{shown:.1f}"
    assert shown <= score + 1e-6  # never more than reached (float noise aside)
    assert score - shown < 0.1 + 1e-9  # and less than a tenth below it
    assert level_of(score) == min(math.floor(shown), 5)  # "1.0" is level 1, "0.9" level 0
    assert charts._fmt(score) == text  # the charts' labels and hovers show the same


@given(MEANS, st.sampled_from([1.0, 2.0, 3.0, 4.0, 5.0, 2.5]))
def test_does_the_shown_gap_add_up_with_the_shown_score_and_target(score, target):
    gap = max(target - score, 0.0)
    shown = float(fmt_gap(gap, score, target))
    assert shown == max(round(float(fmt_score(target)) - float(fmt_score(score)), 1), 0.0)


def test_is_the_issues_example_level_0_shown_as_0_9():
    """ "1.0 of 5 — level 0" was 0.9965 rounded up for display and down for the level."""
    assert fmt_score(0.9965) == "0.9"
    assert level_of(0.9965) == 0
    assert shown_score(3.0) == 3.0 and level_of(3.0) == 3
