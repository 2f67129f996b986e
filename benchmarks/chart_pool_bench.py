"""Chart images in parallel: 8 PNG downloads at once against the same 8 one after another.

Measured through :func:`assess.outputs.images.figure_bytes`, the call every chart download
view makes (``assess/web/files.py``), in this process, with 8 threads released together by a
barrier, as 8 requests in 8 threads of one worker would call it. Each of the 8 figures is a
different radar (its own title), so nothing can be served from a cache. Sequential and
concurrent runs alternate (sequential, concurrent, sequential, concurrent, …) and each is
reported as the median of its runs, so a burst of load elsewhere on the machine falls on both.

Run alone: ``python -m benchmarks.chart_pool_bench``.
"""

from __future__ import annotations

import os
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

DOWNLOADS = 8
ROUNDS = 3
#: 8 concurrent downloads finish within this factor of the machine's CPU floor: the CPU the
#: 8 images take (Chromium's processes and this one, measured while they run at once) spread
#: over every core. A first goal, 0.6× the time of 8 in turn, assumed one image keeps one
#: core busy; measured, one image in turn already keeps ~1.3 of the 2 cores busy (Chromium
#: draws in several processes), so on this machine the floor itself is ~0.64× the sequential
#: time and 0.6× cannot be reached by any design. One lock, whose 8 at once take as long as 8
#: in turn, sits at ~1.5× the floor (1,444 ms in turn against a 964 ms floor, measured quietly).
GOAL = 1.2
#: A PNG asked while a slow one (a scatter of SLOW_POINTS markers, about 1.7 s) is drawing
#: takes at most this many times as long as alone. Behind one lock it waits for the slow one
#: to finish (5-6×); with a free renderer it shares the cores with it (~1.5×).
SLOW_POINTS = 8000
BEHIND_SLOW_GOAL = 2.0


@dataclass
class PoolTimes:
    renderers: int = 0
    sequential: float | None = None  # 8 downloads one after another (median of ROUNDS)
    concurrent: float | None = None  # 8 downloads at once (median of ROUNDS)
    single: float | None = None  # one download, warm (median)
    #: CPU seconds per image (Chromium's processes and this one), at once and in turn
    cpu_concurrent: float | None = None
    cpu_sequential: float | None = None
    load: float = 0.0  # load average (1 min) at the end
    slow: float | None = None  # the slow PNG alone (median)
    behind_slow: float | None = None  # a PNG asked while the slow one draws (median)
    memory_mb: list[tuple[float, float]] = field(default_factory=list)  # (PSS, RSS) per renderer
    problem: str | None = None


def _figures() -> list[Any]:
    import random

    from assess.core import charts
    from assess.core.evaluation import build_report
    from assess.core.questionnaire import get_questionnaire
    from assess.core.scoring import parse_answer
    from benchmarks.instance import QUESTIONNAIRE, SEED, full_answers

    questionnaire = get_questionnaire(QUESTIONNAIRE)
    answers = {
        qid: parse_answer(value)
        for qid, value in full_answers(questionnaire, random.Random(SEED)).items()
    }
    areas = build_report(questionnaire, answers).results().model_dump()["areas"]
    return [charts.radar(areas, title=f"Download {i + 1}") for i in range(DOWNLOADS)]


def _slow_figure() -> Any:
    import random

    import plotly.graph_objects as go

    rng = random.Random(SLOW_POINTS)
    xs = [rng.random() for _ in range(SLOW_POINTS)]
    ys = [rng.random() for _ in range(SLOW_POINTS)]
    fig = go.Figure(go.Scatter(x=xs, y=ys, mode="markers"))
    return fig.update_layout(width=900, height=650, title="A slow chart")


def _behind_slow(images: Any, slow: Any, fast: Any) -> float:
    """Seconds for ``fast`` asked 0.2 s after ``slow`` started drawing in another thread."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        drawing = pool.submit(images.figure_bytes, slow, "png", scale=1)
        time.sleep(0.2)
        start = time.perf_counter()
        images.figure_bytes(fast, "png")
        took = time.perf_counter() - start
        drawing.result()
    return took


def _sequential(images: Any, figures: list[Any]) -> float:
    start = time.perf_counter()
    for fig in figures:
        images.figure_bytes(fig, "png")
    return time.perf_counter() - start


def _concurrent(images: Any, figures: list[Any]) -> float:
    barrier = threading.Barrier(len(figures) + 1)

    def one(fig: Any) -> bytes:
        barrier.wait()
        return images.figure_bytes(fig, "png")

    with ThreadPoolExecutor(max_workers=len(figures)) as pool:
        futures = [pool.submit(one, fig) for fig in figures]
        barrier.wait()
        start = time.perf_counter()
        for future in futures:
            future.result()
        return time.perf_counter() - start


def _chromium_memory_mb(images: Any) -> list[tuple[float, float]]:
    """(PSS, RSS) in MB of each renderer's Chromium processes (the browser and its helpers);
    empty when the images module has no pool to ask. PSS shares each page among the processes
    that map it, so it adds up across renderers; RSS counts shared libraries in every one."""
    pids = getattr(images, "renderer_process_ids", None)
    if pids is None:
        return []
    out = []
    for group in pids():
        pss = rss = 0
        for pid in group:
            try:
                with open(f"/proc/{pid}/smaps_rollup") as fh:
                    for line in fh:
                        if line.startswith("Pss:"):
                            pss += int(line.split()[1])
                        elif line.startswith("Rss:"):
                            rss += int(line.split()[1])
            except OSError:
                continue
        out.append((pss / 1024, rss / 1024))
    return out


def _cpu_seconds(images: Any) -> float | None:
    """CPU time used so far by the renderers' Chromium processes (with their reaped children)
    and by this process; None when the images module has no pool to ask."""
    pids = getattr(images, "renderer_process_ids", None)
    if pids is None:
        return None
    ticks = 0
    for pid in (p for group in pids() for p in group):
        try:
            with open(f"/proc/{pid}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        fields = stat[stat.rfind(b")") + 2 :].split()
        ticks += sum(int(f) for f in fields[11:15])  # utime stime cutime cstime
    return ticks / os.sysconf("SC_CLK_TCK") + time.process_time()


def _cpu_per_image(images: Any, measure: Any, figures: list[Any]) -> tuple[float, float | None]:
    """Wall time of ``measure(images, figures)`` and the CPU it used per image."""
    before = _cpu_seconds(images)
    wall = measure(images, figures)
    after = _cpu_seconds(images)
    cpu = (after - before) / len(figures) if before is not None and after is not None else None
    return wall, cpu


def run() -> PoolTimes:
    from assess.outputs import images

    figures = _figures()
    result = PoolTimes(renderers=getattr(images, "renderer_count", lambda: 1)())
    try:
        # Warm: every renderer started and has drawn once (a concurrent round starts them all).
        _concurrent(images, figures)
        singles, sequential, concurrent = [], [], []
        cpu_sequential, cpu_concurrent = [], []
        for _ in range(ROUNDS):
            start = time.perf_counter()
            images.figure_bytes(figures[0], "png")
            singles.append(time.perf_counter() - start)
            wall, cpu = _cpu_per_image(images, _sequential, figures)
            sequential.append(wall)
            cpu_sequential.append(cpu)
            wall, cpu = _cpu_per_image(images, _concurrent, figures)
            concurrent.append(wall)
            cpu_concurrent.append(cpu)
        result.single = statistics.median(singles)
        result.sequential = statistics.median(sequential)
        result.concurrent = statistics.median(concurrent)
        if None not in cpu_sequential + cpu_concurrent:
            result.cpu_sequential = statistics.median(cpu_sequential)
            result.cpu_concurrent = statistics.median(cpu_concurrent)
        slow = _slow_figure()
        slows, behind = [], []
        for _ in range(ROUNDS):
            start = time.perf_counter()
            images.figure_bytes(slow, "png", scale=1)
            slows.append(time.perf_counter() - start)
            behind.append(_behind_slow(images, slow, figures[1]))
        result.slow = statistics.median(slows)
        result.behind_slow = statistics.median(behind)
        result.load = os.getloadavg()[0]
        result.memory_mb = _chromium_memory_mb(images)
    except images.ExportUnavailable as exc:
        result.problem = f"n/a ({exc})"
    finally:
        images.shutdown()  # no Chromium left running while the servers are measured
    return result


def rows(row: Any, ms: Any) -> list[Any]:
    """The bench table's rows (``row`` is benchmarks.__main__.Row, ``ms`` its formatter)."""
    t = run()
    label = f"{DOWNLOADS} PNG chart downloads at once"
    if t.problem or t.sequential is None or t.concurrent is None:
        return [row(label, t.problem or "n/a", goal=f"≤ {GOAL:g}× the CPU floor")]
    ratio = t.concurrent / t.sequential
    cores = os.cpu_count() or 1
    floor = (t.cpu_concurrent or 0.0) * DOWNLOADS / cores
    out = [
        row(
            f"{label} ({t.renderers} renderer{'s' if t.renderers != 1 else ''})",
            ms(t.concurrent),
            f"CPU floor {ms(floor)} ({DOWNLOADS} × CPU per PNG ÷ {cores} cores)",
            f"{t.concurrent / floor:.2f}×" if floor else "",
            f"≤ {GOAL:g}× the CPU floor",
            bool(floor) and t.concurrent <= GOAL * floor,
        ),
        row(
            f"(diagnostic) {DOWNLOADS} PNG downloads at once against one after another",
            ms(t.concurrent),
            f"{DOWNLOADS} one after another {ms(t.sequential)}",
            f"{ratio:.2f}×",
        ),
    ]
    if t.behind_slow and t.single and t.slow:
        late = t.behind_slow / t.single
        out.append(
            row(
                f"a PNG asked while a slow one ({SLOW_POINTS:,} points) draws",
                ms(t.behind_slow),
                f"alone {ms(t.single)}; the slow one {ms(t.slow)}",
                f"{late:.2f}×",
                f"≤ {BEHIND_SLOW_GOAL:g}× alone",
                late <= BEHIND_SLOW_GOAL,
            )
        )
    if t.cpu_sequential and t.cpu_concurrent:
        out.append(
            row(
                "(diagnostic) CPU per PNG (Chromium + Python): at once / in turn",
                f"{ms(t.cpu_concurrent)} / {ms(t.cpu_sequential)}",
                f"load average {t.load:.1f} on {os.cpu_count()} cores",
                f"{t.cpu_concurrent / t.cpu_sequential:.2f}×",
            )
        )
    if t.memory_mb:
        out.append(
            row(
                "(diagnostic) Chromium memory per renderer: PSS (RSS)",
                " / ".join(f"{pss:.0f} MB ({rss:.0f} MB)" for pss, rss in t.memory_mb),
                f"one PNG warm {ms(t.single)}" if t.single else "",
            )
        )
    return out


def main() -> None:
    t = run()
    print(f"renderers: {t.renderers}; cores: {os.cpu_count()}; load: {os.getloadavg()[0]:.2f}")
    if t.problem:
        print(t.problem)
        return
    assert t.sequential and t.concurrent and t.single
    print(f"one PNG (warm, median): {t.single * 1000:.0f} ms")
    print(f"{DOWNLOADS} sequential (median of {ROUNDS}): {t.sequential * 1000:.0f} ms")
    print(f"{DOWNLOADS} concurrent (median of {ROUNDS}): {t.concurrent * 1000:.0f} ms")
    print(f"ratio to in turn: {t.concurrent / t.sequential:.2f}×")
    if t.cpu_concurrent:
        floor = t.cpu_concurrent * DOWNLOADS / (os.cpu_count() or 1)
        print(f"ratio to the CPU floor: {t.concurrent / floor:.2f}× (goal ≤ {GOAL:g}×)")
    if t.behind_slow and t.slow:
        print(
            f"a PNG while a slow one ({t.slow * 1000:.0f} ms alone) draws: "
            f"{t.behind_slow * 1000:.0f} ms, {t.behind_slow / t.single:.2f}× alone "
            f"(goal ≤ {BEHIND_SLOW_GOAL:g}×)"
        )
    if t.cpu_sequential and t.cpu_concurrent:
        print(
            f"CPU per PNG (Chromium + Python): {t.cpu_concurrent * 1000:.0f} ms at once, "
            f"{t.cpu_sequential * 1000:.0f} ms in turn; load at the end {t.load:.2f}"
        )
    if t.memory_mb:
        print(
            "Chromium memory per renderer, PSS (RSS): "
            + ", ".join(f"{pss:.0f} MB ({rss:.0f} MB)" for pss, rss in t.memory_mb)
        )


if __name__ == "__main__":
    main()
