"""The survey: one page per area, the review of what is left, and submission.

Every page is saved when it is sent, whichever button was used; blank questions are simply not
answered yet. A save based on answers someone else changed in the meantime is a conflict: the
page comes back showing both answers and asks which to keep.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from assess.core.questionnaire import Area, Questionnaire
from assess.records import answers, assessments, changes, evidence, reviews
from assess.records.database import db
from assess.records.errors import Conflict, Invalid, Locked
from assess.records.models import Answer as AnswerRow
from assess.records.models import Assessment
from assess.records.questionnaires import questionnaire_for
from assess.web.access import assessment_for, can
from assess.web.errors import back_to
from assess.web.survey_forms import (
    AreaFormBase,
    area_form,
    number_of,
    value_text,
)

#: Ids are 32-bit on every database; larger ones are simply not found.
ASSESSMENT = "/assessments/<int(min=1, max=2147483647):assessment_id>"

bp = Blueprint("survey", __name__)

#: The buttons at the bottom of an area page.
ACTIONS = ("next", "back", "review")


class SubmitForm(FlaskForm):
    """Submit the assessment (CSRF only)."""


# --------------------------------------------------------------------------- helpers


def _area_index(questionnaire: Questionnaire, area: Area) -> int:
    return [a.id for a in questionnaire.areas].index(area.id)


def _progress(questionnaire: Questionnaire, rows: dict[str, AnswerRow]) -> list[dict[str, Any]]:
    """Per area: how many questions, how many answered."""
    return [
        {
            "area": area,
            "total": len(area.questions),
            "answered": sum(1 for q in area.questions if q.id in rows),
        }
        for area in questionnaire.areas
    ]


def _resume_area(questionnaire: Questionnaire, rows: dict[str, AnswerRow]) -> Area | None:
    """The first area with an unanswered question: where the owner stopped."""
    for area in questionnaire.areas:
        if any(q.id not in rows for q in area.questions):
            return area
    return None


def _page_url(assessment: Assessment, area: Area, anchor: str | None = None) -> str:
    return url_for("survey.page", assessment_id=assessment.id, area=area.id, _anchor=anchor)


def _after_save(
    assessment: Assessment, questionnaire: Questionnaire, area: Area, action: str
) -> str:
    index = _area_index(questionnaire, area)
    if action == "back":
        if index == 0:
            return url_for("orgs.show", org_id=assessment.organization_id)
        return _page_url(assessment, questionnaire.areas[index - 1])
    if action == "next" and index + 1 < len(questionnaire.areas):
        return _page_url(assessment, questionnaire.areas[index + 1])
    return url_for("survey.review", assessment_id=assessment.id)


def _conflicts(
    form: AreaFormBase, questionnaire: Questionnaire, rows: dict[str, AnswerRow]
) -> dict[str, dict[str, Any]]:
    """What the page shows for each question in conflict: their answer and yours."""
    result = {}
    for slot in form.in_conflict():
        row = rows.get(slot.question.id)
        theirs = None if row is None else (str(row.level) if row.status == "level" else row.status)
        result[slot.question.id] = {
            "theirs": value_text(questionnaire, theirs),
            "their_note": row.note if row else "",
            "by": _who(row),
            "at": row.updated_at.strftime("%Y-%m-%d %H:%M UTC") if row is not None else "",
            "yours": value_text(questionnaire, form[slot.name].data),
            "your_note": (form[slot.note].data or "").strip(),
        }
    return result


def _who(row: AnswerRow | None) -> str:
    if row is None or row.updated_by is None:
        return "Someone else"
    if row.updated_by_id == current_user.id:
        return "You (in another tab or window)"
    return row.updated_by.email


def _mark_conflicts(form: AreaFormBase, conflict: Conflict) -> None:
    """Show the conflicts: fresh base versions (so "overwrite with mine" can succeed) and a
    choice to make for each."""
    for slot in form.slots:
        info = conflict.questions.get(slot.question.id)
        if info is None:
            continue
        form[slot.base].data = str(info.get("version", 0))
        form[slot.conflict].data = "1"
        form[slot.resolve].data = None
        form[slot.resolve].raw_data = []


# --------------------------------------------------------------------------- views


@bp.route(ASSESSMENT, methods=["GET", "POST"])
@login_required
def page(assessment_id: int):
    """One area of the questionnaire: ``?area=<id>``, or where the owner stopped."""
    need = "answer" if request.method == "POST" else "read"
    assessment, role = assessment_for(current_user, assessment_id, need=need)
    questionnaire = questionnaire_for(assessment)
    rows = answers.answer_rows(assessment)
    editable = can(role, "answer") and not assessment.locked

    area_id = request.args.get("area")
    if area_id:
        area = questionnaire.area_by_id.get(area_id)
        if area is None:
            abort(404, description="This questionnaire has no such area.")
    elif editable:
        area = _resume_area(questionnaire, rows)
        if area is None:
            flash("Every question has an answer. Review them, then see the results.", "info")
            return redirect(url_for("survey.review", assessment_id=assessment.id))
    else:
        area = questionnaire.areas[0]

    status = 200
    if request.method == "POST":
        if assessment.locked:
            flash(
                "This assessment was submitted, so its answers can no longer change. "
                "Nothing was saved. Start a new assessment to record changes.",
                "warning",
            )
            return redirect(url_for("results.show", assessment_id=assessment.id))
        form = area_form(questionnaire, area, rows, formdata=request.form)
        action = request.form.get("action", "next")
        if action not in ACTIONS:
            action = "next"
        if form.validate_on_submit():
            raw, bases = form.answers()
            try:
                answers.save_answers(assessment, current_user, raw, base_versions=bases)
            except Invalid as exc:
                db.session.rollback()
                for qid, message in exc.errors.items():
                    name = form.field_for(qid)
                    if name is not None:
                        form[name].errors = [*form[name].errors, message]
                    else:
                        flash(message, "error")
                status = 422
            except Conflict as exc:
                db.session.rollback()
                _mark_conflicts(form, exc)
                rows = answers.answer_rows(assessment)
                status = 409
            except Locked as exc:
                db.session.rollback()
                flash(f"{exc} Nothing was saved.", "warning")
                return redirect(url_for("results.show", assessment_id=assessment.id))
            else:
                db.session.commit()
                flash(_saved_message(area, raw), "success")
                return redirect(_after_save(assessment, questionnaire, area, action))
        else:
            status = 422
    else:
        form = area_form(questionnaire, area, rows)

    index = _area_index(questionnaire, area)
    progress = _progress(questionnaire, rows)
    question_ids = [q.id for q in area.questions]
    return (
        render_template(
            "survey/page.html",
            assessment=assessment,
            organization=assessment.organization,
            questionnaire=questionnaire,
            area=area,
            index=index,
            form=form,
            slots=form.slots,
            rows=rows,
            editable=editable,
            role=role,
            progress=progress,
            answered=sum(p["answered"] for p in progress),
            total=len(questionnaire.questions),
            conflicts=_conflicts(form, questionnaire, rows) if editable else {},
            previous_area=questionnaire.areas[index - 1] if index > 0 else None,
            next_area=questionnaire.areas[index + 1]
            if index + 1 < len(questionnaire.areas)
            else None,
            value_text=value_text,
            changes=changes.changes_by_question(assessment, question_ids),
            page_evidence=evidence.evidence_of_questions(assessment, question_ids),
            may_add_evidence=can(role, "evidence"),
            may_remove_evidence=editable,
            reviews=reviews.reviews_of(assessment) if assessment.locked else {},
        ),
        status,
    )


def _saved_message(area: Area, raw: dict[str, Any]) -> str:
    if not raw:
        return f"{area.title}: nothing to save yet (no question answered on that page)."
    count = len(raw)
    return f"Saved {count} answer{'s' if count != 1 else ''} in {area.title}."


@bp.route(f"{ASSESSMENT}/review")
@login_required
def review(assessment_id: int):
    """What is still unanswered, per area, before the results and the submission."""
    assessment, role = assessment_for(current_user, assessment_id)
    questionnaire = questionnaire_for(assessment)
    rows = answers.answer_rows(assessment)
    missing = []
    for area in questionnaire.areas:
        questions = [
            (number_of(questionnaire, q.id), q) for q in area.questions if q.id not in rows
        ]
        missing.append({"area": area, "questions": questions, "total": len(area.questions)})
    unknown = sum(1 for row in rows.values() if row.status == "unknown")
    return render_template(
        "survey/review.html",
        assessment=assessment,
        organization=assessment.organization,
        questionnaire=questionnaire,
        missing=missing,
        answered=len(rows),
        total=len(questionnaire.questions),
        unknown=unknown,
        can_submit=can(role, "submit") and not assessment.locked,
        submit_form=SubmitForm(),
        role=role,
    )


@bp.route(f"{ASSESSMENT}/submit", methods=["POST"])
@login_required
@back_to("results.show")  # already submitted (by someone else): the results say so
def submit(assessment_id: int):
    """Lock the answers: a submitted assessment never changes again."""
    assessment, _role = assessment_for(current_user, assessment_id, need="submit")
    form = SubmitForm()
    if not form.validate_on_submit():
        abort(400, description="The form expired. Reload the page and try again.")
    assessments.submit(assessment, current_user)
    db.session.commit()
    flash("Submitted. The answers are locked; these results will not change.", "success")
    return redirect(url_for("results.show", assessment_id=assessment.id))


__all__ = ["bp"]
