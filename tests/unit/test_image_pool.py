"""The pool of chart renderers: concurrent images draw at once, a dead renderer is replaced,
a hung one ends in ExportUnavailable (503), a wait for a free renderer is bounded, and no
Chromium is left running after shutdown.

The first tests drive :class:`image_pool.Pool` with fake renderers (no browser, fast); those
at the end use real Chromiums (marked ``chromium`` through the fixture)."""

from __future__ import annotations

import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from assess.core import charts
from assess.outputs import image_pool, images

FIG = {"data": [], "layout": {}}
OPTS = {"format": "png"}


class Fake:
    """A renderer that draws ``b"image"``; ``behaviour`` is called inside each render."""

    started = 0

    def __init__(self, behaviour=None) -> None:
        Fake.started += 1
        self.number = Fake.started
        self.behaviour = behaviour
        self.alive = True
        self.stopped = False
        self.renders = 0

    def render(self, fig, opts):
        self.renders += 1
        if self.behaviour is not None:
            self.behaviour(self)
        return b"image %d" % self.number

    def stop(self) -> None:
        self.alive = False
        self.stopped = True


class Factory:
    def __init__(self, behaviour=None) -> None:
        self.made: list[Fake] = []
        self.behaviour = behaviour

    def __call__(self) -> Fake:
        fake = Fake(self.behaviour)
        self.made.append(fake)
        return fake


def test_are_renderers_started_only_when_images_are_asked():
    factory = Factory()
    pool = image_pool.Pool(3, factory)
    assert factory.made == []
    assert pool.render(FIG, OPTS).startswith(b"image")
    assert pool.render(FIG, OPTS).startswith(b"image")
    assert len(factory.made) == 1, "one caller at a time reuses one renderer"


def test_do_two_images_draw_at_once_with_two_renderers():
    """Each render waits until another render is in progress too: with two renderers both get
    there; drawing one after another, the barrier would break."""
    both = threading.Barrier(2, timeout=10)
    pool = image_pool.Pool(2, Factory(lambda fake: both.wait()))
    with ThreadPoolExecutor(2) as threads:
        results = list(threads.map(lambda _: pool.render(FIG, OPTS), range(2)))
    assert sorted(results) == [b"image %d" % f.number for f in pool.renderers()]
    assert len({*results}) == 2, "each drew on its own renderer"


def test_does_one_renderer_never_draw_two_images_at_once():
    inside, most = [0], [0]
    lock = threading.Lock()

    def draw(fake):
        with lock:
            inside[0] += 1
            most[0] = max(most[0], inside[0])
        time.sleep(0.01)
        with lock:
            inside[0] -= 1

    factory = Factory(draw)
    pool = image_pool.Pool(1, factory)
    with ThreadPoolExecutor(6) as threads:
        assert all(threads.map(lambda _: pool.render(FIG, OPTS), range(6)))
    assert most[0] == 1 and len(factory.made) == 1 and factory.made[0].renders == 6


def test_does_a_caller_finding_every_renderer_busy_get_a_clear_error(monkeypatch):
    """Not a hang: past WAIT_TIMEOUT the caller gets ExportUnavailable (the views' 503)."""
    monkeypatch.setattr(image_pool, "WAIT_TIMEOUT", 0.05)
    release = threading.Event()
    drawing = threading.Event()

    def slow(fake):
        drawing.set()
        assert release.wait(10)

    pool = image_pool.Pool(1, Factory(slow))
    with ThreadPoolExecutor(1) as threads:
        first = threads.submit(pool.render, FIG, OPTS)
        assert drawing.wait(10)
        with pytest.raises(image_pool.ExportUnavailable, match="busy: all 1 renderers") as caught:
            pool.render(FIG, OPTS)
        assert "\n" not in str(caught.value)
        release.set()
        assert first.result(10) == b"image %d" % pool.renderers()[0].number
    release.set()
    assert pool.render(FIG, OPTS), "the place is free again"


def test_is_a_dead_renderer_replaced_and_the_image_drawn_on_the_new_one():
    def first_dies(fake):
        if fake is factory.made[0]:
            fake.alive = False
            raise image_pool.RendererGone("Chromium closed")

    factory = Factory(first_dies)
    pool = image_pool.Pool(1, factory)
    assert pool.render(FIG, OPTS) == b"image %d" % factory.made[1].number
    assert factory.made[0].stopped and pool.renderers() == [factory.made[1]]


def test_is_an_idle_renderer_that_died_replaced_before_it_is_used():
    factory = Factory()
    pool = image_pool.Pool(1, factory)
    pool.render(FIG, OPTS)
    factory.made[0].alive = False  # Chromium killed while idle
    assert pool.render(FIG, OPTS) == b"image %d" % factory.made[1].number
    assert factory.made[0].stopped and len(pool.renderers()) == 1


def test_does_a_hung_render_fail_with_export_unavailable_and_stop_its_renderer():
    def hangs(fake):
        if fake is factory.made[0]:
            raise TimeoutError

    factory = Factory(hangs)
    pool = image_pool.Pool(2, factory)
    with pytest.raises(image_pool.ExportUnavailable, match="try again: no image within"):
        pool.render(FIG, OPTS)
    assert factory.made[0].stopped and len(factory.made) == 1, "not retried: it may hang again"
    assert pool.render(FIG, OPTS) == b"image %d" % factory.made[1].number


def test_does_a_figure_kaleido_refuses_keep_its_renderer():
    def refuses(fake):
        raise ValueError("bad figure")

    factory = Factory(refuses)
    pool = image_pool.Pool(1, factory)
    with pytest.raises(image_pool.ExportUnavailable, match="chart image failed: bad figure"):
        pool.render(FIG, OPTS)
    assert pool.renderers() == factory.made and not factory.made[0].stopped


def test_does_closing_stop_every_renderer_and_refuse_later_images():
    both = threading.Barrier(2, timeout=10)
    factory = Factory(lambda fake: both.wait() if fake.renders == 1 else None)
    pool = image_pool.Pool(2, factory)
    with ThreadPoolExecutor(2) as threads:
        list(threads.map(lambda _: pool.render(FIG, OPTS), range(2)))
    pool.close()
    assert [f.stopped for f in factory.made] == [True, True] and pool.renderers() == []
    with pytest.raises(image_pool.ExportUnavailable, match="stopping"):
        pool.render(FIG, OPTS)


def test_does_a_renderer_lent_during_close_stop_when_it_is_returned():
    closing = threading.Event()

    def waits(fake):
        pool.close()
        closing.set()

    factory = Factory(waits)
    pool = image_pool.Pool(1, factory)
    pool.render(FIG, OPTS)
    assert closing.is_set() and factory.made[0].stopped and pool.renderers() == []


def test_is_a_renderer_replaced_after_recycle_after_images(monkeypatch):
    """Chromium's memory grows with use: after RECYCLE_AFTER images a renderer is stopped
    (aside, not holding up the image) and the next image starts a fresh one."""
    monkeypatch.setattr(image_pool, "RECYCLE_AFTER", 3)
    factory = Factory()
    pool = image_pool.Pool(1, factory)
    drawn = [pool.render(FIG, OPTS) for _ in range(4)]
    assert drawn == [b"image %d" % factory.made[0].number] * 3 + [
        b"image %d" % factory.made[1].number
    ]
    pool.close()  # waits for the retired one to be stopped
    assert factory.made[0].stopped and factory.made[1].stopped


@pytest.mark.parametrize(
    ("value", "size", "problem"),
    [("", 2, False), ("1", 1, False), (" 8 ", 8, False), ("0", 2, True), ("9", 2, True),
     ("two", 2, True), ("-1", 2, True), ("1.5", 2, True)],
)  # fmt: skip
def test_is_the_setting_read_and_a_bad_value_named(value, size, problem):
    got, message = image_pool.renderer_setting({"ASSESS_CHART_RENDERERS": value})
    assert got == size
    assert (message is not None) == problem
    if problem:
        assert f"ASSESS_CHART_RENDERERS={value.strip()!r}" in message and "1 to 8" in message


def test_does_the_process_pool_take_its_size_from_the_setting(monkeypatch):
    images.shutdown()
    monkeypatch.setenv("ASSESS_CHART_RENDERERS", "3")
    try:
        assert images.renderer_count() == 3
        assert images.renderer_process_ids() == [], "nothing started yet"
    finally:
        images.shutdown()
    monkeypatch.setenv("ASSESS_CHART_RENDERERS", "lots")
    try:
        assert images.renderer_count() == image_pool.DEFAULT_RENDERERS
    finally:
        images.shutdown()


def test_does_a_forked_worker_forget_the_parents_pool():
    """gunicorn --preload: a worker must not use (or stop) the Chromiums of the parent."""
    parent = image_pool.pool()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report whether it got a pool of its own, then leave at once
        os.close(read)
        os.write(write, b"new" if image_pool._pool is None else b"old")
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as fh:
        said = fh.read()
    os.waitpid(pid, 0)
    assert said == b"new"
    assert image_pool._pool is parent, "the parent keeps its own"
    images.shutdown()


# --------------------------------------------------------------------------- real Chromium


def _alive(pids: list[int]) -> list[int]:
    return [p for p in pids if p in image_pool.session_processes(_session(p))]


def _session(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read()
    except OSError:
        return -1
    return int(stat[stat.rfind(b")") + 2 :].split()[3])


@pytest.fixture
def two_renderers(chromium, monkeypatch):
    images.shutdown()
    monkeypatch.setenv("ASSESS_CHART_RENDERERS", "2")
    yield
    images.shutdown()


def test_do_two_chromium_renderers_draw_at_once(two_renderers, areas, monkeypatch):
    """Both renders are inside Chromium together (a barrier each passes only when the other
    got there too), each on its own browser, and both images are right."""
    both = threading.Barrier(2, timeout=60)
    real = image_pool.Renderer.render
    leaders = []

    def render(self, fig, opts):
        both.wait()
        leaders.append(self.leader)
        return real(self, fig, opts)

    monkeypatch.setattr(image_pool.Renderer, "render", render)
    figures = [charts.radar(areas, title=f"Chart {i}") for i in range(2)]
    with ThreadPoolExecutor(2) as threads:
        pngs = list(threads.map(lambda fig: images.figure_bytes(fig, "png", scale=1), figures))
    assert all(png.startswith(b"\x89PNG") for png in pngs)
    assert len(set(leaders)) == 2 and None not in leaders
    groups = images.renderer_process_ids()
    assert len(groups) == 2 and all(groups) and not set(groups[0]) & set(groups[1])


def test_is_a_killed_chromium_replaced(two_renderers, areas):
    fig = charts.gap_bars(areas)
    assert images.figure_bytes(fig, "svg").lstrip().startswith((b"<svg", b"<?xml"))
    (renderer,) = image_pool.pool().renderers()
    old = renderer.leader
    os.killpg(old, signal.SIGKILL)
    assert images.figure_bytes(fig, "png", scale=1).startswith(b"\x89PNG")
    (replacement,) = image_pool.pool().renderers()
    assert replacement is not renderer and replacement.leader != old


def test_does_a_render_past_its_deadline_fail_as_unavailable(two_renderers, areas, monkeypatch):
    """A render that takes longer than RENDER_TIMEOUT: ExportUnavailable (the views answer
    503), the renderer stopped; the next image, with time enough, is drawn."""
    monkeypatch.setattr(image_pool, "RENDER_TIMEOUT", 0.001)  # no chart draws in 1 ms
    with pytest.raises(images.ExportUnavailable, match="try again") as caught:
        images.figure_bytes(charts.radar(areas), "png")
    assert "\n" not in str(caught.value)
    assert image_pool.pool().renderers() == []
    monkeypatch.setattr(image_pool, "RENDER_TIMEOUT", 60.0)
    assert images.figure_bytes(charts.radar(areas), "svg").lstrip().startswith((b"<svg", b"<?x"))


def test_is_no_chromium_left_after_shutdown(two_renderers, areas):
    figures = [charts.radar(areas, title=f"Chart {i}") for i in range(4)]
    with ThreadPoolExecutor(4) as threads:
        list(threads.map(lambda fig: images.figure_bytes(fig, "png", scale=1), figures))
    groups = images.renderer_process_ids()
    pids = [p for group in groups for p in group]
    assert 1 <= len(groups) <= 2 and pids, "at most the pool's size, each with its processes"
    images.shutdown()
    assert _alive(pids) == []
