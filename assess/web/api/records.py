"""What an organization has recorded over time: history, comparison, exports."""

from __future__ import annotations

from flask import g, request

from assess.core import history as history_core
from assess.records import history
from assess.records.errors import Invalid
from assess.web import files
from assess.web.access import organization_for
from assess.web.api.common import (
    ID,
    bp,
    require_token,
)


@bp.get(f"/organizations/<{ID}:org_id>/history", endpoint="history")
@require_token
def organization_history(org_id: int):
    org, _ = organization_for(g.api_user, org_id)
    return history_core.history_document(history.history_snapshots(org))


@bp.get(f"/organizations/<{ID}:org_id>/compare")
@require_token
def compare(org_id: int):
    org, _ = organization_for(g.api_user, org_id)
    ids = {key: request.args.get(key) for key in ("from", "to")}
    missing = {key: "Give an assessment id." for key, value in ids.items() if not value}
    if missing:
        raise Invalid(missing, message="Compare needs ?from=<id>&to=<id>.")
    return history.compare_assessments(org, ids["from"], ids["to"]).result  # 404: NotFound


@bp.get(f"/organizations/<{ID}:org_id>/export.csv", defaults={"fmt": "csv"})
@bp.get(f"/organizations/<{ID}:org_id>/export.xlsx", defaults={"fmt": "xlsx"})
@require_token
def export(org_id: int, fmt: str):
    org, _ = organization_for(g.api_user, org_id, "export")
    return files.export_response(org, fmt)
