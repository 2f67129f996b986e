"""The survey page draws its inputs from the form's data (issue 18), and the HTML is the same
as WTForms' widgets wrote.

The reference is main's question block before the change, kept verbatim in
``tests/web/data/survey_question_wtforms.html`` (every radio, textarea and hidden input through
WTForms' widgets). Each test makes a real request; while the page is rendered, the reference is
rendered too with that very request's context (the same form object, its data and errors, the
same conflicts), and every ``<section class="question">`` of both is compared as a parsed tree:
the same elements in the same order, the same attributes and values (in any order; a boolean
attribute is the same written ``checked`` or ``checked=""``), the same text (whitespace
collapsed).
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from flask import template_rendered

from assess.core.questionnaire import get_questionnaire
from assess.web import survey_forms
from tests.factories import csrf_token

QUICK = "ciso-nine-areas-quick"
AREAS = [a.id for a in get_questionnaire(QUICK).areas]
REFERENCE = (Path(__file__).parent / "data" / "survey_question_wtforms.html").read_text()
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}

Node = tuple[str, tuple[tuple[str, str], ...], tuple[Any, ...]]


class Tree(HTMLParser):
    """The elements of an HTML fragment as nested ``(tag, sorted attributes, children)``; text
    as a whitespace-collapsed string (whitespace-only text dropped)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, tuple, list]] = [("#root", (), [])]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = (tag, tuple(sorted((k, v or "") for k, v in attrs)), [])
        self.stack[-1][2].append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1][2].append((tag, tuple(sorted((k, v or "") for k, v in attrs)), []))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        assert self.stack[-1][0] == tag, f"</{tag}> closes <{self.stack[-1][0]}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text:
            self.stack[-1][2].append(text)

    @classmethod
    def of(cls, html: str) -> list[Any]:
        parser = cls()
        parser.feed(html)
        parser.close()
        assert len(parser.stack) == 1, f"unclosed: {[n[0] for n in parser.stack]}"
        return [_freeze(n) for n in parser.stack[0][2]]


def _freeze(node: Any) -> Any:
    if isinstance(node, str):
        return node
    tag, attrs, children = node
    return (tag, attrs, tuple(_freeze(c) for c in children))


def questions(nodes: list[Any]) -> list[Node]:
    """Every ``<section class="question ...">`` (not nested in each other)."""
    found: list[Node] = []
    for node in nodes:
        if isinstance(node, str):
            continue
        tag, attrs, children = node
        if tag == "section" and "question" in dict(attrs).get("class", "").split():
            found.append(node)
        else:
            found.extend(questions(list(children)))
    return found


def attributes(nodes: list[Any], tag: str) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    for node in nodes:
        if isinstance(node, str):
            continue
        if node[0] == tag:
            out.append(dict(node[1]))
        out.extend(attributes(list(node[2]), tag))
    return out


@pytest.fixture
def reference(app):
    """While the survey page renders, render main's widget-drawn question block with the same
    context; the list receives its HTML."""
    rendered: list[str] = []
    source = app.jinja_env.from_string(REFERENCE)

    def record(sender, template, context, **extra):
        if template.name == "survey/page.html" and context.get("editable"):
            rendered.append(source.render(context))

    template_rendered.connect(record, app)
    yield rendered
    template_rendered.disconnect(record, app)


@pytest.fixture
def assessment(factory, login):
    owner = factory.user("owner@example.com")
    login("owner@example.com")
    return factory.assessment(factory.organization(owner), owner, QUICK)


def path_of(assessment, area: str) -> str:
    return f"/assessments/{assessment.id}?area={area}"


def same_questions(response, reference: list[str]) -> list[Node]:
    """The page's question blocks equal the reference's; returns them."""
    assert reference, "the page was not rendered with its form"
    now = questions(Tree.of(response.get_data(as_text=True)))
    before = questions(Tree.of(reference[-1]))
    assert len(now) == len(before) >= 1
    for new, old in zip(now, before, strict=True):
        assert new == old
    return now


def test_is_a_fresh_page_the_same_as_the_widgets_drew_it(client, assessment, reference):
    for area in AREAS:
        response = client.get(path_of(assessment, area))
        assert response.status_code == 200
        blocks = same_questions(response, reference)
        radios = [a for a in attributes(blocks, "input") if a.get("type") == "radio"]
        assert radios and not any("checked" in a for a in radios)


def test_is_a_page_with_answers_and_notes_the_same(client, assessment, reference):
    path = path_of(assessment, AREAS[0])
    note = 'Said "yes" <b>loudly</b> & wrote it down\nsecond line'
    response = client.post(
        path,
        data={
            "csrf_token": csrf_token(client, path),
            "q-1": "3",
            "q-1-note": note,
            "q-2": "unknown",
            "action": "next",
        },
    )
    assert response.status_code == 302
    blocks = same_questions(client.get(path), reference)
    radios = [a for a in attributes(blocks, "input") if a.get("type") == "radio"]
    assert [a["id"] for a in radios if "checked" in a] == ["q-1-3", "q-2-6"]
    assert "second line" in str(blocks[0])


def test_is_a_full_questionnaire_page_with_not_applicable_the_same(client, factory, reference):
    owner = factory.user("full@example.com")
    full = get_questionnaire("ciso-nine-areas")
    area = next(a for a in full.areas if any(q.allow_na for q in a.questions))
    assessment = factory.assessment(factory.organization(owner), owner, "ciso-nine-areas")
    from tests.factories import login_as

    login_as(client, "full@example.com")
    blocks = same_questions(client.get(path_of(assessment, area.id)), reference)
    assert any(a.get("value") == "na" for a in attributes(blocks, "input"))


def test_are_error_states_the_same_with_aria_invalid(client, assessment, reference):
    """A tampered answer and a note without an answer: 422, the messages tied to their
    fields by aria-describedby, the inputs marked aria-invalid, as before."""
    path = path_of(assessment, AREAS[0])
    response = client.post(
        path,
        data={
            "csrf_token": csrf_token(client, path),
            "q-1": "7",
            "q-2-note": "ask the IT provider",
            "action": "next",
        },
    )
    assert response.status_code == 422
    blocks = same_questions(response, reference)
    inputs = attributes(blocks, "input")
    assert all(a.get("aria-invalid") == "true" for a in inputs if a.get("name") == "q-1")
    assert not any("aria-invalid" in a for a in inputs if a.get("name") == "q-2")
    fieldset = attributes(blocks[0:1], "fieldset")[0]
    assert fieldset["aria-describedby"] == "q-1-help q-1-error"
    note = attributes(blocks[1:2], "textarea")[0]
    assert note["aria-invalid"] == "true"
    assert note["aria-describedby"] == "q-2-note-hint q-2-note-error"


@pytest.mark.parametrize("choice", [None, "bogus"])
def test_are_conflict_states_the_same(client, assessment, reference, choice):
    path = path_of(assessment, AREAS[0])
    token = csrf_token(client, path)
    client.post(path, data={"csrf_token": token, "q-1": "4", "q-1-base": "0"})
    response = client.post(path, data={"csrf_token": token, "q-1": "1", "q-1-base": "0"})
    assert response.status_code == 409
    blocks = same_questions(response, reference)
    assert any(a.get("name") == "q-1-resolve" for a in attributes(blocks, "input"))
    again = {"csrf_token": token, "q-1": "1", "q-1-base": "1", "q-1-conflict": "1"}
    if choice:
        again["q-1-resolve"] = choice
    response = client.post(path, data=again)
    assert response.status_code == 422
    blocks = same_questions(response, reference)
    assert "q-1-resolve-error" in {a.get("id") for a in attributes(blocks, "p")}


def test_does_the_comparison_see_a_difference():
    """The tree comparison is not blind: one attribute more, or another value, differs."""
    html = '<section class="question"><input id="a" name="q" type="radio" value="1"></section>'
    same = '<section class="question"><input value="1" type="radio" name="q" id="a" ></section>'
    assert questions(Tree.of(html)) == questions(Tree.of(same))
    checked = html.replace("<input ", "<input checked ")
    assert questions(Tree.of(html)) != questions(Tree.of(checked))
    assert questions(Tree.of(html)) != questions(Tree.of(html.replace('"1"', '"2"')))
    assert questions(Tree.of(checked)) == questions(
        Tree.of(checked.replace("checked", 'checked=""'))
    )


def test_is_an_area_form_class_built_once_per_questionnaire_and_area():
    quick = get_questionnaire(QUICK)
    full = get_questionnaire("ciso-nine-areas")
    first = survey_forms.area_form_class(quick, quick.areas[0])
    assert survey_forms.area_form_class(quick, quick.areas[0]) is first
    assert survey_forms.area_form_class(quick, quick.areas[1]) is not first
    other = survey_forms.area_form_class(full, full.areas[0])
    assert other is not first and quick.areas[0].id == full.areas[0].id
    assert [s.question.id for s in other.slots] == [q.id for q in full.areas[0].questions]


def test_does_a_page_read_only_its_own_areas_history(client, assessment):
    """The history beside each question is read for the page's questions only (it grows with
    the whole assessment's changes otherwise)."""
    from assess.records import answers, changes

    quick = get_questionnaire(QUICK)
    first, second = quick.areas[0], quick.areas[1]
    user = assessment.created_by
    answers.save_answers(assessment, user, {first.questions[0].id: 2, second.questions[0].id: 3})
    answers.save_answers(assessment, user, {first.questions[0].id: 4})
    everything = changes.changes_by_question(assessment)
    assert set(everything) == {first.questions[0].id, second.questions[0].id}
    page = changes.changes_by_question(assessment, [q.id for q in first.questions])
    assert set(page) == {first.questions[0].id}
    assert [c.new_value for c in page[first.questions[0].id]] == ["2", "4"]
    assert changes.changes_by_question(assessment, []) == {}
    html = client.get(path_of(assessment, first.id)).get_data(as_text=True)
    assert "History of this answer (2 changes)" in html


#: Main's evidence blocks of the survey page, one include of ``_evidence.html`` per question.
EVIDENCE_REFERENCE = """
{%- for slot in slots %}{% set q = slot.question %}
  {%- if editable %}{% set evidence_part = "list" %}{% include "_evidence.html" %}
  {%- else %}{% include "_evidence.html" %}{% endif %}
{%- endfor %}
{%- if editable %}{% for slot in slots %}{% set q = slot.question %}{% set evidence_part = "forms" %}
  {%- include "_evidence.html" %}{% endfor %}{% endif %}
"""


def evidence_nodes(nodes: list[Any]) -> list[Node]:
    """Every ``<div class="evidence">`` and every evidence form outside them, in order."""
    found: list[Node] = []
    for node in nodes:
        if isinstance(node, str):
            continue
        tag, attrs, children = node
        named = dict(attrs)
        if (tag == "div" and "evidence" in named.get("class", "").split()) or (
            tag == "form" and named.get("id", "").startswith("evidence-")
        ):
            found.append(node)
        else:
            found.extend(evidence_nodes(list(children)))
    return found


@pytest.fixture
def evidence_reference(app):
    """While the survey page renders (editable or not), render main's evidence includes with
    the same context."""
    rendered: list[str] = []
    source = app.jinja_env.from_string(EVIDENCE_REFERENCE)

    def record(sender, template, context, **extra):
        if template.name == "survey/page.html":
            rendered.append(source.render(context))

    template_rendered.connect(record, app)
    yield rendered
    template_rendered.disconnect(record, app)


def test_are_the_evidence_blocks_the_same_as_the_includes_drew_them(
    app, factory, evidence_reference
):
    """Files and links (one by a former member, titles needing escapes) on a draft, for an
    owner and a contributor (remove buttons, forms after the survey's form), an auditor (read-only
    blocks), and on the submitted assessment: the page's evidence blocks and forms equal
    main's ``_evidence.html`` includes, as parsed trees."""
    from assess.records import assessments, evidence
    from assess.records.database import db
    from tests.factories import login_as

    owner = factory.user("owner@example.com")
    org = factory.organization(owner)
    for role in ("auditor", "contributor"):
        factory.member(org, factory.user(f"{role}@example.com"), role)
    gone = factory.user("gone@example.com")
    quick = get_questionnaire(QUICK)
    first, second = quick.areas[0].questions[0].id, quick.areas[0].questions[1].id
    draft = factory.assessment(org, owner, QUICK)
    submitted = factory.assessment(org, owner, QUICK)
    for target in (draft, submitted):
        evidence.add_file(target, owner, first, "policy <v2>.txt", b"the policy\n", 10**6)
        evidence.add_link(target, owner, first, "https://example.com/a?b=1&c=2", 'Say "<hi>"')
        old = evidence.add_link(target, gone, second, "https://example.com/old")
        old.added_by_id = None
        old.added_by = None
    assessments.submit(submitted, owner)
    db.session.commit()

    seen = 0
    for who in ("owner", "contributor", "auditor"):
        client = app.test_client()
        login_as(client, f"{who}@example.com")
        for target in (draft, submitted):
            response = client.get(path_of(target, AREAS[0]))
            assert response.status_code == 200
            now = evidence_nodes(Tree.of(response.get_data(as_text=True)))
            before = evidence_nodes(Tree.of(evidence_reference[-1]))
            assert len(now) == len(before) >= len(quick.areas[0].questions)
            for new, old_node in zip(now, before, strict=True):
                assert new == old_node
            html = response.get_data(as_text=True)
            assert "Evidence (2)" in html and "a former member" in html
            seen += sum("remove" in str(n) for n in now)
    assert seen, "no remove button or form was compared"
