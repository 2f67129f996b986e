"""One assessment: its answers, targets, results and submission."""

from __future__ import annotations

from flask import Response, g, request

from assess.records import answers, assessments
from assess.records.database import db
from assess.records.errors import Invalid
from assess.records.questionnaires import questionnaire_for
from assess.web.access import NO_SUCH_ASSESSMENT, assessment_for, check_role
from assess.web.api.common import (
    ID,
    bp,
    json_object,
    require_object,
    require_token,
    require_token_and_assessment,
)


def _whole(value: object) -> bool:
    """A whole number as JSON Schema's ``integer`` counts one: 3 and 3.0, never true."""
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


@bp.get(f"/assessments/<{ID}:assessment_id>")
@require_token
def assessment(assessment_id: int):
    found, _ = assessment_for(g.api_user, assessment_id)
    return assessments.assessment_summary(found)


@bp.delete(f"/assessments/<{ID}:assessment_id>")
@require_token
def delete_assessment(assessment_id: int):
    """Delete a draft (owner): 204. A submitted assessment is a record: 409."""
    found, _ = assessment_for(g.api_user, assessment_id, "manage")
    assessments.delete_draft(found)
    db.session.commit()
    return "", 204


@bp.patch(f"/assessments/<{ID}:assessment_id>/answers")
@require_token
def save_answers(assessment_id: int):
    found, _ = assessment_for(g.api_user, assessment_id, "answer")
    body = json_object({"answers", "base_versions"}, required={"answers"})
    given = require_object(body, "answers")
    base_versions = None
    if body.get("base_versions") is not None:
        base_versions = require_object(body, "base_versions")
        known = questionnaire_for(found).questions
        bad = {
            qid: "A base version is a whole number of at least 0."
            for qid, version in base_versions.items()
            if not _whole(version) or version < 0
        }
        bad.update(
            {qid: f"unknown question id {qid!r}" for qid in base_versions if qid not in known}
        )
        if bad:
            raise Invalid(bad, message="Some base versions are not valid; nothing was saved.")
        base_versions = {qid: int(version) for qid, version in base_versions.items()}
    clear = tuple(qid for qid, value in given.items() if value is None)
    values = {qid: value for qid, value in given.items() if value is not None}
    answers.save_answers(found, g.api_user, values, base_versions=base_versions, clear=clear)
    db.session.commit()
    return assessments.assessment_summary(found)


@bp.route(f"/assessments/<{ID}:assessment_id>/targets", methods=["PUT", "PATCH"])
@require_token
def set_targets(assessment_id: int):
    """PATCH changes the areas it names; PUT replaces them all (areas left out go back to
    the proposed target). ``null`` is the proposed target."""
    found, _ = assessment_for(g.api_user, assessment_id, "manage")
    targets = require_object(json_object({"targets"}, required={"targets"}), "targets")
    bad = {
        area: "A target is a number from 0 to 5, or null for the proposed one."
        for area, value in targets.items()
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float))
    }
    if bad:
        raise Invalid(bad, message="Some targets are not valid; nothing was changed.")
    if request.method == "PUT":
        areas = questionnaire_for(found).area_by_id
        targets = {**dict.fromkeys(areas), **targets}
    assessments.set_targets(found, targets)
    db.session.commit()
    return assessments.results_document(found).model_dump(mode="json")


@bp.get(f"/assessments/<{ID}:assessment_id>/results")
@require_token_and_assessment
def results(assessment_id: int):
    # A submitted assessment's results are sent as the database keeps them: no decoding,
    # validating and encoding again of tens of KB on every request.
    caller = g.api_caller
    check_role(caller.role, "read", NO_SUCH_ASSESSMENT)
    stored = caller.current_results(assessment_id)
    if stored is not None:
        return Response(stored, mimetype="application/json")
    found, _ = assessment_for(g.api_user, assessment_id)
    return assessments.results_document(found).model_dump(mode="json")


@bp.post(f"/assessments/<{ID}:assessment_id>/submit")
@require_token
def submit(assessment_id: int):
    found, _ = assessment_for(g.api_user, assessment_id, "submit")
    assessments.submit(found, g.api_user)
    db.session.commit()
    return assessments.assessment_summary(found)
