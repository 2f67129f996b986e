"""The survey pages: saving, navigating, conflicts, review, submission and accessibility."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from markupsafe import escape

from assess.core.questionnaire import get_questionnaire
from assess.records import answers
from assess.records.database import db
from assess.records.errors import Invalid
from assess.records.models import Answer, Assessment
from tests.factories import csrf_token

QUICK = "ciso-nine-areas-quick"
IDS = list(get_questionnaire(QUICK).questions)  # q-1 is IDS[0], q-2 is IDS[1], ...
AREAS = [a.id for a in get_questionnaire(QUICK).areas]
PER_AREA = [len(a.questions) for a in get_questionnaire(QUICK).areas]
SECOND_AREA_FIRST = PER_AREA[0] + 1  # the number of the second area's first question
LAST_AREA_FIRST = len(IDS) - PER_AREA[-1] + 1  # the number of the last area's first question


@pytest.fixture
def owner(factory, login):
    user = factory.user("owner@example.com")
    login("owner@example.com")
    return user


@pytest.fixture
def assessment(factory, owner):
    return factory.assessment(factory.organization(owner), owner, QUICK)


def page_path(assessment, area: str | None = None) -> str:
    return f"/assessments/{assessment.id}" + (f"?area={area}" if area else "")


def post_page(client, assessment, area: str, data: dict, action: str = "next"):
    token = csrf_token(client, page_path(assessment, area))
    return client.post(
        page_path(assessment, area), data={"csrf_token": token, "action": action, **data}
    )


def saved(assessment) -> dict[str, tuple]:
    db.session.expire_all()
    return {
        qid: (row.status, row.level, row.note)
        for qid, row in answers.answer_rows(assessment).items()
    }


def html_of(response) -> str:
    return response.get_data(as_text=True)


# --------------------------------------------------------------------------- saving


def test_does_a_page_show_every_question_with_its_levels_and_choices(client, assessment):
    html = html_of(client.get(page_path(assessment)))
    assert "Area 1 of 9" in html
    assert f"Answered 0 of {PER_AREA[0]} in this area" in html
    assert f"0 of {len(IDS)} overall" in html
    question = get_questionnaire(QUICK).questions[IDS[0]]
    assert escape(question.text) in html and escape(question.help) in html  # help may quote
    for level in range(6):
        assert f'id="q-1-{level}"' in html
    assert "Level 3 — Defined:</span> " + str(escape(question.levels[3])) in html
    assert 'value="unknown"' in html and "Don&#39;t know" in html
    assert 'value="na"' not in html  # no question of this page allows "not applicable"
    assert "<textarea" in html and 'name="q-1-note"' in html
    assert 'name="q-1-base" type="hidden" value="0"' in html


def test_is_not_applicable_offered_only_where_a_question_allows_it(client, factory, owner):
    full = get_questionnaire("ciso-nine-areas")
    area = next(a for a in full.areas if any(q.allow_na for q in a.questions))
    assessment = factory.assessment(factory.organization(owner), owner, "ciso-nine-areas")
    html = html_of(client.get(page_path(assessment, area.id)))
    assert html.count('value="na"') == sum(q.allow_na for q in area.questions)
    assert "Not applicable" in html


def test_does_saving_a_page_come_back_to_the_next_unanswered_area(client, assessment):
    rest = {f"q-{n}": "1" for n in range(3, PER_AREA[0] + 1)}  # the whole first area
    response = post_page(
        client,
        assessment,
        AREAS[0],
        {"q-1": "3", "q-1-note": "CEO named in writing", "q-2": "unknown", **rest},
    )
    assert response.status_code == 302
    assert response.location.endswith(page_path(assessment, AREAS[1]))
    assert saved(assessment) == {
        IDS[0]: ("level", 3, "CEO named in writing"),
        IDS[1]: ("unknown", None, ""),
        **{IDS[n - 1]: ("level", 1, "") for n in range(3, PER_AREA[0] + 1)},
    }
    # with no area named, the page opens where the owner stopped
    html = html_of(client.get(page_path(assessment)))
    assert "Area 2 of 9" in html and f"{PER_AREA[0]} of {len(IDS)} overall" in html
    # the saved answers are shown checked when the area is opened again
    html = html_of(client.get(page_path(assessment, AREAS[0])))
    assert re.search(r'checked[^>]*id="q-1-3"|id="q-1-3"[^>]*checked', html)
    assert "CEO named in writing" in html


def test_does_back_save_and_keep_the_answers(client, assessment):
    post_page(client, assessment, AREAS[0], {"q-1": "2"})
    k = SECOND_AREA_FIRST
    response = post_page(client, assessment, AREAS[1], {f"q-{k}": "4"}, action="back")
    assert response.status_code == 302
    assert response.location.endswith(page_path(assessment, AREAS[0]))
    assert saved(assessment)[IDS[k - 1]] == ("level", 4, "")
    html = html_of(client.get(page_path(assessment, AREAS[1])))
    assert re.search(rf'checked[^>]*id="q-{k}-4"|id="q-{k}-4"[^>]*checked', html)


def test_does_back_on_the_first_area_go_to_the_organization(client, assessment):
    response = post_page(client, assessment, AREAS[0], {"q-1": "1"}, action="back")
    assert response.location.endswith(f"/organizations/{assessment.organization_id}")
    assert IDS[0] in saved(assessment)


def test_is_a_blank_question_not_an_error(client, assessment):
    response = post_page(client, assessment, AREAS[0], {"q-1": "5"})
    assert response.status_code == 302
    assert saved(assessment) == {IDS[0]: ("level", 5, "")}
    # a page left entirely blank is fine too
    assert post_page(client, assessment, AREAS[1], {}).status_code == 302


def test_does_the_last_page_save_and_go_to_the_review(client, assessment):
    html = html_of(client.get(page_path(assessment, AREAS[-1])))
    assert "Save and review" in html and "Save and next" not in html
    response = post_page(
        client, assessment, AREAS[-1], {f"q-{LAST_AREA_FIRST}": "1"}, action="review"
    )
    assert response.location.endswith(f"/assessments/{assessment.id}/review")
    assert saved(assessment) == {IDS[LAST_AREA_FIRST - 1]: ("level", 1, "")}


@pytest.mark.parametrize("value", ["7", "-1", "na", "high", "3; DROP TABLE answers"])
def test_is_a_tampered_level_an_error_with_nothing_saved(client, assessment, value):
    post_page(client, assessment, AREAS[0], {"q-1": "2"})
    response = post_page(client, assessment, AREAS[0], {"q-1": "4", "q-2": value})
    assert response.status_code == 422
    html = html_of(response)
    assert 'id="q-2-error"' in html and "Choose one of the answers shown" in html
    assert "This page was not saved yet" in html
    # nothing of the page was saved, and what was saved before is kept
    assert saved(assessment) == {IDS[0]: ("level", 2, "")}


def test_is_a_note_over_4000_characters_an_error_beside_the_field(client, assessment):
    response = post_page(client, assessment, AREAS[0], {"q-1": "3", "q-1-note": "x" * 4001})
    assert response.status_code == 422
    html = html_of(response)
    assert re.search(r'id="q-1-note-error">Keep the note to 4,000 characters', html)
    assert saved(assessment) == {}
    # no maxlength: a browser would cut pasted text silently instead of saying so
    assert not re.search(r"<textarea[^>]*maxlength", html)
    assert (
        post_page(client, assessment, AREAS[0], {"q-1": "3", "q-1-note": "x" * 4000}).status_code
        == 302
    )


def test_is_a_note_without_an_answer_kept_and_flagged(client, assessment):
    response = post_page(client, assessment, AREAS[0], {"q-1-note": "ask the IT provider"})
    assert response.status_code == 422
    html = html_of(response)
    assert 'id="q-1-note-error"' in html and "ask the IT provider" in html
    assert saved(assessment) == {}


# --------------------------------------------------------------------------- conflicts


def test_does_a_conflict_between_two_tabs_show_both_answers_and_not_overwrite(client, assessment):
    path = page_path(assessment, AREAS[0])
    token = csrf_token(client, path)
    # two tabs read the page at the same time: both saw version 0 of q-1
    first = {"csrf_token": token, "action": "next", "q-1": "4", "q-1-base": "0"}
    second = {"csrf_token": token, "action": "next", "q-1": "1", "q-1-base": "0", "q-2": "2"}
    assert client.post(path, data=first).status_code == 302
    response = client.post(path, data=second)
    assert response.status_code == 409
    html = html_of(response)
    assert "1 answer on this page changed since you opened it" in html
    assert "You (in another tab or window) changed this answer" in html
    assert "Their answer" in html and "Level 4 — Managed" in html
    assert "Your answer" in html and "Level 1 — Initial" in html
    assert 'name="q-1-resolve"' in html and "Keep theirs" in html and "Overwrite with mine" in html
    # nothing of the second tab was saved: theirs stays, and q-2 waits too
    assert saved(assessment) == {IDS[0]: ("level", 4, "")}
    # the page now carries the fresh version, so "overwrite with mine" can succeed
    assert 'name="q-1-base" type="hidden" value="1"' in html


def conflict_then(client, assessment, choice: str | None):
    path = page_path(assessment, AREAS[0])
    token = csrf_token(client, path)
    client.post(path, data={"csrf_token": token, "q-1": "4", "q-1-base": "0"})
    client.post(path, data={"csrf_token": token, "q-1": "1", "q-1-base": "0", "q-2": "2"})
    again = {
        "csrf_token": token,
        "action": "next",
        "q-1": "1",
        "q-1-base": "1",
        "q-1-conflict": "1",
        "q-2": "2",
    }
    if choice:
        again["q-1-resolve"] = choice
    return client.post(path, data=again)


def test_can_the_user_overwrite_with_mine_after_a_conflict(client, assessment):
    assert conflict_then(client, assessment, "mine").status_code == 302
    assert saved(assessment) == {IDS[0]: ("level", 1, ""), IDS[1]: ("level", 2, "")}


def test_can_the_user_keep_theirs_after_a_conflict(client, assessment):
    assert conflict_then(client, assessment, "theirs").status_code == 302
    assert saved(assessment) == {IDS[0]: ("level", 4, ""), IDS[1]: ("level", 2, "")}


def test_must_the_user_choose_after_a_conflict(client, assessment):
    response = conflict_then(client, assessment, None)
    assert response.status_code == 422
    assert 'id="q-1-resolve-error"' in html_of(response)
    assert saved(assessment) == {IDS[0]: ("level", 4, "")}


# --------------------------------------------------------------------------- review and submit


def test_does_the_review_list_unanswered_questions_by_area(client, factory, owner):
    answers = {qid: 3 for qid in IDS if not qid.startswith("security-budget.")}
    answers[IDS[4]] = "unknown"
    del answers[IDS[6]]
    assessment = factory.assessment(factory.organization(owner), owner, QUICK, answers)
    html = html_of(client.get(f"/assessments/{assessment.id}/review"))
    answered = len(IDS) - PER_AREA[-1] - 1  # the budget area and question 7 are left out
    assert f"{answered} of {len(IDS)} questions answered, 1 of them “Don't know”" in html
    questionnaire = get_questionnaire(QUICK)
    for number in (7, len(IDS) - 1, len(IDS)):
        qid = IDS[number - 1]
        area = questionnaire.area_of[qid].id
        assert f'href="/assessments/{assessment.id}?area={area}#q-{number}-block"' in html
        assert questionnaire.questions[qid].text in html
    assert questionnaire.questions[IDS[0]].text not in html
    assert "See results" in html and "Submit and lock the answers" in html


def test_does_a_complete_assessment_open_on_the_review(client, factory, owner):
    assessment = factory.assessment(
        factory.organization(owner), owner, QUICK, dict.fromkeys(IDS, 2)
    )
    response = client.get(page_path(assessment))
    assert response.status_code == 302
    assert response.location.endswith(f"/assessments/{assessment.id}/review")


def test_is_a_submitted_assessment_read_only(client, assessment):
    post_page(client, assessment, AREAS[0], {"q-1": "3"})
    token = csrf_token(client, f"/assessments/{assessment.id}/review")
    response = client.post(f"/assessments/{assessment.id}/submit", data={"csrf_token": token})
    assert response.status_code == 302
    assert response.location.endswith(f"/assessments/{assessment.id}/results")
    db.session.expire_all()
    assert db.session.get(Assessment, assessment.id).locked

    # the page shows the answers without inputs
    html = html_of(client.get(page_path(assessment, AREAS[0])))
    assert "read-only" in html
    assert 'type="radio"' not in html and "<textarea" not in html
    assert "Level 3 — Defined" in html
    # saving is refused with a clear message, and nothing changes
    response = client.post(
        page_path(assessment, AREAS[0]),
        data={"csrf_token": token, "q-1": "5"},
        follow_redirects=True,
    )
    assert "was submitted" in html_of(response) and "Nothing was saved" in html_of(response)
    assert saved(assessment) == {IDS[0]: ("level", 3, "")}
    # submitting twice says so; the review no longer offers it
    assert "Submit and lock" not in html_of(client.get(f"/assessments/{assessment.id}/review"))
    again = client.post(
        f"/assessments/{assessment.id}/submit", data={"csrf_token": token}, follow_redirects=True
    )
    assert "already submitted" in html_of(again)


# --------------------------------------------------------------------------- roles


def test_do_auditors_read_but_get_403_on_saving(client, factory, login):
    owner = factory.user("owner@example.com")
    org = factory.organization(owner)
    assessment = factory.assessment(org, owner, QUICK, {IDS[0]: 2})
    auditor = factory.user("audit@example.com")
    factory.member(org, auditor, "auditor")
    login("audit@example.com")
    page = client.get(page_path(assessment, AREAS[0]))
    assert page.status_code == 200
    assert 'type="radio"' not in html_of(page) and "Level 2 — Repeatable" in html_of(page)
    token = csrf_token(client, page_path(assessment, AREAS[0]))
    response = client.post(page_path(assessment, AREAS[0]), data={"csrf_token": token, "q-1": "5"})
    assert response.status_code == 403
    response = client.post(f"/assessments/{assessment.id}/submit", data={"csrf_token": token})
    assert response.status_code == 403
    assert saved(assessment) == {IDS[0]: ("level", 2, "")}


def test_can_a_contributor_save_answers(client, factory, login):
    owner = factory.user("owner@example.com")
    org = factory.organization(owner)
    assessment = factory.assessment(org, owner, QUICK)
    helper = factory.user("helper@example.com")
    factory.member(org, helper, "contributor")
    login("helper@example.com")
    assert post_page(client, assessment, AREAS[0], {"q-1": "3"}).status_code == 302
    row = db.session.query(Answer).one()
    assert row.updated_by_id == helper.id


def test_is_an_unknown_area_404(client, assessment):
    assert client.get(page_path(assessment, "no-such-area")).status_code == 404


# --------------------------------------------------------------------------- accessibility


class Controls(HTMLParser):
    """Every form control of a page, the labels' ``for`` targets, and the fieldsets' legends."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict[str, str | None]] = []
        self.label_for: set[str] = set()
        self.fieldsets = 0
        self.legends = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("input", "select", "textarea"):
            self.controls.append({"tag": tag, **attrs})
        elif tag == "label" and attrs.get("for"):
            self.label_for.add(attrs["for"])
        elif tag == "fieldset":
            self.fieldsets += 1
        elif tag == "legend":
            self.legends += 1


@pytest.mark.parametrize("area", [AREAS[0], AREAS[4]])
def test_does_every_survey_input_have_a_label(client, assessment, area):
    parser = Controls()
    parser.feed(html_of(client.get(page_path(assessment, area))))
    visible = [c for c in parser.controls if c.get("type") not in ("hidden", "submit", "button")]
    assert len(visible) >= 2 * 8  # two questions: 6 levels + don't know, and a note each
    for control in visible:
        assert control.get("id"), control
        assert control["id"] in parser.label_for, f"no <label for> for {control}"
    # each radio group sits in a fieldset with a legend
    assert parser.fieldsets == parser.legends >= 2


def test_does_every_conflict_control_have_a_label(client, assessment):
    path = page_path(assessment, AREAS[0])
    token = csrf_token(client, path)
    client.post(path, data={"csrf_token": token, "q-1": "4", "q-1-base": "0"})
    parser = Controls()
    parser.feed(html_of(client.post(path, data={"csrf_token": token, "q-1": "1", "q-1-base": "0"})))
    visible = [c for c in parser.controls if c.get("type") not in ("hidden", "submit", "button")]
    assert any(c.get("name") == "q-1-resolve" for c in visible)
    for control in visible:
        assert control["id"] in parser.label_for, f"no <label for> for {control}"


def test_does_an_error_from_the_store_land_beside_its_question(client, assessment, monkeypatch):
    def refuse(*args, **kwargs):
        raise Invalid({IDS[1]: "This answer is not allowed."})

    monkeypatch.setattr(answers, "save_answers", refuse)
    response = post_page(client, assessment, AREAS[0], {"q-1": "3", "q-2": "2"})
    assert response.status_code == 422
    assert re.search(r'id="q-2-error">This answer is not allowed.<', html_of(response))


def test_are_ids_unique_on_a_survey_page_with_a_conflict(client, assessment):
    path = page_path(assessment, AREAS[0])
    token = csrf_token(client, path)
    client.post(path, data={"csrf_token": token, "q-1": "4", "q-1-base": "0"})
    html = html_of(client.post(path, data={"csrf_token": token, "q-1": "1", "q-1-base": "0"}))
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
