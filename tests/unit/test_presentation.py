"""Presentation: one wording and one format for each kind of value, on pages, PDFs and the
terminal. (Each function's cases are its doctests; these check that the parts agree.)"""

from __future__ import annotations

import html

import pytest

from assess.core import charts
from assess.outputs import pdf, presentation
from assess.outputs.presentation import (
    answer_text,
    fmt_delta,
    fmt_money,
    fmt_score,
    level_text,
)


def test_are_numbers_shown_as_people_read_them():
    assert fmt_score(2.449) == "2.4"
    assert fmt_money(123000) == "$123,000"
    assert fmt_money(69000.4) == "$69,000"
    assert fmt_delta(-0.04) == "0.0"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, "Not answered"),
        ("na", "Not applicable"),
        ("unknown", "Don't know"),
        (2, "Level 2 — Repeatable"),
        ({"status": "level", "level": 2}, "Level 2 — Repeatable"),
        ({"status": "unknown", "level": None}, "Don't know"),
    ],
)
def test_does_every_answer_read_one_way(mini, value, text):
    assert answer_text(value, mini) == text


def test_are_the_labels_the_charts_words_in_sentence_case():
    """The hovers say "don't know" in running text; a label says "Don't know"."""
    assert presentation.DONT_KNOW.lower() == charts.DONT_KNOW
    assert presentation.NOT_APPLICABLE.lower() == charts.NOT_APPLICABLE
    assert presentation.NOT_ANSWERED.lower() == charts.NOT_ANSWERED


def test_does_a_level_read_the_same_with_a_questionnaire_or_a_name(mini):
    assert level_text(3, mini) == level_text(3, mini.label(3)) == f"Level 3 — {mini.label(3)}"


def test_are_the_filters_registered_on_pages_and_pdfs(app):
    for env in (app.jinja_env, pdf.environment()):
        for name, function in presentation.FILTERS.items():
            assert env.filters[name] is function
    rendered = app.jinja_env.from_string("{{ 2.449 | score }} {{ 'unknown' | answer }}").render()
    assert html.unescape(rendered) == "2.4 Don't know"
