"""The files the pages and the API both send: charts as PNG, SVG, PDF or interactive HTML,
the PDF reports, the CSF view as CSV, and the CSV/XLSX export; named after the organization."""

from __future__ import annotations

import html
import re
import unicodedata

import plotly.graph_objects as go
from flask import Response, request

from assess.outputs import images, pdf, plan_files, report_views
from assess.outputs import spreadsheets as tables
from assess.outputs.presentation import fmt_date
from assess.records import assessments, plan_documents, reports
from assess.records.errors import Invalid
from assess.records.export_rows import export_rows
from assess.records.models import Assessment, Organization
from assess.web.figures import assessment_figures, trend_figure

_SLUG = re.compile(r"[^a-z0-9]+")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def slug(text: str) -> str:
    """A file-name-safe form of a name, letters transliterated to ASCII (Zoë is zoe, not zo).

    >>> slug("Harborview Medical Billing (demo)"), slug("!!!"), slug("Zoë's Café Straße")
    ('harborview-medical-billing-demo', 'organization', 'zoe-s-cafe-strasse')
    """
    ascii_text = unicodedata.normalize("NFKD", text.replace("ß", "ss").replace("ẞ", "SS"))
    ascii_text = ascii_text.encode("ascii", "ignore").decode("ascii")
    return _SLUG.sub("-", ascii_text.lower()).strip("-")[:60] or "organization"


def stem(org: Organization, what: str) -> str:
    return f"{slug(org.name)}-{what}"


def whose(org: Organization, assessment: Assessment | None = None) -> str:
    """The organization (and the assessment's date and state) a chart belongs to."""
    if assessment is None:
        return org.name
    when = assessment.submitted_at or assessment.updated_at
    state = "submitted" if assessment.locked else "draft"
    return f"{org.name} · {fmt_date(when)} ({state})"


def page_size() -> str:
    """The PDF page size the request asks for (``?size=letter`` or ``?size=a4``); A4 by
    default. Anything else, or the parameter twice, is refused (422) rather than guessed."""
    given = request.args.getlist("size")
    if not given:
        return "A4"
    if len(given) == 1 and given[0] in ("a4", "letter"):
        return "Letter" if given[0] == "letter" else "A4"
    raise Invalid({"size": "size is a4 or letter (once)."})


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


def figure_response(fig: go.Figure, fmt: str, name: str, heading: str | None = None) -> Response:
    """A chart file named ``name.fmt``; ``heading`` (organization and date) heads its title,
    so a chart pasted into a board pack still says whose it is."""
    if heading:
        title = fig.layout.title.text or ""
        heading = html.escape(heading, quote=False)  # a name is text, not Plotly's markup
        text = f"{heading}<br><sup>{title}</sup>" if title else heading
        top = (fig.layout.margin.t or 80) + 30  # room for the second title line
        fig = go.Figure(fig).update_layout(
            title={"text": text, "yref": "container", "y": 1, "yanchor": "top", "pad": {"t": 20}},
            margin={"t": top},
        )
    return send(images.figure_bytes(fig, fmt), fmt, f"{name}.{fmt}")


def assessment_chart_response(assessment: Assessment, name: str, fmt: str) -> Response:
    """The radar or the gap bars of an assessment as a file."""
    fig = assessment_figures(assessment)[name]
    org = assessment.organization
    return figure_response(fig, fmt, stem(org, f"{assessment.id}-{name}"), whose(org, assessment))


def trend_chart_response(org: Organization, fmt: str) -> Response:
    return figure_response(trend_figure(org), fmt, stem(org, "trend"), whose(org))


def assessment_report_pdf(assessment: Assessment, size: str = "A4") -> bytes:
    data = reports.assessment_report_data(assessment)
    context = report_views.assessment_report_context(
        data.results,
        organization=data.organization,
        answers=data.answers,
        questionnaire=data.questionnaire,
        reviews=data.reviews,
        date=data.date,
    )
    context["draft"] = data.draft
    context["attestations"] = data.attestations
    context["name"] = assessments.name_of(assessment)
    return pdf.report_pdf(context, page_size=size)


def assessment_report_response(assessment: Assessment) -> Response:
    """The assessment's PDF report, in the page size the request asks for."""
    size = page_size()
    name = stem(assessment.organization, f"assessment-{assessment.id}-report-{size.lower()}")
    return send(assessment_report_pdf(assessment, size), "pdf", f"{name}.pdf")


def organization_report_pdf(org: Organization, size: str = "A4") -> bytes:
    return pdf.organization_report_pdf(reports.organization_report_data(org), page_size=size)


def organization_report_response(org: Organization) -> Response:
    """The organization's PDF report, in the page size the request asks for."""
    size = page_size()
    body = organization_report_pdf(org, size)
    return send(body, "pdf", f"{stem(org, f'report-{size.lower()}')}.pdf")


def csf_response(assessment: Assessment) -> Response:
    """The assessment's NIST CSF 2.0 view (current and target per category) as CSV."""
    rows = [c.model_dump() for c in assessments.results_document(assessment).csf]
    name = stem(assessment.organization, f"assessment-{assessment.id}-csf")
    response = Response(tables.to_csv(rows, tables.CSF_COLUMNS), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def export_response(org: Organization, fmt: str) -> Response:
    """The CSV (answers) or XLSX (answers and area scores) of an organization's assessments."""
    answers, areas = export_rows(org)
    name = f"{slug(org.name)}-assessments.{fmt}"
    if fmt == "csv":
        body, mimetype = tables.to_csv(answers, tables.ANSWER_COLUMNS), "text/csv"
    else:
        body = tables.to_xlsx(
            {
                "Answers": (tables.ANSWER_COLUMNS, answers),
                "Area scores": (tables.AREA_COLUMNS, areas),
            }
        )
        mimetype = XLSX
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


#: The domain on the right of every calendar event's UID (RFC 5545 3.8.4.7): fixed, so the
#: UID of an item stays the same whichever host name served the file.
ICS_DOMAIN = "assess.invalid"


def plan_response(org: Organization, fmt: str) -> Response:
    """The organization's action plan as CSV, XLSX or iCalendar."""
    rows = plan_documents.plan_rows(org)
    columns = plan_documents.PLAN_COLUMNS
    if fmt == "csv":
        body, mimetype = plan_files.plan_csv(rows, columns), "text/csv"
    elif fmt == "xlsx":
        body, mimetype = plan_files.plan_xlsx(rows, columns), XLSX
    else:
        body = plan_files.plan_ics(
            rows, organization=org.name, organization_id=org.id, host=ICS_DOMAIN
        )
        mimetype = "text/calendar"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{stem(org, "plan")}.{fmt}"'
    return response
