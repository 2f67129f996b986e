"""The renderers behind chart images: a small pool of headless Chromiums driven by kaleido.

Each renderer is one ``kaleido.Kaleido`` (one Chromium, one tab) on an event loop in a daemon
thread, and draws one image at a time. The pool holds up to ``ASSESS_CHART_RENDERERS`` of
them (default 2) per process: a download takes a free renderer, starting one on first use,
so N downloads draw at once and one slow image holds up only its own renderer. A download
that finds none free waits at most :data:`WAIT_TIMEOUT` seconds, then fails with
:class:`ExportUnavailable` (the web layer answers 503, the CLI exits 2) instead of queueing
without end. A renderer whose browser died is replaced (the image is tried once more on a new
one); one that timed out is stopped, and the next download starts a fresh one; one that has
drawn :data:`RECYCLE_AFTER` images is replaced too, since Chromium's memory grows with use.

Why separate browsers rather than one browser with N tabs (``Kaleido(n=N)``, which kaleido
supports): measured on 2 cores, 8 concurrent PNGs took 0.64-0.70× the time of 8 sequential
ones with two browsers and 0.74-1.04× with one browser and two tabs; and a browser that
crashes or hangs takes down only its own renderer. The price is memory: about 280 MB PSS per
fresh renderer (its Chromium and helper processes), against 430 MB for one browser with two
tabs; 450-600 MB after 20-160 images.

kaleido's own ``start_sync_server`` is not used: when its browser fails to start, the server
thread dies and every later call waits forever, with no timeout; :class:`Renderer` reports a
failed start and gives each image a deadline. Forked workers (gunicorn ``--preload``) forget
the parent's pool; every browser is stopped at exit (``atexit``) and by :func:`shutdown`.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import contextlib
import logging
import os
import shutil
import signal
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any, Protocol

#: The setting, its default and its largest value (each renderer is a Chromium, ~280 MB).
SETTING = "ASSESS_CHART_RENDERERS"
DEFAULT_RENDERERS = 2
MAX_RENDERERS = 8
#: Executables tried, in order, when ``BROWSER_PATH`` is not set.
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
INSTALL_HINT = "install Debian's chromium (apt-get install -y chromium) or set BROWSER_PATH"
#: Seconds allowed for a browser to start, for one image, and to wait for a free renderer.
START_TIMEOUT = 60.0
RENDER_TIMEOUT = 60.0
WAIT_TIMEOUT = 30.0
#: A renderer is replaced after this many images: Chromium's memory grows with use (measured
#: 320 MB PSS after one image, 450-600 MB after 20-120), and a fresh one starts at the bottom.
RECYCLE_AFTER = 200

_log = logging.getLogger(__name__)


class ExportUnavailable(RuntimeError):
    """Images cannot be made now: no Chromium, it failed, or all renderers are busy. The
    message is one line."""


class RendererGone(RuntimeError):
    """The renderer's browser died (closed, crashed, killed): start another."""


# --------------------------------------------------------------------------- the setting


def renderer_setting(environ: Mapping[str, str]) -> tuple[int, str | None]:
    """The number of renderers ``ASSESS_CHART_RENDERERS`` asks for, and what is wrong with it.

    >>> renderer_setting({}), renderer_setting({"ASSESS_CHART_RENDERERS": "3"})
    ((2, None), (3, None))
    >>> renderer_setting({"ASSESS_CHART_RENDERERS": "0"})
    (2, "ASSESS_CHART_RENDERERS='0' is not a whole number from 1 to 8; 2 renderers are used")
    """
    raw = environ.get(SETTING, "").strip()
    if not raw:
        return DEFAULT_RENDERERS, None
    if raw.isascii() and raw.isdecimal() and 1 <= int(raw) <= MAX_RENDERERS:
        return int(raw), None
    return DEFAULT_RENDERERS, (
        f"{SETTING}={raw!r} is not a whole number from 1 to {MAX_RENDERERS}; "
        f"{DEFAULT_RENDERERS} renderers are used"
    )


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


class Drawing(Protocol):
    """What the pool needs of a renderer (tests give it fakes)."""

    @property
    def alive(self) -> bool: ...

    def render(self, fig: Mapping[str, Any], opts: Mapping[str, Any]) -> bytes: ...

    def stop(self) -> None: ...


class Renderer:
    """One ``kaleido.Kaleido`` (one Chromium, one tab) on an event loop in a daemon thread."""

    def __init__(self, browser: str) -> None:
        self.browser = browser
        self.timeout = RENDER_TIMEOUT
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._kaleido: Any = None
        self._thread = threading.Thread(target=self._run, name="assess-kaleido", daemon=True)

    def start(self) -> Renderer:
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
        return self

    def _run(self) -> None:
        asyncio.run(self._main())

    async def _main(self) -> None:
        import kaleido

        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        try:
            self._kaleido = kaleido.Kaleido(
                n=1, timeout=self.timeout, mathjax=False, path=self.browser
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
        """The image; :class:`RendererGone` if the browser died, TimeoutError past the
        deadline, and whatever kaleido raises for a figure it refuses."""
        from choreographer.errors import BrowserClosedError, BrowserFailedError, ChannelClosedError

        loop = self._loop
        if loop is None or loop.is_closed() or not self.alive:
            raise RendererGone("the renderer is not running")
        try:
            future = asyncio.run_coroutine_threadsafe(
                self._kaleido.calc_fig(dict(fig), opts=dict(opts)), loop
            )
        except RuntimeError as exc:  # the loop closed meanwhile
            raise RendererGone(str(exc)) from exc
        gone = (BrowserClosedError, BrowserFailedError, ChannelClosedError)
        try:
            return future.result(self.timeout + 10)
        except (*gone, concurrent.futures.CancelledError, asyncio.CancelledError) as exc:
            # Cancelled: choreographer's watchdog saw the browser die and closed it.
            raise RendererGone(_one_line(exc) or type(exc).__name__) from exc
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise

    @property
    def alive(self) -> bool:
        process = getattr(self._kaleido, "subprocess", None)
        running = process is None or process.poll() is None
        return self._thread.is_alive() and self._error is None and running

    @property
    def leader(self) -> int | None:
        """The browser's process id; it leads its own session (choreographer starts it with
        ``start_new_session``), so its helpers are the processes of that session."""
        process = getattr(self._kaleido, "subprocess", None)
        return process.pid if process is not None else None

    def process_ids(self) -> list[int]:
        """The browser's processes (itself and its helpers) now running."""
        return session_processes(self.leader) if self.leader else []

    def stop(self) -> None:
        loop, stop = self._loop, self._stop
        if loop is not None and stop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                loop.call_soon_threadsafe(stop.set)
        if self._thread.is_alive():
            self._thread.join(15)
        # Last resort: a browser that would not close (or a helper it left) is killed.
        leader = self.leader
        if leader and session_processes(leader):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(leader, signal.SIGKILL)
            for _ in range(50):  # a killed process lingers until the kernel has torn it down
                if not session_processes(leader):
                    break
                time.sleep(0.1)


def session_processes(session: int) -> list[int]:
    """Process ids (Linux ``/proc``) of the session ``session`` leads, without zombies."""
    found = []
    with contextlib.suppress(OSError):
        for name in os.listdir("/proc"):
            if not name.isdecimal():
                continue
            try:
                with open(f"/proc/{name}/stat", "rb") as fh:
                    stat = fh.read()
            except OSError:
                continue
            # pid (comm) state ppid pgrp session ...; comm may hold spaces and parentheses
            fields = stat[stat.rfind(b")") + 2 :].split()
            if len(fields) > 3 and int(fields[3]) == session and fields[0] != b"Z":
                found.append(int(name))
    return found


def start_renderer(browser: str) -> Drawing:
    """A started renderer on ``browser`` (raises :class:`ExportUnavailable`)."""
    return Renderer(browser).start()


# --------------------------------------------------------------------------- the pool


class Pool:
    """Up to ``size`` renderers, each lent to one caller at a time, started when first needed."""

    def __init__(self, size: int, start: Callable[[], Drawing]) -> None:
        self.size = size
        self._start = start
        self._cond = threading.Condition()
        self._busy = 0  # callers holding a place
        self._idle: list[Drawing] = []
        self._all: list[Drawing] = []  # every running renderer, idle or lent
        self._uses: dict[int, int] = {}  # images asked of each renderer (by id)
        self._retiring: list[threading.Thread] = []  # renderers being stopped after use
        self._closed = False

    def render(self, fig: Mapping[str, Any], opts: Mapping[str, Any]) -> bytes:
        self._enter()
        renderer: Drawing | None = None
        try:
            for attempt in (1, 2):
                renderer = self._take()
                try:
                    return renderer.render(fig, opts)
                except (RendererGone, TimeoutError) as exc:
                    # Died or hung: stop it. A dead one is replaced once, at once.
                    self._drop(renderer)
                    renderer = None
                    if attempt == 1 and isinstance(exc, RendererGone):
                        continue
                    what = (
                        f"no image within {RENDER_TIMEOUT:.0f} s"
                        if isinstance(exc, TimeoutError)
                        else _one_line(exc) or type(exc).__name__
                    )
                    raise ExportUnavailable(f"chart image failed, try again: {what}") from exc
                except ExportUnavailable:
                    raise
                except Exception as exc:
                    # Anything else (a figure kaleido or Plotly refuses): the renderer is
                    # fine, the image is not to be had; the pages answer 503 with the reason.
                    raise ExportUnavailable(
                        f"chart image failed: {_one_line(exc) or type(exc).__name__}"
                    ) from exc
            raise AssertionError("unreachable")  # pragma: no cover
        finally:
            self._leave(renderer)

    def _enter(self) -> None:
        """Take a place, waiting at most WAIT_TIMEOUT for one."""
        with self._cond:
            free = self._cond.wait_for(
                lambda: self._closed or self._busy < self.size, timeout=WAIT_TIMEOUT
            )
            if self._closed:
                raise ExportUnavailable("chart images are unavailable: the server is stopping")
            if not free:
                raise ExportUnavailable(
                    f"chart images are busy: all {self.size} renderers were drawing for "
                    f"{WAIT_TIMEOUT:.0f} s; try again"
                )
            self._busy += 1

    def _take(self) -> Drawing:
        """An idle renderer that is alive, else a new one (started outside the lock)."""
        dead = []
        with self._cond:
            if self._closed:
                raise ExportUnavailable("chart images are unavailable: the server is stopping")
            while self._idle:
                renderer = self._idle.pop()
                if renderer.alive:
                    break
                dead.append(renderer)
                self._forget(renderer)
            else:
                renderer = None
        for gone in dead:
            gone.stop()
        if renderer is not None:
            return renderer
        renderer = self._start()
        with self._cond:
            if not self._closed:
                self._all.append(renderer)
                return renderer
        renderer.stop()
        raise ExportUnavailable("chart images are unavailable: the server is stopping")

    def _forget(self, renderer: Drawing) -> None:
        """(With the lock held.) No longer one of the pool's renderers."""
        if renderer in self._all:
            self._all.remove(renderer)
        self._uses.pop(id(renderer), None)

    def _drop(self, renderer: Drawing) -> None:
        with self._cond:
            self._forget(renderer)
        renderer.stop()

    def _leave(self, renderer: Drawing | None) -> None:
        stop = None
        with self._cond:
            self._busy -= 1
            if renderer is not None:
                uses = self._uses[id(renderer)] = self._uses.get(id(renderer), 0) + 1
                if self._closed or not renderer.alive:
                    stop = renderer
                    self._forget(renderer)
                elif uses >= RECYCLE_AFTER:
                    # Stopped aside, so this caller's image is not held up (close() waits
                    # for it); the next caller finding no idle renderer starts a fresh one.
                    self._forget(renderer)
                    retire = threading.Thread(
                        target=renderer.stop, name="assess-kaleido-retire", daemon=True
                    )
                    self._retiring = [t for t in self._retiring if t.is_alive()] + [retire]
                    retire.start()
                else:
                    self._idle.append(renderer)
            self._cond.notify()
        if stop is not None:
            stop.stop()

    def renderers(self) -> list[Drawing]:
        with self._cond:
            return list(self._all)

    def close(self) -> None:
        """Stop every renderer, idle or drawing; later calls raise ExportUnavailable."""
        with self._cond:
            self._closed = True
            renderers, self._all, self._idle = self._all, [], []
            retiring, self._retiring = self._retiring, []
            self._uses.clear()
            self._cond.notify_all()
        for renderer in renderers:
            renderer.stop()
        for thread in retiring:
            thread.join(30)


# --------------------------------------------------------------------------- the process's pool

_pool_lock = threading.Lock()
_pool: Pool | None = None
_atexit_registered = False


def pool() -> Pool:
    """This process's pool, made on first use (no browser starts until an image is asked)."""
    global _pool, _atexit_registered
    with _pool_lock:
        if _pool is None:
            size, problem = renderer_setting(os.environ)
            if problem:
                _log.warning("%s", problem)
            _pool = Pool(size, lambda: _start_from_environment())
            if not _atexit_registered:
                atexit.register(shutdown)
                _atexit_registered = True
        return _pool


def _start_from_environment() -> Drawing:
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
    return start_renderer(browser)


def shutdown() -> None:
    """Stop every renderer, if any. The next image export makes a new pool."""
    global _pool
    with _pool_lock:
        old, _pool = _pool, None
    if old is not None:
        old.close()


def _forget_after_fork() -> None:
    """A forked worker (gunicorn --preload) owns neither the parent's browsers nor its locks."""
    global _pool_lock, _pool
    _pool_lock = threading.Lock()
    _pool = None


os.register_at_fork(after_in_child=_forget_after_fork)


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
