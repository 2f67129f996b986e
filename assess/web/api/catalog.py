"""The API's own description and the shipped questionnaires."""

from __future__ import annotations

from flask import abort, jsonify

from assess.core.questionnaire import shipped_questionnaires
from assess.web import openapi
from assess.web.api.common import (
    bp,
    questionnaire_brief,
    require_token,
)


@bp.get("/openapi.json")
def openapi_document():
    return jsonify(openapi.document())


@bp.get("/questionnaires")
@require_token
def questionnaires():
    shipped = shipped_questionnaires()
    return {"questionnaires": [questionnaire_brief(q) for _, q in sorted(shipped.items())]}


@bp.get("/questionnaires/<questionnaire_id>")
@require_token
def questionnaire(questionnaire_id: str):
    found = shipped_questionnaires().get(questionnaire_id)  # ids only, never a file path
    if found is None:
        abort(404, description="No such questionnaire.")
    return {**found.model_dump(mode="json"), "hash": found.content_hash}
