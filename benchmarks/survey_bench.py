"""The survey page's CPU per request, in this process through the app's test client.

``GET /assessments/<draft>?area=<first area>`` of the benchmark instance (``instance.create``:
the full questionnaire's first area, 9 questions, 63 radio inputs, answered with notes),
signed in through the real form. Each request's ``process_time`` (this process's CPU, so other
work on the machine hardly moves it); the median over many, alternating in rounds with a bare
Flask route (``benchmarks.bare``, through its own test client) measured the same way, so the
ratio of the two means something on any machine.

``python -m benchmarks.survey_bench`` prints the numbers; ``--profile`` also prints where the
time goes (cProfile over the same requests, the top functions by cumulative time).
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from typing import Any

ROUNDS = 20
PER_ROUND = 25  # requests of each kind per round: 500 in all
WARMUP = 20


@dataclass
class Timing:
    survey: float  # median CPU seconds per request of the survey page
    bare: float  # the same for the bare Flask route
    requests: int
    radios: int  # radio inputs on the page
    p95: float  # the survey page's 95th percentile CPU per request

    @property
    def ratio(self) -> float:
        return self.survey / self.bare


def _login(client: Any, email: str, password: str) -> None:
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page)
    assert token, "no CSRF token on /login"
    response = client.post(
        "/login", data={"email": email, "password": password, "csrf_token": token.group(1)}
    )
    assert response.status_code == 302, f"sign-in failed: {response.status_code}"


def _cpu(client: Any, url: str, count: int, sink: list[float]) -> None:
    for _ in range(count):
        start = time.process_time()
        response = client.get(url)
        sink.append(time.process_time() - start)
        assert response.status_code == 200, (url, response.status_code)


def prepare(folder: str) -> tuple[Any, Any, str]:
    """The instance in ``folder``, a signed-in test client of the app, a test client of the
    bare route, and the survey page's path."""
    from benchmarks import bare, instance

    data = instance.create(os.path.join(folder, "survey-instance"))
    from assess import create_app

    app = create_app({"RATELIMIT_ENABLED": False})
    client = app.test_client()
    _login(client, instance.EMAIL, instance.PASSWORD)
    return client, bare.app.test_client(), f"/assessments/{data.draft_id}?area={data.draft_area}"


def run(folder: str) -> Timing:
    client, bare_client, url = prepare(folder)
    page = client.get(url).get_data(as_text=True)
    radios = page.count('type="radio"')
    for _ in range(WARMUP):
        client.get(url)
        bare_client.get("/bare")
    survey: list[float] = []
    base: list[float] = []
    for _ in range(ROUNDS):
        _cpu(client, url, PER_ROUND, survey)
        _cpu(bare_client, "/bare", PER_ROUND, base)
    ordered = sorted(survey)
    return Timing(
        survey=statistics.median(survey),
        bare=statistics.median(base),
        requests=len(survey),
        radios=radios,
        p95=ordered[round(0.95 * (len(ordered) - 1))],
    )


#: The goal: half the survey page's CPU before issue 18, as a multiple of the bare route's
#: (before: 116–147×, median 132× on the project's machine under load; see README).
GOAL_RATIO = 66.0


def rows(folder: str, row: Any) -> list[Any]:
    """The rows of ``python -m benchmarks`` (``row`` is its Row class)."""
    t = run(folder)
    return [
        row(
            "survey page CPU per request (in process, median)",
            f"{t.survey * 1000:.2f} ms",
            f"bare {t.bare * 1000:.3f} ms",
            f"{t.ratio:.0f}× bare",
            f"≤ {GOAL_RATIO:.0f}× bare",
            t.ratio <= GOAL_RATIO,
        )
    ]


def profile(folder: str, requests: int = 300, top: int = 40) -> None:
    import cProfile
    import pstats

    client, _bare, url = prepare(folder)
    for _ in range(WARMUP):
        client.get(url)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        client.get(url)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(top)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="assess-survey-bench-") as folder:
        if "--profile" in sys.argv:
            profile(folder)
            return
        t = run(folder)
    print(
        f"survey page: {t.survey * 1000:.2f} ms CPU/request (median of {t.requests}, "
        f"p95 {t.p95 * 1000:.2f} ms, {t.radios} radio inputs); bare route "
        f"{t.bare * 1000:.3f} ms; ratio {t.ratio:.1f}× the bare route"
    )


if __name__ == "__main__":
    main()
