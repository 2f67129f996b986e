"""The auditor's reviews page, an area at a time: one form and one Save per area, what each
level means, the dates, a filter to the answers not reviewed yet; the owners' replies; and
the auditor's sign-off (attestation) of a submitted assessment."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from assess.core import comparison
from assess.records import attestations, history, reviews
from assess.records.answers import answer_rows, answers_of
from assess.records.database import db
from assess.records.errors import Invalid
from assess.records.questionnaires import questionnaire_for
from assess.web.access import assessment_for, can
from assess.web.errors import back_to

ASSESSMENT = "/assessments/<int(min=1, max=2147483647):assessment_id>"
QUESTION = "<string(maxlength=120):question_id>"
#: The ``?show=`` filter: every answer, or only those without a review yet.
FILTERS = ("all", "unreviewed")
#: A verdict on the form: a level, a request for evidence, or a comment without a level.
EVIDENCE, NO_LEVEL = "request_evidence", "none"

bp = Blueprint("reviews", __name__)


def _area(questionnaire: Any, area_id: str | None, saved: dict[str, Any], show: str) -> Any:
    """The area asked for; without one, the first area with an answer left to review (under
    the filter) or else the first area."""
    if area_id:
        area = questionnaire.area_by_id.get(area_id)
        if area is None:
            abort(404, description="This questionnaire has no such area.")
        return area
    if show == "unreviewed":
        for area in questionnaire.areas:
            if any(q.id not in saved for q in area.questions):
                return area
    return questionnaire.areas[0]


def _verdict(raw: str) -> dict[str, Any] | None:
    """A form's verdict as the fields of a review (None: no verdict chosen)."""
    if raw == EVIDENCE:
        return {"status": EVIDENCE, "verified_level": None}
    if raw == NO_LEVEL:
        return {"status": "verified", "verified_level": None}
    if raw in {"0", "1", "2", "3", "4", "5"}:
        return {"status": "verified", "verified_level": int(raw)}
    return None


def _items(area: Any, form: Any) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The reviews an area's form asks for, and the problems of the form itself."""
    items, errors = [], {}
    for q in area.questions:
        if f"v-{q.id}" not in form and f"c-{q.id}" not in form:
            continue  # not on the page (the filter hid it)
        raw, comment = form.get(f"v-{q.id}", ""), form.get(f"c-{q.id}", "")
        verdict = _verdict(raw)
        if verdict is None:
            if raw:
                errors[q.id] = "Choose one of the verdicts offered."
            elif comment.strip():
                errors[q.id] = "Choose a verdict for this comment (a level or a request)."
            continue
        items.append({"question_id": q.id, "comment": comment, **verdict})
    return items, errors


@bp.route(f"{ASSESSMENT}/reviews", methods=["GET", "POST"], endpoint="show")
@login_required
def show(assessment_id: int):
    assessment, role = assessment_for(current_user, assessment_id)
    questionnaire = questionnaire_for(assessment)
    show_filter = request.args.get("show", "all")
    if show_filter not in FILTERS:
        show_filter = "all"
    saved = reviews.reviews_of(assessment)
    area = _area(questionnaire, request.args.get("area"), saved, show_filter)
    errors: dict[str, str] = {}
    if request.method == "POST":
        assessment, role = assessment_for(current_user, assessment_id, "review")
        items, errors = _items(area, request.form)
        if not errors:
            try:
                done = reviews.save_reviews(assessment, current_user, items)
            except Invalid as exc:
                db.session.rollback()
                errors = dict(exc.errors)
            else:
                new = sum(1 for r in done if r.id not in {s.id for s in saved.values()})
                db.session.commit()
                flash(
                    f"{area.title}: {new} review{'s' if new != 1 else ''} recorded."
                    if new
                    else f"{area.title}: nothing changed, nothing recorded.",
                    "success",
                )
                return redirect(
                    url_for(
                        "reviews.show",
                        assessment_id=assessment.id,
                        area=area.id,
                        show=show_filter,
                    )
                )
        saved = reviews.reviews_of(assessment)
    questions = [
        q for q in area.questions if show_filter == "all" or q.id not in saved or q.id in errors
    ]
    reviewed = {a.id: sum(1 for q in a.questions if q.id in saved) for a in questionnaire.areas}
    return (
        render_template(
            "reviews/show.html",
            assessment=assessment,
            org=assessment.organization,
            role=role,
            questionnaire=questionnaire,
            area=area,
            questions=questions,
            show=show_filter,
            answers=answers_of(assessment),
            rows=answer_rows(assessment),
            reviews=saved,
            earlier=reviews.earlier_reviews(assessment),
            reviewed=reviewed,
            verified=comparison.verified_scores(history.snapshot(assessment)),
            attestations=attestations.attestations_of(assessment),
            can_review=can(role, "review") and assessment.locked,
            can_reply=can(role, "reply") and assessment.locked,
            can_attest=can(role, "attest") and assessment.locked,
            form=request.form if errors else {},
            errors=errors,
        ),
        422 if errors else 200,
    )


@bp.post(f"{ASSESSMENT}/reviews/{QUESTION}/replies", endpoint="reply")
@login_required
@back_to("reviews.show")
def reply(assessment_id: int, question_id: str):
    """An owner answers the current review of one answer (the level never changes)."""
    assessment, _ = assessment_for(current_user, assessment_id, "reply")
    questionnaire = questionnaire_for(assessment)
    area = questionnaire.area_of.get(question_id)
    target = url_for("reviews.show", assessment_id=assessment.id, area=area.id if area else None)
    try:
        reviews.reply(assessment, current_user, question_id, request.form.get("comment", ""))
    except Invalid as exc:
        db.session.rollback()
        flash("The reply was not saved: " + "; ".join(exc.errors.values()), "error")
        return redirect(f"{target}#r-{question_id}")
    db.session.commit()
    flash("Your reply was added to the review.", "success")
    return redirect(f"{target}#r-{question_id}")


@bp.post(f"{ASSESSMENT}/attestation", endpoint="attest")
@login_required
@back_to("reviews.show")  # a draft (Locked): flashed, back to the reviews page
def attest(assessment_id: int):
    """An auditor signs a submitted assessment off."""
    assessment, _ = assessment_for(current_user, assessment_id, "attest")
    try:
        attestations.attest(assessment, current_user, request.form.get("statement", ""))
    except Invalid as exc:
        db.session.rollback()
        flash("Not signed off: " + "; ".join(exc.errors.values()), "error")
        return redirect(url_for("reviews.show", assessment_id=assessment.id) + "#sign-off")
    db.session.commit()
    flash("The assessment is signed off with your name and today's date.", "success")
    return redirect(url_for("results.show", assessment_id=assessment.id) + "#sign-off")
