"""Each answer's history: who changed what, when, from what to what."""

from __future__ import annotations

from flask import g

from assess.records import changes
from assess.web.access import assessment_for
from assess.web.api.common import ID, bp, require_token


@bp.get(f"/assessments/<{ID}:assessment_id>/changes", endpoint="changes")
@require_token
def list_changes(assessment_id: int):
    found, _ = assessment_for(g.api_user, assessment_id)
    return {"changes": [changes.change_dict(c) for c in changes.changes_of(found)]}
