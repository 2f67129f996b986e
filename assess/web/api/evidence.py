"""Evidence behind answers: list, attach (a file or a link), download, remove."""

from __future__ import annotations

from flask import abort, g, request, url_for

from assess.records import evidence
from assess.records.database import db
from assess.records.errors import Invalid
from assess.web.access import assessment_for, evidence_for
from assess.web.api.common import ID, bp, created, json_object, require_token
from assess.web.evidence_files import add_upload, download

ANSWER = f"/assessments/<{ID}:assessment_id>/answers/<question_id>/evidence"


@bp.get(ANSWER, endpoint="answer_evidence")
@require_token
def list_evidence(assessment_id: int, question_id: str):
    found, _ = assessment_for(g.api_user, assessment_id)
    items = evidence.evidence_for_question(found, question_id)
    return {"evidence": [evidence.evidence_dict(item) for item in items]}


@bp.post(ANSWER)
@require_token
def add_evidence(assessment_id: int, question_id: str):
    """A file (multipart/form-data, field ``file``) or a link (JSON ``{url, title}``); any
    member, on a draft or a submitted assessment."""
    found, _ = assessment_for(g.api_user, assessment_id, "evidence")
    if request.mimetype == "multipart/form-data":
        unknown = sorted((set(request.form) | set(request.files)) - {"file"})
        if unknown:
            raise Invalid({key: "Unknown field." for key in unknown})
        upload = request.files.get("file")
        if upload is None:
            raise Invalid({"file": "This field is required."})
        item = add_upload(found, g.api_user, question_id, upload)
    elif request.is_json:
        body = json_object({"url", "title"}, required={"url"})
        item = evidence.add_link(found, g.api_user, question_id, body["url"], body.get("title"))
    else:
        abort(
            400,
            description="Send a file as multipart/form-data (field 'file'), "
            "or a link as JSON {url, title}.",
        )
    db.session.commit()
    return created(evidence.evidence_dict(item), url_for("api.evidence", evidence_id=item.id))


@bp.get(f"/evidence/<{ID}:evidence_id>", endpoint="evidence")
@require_token
def get_evidence(evidence_id: int):
    """A file as an attachment; a link as its JSON document."""
    item, _, _ = evidence_for(g.api_user, evidence_id)
    return download(item)


@bp.delete(f"/evidence/<{ID}:evidence_id>")
@require_token
def delete_evidence(evidence_id: int):
    item, found, _ = evidence_for(g.api_user, evidence_id, "answer")
    sha256 = item.sha256
    evidence.remove(item, found)
    db.session.commit()
    evidence.discard_unused_file(sha256)
    return "", 204
