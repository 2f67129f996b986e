"""Chart files: a Plotly figure from :mod:`assess.core.charts` as PNG, SVG, PDF or offline HTML.

Images are drawn by kaleido in headless Chromium: a small pool of renderers per process
(:mod:`assess.outputs.image_pool`, ``ASSESS_CHART_RENDERERS``, default 2), each started on
first use, drawing one image at a time, and stopped at exit. Concurrent downloads draw at
once, up to the pool's size; more wait a bounded time for a free renderer. HTML needs no
browser (:mod:`assess.outputs.figure_html`).

Failures a caller should show the user as "try later or install Chromium" raise
:class:`ExportUnavailable` (the web layer answers 503, the CLI exits 2).
"""

from __future__ import annotations

import html
import re

import plotly.graph_objects as go

from assess.outputs import image_pool
from assess.outputs.figure_html import figure_html
from assess.outputs.image_pool import (
    BROWSER_NAMES,
    INSTALL_HINT,
    ExportUnavailable,
    find_browser,
    shutdown,
)

__all__ = [
    "BROWSER_NAMES",
    "FORMATS",
    "INSTALL_HINT",
    "MAX_SCALE",
    "MIMETYPES",
    "ExportUnavailable",
    "figure_bytes",
    "find_browser",
    "plain_title",
    "renderer_count",
    "renderer_process_ids",
    "shutdown",
    "titled_pdf",
]

FORMATS = ("png", "svg", "pdf", "html")
MIMETYPES = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
}

#: Largest PNG scale: 4 × a 1000 px wide chart is a 4000 px image.
MAX_SCALE = 4


def _image(fig: go.Figure, fmt: str, scale: float) -> bytes:
    spec = fig.to_dict()
    layout = spec.get("layout", {})
    opts = {
        "format": fmt,
        "scale": scale if fmt == "png" else 1,
        "width": layout.get("width") or 900,
        "height": layout.get("height") or 650,
    }
    return image_pool.pool().render(spec, opts)


def renderer_count() -> int:
    """How many renderers this process's pool may run at once (ASSESS_CHART_RENDERERS)."""
    return image_pool.pool().size


def renderer_process_ids() -> list[list[int]]:
    """The Chromium processes of each running renderer (for measuring their memory)."""
    return [getattr(r, "process_ids", list)() for r in image_pool.pool().renderers()]


def figure_bytes(fig: go.Figure, fmt: str, *, scale: float = 2) -> bytes:
    """The figure as a file: ``png`` (``scale`` × the layout size), ``svg``, ``pdf`` or ``html``.

    ``scale`` (PNG only) is at most :data:`MAX_SCALE`, so a request cannot ask for a huge image.

    HTML is a complete page with plotly.js inline: it opens offline and loads nothing from
    other hosts. It needs no browser here; the other formats raise :class:`ExportUnavailable`
    when no Chromium can be used.
    """
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (use {', '.join(FORMATS)})")
    if not 0 < scale <= MAX_SCALE:
        raise ValueError(f"scale must be more than 0 and at most {MAX_SCALE}")
    if fmt == "html":
        return figure_html(fig).encode("utf-8")
    data = _image(fig, fmt, scale)
    if fmt == "pdf":
        return titled_pdf(data, plain_title(fig.layout.title.text) or "Chart")
    return data


def plain_title(markup: str | None) -> str:
    """A Plotly title (its HTML-like markup) as one line of text.

    >>> plain_title("Zo&#235; Ltd · 2026-03-01<br><sup>Area <b>scores</b></sup>")
    'Zoë Ltd · 2026-03-01 — Area scores'
    >>> plain_title(None)
    ''
    """
    if not markup:
        return ""
    text = re.sub(r"<br\s*/?>", " — ", markup, flags=re.IGNORECASE)
    text = html.unescape(re.sub(r"<[^>]*>", "", text))
    return " ".join(text.split())


_TRAILER = re.compile(
    rb"trailer\s*<<(?P<dict>.*?)>>\s*startxref\s*(?P<xref>\d+)\s*%%EOF\s*$", re.DOTALL
)
_LITERAL = rb"\((?:[^()\\]|\\.)*\)"


def _pdf_text(text: str) -> bytes:
    """A PDF text string that holds any text: UTF-16BE with its byte order mark, in hex."""
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode("ascii") + b">"


def titled_pdf(data: bytes, title: str) -> bytes:
    """The PDF with its document title (the Info dictionary's /Title) set to ``title``.

    Chromium titles the PDFs kaleido prints after kaleido's page, "Kaleido-fier". The file is
    not rewritten: an incremental update (PDF 1.7, 7.5.6) appends the Info dictionary again,
    with the new title and every other entry kept, and a cross-reference section for it. A
    file this does not recognize (no classic trailer) is returned unchanged.
    """
    trailer = _TRAILER.search(data[-2048:])
    if trailer is None:
        return data
    entries = trailer["dict"]
    size = re.search(rb"/Size\s+(\d+)", entries)
    root = re.search(rb"/Root\s+(\d+\s+\d+\s+R)", entries)
    info = re.search(rb"/Info\s+(\d+)\s+(\d+)\s+R", entries)
    if size is None or root is None:
        return data
    old: bytes = b""
    if info is not None:
        number, generation = int(info[1]), int(info[2])
        found = re.search(
            rb"(?:^|\s)%d\s+%d\s+obj\s*<<(.*?)>>\s*endobj" % (number, generation),
            data,
            re.DOTALL,
        )
        if found is not None:
            old = re.sub(rb"/Title\s*(?:" + _LITERAL + rb"|<[0-9A-Fa-f\s]*>)", b"", found[1])
    else:
        number, generation = int(size[1]), 0
    body = b"<</Title " + _pdf_text(title) + (b"\n" + old.strip() if old.strip() else b"") + b">>"
    head = data if data.endswith(b"\n") else data + b"\n"
    offset = len(head)
    obj = b"%d %d obj\n%s\nendobj\n" % (number, generation, body)
    xref = len(head) + len(obj)
    count = max(int(size[1]), number + 1)
    update = (
        b"xref\n%d 1\n%010d %05d n \n" % (number, offset, generation)
        + b"trailer\n<</Size %d\n/Root %s\n/Info %d %d R\n/Prev %s>>\n"
        % (count, root[1], number, generation, trailer["xref"])
        + b"startxref\n%d\n%%%%EOF\n" % xref
    )
    return head + obj + update
