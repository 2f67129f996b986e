"""Documents: YAML and JSON read into plain data with the line of every place in them."""

from __future__ import annotations

import pytest

from assess.core.documents import (
    Document,
    load_document,
    parse_yaml,
    place_of,
    read_text,
    resource_dir,
)
from assess.core.errors import InputError
from tests.conftest import ROOT

TEXT = """\
id: mini
areas:
  - id: alpha
    questions:
      - id: alpha.one
        levels: {0: a0, 1: a1}
"""


def test_are_places_written_as_the_messages_show_them():
    assert place_of(("areas", 0, "questions", 1, "levels")) == "areas[0].questions[1].levels"
    assert place_of(("answers", "alpha.one")) == "answers.alpha.one"
    assert place_of((2, "x")) == "[2].x"
    assert place_of(()) == "(top level)"


def test_does_every_place_know_its_line():
    doc = parse_yaml(TEXT, "q.yaml")
    assert doc.data["areas"][0]["questions"][0]["levels"] == {0: "a0", 1: "a1"}
    assert doc.file == "q.yaml"
    assert doc.line_of(()) == 1
    assert doc.line_of(("id",)) == 1
    assert doc.line_of(("areas",)) == 2
    assert doc.line_of(("areas", 0)) == 3
    assert doc.line_of(("areas", 0, "questions", 0, "id")) == 5
    assert doc.line_of(("areas", 0, "questions", 0, "levels", 1)) == 6


def test_does_a_missing_place_take_the_line_of_the_nearest_one_that_exists():
    doc = parse_yaml(TEXT, "q.yaml")
    assert doc.line_of(("areas", 0, "questions", 0, "weight")) == 5  # the question's line
    assert doc.line_of(("nowhere", "at", "all")) == 1
    assert Document(data=None, file="empty.yaml").line_of(("x",)) is None


def test_does_an_error_name_the_file_the_line_and_the_place():
    doc = parse_yaml(TEXT, "q.yaml")
    error = doc.error(("areas", 0, "questions", 0, "levels"), "level 2 missing")
    assert str(error) == "q.yaml:6: areas[0].questions[0].levels: level 2 missing"
    assert str(doc.error((), "must be a mapping")) == "q.yaml:1: (top level): must be a mapping"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a: [1, 2\n", "x.yaml:2: malformed YAML"),
        ("a: 1\nb:\n  - c\n d: 2\n", "x.yaml:4: malformed YAML"),
        ("a: 1\nb: 2\na: 3\n", "x.yaml:3: duplicate key 'a' (first on line 1)"),
        ("top:\n  k: 1\n  k: 2\n", "x.yaml:3: top: duplicate key 'k' (first on line 2)"),
    ],
)
def test_is_bad_yaml_one_input_error_with_its_line(text, shown):
    with pytest.raises(InputError) as caught:
        parse_yaml(text, "x.yaml")
    assert str(caught.value).startswith(shown)
    assert "\n" not in str(caught.value)


def test_is_an_empty_document_none_with_no_lines():
    doc = parse_yaml("", "empty.yaml")
    assert doc.data is None and doc.lines == {}


def test_are_json_documents_read_with_lines_and_their_errors_named(tmp_path):
    good = tmp_path / "p.json"
    good.write_text('{\n  "employees": 40,\n  "industry": "retail"\n}\n')
    doc = load_document(good, "profile")
    assert doc.data == {"employees": 40, "industry": "retail"}
    assert doc.line_of(("industry",)) == 3
    bad = tmp_path / "bad.json"
    bad.write_text('{\n  "employees": 40,\n}\n')
    with pytest.raises(InputError, match=r"bad\.json:3: malformed JSON"):
        load_document(bad, "profile")


def test_are_unreadable_files_input_errors_that_say_why(tmp_path):
    with pytest.raises(InputError) as caught:
        read_text(tmp_path / "none.yaml", "answers file")
    assert str(caught.value) == f"{tmp_path / 'none.yaml'}: answers file not found"
    with pytest.raises(InputError, match="is a directory, not a file"):
        read_text(tmp_path, "policy")
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("név: é\n".encode("latin-1"))
    with pytest.raises(InputError, match=r"profile is not UTF-8 text \(byte 1\)"):
        load_document(latin, "profile")


def test_are_the_shipped_folders_found_in_a_checkout():
    for name in ("templates", "static", "questionnaires", "migrations"):
        assert resource_dir(name).is_dir(), name
    assert resource_dir("questionnaires") == ROOT / "questionnaires"
