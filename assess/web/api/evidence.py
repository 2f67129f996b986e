"""Evidence behind answers and plan items: list, attach (a file or a link), download, remove."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, g, request, url_for
from werkzeug.datastructures import FileStorage

from assess.records import evidence
from assess.records.database import db
from assess.records.errors import Invalid
from assess.records.models import Evidence
from assess.web.access import action_for, assessment_for, evidence_for
from assess.web.api.common import ID, bp, created, json_object, require_token
from assess.web.evidence_files import add_upload, add_upload_to_action, download

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
    return _attach(
        lambda upload: add_upload(found, g.api_user, question_id, upload),
        lambda url, title: evidence.add_link(found, g.api_user, question_id, url, title),
    )


@bp.post(f"/actions/<{ID}:action_id>/evidence")
@require_token
def add_action_evidence(action_id: int):
    """The same, on a plan item: any member (auditors too, as on answers), whatever the
    item's status."""
    item, _ = action_for(g.api_user, action_id, "evidence")
    return _attach(
        lambda upload: add_upload_to_action(item, g.api_user, upload),
        lambda url, title: evidence.add_link_to_action(item, g.api_user, url, title),
    )


def _attach(add_file: Callable[[FileStorage], Evidence], add_link: Callable[[Any, Any], Evidence]):
    if request.mimetype == "multipart/form-data":
        unknown = sorted((set(request.form) | set(request.files)) - {"file"})
        if unknown:
            raise Invalid({key: "Unknown field." for key in unknown})
        upload = request.files.get("file")
        if upload is None:
            raise Invalid({"file": "This field is required."})
        item = add_file(upload)
    elif request.is_json:
        body = json_object({"url", "title"}, required={"url"})
        item = add_link(body["url"], body.get("title"))
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
    """Owners and contributors: from a draft, or from a plan item open or in progress."""
    item, owner, _ = evidence_for(g.api_user, evidence_id, "remove")
    sha256 = item.sha256
    evidence.remove(item, owner)
    db.session.commit()
    evidence.discard_unused_file(sha256)
    return "", 204
