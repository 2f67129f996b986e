"""Exports: charts to PNG, SVG, PDF and offline HTML; assessments to printable PDF reports.

Charts. :func:`figure_bytes` turns a Plotly figure from :mod:`assess.core.charts` into a file.
Interactive HTML carries plotly.js inline and loads nothing from other hosts. Images are drawn
by kaleido in one headless Chromium that is started on first use, shared by every caller in the
process, and stopped at exit. kaleido's page is not safe for concurrent use, so one lock
serializes every image export. kaleido's own ``start_sync_server`` is not used: when its
browser fails to start, the server thread dies and every later call waits forever, with no
timeout; :class:`_ImageServer` below drives the same ``kaleido.Kaleido`` but reports a failed
start and gives each render a deadline.

Reports. :func:`report_pdf` and :func:`organization_report_pdf` render the Jinja templates in
``templates/report/`` with WeasyPrint. Charts go in as inline SVG (vector). Nothing here
depends on Flask, so the CLI makes reports offline. WeasyPrint may load only ``data:`` URLs.

Failures a caller should show the user as "try later or install Chromium" raise
:class:`ExportUnavailable` (the web layer answers 503, the CLI exits 2).
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import contextlib
import datetime as dt
import html
import logging
import math
import os
import re
import shutil
import threading
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import plotly.graph_objects as go
from markupsafe import Markup

from assess.core import charts

FORMATS = ("png", "svg", "pdf", "html")
MIMETYPES = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
}
PAGE_SIZES = ("A4", "Letter")

#: Executables tried, in order, when ``BROWSER_PATH`` is not set.
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
INSTALL_HINT = "install Debian's chromium (apt-get install -y chromium) or set BROWSER_PATH"
#: Largest PNG scale: 4 × a 1000 px wide chart is a 4000 px image.
MAX_SCALE = 4
#: Seconds allowed for the browser to start and for one image.
START_TIMEOUT = 60.0
RENDER_TIMEOUT = 60.0

_log = logging.getLogger(__name__)

VERDICTS = {
    "ciso": "Hire a full-time CISO",
    "vciso": "Engage a virtual CISO (vCISO)",
}


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
        return _figure_html(fig).encode("utf-8")
    return _image(fig, fmt, scale)


def _figure_html(fig: go.Figure) -> str:
    page = go.Figure(fig)
    # Fill the window: keep the height, drop the fixed export width (see assess.core.charts).
    page.update_layout(width=None, autosize=True)
    text = page.to_html(
        include_plotlyjs=True,
        full_html=True,
        config={"displaylogo": False, "responsive": True},
    )
    title = _figure_title(fig) or "Chart"
    text = text.replace("<html>", '<html lang="en">', 1)
    return text.replace("<head>", f"<head><title>{html.escape(title)}</title>", 1)


def _figure_title(fig: go.Figure) -> str:
    text = fig.layout.title.text or ""
    return re.sub(r"<[^>]+>", " ", text).strip()


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


# --------------------------------------------------------------------------- formatting


def fmt_score(value: Any) -> str:
    """A score with one decimal, or "–" when there is none.

    >>> fmt_score(2.449), fmt_score(None), fmt_score(float("nan"))
    ('2.4', '–', '–')
    """
    if _missing(value):
        return "–"
    return f"{float(value):.1f}"


def fmt_delta(value: Any) -> str:
    """A change in score with its sign and one decimal; no sign when it rounds to nothing.

    >>> fmt_delta(0.46), fmt_delta(-1.25), fmt_delta(-0.04), fmt_delta(None)
    ('+0.5', '-1.2', '0.0', '–')
    """
    if _missing(value):
        return "–"
    rounded = round(float(value), 1)
    return "0.0" if rounded == 0 else f"{rounded:+.1f}"


def fmt_money(value: Any) -> str:
    """US dollars without cents; a pair or a ``{low, high}`` mapping as a range.

    >>> fmt_money(123000), fmt_money([48000, 96000]), fmt_money(None)
    ('$123,000', '$48,000–$96,000', '–')
    """
    if isinstance(value, Mapping):
        low, high = value.get("low", value.get("min")), value.get("high", value.get("max"))
        if low is not None and high is not None:
            return f"{fmt_money(low)}–{fmt_money(high)}"
        value = low if low is not None else high
    if isinstance(value, Sequence) and not isinstance(value, str) and len(value) == 2:
        return f"{fmt_money(value[0])}–{fmt_money(value[1])}"
    if _missing(value) or isinstance(value, str | bool):
        return "–" if _missing(value) else str(value)
    return f"${float(value):,.0f}"


def fmt_number(value: Any) -> str:
    """A plain number: whole numbers without decimals, others with up to two.

    >>> fmt_number(14), fmt_number(2.5), fmt_number(0.125)
    ('14', '2.5', '0.12')
    """
    if _missing(value):
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    number = float(value)
    if number.is_integer():
        return f"{number:,.0f}"
    return f"{number:,.2f}".rstrip("0").rstrip(".")


def fmt_date(value: Any) -> str:
    """A date as "27 November 2026" (the same reading in the US and the UK).

    >>> fmt_date("2026-11-27"), fmt_date(dt.date(2026, 3, 1))
    ('27 November 2026', '1 March 2026')
    """
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    return f"{value.day} {value:%B %Y}"


def css_string(value: Any) -> Markup:
    """Text as a quoted CSS string, safe inside a ``<style>`` element.

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


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _plain(value: Any) -> str:
    """Any value from a recommendation as short text."""
    if _missing(value):
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return fmt_number(value)
    if isinstance(value, Mapping):
        return ", ".join(f"{k}: {_plain(v)}" for k, v in value.items())
    if isinstance(value, Iterable) and not isinstance(value, str):
        return ", ".join(_plain(v) for v in value) or "none"
    return str(value)


def _texts(items: Any) -> list[str]:
    """Assumptions or sources (strings, or mappings with a text-like key) as strings."""
    if items is None:
        return []
    if isinstance(items, str | Mapping):
        items = [items]
    out: list[str] = []
    for item in items:
        if isinstance(item, Mapping):
            head = next(
                (
                    str(item[k])
                    for k in ("text", "title", "source", "assumption", "name", "note")
                    if item.get(k)
                ),
                "",
            )
            url = item.get("url") or item.get("href")
            label = item.get("label") or item.get("what")
            text = f"{label}: {head}" if label and head else head or _plain(item)
            out.append(f"{text} ({url})" if url else text)
        elif not _missing(item) and str(item).strip():
            out.append(" ".join(str(item).split()))
    return out


# --------------------------------------------------------------------------- templates


_env = None


def _environment() -> Any:
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
        env.filters.update(
            score=fmt_score,
            money=fmt_money,
            number=fmt_number,
            date=fmt_date,
            plain=_plain,
            css_string=css_string,
        )
        _env = env
    return _env


def _page_size(page_size: str) -> str:
    for size in PAGE_SIZES:
        if page_size.lower() == size.lower():
            return size
    raise ValueError(f"unknown page size {page_size!r} (use A4 or Letter)")


def _render_pdf(template: str, view: Mapping[str, Any]) -> bytes:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    from assess.core.documents import resource_dir

    text = _environment().get_template(template).render(**view)
    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(
        string=text, base_url=str(resource_dir("templates") / "report"), url_fetcher=fetcher
    ).write_pdf()


_SVG_ROOT = re.compile(r"<svg\b[^>]*>")


def _inline_svg(fig: go.Figure, label: str) -> Markup:
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


#: Layout width of a chart drawn for a report page: near the 170–180 mm text width at 96 px
#: an inch, so the charts' 12–13 px labels print at about 9 pt.
PRINT_WIDTH = 700


def _for_print(fig: go.Figure, *, height: int | None = None) -> go.Figure:
    """A copy of ``fig`` laid out for a page: narrower than the screen export, so text is
    larger once the chart is scaled to the column."""
    return go.Figure(fig).update_layout(width=PRINT_WIDTH, height=height or fig.layout.height)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _generated(value: Any) -> str:
    """When a report was made, as "27 November 2026, 14:03 UTC"."""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        value = value.astimezone(dt.UTC) if value.tzinfo else value
        return f"{fmt_date(value.date())}, {value:%H:%M} UTC"
    return str(value or "")


# --------------------------------------------------------------------------- assessment report


def assessment_report_context(
    report: Any,
    *,
    organization: str | None = None,
    answers: Mapping[str, Any],
    questionnaire: Any = None,
    reviews: Mapping[str, Any] | None = None,
    date: dt.date | str | None = None,
) -> dict[str, Any]:
    """Everything :func:`report_pdf` shows, as plain data, from a ``service.Report``.

    ``organization`` is the name on the cover (by default the profile's, if any);
    ``answers`` maps question id to ``scoring.Answer``; ``reviews`` maps question id to a
    review (a mapping or an object with ``verified_level``, ``comment`` and optionally
    ``reviewer``); ``date`` is the assessment's date (today by default). ``questionnaire``
    defaults to the one the report was scored with.
    """
    questionnaire = questionnaire or report.result.questionnaire
    reviews = reviews or {}
    results = report.to_dict()
    recommendation = results.pop("recommendation", None)
    if recommendation is None and getattr(report, "recommendation", None) is not None:
        recommendation = report.recommendation.model_dump(mode="json")
    rows = []
    for area in questionnaire.areas:
        for question in area.questions:
            answer = answers.get(question.id)
            review = reviews.get(question.id)
            verified_level = _field(review, "verified_level")
            reviewer = _field(review, "reviewer")
            if reviewer is not None and not isinstance(reviewer, str):
                reviewer = getattr(reviewer, "name", None) or getattr(reviewer, "email", None)
            rows.append(
                {
                    "area": area.title,
                    "area_id": area.id,
                    "question": question.id,
                    "text": question.text,
                    "answer": _answer_label(questionnaire, answer),
                    "value": None if answer is None else answer.value,
                    "note": (getattr(answer, "note", "") or "") if answer is not None else "",
                    "reviewed": review is not None,
                    "verified": (
                        ""
                        if review is None
                        else "not rated"
                        if verified_level is None
                        else _level_label(questionnaire, int(verified_level))
                    ),
                    "confirmed": (
                        review is not None
                        and verified_level is not None
                        and answer is not None
                        and answer.level is not None
                        and int(verified_level) == answer.level
                    ),
                    "comment": (_field(review, "comment") or "") if review is not None else "",
                    "reviewer": reviewer or "",
                }
            )
    if isinstance(date, dt.datetime):
        date = date.date()
    if not organization:
        organization = getattr(getattr(report, "profile", None), "organization", None)
    return {
        "organization": str(organization or "Your organization"),
        "date": (date or _now().date()).isoformat() if not isinstance(date, str) else date,
        "questionnaire": {
            **questionnaire.identity,
            "title": questionnaire.title,
            "scale": [
                {"level": level, "label": s.label, "description": s.description}
                for level, s in sorted(questionnaire.scale.items())
            ],
        },
        "results": results,
        "recommendation": recommendation,
        "answers": rows,
        "generated_at": _now().isoformat(),
    }


def _field(obj: Any, name: str) -> Any:
    if obj is None:
        return None
    if isinstance(obj, Mapping):
        return obj.get(name)
    return getattr(obj, name, None)


def _level_label(questionnaire: Any, level: int) -> str:
    try:
        return f"{level} – {questionnaire.label(level)}"
    except (KeyError, AttributeError):
        return str(level)


def _answer_label(questionnaire: Any, answer: Any) -> str:
    if answer is None:
        return "Not answered"
    if answer.status == "unknown":
        return "Don't know"
    if answer.status == "na":
        return "Not applicable"
    return _level_label(questionnaire, int(answer.level))


def _clause(sentence: str) -> str:
    """A sentence turned into a clause: first letter lowered, final full stop dropped.

    >>> _clause("Done informally; nothing is written down.")
    'done informally; nothing is written down'
    """
    text = " ".join(sentence.split()).rstrip(".")
    return text[:1].lower() + text[1:]


def _largest_gaps(areas: Sequence[Mapping[str, Any]], n: int = 3) -> list[Mapping[str, Any]]:
    scored = [a for a in areas if not _missing(a.get("score")) and (a.get("gap") or 0) > 0]
    return sorted(scored, key=lambda a: -float(a["gap"]))[:n]


#: How codes in a recommendation's reasons read in a report.
_CODE_WORDS = {
    "none": "nobody",
    "it_manager": "IT manager",
    "cio": "CIO",
    "ciso": "CISO",
    "vciso": "vCISO",
    "pii": "personal data",
    "phi": "health records",
    "payment": "payment cards",
    "cui": "CUI",
    "pci_dss": "PCI DSS",
    "soc2": "SOC 2",
    "toward_ciso": "toward a CISO",
    "toward_vciso": "toward a vCISO",
}
_ACRONYMS = {"hipaa", "glba", "sox", "gdpr", "ccpa", "cmmc", "itar", "nydfs", "ferpa"}


def _words(value: Any, factor: str = "") -> str:
    """A reason's value as words.

    >>> _words(["pii", "phi"]), _words("it_manager"), _words(11500000, "annual_revenue_usd")
    ('personal data, health records', 'IT manager', '$11,500,000')
    """
    if isinstance(value, list | tuple):
        return ", ".join(_words(v, factor) for v in value) or "none"
    if isinstance(value, str):
        if value in _CODE_WORDS:
            return _CODE_WORDS[value]
        if value in _ACRONYMS:
            return value.upper()
        return value.replace("_", " ")
    if factor.endswith("_usd") and isinstance(value, int | float) and not isinstance(value, bool):
        return fmt_money(value)
    return _plain(value)


class _Sources:
    """Sources numbered in order of first mention, for "[1]"-style references."""

    def __init__(self, first: Iterable[str] = ()) -> None:
        self.items: list[str] = []
        self.refs(first)

    def refs(self, sources: Any) -> str:
        numbers = []
        for text in _texts(sources):
            if text not in self.items:
                self.items.append(text)
            numbers.append(self.items.index(text) + 1)
        return "[" + ", ".join(map(str, sorted(set(numbers)))) + "]" if numbers else ""


def _recommendation_view(
    rec: Mapping[str, Any] | None, titles: Mapping[str, str]
) -> dict[str, Any] | None:
    """The recommendation's fields, each present and printable, whatever shape it came in."""
    if not rec:
        return None
    sources = _Sources()
    hire = str(rec.get("hire") or "").lower()
    confidence = rec.get("confidence")
    if isinstance(confidence, int | float) and not _missing(confidence):
        confidence = f"{float(confidence) * 100:.0f}%" if confidence <= 1 else f"{confidence}%"
    points, threshold = rec.get("points"), rec.get("threshold")
    reasons = []
    for reason in rec.get("reasons") or []:
        factor = str(_field(reason, "factor") or "")
        weight = _field(reason, "weight")
        reasons.append(
            {
                "factor": _plain(_field(reason, "title") or factor.replace("_", " ")),
                "value": _words(_field(reason, "value"), factor),
                "effect": _words(_field(reason, "effect") or ""),
                "weight": f"{weight:+g}" if isinstance(weight, int | float) else _plain(weight),
                "explanation": _plain(_field(reason, "explanation") or ""),
                "refs": sources.refs(_field(reason, "sources")),
            }
        )
    costs = rec.get("costs") or {}
    options = []
    for key, name in (("vciso", "Virtual CISO (vCISO)"), ("ciso", "Full-time CISO")):
        cost = costs.get(key)
        if not cost:
            continue
        hours, rate = cost.get("hours_per_month"), cost.get("hourly_rate_usd")
        pay, overhead = cost.get("compensation_usd"), cost.get("overhead_rate")
        detail = ""
        if not _missing(hours) and not _missing(rate):
            detail = f"{fmt_number(hours)} hours a month at {fmt_money(rate)} an hour"
        elif not _missing(hours):
            detail = f"{fmt_number(hours)} hours a month"
        elif not _missing(pay) and not _missing(overhead):
            detail = f"{fmt_money(pay)} pay plus {float(overhead):.0%} for overheads"
        options.append(
            {
                "key": key,
                "name": name,
                "chosen": key == hire,
                "annual": fmt_money(cost.get("annual_usd")),
                "detail": detail,
                "assumptions": _texts(cost.get("assumptions")),
                "refs": sources.refs(cost.get("sources")),
            }
        )
    first_areas = []
    for item in rec.get("first_areas") or []:
        if isinstance(item, Mapping):
            area_id = item.get("area") or item.get("id")
            area = {
                "title": str(item.get("title") or titles.get(area_id, area_id)),
                "score": item.get("score"),
                "target": item.get("target"),
            }
        else:
            area = {"title": titles.get(str(item), str(item)), "score": None, "target": None}
        first_areas.append(area)
    return {
        "hire": hire,
        "verdict": VERDICTS.get(hire, hire.upper() or "No verdict"),
        "confidence": confidence if isinstance(confidence, str) else "",
        "points": None if _missing(points) else fmt_number(points),
        "threshold": None if _missing(threshold) else fmt_number(threshold),
        "summary": str(rec.get("summary") or ""),
        "reasons": reasons,
        "options": options,
        "transition": _transition_view(rec.get("transition"), sources),
        "reporting": _reporting_view(rec.get("reporting_line"), sources),
        "first_areas": first_areas,
        "notes": _texts(rec.get("notes")),
        "sources": sources.items
        + [t for t in _texts(rec.get("sources")) if t not in sources.items],
    }


def _transition_view(transition: Any, sources: _Sources) -> dict[str, Any] | None:
    """``{summary, triggers: [{text, met}], refs}`` from a string or the recommend shape."""
    if not transition:
        return None
    if isinstance(transition, str):
        return {"summary": transition, "triggers": [], "refs": ""}
    if not isinstance(transition, Mapping):
        return {"summary": _plain(transition), "triggers": [], "refs": ""}
    triggers = []
    for trigger in transition.get("triggers") or []:
        if isinstance(trigger, Mapping):
            triggers.append(
                {"text": _plain(trigger.get("text", "")), "met": bool(trigger.get("met"))}
            )
        else:
            triggers.append({"text": _plain(trigger), "met": False})
    return {
        "summary": _plain(transition.get("summary") or ""),
        "triggers": triggers,
        "refs": sources.refs(transition.get("sources")),
    }


def _reporting_view(reporting: Any, sources: _Sources) -> dict[str, Any] | None:
    """``{reports_to, dotted_line_to, board_reporting, why, refs}`` from a string or mapping."""
    if not reporting:
        return None
    if not isinstance(reporting, Mapping):
        reporting = {"reports_to": _plain(reporting)}
    return {
        "reports_to": _plain(reporting.get("reports_to") or ""),
        "dotted_line_to": _plain(reporting.get("dotted_line_to") or ""),
        "board_reporting": _plain(reporting.get("board_reporting") or ""),
        "why": _plain(reporting.get("why") or ""),
        "refs": sources.refs(reporting.get("sources")),
    }


def _assessment_view(context: Mapping[str, Any], page_size: str) -> dict[str, Any]:
    results = context["results"]
    areas = results["areas"]
    titles = {a["id"]: a["title"] for a in areas}
    questionnaire = dict(context.get("questionnaire") or results.get("questionnaire") or {})
    scale = {s["level"]: s for s in questionnaire.get("scale") or []}
    overall = results.get("overall") or {}
    level = overall.get("level")
    roadmap = [
        {**step, "area_title": titles.get(step["area"], step["area"])}
        for step in results.get("roadmap") or []
        if step.get("first_90_days")
    ]
    groups: list[dict[str, Any]] = []
    for row in context.get("answers") or []:
        if not groups or groups[-1]["area"] != row["area"]:
            groups.append({"area": row["area"], "rows": []})
        groups[-1]["rows"].append(row)
    answers = context.get("answers") or []
    return {
        "page_size": page_size,
        "organization": context["organization"],
        "date": fmt_date(context.get("date")),
        "draft": bool(context.get("draft")),
        "generated_at": _generated(context.get("generated_at")),
        "questionnaire": {
            "id": questionnaire.get("id", ""),
            "version": questionnaire.get("version", ""),
            "hash": questionnaire.get("hash", ""),
            "title": questionnaire.get("title") or questionnaire.get("id", ""),
            "scale": [scale[k] for k in sorted(scale)],
        },
        "overall": {
            "score": overall.get("score"),
            "level": level,
            "label": overall.get("label") or "",
            "meaning": _clause((scale.get(level) or {}).get("description", "")),
        },
        "areas": areas,
        "largest_gaps": _largest_gaps(areas),
        "targets_met": sum(
            1 for a in areas if not _missing(a.get("score")) and (a.get("gap") or 0) == 0
        ),
        "unanswered": len(results.get("unanswered") or []),
        "unknown": sum(int(a.get("unknown") or 0) for a in areas),
        "questions": sum(int(a.get("total") or 0) for a in areas),
        "roadmap": roadmap,
        "recommendation": _recommendation_view(context.get("recommendation"), titles),
        "answer_groups": groups,
        "reviewed": sum(1 for r in answers if r.get("reviewed")),
        "radar_svg": _inline_svg(
            _for_print(charts.radar(areas), height=540),
            "Radar chart of each area's score against its target",
        ),
        "gaps_svg": _inline_svg(
            _for_print(charts.gap_bars(areas)), "Bar chart of the gap to target per area"
        ),
    }


def report_pdf(report_context: Mapping[str, Any], *, page_size: str = "A4") -> bytes:
    """The PDF report of one assessment (see :func:`assessment_report_context`).

    Raises :class:`ExportUnavailable` when the charts cannot be drawn (no Chromium).
    """
    view = _assessment_view(report_context, _page_size(page_size))
    return _render_pdf("report/assessment.html", view)


# --------------------------------------------------------------------------- organization report


def _comparison_sides(
    comparison: Mapping[str, Any],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``from`` and ``to`` area lists for ``charts.comparison_radar``.

    An area whose ``status`` is ``added`` is left out of ``from``; ``removed``, out of ``to``.
    """
    from_areas, to_areas = [], []
    for area in comparison.get("areas") or []:
        status = area.get("status")
        if status != "added":
            from_areas.append({"id": area["id"], "title": area["title"], "score": area.get("from")})
        if status != "removed":
            to_areas.append({"id": area["id"], "title": area["title"], "score": area.get("to")})
    return from_areas, to_areas


def _shown_delta(before: Any, after: Any, delta: Any = None) -> Any:
    """The change a reader computes from the two scores as printed (one decimal each), so
    1.56 → 1.52 reads "1.6, 1.5, -0.1"; ``delta`` when a side is missing.

    >>> _shown_delta(1.56, 1.52), _shown_delta(None, 2.0, None)
    (-0.1, None)
    """
    if _missing(before) or _missing(after):
        return delta
    return round(round(float(after), 1) - round(float(before), 1), 1)


def _organization_view(context: Mapping[str, Any], page_size: str) -> dict[str, Any]:
    history = list(context.get("history") or [])
    comparison = context.get("comparison")
    titles: dict[str, str] = {}
    for point in history:
        titles.update(point.get("area_titles") or {})
    view: dict[str, Any] = {
        "page_size": page_size,
        "organization": context["organization"],
        "date": fmt_date(context.get("date") or _now().date()),
        "generated_at": _generated(context.get("generated_at") or _now()),
        "history": history,
        "trend_svg": (
            _inline_svg(_for_print(charts.trend(history)), "Line chart of maturity over time")
            if history
            else None
        ),
        "comparison": None,
        "recommendation": None,
    }
    if comparison and comparison.get("areas"):
        from_areas, to_areas = _comparison_sides(comparison)
        titles.update({a["id"]: a["title"] for a in comparison["areas"]})
        from_label = str(comparison.get("from_label") or "Earlier")
        to_label = str(comparison.get("to_label") or "Latest")
        rows = []
        for area in comparison["areas"]:
            delta = _shown_delta(area.get("from"), area.get("to"), area.get("delta"))
            rows.append(
                {
                    **area,
                    "delta_text": fmt_delta(delta),
                    "note": {"added": f"new in {to_label}", "removed": f"not in {to_label}"}.get(
                        area.get("status") or "", ""
                    ),
                }
            )
        overall_from, overall_to = comparison.get("overall_from"), comparison.get("overall_to")
        view["comparison"] = {
            "from_label": from_label,
            "to_label": to_label,
            "overall_from": overall_from,
            "overall_to": overall_to,
            "overall_delta": (
                None
                if _missing(overall_from) or _missing(overall_to)
                else fmt_delta(_shown_delta(overall_from, overall_to))
            ),
            "rows": rows,
            "svg": _inline_svg(
                _for_print(
                    charts.comparison_radar(
                        from_areas, to_areas, from_label=from_label, to_label=to_label
                    ),
                    height=540,
                ),
                f"Radar chart comparing {from_label} with {to_label}",
            ),
        }
    view["recommendation"] = _recommendation_view(context.get("recommendation"), titles)
    return view


def organization_report_pdf(context: Mapping[str, Any], *, page_size: str = "A4") -> bytes:
    """The PDF report of an organization over time: trend, last two compared, advice.

    ``context``: ``organization`` (name), optional ``date`` and ``generated_at``;
    ``history``: points for ``charts.trend`` (``label``, ``date``, ``overall``, ``areas``
    {id: score}, ``area_titles``), oldest first; ``comparison`` (optional): ``from_label``,
    ``to_label``, optional ``overall_from``/``overall_to``, and ``areas``
    [{id, title, from, to, delta, status?}] where ``status`` "added" or "removed" marks an area
    on one side only; ``recommendation``: a ``Recommendation.to_dict()`` or None.
    """
    view = _organization_view(context, _page_size(page_size))
    return _render_pdf("report/organization.html", view)
