"""Errors the user can act on: one line naming the file, the line, the place and the problem."""

from __future__ import annotations

import pytest

from assess.core.errors import InputError, InputErrors


@pytest.mark.parametrize(
    ("where", "shown"),
    [
        ({"file": "a.yaml", "line": 3, "place": "answers.x"}, "a.yaml:3: answers.x: is wrong"),
        ({"file": "a.yaml", "line": 3}, "a.yaml:3: is wrong"),
        ({"file": "a.yaml"}, "a.yaml: is wrong"),
        ({"file": "a.yaml", "place": "areas[0]"}, "a.yaml: areas[0]: is wrong"),
        ({"place": "answers.x"}, "answers.x: is wrong"),
        ({"line": 3}, "is wrong"),  # a line without a file says nothing
        ({}, "is wrong"),
    ],
)
def test_does_an_input_error_name_what_it_knows_of_where(where, shown):
    error = InputError("is wrong", **where)
    assert str(error) == shown
    assert error.message == "is wrong"
    assert (error.file, error.line, error.place) == (
        where.get("file"),
        where.get("line"),
        where.get("place"),
    )


def test_is_an_input_error_a_value_error_with_its_line_as_argument():
    """Callers that catch ValueError catch it too, and its args are the shown line."""
    error = InputError("is wrong", file="a.yaml", line=2)
    assert isinstance(error, ValueError)
    assert error.args == ("a.yaml:2: is wrong",)


def test_do_several_errors_show_one_line_each_and_act_as_the_first():
    first = InputError("first problem", file="q.yaml", line=4, place="areas[0].id")
    second = InputError("second problem", file="q.yaml", line=9)
    errors = InputErrors([first, second])
    assert str(errors).splitlines() == [
        "q.yaml:4: areas[0].id: first problem",
        "q.yaml:9: second problem",
    ]
    assert isinstance(errors, InputError)
    assert errors.errors == [first, second]
    assert (errors.message, errors.file, errors.line, errors.place) == (
        "first problem",
        "q.yaml",
        4,
        "areas[0].id",
    )


def test_does_one_error_among_several_still_show_as_itself():
    only = InputError("the problem", file="q.yaml", line=1)
    assert str(InputErrors([only])) == "q.yaml:1: the problem"
