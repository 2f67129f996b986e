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
#: 8 concurrent downloads finish in at most this share of the time of 8 one after another.
#: With 2 renderers on 2 cores the ideal is 0.5× (each render is Chromium's CPU work, and two
#: run at once); 0.6× leaves room for the Python side (the figure's JSON, the PNG bytes
#: crossing the DevTools pipe), which stays serialized by the GIL. One lock gives 1.0×.
GOAL = 0.6


@dataclass
class PoolTimes:
    renderers: int = 0
    sequential: float | None = None  # 8 downloads one after another (median of ROUNDS)
    concurrent: float | None = None  # 8 downloads at once (median of ROUNDS)
    single: float | None = None  # one download, warm (median)
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


def run() -> PoolTimes:
    from assess.outputs import images

    figures = _figures()
    result = PoolTimes(renderers=getattr(images, "renderer_count", lambda: 1)())
    try:
        # Warm: every renderer started and has drawn once (a concurrent round starts them all).
        _concurrent(images, figures)
        singles, sequential, concurrent = [], [], []
        for _ in range(ROUNDS):
            start = time.perf_counter()
            images.figure_bytes(figures[0], "png")
            singles.append(time.perf_counter() - start)
            sequential.append(_sequential(images, figures))
            concurrent.append(_concurrent(images, figures))
        result.single = statistics.median(singles)
        result.sequential = statistics.median(sequential)
        result.concurrent = statistics.median(concurrent)
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
        return [row(label, t.problem or "n/a", goal=f"≤ {GOAL}× sequential")]
    ratio = t.concurrent / t.sequential
    out = [
        row(
            f"{label} ({t.renderers} renderer{'s' if t.renderers != 1 else ''})",
            ms(t.concurrent),
            f"{DOWNLOADS} one after another {ms(t.sequential)}",
            f"{ratio:.2f}×",
            f"≤ {GOAL}× sequential",
            ratio <= GOAL,
        )
    ]
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
    print(f"ratio: {t.concurrent / t.sequential:.2f}× (goal ≤ {GOAL}×)")
    if t.memory_mb:
        print(
            "Chromium memory per renderer, PSS (RSS): "
            + ", ".join(f"{pss:.0f} MB ({rss:.0f} MB)" for pss, rss in t.memory_mb)
        )


if __name__ == "__main__":
    main()
