"""Exports: chart files from kaleido and Chromium, PDF reports from WeasyPrint.

Image tests need Chromium and poppler-utils; without them they skip locally and fail under CI.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import threading
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from assess.core import charts
from assess.core.answer_sheets import answers_from_sheet, load_sheet
from assess.core.evaluation import score_offline
from assess.outputs import exports
from tests.conftest import ROOT, missing_tool

EXAMPLES = ROOT / "examples"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_NS = "{http://www.w3.org/2000/svg}"


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def chromium():
    if exports.find_browser() is None:
        missing_tool(
            "chart images need Chromium: apt-get install -y chromium (or set BROWSER_PATH)"
        )
    yield
    exports.shutdown()


@pytest.fixture(scope="module")
def poppler():
    if not (shutil.which("pdftotext") and shutil.which("pdfinfo")):
        missing_tool("reading PDFs needs poppler-utils: apt-get install -y poppler-utils")


@pytest.fixture(scope="module")
def report():
    return score_offline(
        answers_path=EXAMPLES / "answers.yaml", profile_path=EXAMPLES / "profile.yaml"
    )


@pytest.fixture(scope="module")
def areas(report):
    return report.to_dict()["areas"]


@pytest.fixture(scope="module")
def report_context(report):
    """(Not named ``context``: that is pytest-playwright's fixture.)"""
    questionnaire = report.result.questionnaire
    answers = answers_from_sheet(questionnaire, load_sheet(EXAMPLES / "answers.yaml"))
    return exports.assessment_report_context(
        report,
        organization="Harborview Medical Billing",
        answers=answers,
        reviews={
            "program-oversight.policies": {
                "verified_level": 1,
                "comment": "Only drafts were shown.",
                "reviewer": "auditor@example.com",
            },
            "continuity-recovery.backups": {"verified_level": None, "comment": "No restore log."},
        },
        date="2026-11-27",
    )


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def svg_texts(data: bytes) -> str:
    """Every <text> element's words, lines of a wrapped label joined by spaces."""
    root = ET.fromstring(data)  # noqa: S314 (our own renderer's output)
    assert root.tag == f"{SVG_NS}svg"
    texts = [" ".join(t.itertext()) for t in root.iter(f"{SVG_NS}text")]
    return " | ".join(" ".join(t.split()) for t in texts)


def pdf_text(data: bytes, tmp_path: Path, name: str = "out.pdf") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    result = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    )
    return " ".join(result.stdout.split())


def pdf_info(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "info.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout


# --------------------------------------------------------------------------- chart files


def test_what_formats_are_offered():
    """Does every format have a media type, and is an unknown one refused?"""
    assert set(exports.MIMETYPES) == set(exports.FORMATS) == {"png", "svg", "pdf", "html"}
    with pytest.raises(ValueError, match="unknown format 'gif'"):
        exports.figure_bytes(charts.radar([]), "gif")


def test_is_a_png_the_figure_size_times_the_scale(chromium, areas):
    """Is the radar (900×650) exported at scale 2 a 1800×1300 PNG, and at scale 1 900×650?"""
    fig = charts.radar(areas)
    assert (fig.layout.width, fig.layout.height) == (900, 650)
    assert png_size(exports.figure_bytes(fig, "png")) == (1800, 1300)
    assert png_size(exports.figure_bytes(fig, "PNG", scale=1)) == (900, 650)


def test_is_the_svg_xml_with_every_area_title_as_text(chromium, areas):
    """Can a reader (or a screen reader) find each area's title in the SVG's text?"""
    for fig in (charts.radar(areas), charts.gap_bars(areas)):
        data = exports.figure_bytes(fig, "svg")
        text = svg_texts(data)
        for area in areas:
            assert area["title"] in text


def test_is_the_pdf_chart_a_pdf(chromium, areas):
    data = exports.figure_bytes(charts.gap_bars(areas), "pdf")
    assert data.startswith(b"%PDF")


def test_does_the_html_open_offline(areas):
    """Is plotly.js inline, and is nothing loaded from another host?"""
    page = exports.figure_bytes(charts.radar(areas), "html").decode("utf-8")
    assert page.lstrip().lower().startswith("<!doctype html>")
    assert '<html lang="en">' in page
    assert 'src="http' not in page and "src='http" not in page
    assert not re.search(r"<script[^>]*\bsrc=", page)
    assert "<link" not in page
    assert len(page) > 3_000_000  # plotly.min.js (about 4.8 MB) is in the page
    assert "Plotly.newPlot" in page
    assert '"displaylogo": false' in page or '"displaylogo":false' in page
    assert "<title>Maturity by area: current against target</title>" in page


def test_do_concurrent_exports_each_get_their_own_file(chromium, areas):
    """Do 8 threads asking at once for SVG and PNG of different figures get the right files?"""
    jobs = []
    for i in range(8):
        fmt = "svg" if i % 2 == 0 else "png"
        fig = charts.radar(areas, title=f"Figure number {i}") if i % 4 < 2 else None
        if fig is None:
            fig = charts.gap_bars(areas, title=f"Figure number {i}")
        jobs.append((i, fmt, fig))
    barrier = threading.Barrier(len(jobs))

    def run(job):
        i, fmt, fig = job
        barrier.wait()
        return i, fmt, fig, exports.figure_bytes(fig, fmt)

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        results = list(pool.map(run, jobs))
    for i, fmt, fig, data in results:
        if fmt == "svg":
            assert data.lstrip().startswith((b"<svg", b"<?xml"))
            assert f"Figure number {i}" in svg_texts(data)
        else:
            width, height = png_size(data)
            assert (width, height) == (fig.layout.width * 2, fig.layout.height * 2)


@pytest.fixture
def no_browser(monkeypatch, tmp_path):
    """No Chromium anywhere; the shared server is stopped before and after."""
    exports.shutdown()
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-such-chromium"))
    monkeypatch.setattr(shutil, "which", lambda *args, **kwargs: None)
    yield
    exports.shutdown()


def test_without_chromium_do_images_fail_with_a_clear_message(no_browser, areas, report_context):
    """Does each image format, and the report, raise ExportUnavailable, while HTML still works?"""
    fig = charts.radar(areas)
    for fmt in ("png", "svg", "pdf"):
        with pytest.raises(exports.ExportUnavailable) as caught:
            exports.figure_bytes(fig, fmt)
        message = str(caught.value)
        assert "\n" not in message
        assert "BROWSER_PATH=" in message and "chromium" in message
    with pytest.raises(exports.ExportUnavailable):
        exports.report_pdf(report_context)
    assert b"Plotly.newPlot" in exports.figure_bytes(fig, "html")


def test_without_path_or_setting_is_no_chromium_found(monkeypatch):
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    monkeypatch.setattr(shutil, "which", lambda *args, **kwargs: None)
    assert exports.find_browser() is None
    exports.shutdown()
    with pytest.raises(exports.ExportUnavailable, match="no Chromium was found on PATH"):
        exports.figure_bytes(charts.radar([]), "svg")


def test_does_a_browser_that_will_not_start_fail_fast(monkeypatch, areas):
    """A BROWSER_PATH that is a program but no browser: a clear error, not a hang."""
    false = shutil.which("false")
    assert false, "coreutils' false is on every Debian machine"
    exports.shutdown()
    monkeypatch.setenv("BROWSER_PATH", false)
    try:
        with pytest.raises(exports.ExportUnavailable, match="failed to start"):
            exports.figure_bytes(charts.radar(areas), "png")
    finally:
        exports.shutdown()


def test_does_an_export_survive_the_browser_dying(chromium, areas):
    """If Chromium is killed between two exports, does the next one start a new browser?"""
    import os
    import signal

    fig = charts.gap_bars(areas)
    exports.figure_bytes(fig, "svg")
    process = getattr(getattr(exports._server, "_kaleido", None), "subprocess", None)
    assert process is not None, "kaleido 1.5 keeps the browser process on _kaleido.subprocess"
    os.kill(process.pid, signal.SIGKILL)
    process.wait(10)
    assert png_size(exports.figure_bytes(fig, "png", scale=1)) == (900, fig.layout.height)


def test_is_a_huge_scale_refused(areas):
    with pytest.raises(ValueError, match="scale"):
        exports.figure_bytes(charts.radar(areas), "png", scale=50)
    with pytest.raises(ValueError, match="scale"):
        exports.figure_bytes(charts.radar(areas), "png", scale=0)


def test_does_the_browser_come_back_after_being_stopped(chromium, areas):
    exports.shutdown()
    assert exports.figure_bytes(charts.gap_bars(areas), "svg").startswith(b"<svg")


# --------------------------------------------------------------------------- the context


def test_does_the_context_hold_every_answer_in_questionnaire_order(report, report_context):
    questionnaire = report.result.questionnaire
    rows = report_context["answers"]
    assert [r["question"] for r in rows] == list(questionnaire.questions)
    by_id = {r["question"]: r for r in rows}
    assert by_id["program-oversight.accountable-owner"]["answer"] == "2 – Repeatable"
    assert by_id["program-oversight.accountable-owner"]["note"].startswith("Our IT manager")
    assert by_id["stakeholder-reporting.customer-questionnaires"]["answer"] == "Not applicable"
    assert by_id["continuity-recovery.key-dependencies"]["answer"] == "Don't know"
    assert by_id["program-oversight.policies"]["verified"] == "1 – Initial"
    assert by_id["program-oversight.policies"]["comment"] == "Only drafts were shown."
    assert by_id["program-oversight.policies"]["confirmed"] is False  # answered 2, verified 1
    assert by_id["continuity-recovery.backups"]["verified"] == "not rated"
    assert by_id["program-oversight.roadmap"]["reviewed"] is False
    assert report_context["questionnaire"]["id"] == questionnaire.id
    assert report_context["questionnaire"]["hash"] == questionnaire.content_hash
    assert report_context["recommendation"]["hire"] in exports.VERDICTS
    assert report_context["date"] == "2026-11-27"


def test_are_numbers_shown_as_people_read_them():
    assert exports.fmt_score(2.449) == "2.4"
    assert exports.fmt_money(123000) == "$123,000"
    assert exports.fmt_money(69000.4) == "$69,000"
    assert exports.fmt_delta(-0.04) == "0.0"


# --------------------------------------------------------------------------- the reports


def test_does_the_report_say_what_an_owner_needs(
    chromium, poppler, report_context, areas, tmp_path
):
    """Cover, page numbers, every area, the largest gaps and the verdict, on A4."""
    data = exports.report_pdf(report_context)
    assert data.startswith(b"%PDF")
    text = pdf_text(data, tmp_path)
    assert "Harborview Medical Billing" in text
    assert "27 November 2026" in text
    assert "Page 1 of" in text
    assert "ciso-nine-areas, version 1.0" in text
    for area in areas:
        assert area["title"] in text
    verdict = exports.VERDICTS[report_context["recommendation"]["hire"]]
    assert verdict in text
    assert f"{report_context['results']['overall']['score']:.1f} of 5" in text
    largest = sorted((a for a in areas if a["gap"]), key=lambda a: -a["gap"])[:3]
    for area in largest:
        assert f"{area['title']}: {area['score']:.1f} against a target of" in text
    assert "$69,000" in text and "$390,000" in text  # the two costs
    assert "Only drafts were shown." in text  # the review, in the appendix
    assert "The first 90 days" in text
    info = pdf_info(data, tmp_path)
    assert "(A4)" in info


def test_does_the_report_print_on_letter(chromium, poppler, report_context, tmp_path):
    data = exports.report_pdf(report_context, page_size="letter")
    assert "612 x 792 pts (letter)" in pdf_info(data, tmp_path)
    with pytest.raises(ValueError, match="A4 or Letter"):
        exports.report_pdf(report_context, page_size="A5")


def test_is_a_name_with_markup_printed_as_written(chromium, poppler, report_context, tmp_path):
    """Is an organization named with quotes, & and </style> shown as text on cover and footer?"""
    name = 'Smith & "Sons" </style><b>Ltd</b>'
    data = exports.report_pdf({**report_context, "organization": name, "recommendation": None})
    text = pdf_text(data, tmp_path)
    assert text.count(name) >= 3  # cover, summary, and the footer of each page
    assert "No recommendation" in text


def test_does_the_organization_report_show_trend_comparison_and_advice(
    chromium, poppler, report, areas, tmp_path
):
    titles = {a["id"]: a["title"] for a in areas}
    history = [
        {
            "label": label,
            "date": date,
            "overall": 1.0 + step,
            "areas": {a["id"]: min(5.0, (a["score"] or 0) + step) for a in areas},
            "area_titles": titles,
        }
        for step, (label, date) in enumerate(
            [("March 2025", "2025-03-10"), ("June 2026", "2026-06-15")]
        )
    ]
    comparison = {
        "from_label": "March 2025",
        "to_label": "June 2026",
        "overall_from": 1.0,
        "overall_to": 2.0,
        "areas": [
            {
                "id": a["id"],
                "title": a["title"],
                "from": history[0]["areas"][a["id"]],
                "to": history[1]["areas"][a["id"]],
                "delta": 1.0,
            }
            for a in areas
        ]
        + [
            {
                "id": "new-area",
                "title": "A brand new area",
                "from": None,
                "to": 2.0,
                "status": "added",
            }
        ],
    }
    data = exports.organization_report_pdf(
        {
            "organization": "Harborview Medical Billing",
            "history": history,
            "comparison": comparison,
            "recommendation": report.recommendation.model_dump(mode="json"),
        }
    )
    text = pdf_text(data, tmp_path)
    assert "Harborview Medical Billing" in text
    assert "Page 1 of" in text
    assert "March 2025 compared with June 2026" in text
    assert "+1.0" in text
    assert "new in June 2026" in text
    for area in areas:
        assert area["title"] in text
    assert exports.VERDICTS[report.recommendation.model_dump(mode="json")["hire"]] in text


def test_does_an_organization_without_history_get_a_report(chromium, poppler, tmp_path):
    data = exports.organization_report_pdf({"organization": "New Co", "history": []})
    text = pdf_text(data, tmp_path)
    assert "No submitted assessment yet." in text
    assert "No recommendation" in text
