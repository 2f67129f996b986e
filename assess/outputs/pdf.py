"""PDF reports: the Jinja templates in ``templates/report/`` rendered by WeasyPrint.

:func:`report_pdf` prints one assessment, :func:`organization_report_pdf` an organization over
time; their fields come from :mod:`assess.outputs.report_views`. Charts go in as inline SVG
(vector), drawn by :mod:`assess.outputs.images`, so a report raises
:class:`~assess.outputs.images.ExportUnavailable` when no Chromium can be used. Nothing here
depends on Flask, so the CLI makes reports offline. WeasyPrint may load only ``data:`` URLs.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

import plotly.graph_objects as go
from markupsafe import Markup

from assess.outputs.images import ExportUnavailable, figure_bytes
from assess.outputs.presentation import FILTERS
from assess.outputs.report_views import assessment_view, organization_view

PAGE_SIZES = ("A4", "Letter")


def report_pdf(report_context: Mapping[str, Any], *, page_size: str = "A4") -> bytes:
    """The PDF report of one assessment (see ``report_views.assessment_report_context``).

    Raises :class:`ExportUnavailable` when the charts cannot be drawn (no Chromium).
    """
    view = assessment_view(report_context, _page_size(page_size), inline_svg)
    return _render_pdf("report/assessment.html", view)


def organization_report_pdf(context: Mapping[str, Any], *, page_size: str = "A4") -> bytes:
    """The PDF report of an organization over time: trend, last two compared, advice.

    ``context``: ``organization`` (name), optional ``date`` and ``generated_at``;
    ``history``: points for ``charts.trend`` (``label``, ``date``, ``overall``, ``areas``
    {id: score}, ``area_titles``), oldest first; ``comparison`` (optional): ``from_label``,
    ``to_label``, optional ``overall_from``/``overall_to``, and ``areas``
    [{id, title, from, to, delta, status?}] where ``status`` "added" or "removed" marks an area
    on one side only; ``recommendation``: a ``Recommendation.to_dict()`` or None.
    """
    view = organization_view(context, _page_size(page_size), inline_svg)
    return _render_pdf("report/organization.html", view)


def _page_size(page_size: str) -> str:
    for size in PAGE_SIZES:
        if page_size.lower() == size.lower():
            return size
    raise ValueError(f"unknown page size {page_size!r} (use A4 or Letter)")


# --------------------------------------------------------------------------- templates


def css_string(value: Any) -> Markup:
    """Text as a quoted CSS string, safe inside a ``<style>`` element (the page footer).

    >>> str(css_string('Smith & "Sons" </style>'))
    '"Smith & \\\\22 Sons\\\\22  \\\\3C /style\\\\3E "'
    """
    out = []
    for char in " ".join(str(value).split()):
        if char in '\\"<>' or ord(char) < 32:
            out.append(f"\\{ord(char):X} ")
        else:
            out.append(char)
    return Markup('"' + "".join(out) + '"')  # noqa: S704


_env = None


def environment() -> Any:
    """The Jinja environment of the reports, with the presentation filters (built once)."""
    global _env
    if _env is None:
        import jinja2

        from assess.core.documents import resource_dir

        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(resource_dir("templates"))),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        env.filters.update(FILTERS, css_string=css_string)
        _env = env
    return _env


def _render_pdf(template: str, view: Mapping[str, Any]) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    from assess.core.documents import resource_dir

    text = environment().get_template(template).render(**view)
    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(
        string=text, base_url=str(resource_dir("templates") / "report"), url_fetcher=fetcher
    ).write_pdf()


# --------------------------------------------------------------------------- charts for print


_SVG_ROOT = re.compile(r"<svg\b[^>]*>")


def inline_svg(fig: go.Figure, label: str) -> Markup:
    """The figure as an ``<svg>`` element that scales to its box (vector in the PDF)."""
    text = figure_bytes(fig, "svg").decode("utf-8")
    text = re.sub(r"^<\?xml[^>]*\?>\s*", "", text)
    match = _SVG_ROOT.search(text)
    if match is None:
        raise ExportUnavailable("chart image failed, try again: the SVG had no <svg> element")
    root = match.group(0)
    width = re.search(r'\swidth="([\d.]+)"', root)
    height = re.search(r'\sheight="([\d.]+)"', root)
    new_root = re.sub(r'\s(width|height|style)="[^"]*"', "", root)
    if "viewBox" not in new_root and width and height:
        new_root = new_root[:-1] + f' viewBox="0 0 {width.group(1)} {height.group(1)}">'
    new_root = (
        new_root[:-1] + f' role="img" aria-label="{html.escape(label)}"'
        ' preserveAspectRatio="xMidYMid meet">'
    )
    return Markup(text[: match.start()] + new_root + text[match.end() :])  # noqa: S704
