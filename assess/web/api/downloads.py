"""Charts, reports and the CSF view as files."""

from __future__ import annotations

from flask import g

from assess.web import files
from assess.web.access import assessment_for, organization_for
from assess.web.api.common import (
    ID,
    bp,
    require_token,
)


@bp.get(
    f"/assessments/<{ID}:assessment_id>/charts/<any(radar, gaps):name>.<any(png, svg, pdf, html):fmt>"
)
@require_token
def assessment_chart(assessment_id: int, name: str, fmt: str):
    found, _ = assessment_for(g.api_user, assessment_id)
    return files.assessment_chart_response(found, name, fmt)


@bp.get(f"/organizations/<{ID}:org_id>/charts/trend.<any(png, svg, pdf, html):fmt>")
@require_token
def trend_chart(org_id: int, fmt: str):
    org, _ = organization_for(g.api_user, org_id)
    return files.trend_chart_response(org, fmt)


@bp.get(f"/assessments/<{ID}:assessment_id>/report.pdf")
@require_token
def assessment_report(assessment_id: int):
    found, _ = assessment_for(g.api_user, assessment_id)
    return files.assessment_report_response(found)


@bp.get(f"/assessments/<{ID}:assessment_id>/csf.csv")
@require_token
def assessment_csf_csv(assessment_id: int):
    found, _ = assessment_for(g.api_user, assessment_id)
    return files.csf_response(found)


@bp.get(f"/organizations/<{ID}:org_id>/report.pdf")
@require_token
def organization_report(org_id: int):
    org, _ = organization_for(g.api_user, org_id)
    return files.organization_report_response(org)
