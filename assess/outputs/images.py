"""Chart files: a Plotly figure from :mod:`assess.core.charts` as PNG, SVG, PDF or offline HTML.

Images are drawn by kaleido in one headless Chromium that is started on first use, shared by
every caller in the process, and stopped at exit. kaleido's page is not safe for concurrent
use, so one lock serializes every image export. kaleido's own ``start_sync_server`` is not
used: when its browser fails to start, the server thread dies and every later call waits
forever, with no timeout; :class:`_ImageServer` below drives the same ``kaleido.Kaleido`` but
reports a failed start and gives each render a deadline. HTML needs no browser
(:mod:`assess.outputs.figure_html`).

Failures a caller should show the user as "try later or install Chromium" raise
:class:`ExportUnavailable` (the web layer answers 503, the CLI exits 2).
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import contextlib
import html
import logging
import os
import re
import shutil
import threading
from collections.abc import Mapping
from typing import Any

import plotly.graph_objects as go

from assess.outputs.figure_html import figure_html

FORMATS = ("png", "svg", "pdf", "html")
MIMETYPES = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
}

#: Executables tried, in order, when ``BROWSER_PATH`` is not set.
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
INSTALL_HINT = "install Debian's chromium (apt-get install -y chromium) or set BROWSER_PATH"
#: Largest PNG scale: 4 × a 1000 px wide chart is a 4000 px image.
MAX_SCALE = 4
#: Seconds allowed for the browser to start and for one image.
START_TIMEOUT = 60.0
RENDER_TIMEOUT = 60.0

_log = logging.getLogger(__name__)


class ExportUnavailable(RuntimeError):
    """Images cannot be made now: no Chromium, or it failed. The message is one line."""


# --------------------------------------------------------------------------- the browser


def find_browser() -> str | None:
    """The Chromium to use: ``BROWSER_PATH`` when set (and only then), else the first on PATH.

    Returns None when there is none, or when ``BROWSER_PATH`` names no executable file.
    """
    configured = os.environ.get("BROWSER_PATH")
    if configured:
        return configured if _executable(configured) else None
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found and _executable(found):
            return found
    return None


def _executable(path: str) -> bool:
    return os.path.isfile(path) and os.access(path, os.X_OK)


class _ImageServer:
    """One ``kaleido.Kaleido`` (one Chromium, one tab) on an event loop in a daemon thread."""

    def __init__(self, browser: str) -> None:
        self.browser = browser
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._kaleido: Any = None
        self._thread = threading.Thread(target=self._run, name="assess-kaleido", daemon=True)

    def start(self) -> None:
        self._thread.start()
        if not self._ready.wait(START_TIMEOUT):
            self.stop()
            raise ExportUnavailable(
                f"chart images are unavailable: Chromium ({self.browser}) did not start "
                f"within {START_TIMEOUT:.0f} s"
            )
        if self._error is not None:
            self._thread.join(5)
            raise ExportUnavailable(
                f"chart images are unavailable: Chromium ({self.browser}) failed to start "
                f"({_first_sentence(self._error)}); {INSTALL_HINT}"
            )

    def _run(self) -> None:
        asyncio.run(self._main())

    async def _main(self) -> None:
        import kaleido

        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        try:
            self._kaleido = kaleido.Kaleido(
                n=1, timeout=RENDER_TIMEOUT, mathjax=False, path=self.browser
            )
            await self._kaleido.open()
        except Exception as exc:  # a missing or broken browser: reported by start()
            _log.warning("Chromium %s failed to start", self.browser, exc_info=True)
            self._error = exc
            await self._close()
            self._ready.set()
            return
        self._ready.set()
        try:
            await self._stop.wait()
        finally:
            await self._close()

    async def _close(self) -> None:
        if self._kaleido is None:
            return
        try:
            await self._kaleido.close()
        except Exception:  # a browser that died first cannot close cleanly; nothing to do
            _log.debug("closing Chromium failed", exc_info=True)

    def render(self, fig: Mapping[str, Any], opts: Mapping[str, Any]) -> bytes:
        assert self._loop is not None
        future = asyncio.run_coroutine_threadsafe(
            self._kaleido.calc_fig(dict(fig), opts=dict(opts)), self._loop
        )
        try:
            return future.result(RENDER_TIMEOUT + 10)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise

    @property
    def alive(self) -> bool:
        return self._thread.is_alive() and self._error is None

    def stop(self) -> None:
        loop, stop = self._loop, self._stop
        if loop is not None and stop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                loop.call_soon_threadsafe(stop.set)
        if self._thread.is_alive():
            self._thread.join(15)


_lock = threading.Lock()
_server: _ImageServer | None = None
_atexit_registered = False


def _ensure_server() -> _ImageServer:
    """The shared server, started on first use (call with ``_lock`` held)."""
    global _server, _atexit_registered
    if _server is not None and _server.alive:
        return _server
    _server = None
    browser = find_browser()
    if browser is None:
        where = os.environ.get("BROWSER_PATH")
        problem = (
            f"BROWSER_PATH={where!r} is not an executable file"
            if where
            else "no Chromium was found on PATH"
        )
        raise ExportUnavailable(f"chart images are unavailable: {problem}; {INSTALL_HINT}")
    import plotly.io as pio

    # plotly.io.to_image would otherwise hand kaleido a header option on every call, which a
    # running server ignores with a warning (shared/reference/stack-notes.md).
    pio.defaults.headers = {}
    server = _ImageServer(browser)
    server.start()
    _server = server
    if not _atexit_registered:
        atexit.register(shutdown)
        _atexit_registered = True
    return server


def _forget_after_fork() -> None:
    """A forked worker (gunicorn --preload) owns neither the parent's browser nor its lock."""
    global _lock, _server
    _lock = threading.Lock()
    _server = None


os.register_at_fork(after_in_child=_forget_after_fork)


def shutdown() -> None:
    """Stop the shared browser, if running. The next image export starts it again."""
    global _server
    with _lock:
        server, _server = _server, None
        if server is not None:
            server.stop()


def _image(fig: go.Figure, fmt: str, scale: float) -> bytes:
    from choreographer.errors import BrowserClosedError, BrowserFailedError, ChannelClosedError

    browser_gone = (BrowserClosedError, BrowserFailedError, ChannelClosedError)
    spec = fig.to_dict()
    layout = spec.get("layout", {})
    opts = {
        "format": fmt,
        "scale": scale if fmt == "png" else 1,
        "width": layout.get("width") or 900,
        "height": layout.get("height") or 650,
    }
    global _server
    with _lock:
        for attempt in (1, 2):
            server = _ensure_server()
            try:
                return server.render(spec, opts)
            except (*browser_gone, TimeoutError) as exc:
                # The browser died or hung: drop it. A dead one is replaced once, at once.
                _server = None
                server.stop()
                if attempt == 1 and isinstance(exc, browser_gone):
                    continue
                raise ExportUnavailable(
                    f"chart image failed, try again: {_one_line(exc) or type(exc).__name__}"
                ) from exc
            except Exception as exc:
                # Anything else (a figure kaleido or Plotly refuses): the browser is fine,
                # the image is not to be had; the pages answer 503 with the reason.
                raise ExportUnavailable(
                    f"chart image failed: {_one_line(exc) or type(exc).__name__}"
                ) from exc
    raise AssertionError("unreachable")  # pragma: no cover


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


def _first_sentence(exc: BaseException) -> str:
    """The first sentence of an error, without the advice to download a browser that
    choreographer appends (we use Debian's Chromium, never a download)."""
    first = str(exc.args[0]) if exc.args else type(exc).__name__
    first = " ".join(first.split())
    end = first.find(". ")
    return (first[:end] if end > 0 else first.rstrip(".")) or type(exc).__name__


def _one_line(exc: BaseException) -> str:
    args = exc.args
    text = " ".join(str(a) for a in args) if isinstance(args, tuple) else str(exc)
    return " ".join(text.split())
