"""Downloads: charts as PNG, SVG, PDF or interactive HTML, and PDF reports, for the pages
(session) and the API (token). The figures are the ones the pages draw."""

from __future__ import annotations

import html
from typing import Any

import plotly.graph_objects as go
from flask import Blueprint, Response, abort, request
from flask_login import current_user, login_required

from assess.core import charts, history
from assess.outputs import images, pdf, report_views
from assess.records import audit, store
from assess.records.models import Assessment, Organization
from assess.web.access import assessment_for, organization_for

bp = Blueprint("downloads", __name__)

FMT = "<any(png, svg, pdf, html):fmt>"
ASSESSMENT = "/assessments/<int(min=1, max=2147483647):assessment_id>"
ORGANIZATION = "/organizations/<int(min=1, max=2147483647):org_id>"


def previous_submitted(assessment: Assessment) -> Assessment | None:
    """The organization's latest submitted assessment before this one, if any."""
    earlier = [
        a
        for a in assessment.organization.assessments
        if a.id != assessment.id
        and a.locked
        and (
            assessment.submitted_at is None
            or (a.submitted_at is not None and a.submitted_at <= assessment.submitted_at)
        )
    ]
    if not earlier:
        return None
    return max(earlier, key=lambda a: (a.submitted_at, a.id))


def assessment_figures(
    assessment: Assessment, document: dict[str, Any] | None = None
) -> dict[str, go.Figure]:
    """The radar (with the previous submission when there is one) and the gap bars.
    ``document``: the assessment's results when the caller has them already."""
    document = document if document is not None else store.results_document(assessment)
    areas = list(document.get("areas") or [])
    previous = previous_submitted(assessment)
    kwargs: dict[str, Any] = {}
    if previous is not None:
        kwargs = {
            "previous": list(store.results_document(previous).get("areas") or []),
            "previous_label": f"Submitted {previous.submitted_at:%d %b %Y}",
        }
    return {"radar": charts.radar(areas, **kwargs), "gaps": charts.gap_bars(areas)}


def trend_figure(org: Organization) -> go.Figure:
    return charts.trend(history.trend_points(audit.history_snapshots(org)))


def comparison(
    org: Organization, old_id: Any, new_id: Any
) -> tuple[Any, Any, dict[str, Any], go.Figure]:
    """Two snapshots, their comparison and its radar; LookupError when one is not the org's."""
    a = audit.snapshot(audit.assessment_in(org, old_id))
    b = audit.snapshot(audit.assessment_in(org, new_id))
    figure = charts.comparison_radar(
        a.results["areas"],
        b.results["areas"],
        from_label=a.label,
        to_label=b.label,
        title=f"{a.label} against {b.label}",
    )
    return a, b, history.compare(a, b), figure


def send(body: bytes, fmt: str, filename: str) -> Response:
    response = Response(body, mimetype=images.MIMETYPES[fmt])
    disposition = "inline" if fmt == "html" else "attachment"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    if fmt == "html":
        # The file is self-contained and runs Plotly inline: let it, in a sandbox of its own.
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; "
            "img-src data: blob:; font-src data:; frame-ancestors 'none'; "
            "sandbox allow-scripts allow-downloads"
        )
    return response


def figure_response(fig: go.Figure, fmt: str, stem: str, heading: str | None = None) -> Response:
    """A chart file; ``heading`` (organization and date) heads its title, so a chart pasted
    into a board pack still says whose it is."""
    if heading:
        title = fig.layout.title.text or ""
        heading = html.escape(heading, quote=False)  # a name is text, not Plotly's markup
        text = f"{heading}<br><sup>{title}</sup>" if title else heading
        top = (fig.layout.margin.t or 80) + 30  # room for the second title line
        fig = go.Figure(fig).update_layout(
            title={"text": text, "yref": "container", "y": 1, "yanchor": "top", "pad": {"t": 20}},
            margin={"t": top},
        )
    return send(images.figure_bytes(fig, fmt), fmt, f"{stem}.{fmt}")


def whose(org: Organization, assessment: Assessment | None = None) -> str:
    if assessment is None:
        return org.name
    when = assessment.submitted_at or assessment.updated_at
    state = "submitted" if assessment.locked else "draft"
    return f"{org.name} · {when:%d %b %Y} ({state})"


def assessment_chart_response(assessment: Assessment, name: str, fmt: str) -> Response:
    """The radar or the gap bars of an assessment as a file (for the pages and the API)."""
    fig = assessment_figures(assessment)[name]
    stem = _stem(assessment.organization, f"{assessment.id}-{name}")
    return figure_response(fig, fmt, stem, whose(assessment.organization, assessment))


def trend_chart_response(org: Organization, fmt: str) -> Response:
    return figure_response(trend_figure(org), fmt, _stem(org, "trend"), whose(org))


def page_size() -> str:
    return "Letter" if request.args.get("size", "").lower() == "letter" else "A4"


def assessment_report(assessment: Assessment, size: str = "A4") -> bytes:
    questionnaire = store.questionnaire_for(assessment)
    if assessment.locked and assessment.results:
        report: Any = _StoredReport(assessment.results)
    else:
        report = store.report_for(assessment)
    context = report_views.assessment_report_context(
        report,
        organization=assessment.organization.name,
        answers=store.answers_of(assessment),
        questionnaire=questionnaire,
        reviews=audit.reviews_of(assessment),
        date=(assessment.submitted_at or assessment.updated_at).date(),
    )
    context["draft"] = not assessment.locked
    return pdf.report_pdf(context, page_size=size)


class _StoredReport:
    """A submitted assessment's results as they were stored (they never change)."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.recommendation = None  # it is in the document

    def to_dict(self) -> dict[str, Any]:
        return dict(self.document)


def organization_report(org: Organization, size: str = "A4") -> bytes:
    snapshots = audit.history_snapshots(org)
    context: dict[str, Any] = {
        "organization": org.name,
        "history": history.trend_points(snapshots),
        "comparison": None,
        "recommendation": None,
    }
    if len(snapshots) >= 2:
        a, b = snapshots[-2], snapshots[-1]
        result = history.compare(a, b)
        context["comparison"] = {
            "from_label": a.label,
            "to_label": b.label,
            "overall_from": result["overall"]["from"],
            "overall_to": result["overall"]["to"],
            "areas": result["areas"],
        }
    if snapshots:
        context["recommendation"] = snapshots[-1].results.get("recommendation")
    return pdf.organization_report_pdf(context, page_size=size)


def _stem(org: Organization, what: str) -> str:
    return f"{store.slug(org.name)}-{what}"


# --------------------------------------------------------------------------- page routes


@bp.get(f"{ASSESSMENT}/charts/<any(radar, gaps):name>.{FMT}")
@login_required
def assessment_chart(assessment_id: int, name: str, fmt: str):
    assessment, _ = assessment_for(current_user, assessment_id)
    return assessment_chart_response(assessment, name, fmt)


@bp.get(f"{ORGANIZATION}/charts/trend.{FMT}")
@login_required
def trend_chart(org_id: int, fmt: str):
    org, _ = organization_for(current_user, org_id)
    return trend_chart_response(org, fmt)


@bp.get(f"{ORGANIZATION}/charts/compare.{FMT}")
@login_required
def comparison_chart(org_id: int, fmt: str):
    org, _ = organization_for(current_user, org_id)
    try:
        *_, figure = comparison(org, request.args.get("from"), request.args.get("to"))
    except LookupError:
        abort(404, description="Choose two assessments of this organization (?from=ID&to=ID).")
    return figure_response(figure, fmt, _stem(org, "comparison"), whose(org))


@bp.get(f"{ASSESSMENT}/report.pdf")
@login_required
def assessment_report_pdf(assessment_id: int):
    assessment, _ = assessment_for(current_user, assessment_id)
    stem = _stem(assessment.organization, f"assessment-{assessment.id}-report")
    return send(assessment_report(assessment, page_size()), "pdf", f"{stem}.pdf")


@bp.get(f"{ORGANIZATION}/report.pdf")
@login_required
def organization_report_pdf(org_id: int):
    org, _ = organization_for(current_user, org_id)
    return send(organization_report(org, page_size()), "pdf", f"{_stem(org, 'report')}.pdf")
