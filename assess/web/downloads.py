"""Downloads for signed-in pages: charts as PNG, SVG, PDF or interactive HTML, PDF
reports, and the CSF view as CSV. The API sends the same files (:mod:`assess.web.files`) behind its tokens."""

from __future__ import annotations

from flask import Blueprint, abort, request
from flask_login import current_user, login_required

from assess.records import history
from assess.records.errors import NotFound
from assess.web import files
from assess.web.access import assessment_for, organization_for
from assess.web.figures import comparison_figure

bp = Blueprint("downloads", __name__)

FMT = "<any(png, svg, pdf, html):fmt>"
ASSESSMENT = "/assessments/<int(min=1, max=2147483647):assessment_id>"
ORGANIZATION = "/organizations/<int(min=1, max=2147483647):org_id>"


@bp.get(f"{ASSESSMENT}/charts/<any(radar, gaps):name>.{FMT}")
@login_required
def assessment_chart(assessment_id: int, name: str, fmt: str):
    assessment, _ = assessment_for(current_user, assessment_id)
    return files.assessment_chart_response(assessment, name, fmt)


@bp.get(f"{ORGANIZATION}/charts/trend.{FMT}")
@login_required
def trend_chart(org_id: int, fmt: str):
    org, _ = organization_for(current_user, org_id)
    return files.trend_chart_response(org, fmt)


@bp.get(f"{ORGANIZATION}/charts/compare.{FMT}")
@login_required
def comparison_chart(org_id: int, fmt: str):
    org, _ = organization_for(current_user, org_id)
    try:
        comparison = history.compare_assessments(
            org, request.args.get("from"), request.args.get("to")
        )
    except NotFound:
        abort(404, description="Choose two assessments of this organization (?from=ID&to=ID).")
    figure = comparison_figure(comparison)
    return files.figure_response(figure, fmt, files.stem(org, "comparison"), files.whose(org))


@bp.get(f"{ASSESSMENT}/report.pdf")
@login_required
def assessment_report_pdf(assessment_id: int):
    assessment, _ = assessment_for(current_user, assessment_id)
    return files.assessment_report_response(assessment)


@bp.get(f"{ASSESSMENT}/csf.csv")
@login_required
def assessment_csf_csv(assessment_id: int):
    """The NIST CSF 2.0 view of the results, as CSV: the same access as the results."""
    assessment, _ = assessment_for(current_user, assessment_id)
    return files.csf_response(assessment)


@bp.get(f"{ORGANIZATION}/report.pdf")
@login_required
def organization_report_pdf(org_id: int):
    org, _ = organization_for(current_user, org_id)
    return files.organization_report_response(org)
