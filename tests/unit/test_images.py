"""Chart files: PNG, SVG and PDF from kaleido and Chromium, and the offline HTML page.

Image tests need Chromium; without it they skip locally and fail under CI.
"""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
import threading
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import plotly
import pytest

from assess.core import charts
from assess.outputs import image_pool, images, pdf

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_NS = "{http://www.w3.org/2000/svg}"


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


# --------------------------------------------------------------------------- chart files


def test_what_formats_are_offered():
    """Does every format have a media type, and is an unknown one refused?"""
    assert set(images.MIMETYPES) == set(images.FORMATS) == {"png", "svg", "pdf", "html"}
    with pytest.raises(ValueError, match="unknown format 'gif'"):
        images.figure_bytes(charts.radar([]), "gif")


def test_is_a_png_the_figure_size_times_the_scale(chromium, areas):
    """Is the radar (900×650) exported at scale 2 a 1800×1300 PNG, and at scale 1 900×650?"""
    fig = charts.radar(areas)
    assert (fig.layout.width, fig.layout.height) == (900, 650)
    assert png_size(images.figure_bytes(fig, "png")) == (1800, 1300)
    assert png_size(images.figure_bytes(fig, "PNG", scale=1)) == (900, 650)


def test_is_the_svg_xml_with_every_area_title_as_text(chromium, areas):
    """Can a reader (or a screen reader) find each area's title in the SVG's text?"""
    for fig in (charts.radar(areas), charts.gap_bars(areas)):
        data = images.figure_bytes(fig, "svg")
        text = svg_texts(data)
        for area in areas:
            assert area["title"] in text


def pdf_title(data: bytes) -> str:
    """The /Title a reader finds: the last trailer's /Info, at the offset the last
    cross-reference section gives for it (a test's own small reader, not the code's)."""
    start = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    section = data[start:]
    assert section.startswith(b"xref")
    number = int(re.search(rb"/Info\s+(\d+)\s+\d+\s+R", section)[1])
    first, count = map(int, re.match(rb"xref\s+(\d+)\s+(\d+)", section).groups())
    assert first == number and count == 1
    offset = int(re.match(rb"xref\s+\d+\s+\d+\s+(\d{10})", section)[1])
    assert data[offset:].startswith(b"%d 0 obj" % number)
    title = re.match(rb"\d+ 0 obj\s*<</Title\s*<FEFF([0-9A-F]*)>", data[offset:])
    return bytes.fromhex(title[1].decode()).decode("utf-16-be")


def test_is_the_pdf_chart_a_pdf_titled_after_the_chart(chromium, areas, tmp_path):
    """Chromium titles kaleido's PDFs "Kaleido-fier"; the file says the chart's title."""
    fig = charts.gap_bars(areas).update_layout(title={"text": "Zo&#235; (Ltd)<br><sup>Gaps</sup>"})
    data = images.figure_bytes(fig, "pdf")
    assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")
    assert pdf_title(data) == "Zoë (Ltd) — Gaps"
    if shutil.which("pdfinfo"):  # a real reader follows the update too
        path = tmp_path / "chart.pdf"
        path.write_bytes(data)
        out = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True)
        assert "Title:           Zoë (Ltd) — Gaps" in out.stdout.decode()
        assert out.stderr == b""


def test_is_a_pdf_titled_by_an_update_that_keeps_the_other_entries():
    body = b"%PDF-1.4\n1 0 obj\n<</Title (Kaleido-fier)\n/Producer (Skia \\(m1\\))>>\nendobj\n"
    xref = len(body)
    data = body + (
        b"xref\n0 2\n0000000000 65535 f \n0000000009 00000 n \n"
        b"trailer\n<</Size 2\n/Root 1 0 R\n/Info 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % xref
    )
    titled = images.titled_pdf(data, "Area scores (draft)")
    assert titled.startswith(data)  # nothing rewritten, only appended
    assert pdf_title(titled) == "Area scores (draft)"
    assert b"/Producer (Skia \\(m1\\))" in titled[len(data) :]
    assert b"Kaleido-fier" not in titled[len(data) :]
    assert b"/Prev %d" % xref in titled
    assert images.titled_pdf(b"%PDF-1.7 no trailer", "x") == b"%PDF-1.7 no trailer"


def test_does_the_html_open_offline(areas):
    """Is plotly.js inline, and is nothing loaded from another host?"""
    page = images.figure_bytes(charts.radar(areas), "html").decode("utf-8")
    assert page.lstrip().lower().startswith("<!doctype html>")
    assert '<html lang="en">' in page
    assert 'src="http' not in page and "src='http" not in page
    assert not re.search(r"<script[^>]*\bsrc=", page)
    assert "<link" not in page
    assert len(page) > 3_000_000  # plotly.min.js (about 4.8 MB) is in the page
    assert "Plotly.newPlot" in page
    assert "<title>Maturity by area: current against target</title>" in page


#: Addresses a chart could send a person to outside the app: Plotly's cloud and Chart Studio.
CLOUD = re.compile(r"plot\.ly|chart-studio|plotly\.com|chart_studio", re.IGNORECASE)


def outside_plotly_bundle(page: str) -> str:
    """The page without plotly.js's own source (which names its cloud in strings it only
    uses when the mode bar is shown): what our code adds around the bundle."""
    bundle = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text("utf-8")
    assert bundle in page
    return page.replace(bundle, "")


def test_does_the_downloaded_html_offer_no_link_to_plotlys_cloud(areas):
    """No mode bar (its logo and "Share chart" lead to Plotly's cloud), and nothing
    of ours names an address outside the file."""
    page = images.figure_bytes(charts.radar(areas), "html").decode("utf-8")
    ours = outside_plotly_bundle(page)
    config = json.loads(re.search(r"Plotly\.newPlot\(.*,\s*(\{[^{}]*\})\s*\)", ours, re.S)[1])
    assert config["displayModeBar"] is False
    assert config["displaylogo"] is False
    assert config["showSendToCloud"] is False
    assert "sendDataToCloud" in config["modeBarButtonsToRemove"]
    assert not CLOUD.search(ours)
    assert not re.search(r"https?://(?!www\.w3\.org/)", ours), re.findall(
        r"https?://\S{0,40}", ours
    )


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
        return i, fmt, fig, images.figure_bytes(fig, fmt)

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
    images.shutdown()
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-such-chromium"))
    monkeypatch.setattr(shutil, "which", lambda *args, **kwargs: None)
    yield
    images.shutdown()


def test_without_chromium_do_images_fail_with_a_clear_message(no_browser, areas, report_context):
    """Does each image format, and the report, raise ExportUnavailable, while HTML still works?"""
    fig = charts.radar(areas)
    for fmt in ("png", "svg", "pdf"):
        with pytest.raises(images.ExportUnavailable) as caught:
            images.figure_bytes(fig, fmt)
        message = str(caught.value)
        assert "\n" not in message
        assert "BROWSER_PATH=" in message and "chromium" in message
    with pytest.raises(images.ExportUnavailable):
        pdf.report_pdf(report_context)
    assert b"Plotly.newPlot" in images.figure_bytes(fig, "html")


def test_without_path_or_setting_is_no_chromium_found(monkeypatch):
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    monkeypatch.setattr(shutil, "which", lambda *args, **kwargs: None)
    assert images.find_browser() is None
    images.shutdown()
    with pytest.raises(images.ExportUnavailable, match="no Chromium was found on PATH"):
        images.figure_bytes(charts.radar([]), "svg")


def test_does_a_browser_that_will_not_start_fail_fast(monkeypatch, areas):
    """A BROWSER_PATH that is a program but no browser: a clear error, not a hang."""
    false = shutil.which("false")
    assert false, "coreutils' false is on every Debian machine"
    images.shutdown()
    monkeypatch.setenv("BROWSER_PATH", false)
    try:
        with pytest.raises(images.ExportUnavailable, match="failed to start"):
            images.figure_bytes(charts.radar(areas), "png")
    finally:
        images.shutdown()


def test_does_an_export_survive_the_browser_dying(chromium, areas):
    """If Chromium is killed between two exports, does the next one start a new browser?"""
    import os
    import signal

    fig = charts.gap_bars(areas)
    images.figure_bytes(fig, "svg")
    (renderer,) = image_pool.pool().renderers()
    process = getattr(getattr(renderer, "_kaleido", None), "subprocess", None)
    assert process is not None, "kaleido 1.5 keeps the browser process on _kaleido.subprocess"
    os.kill(process.pid, signal.SIGKILL)
    process.wait(10)
    assert png_size(images.figure_bytes(fig, "png", scale=1)) == (900, fig.layout.height)


def test_is_a_huge_scale_refused(areas):
    with pytest.raises(ValueError, match="scale"):
        images.figure_bytes(charts.radar(areas), "png", scale=50)
    with pytest.raises(ValueError, match="scale"):
        images.figure_bytes(charts.radar(areas), "png", scale=0)


def test_does_the_browser_come_back_after_being_stopped(chromium, areas):
    images.shutdown()
    assert images.figure_bytes(charts.gap_bars(areas), "svg").startswith(b"<svg")
