"""The API's results of a submitted assessment against the bare route, on their own.

``python -m benchmarks.api_bench`` (BENCH_SECONDS as for the whole run): the same gunicorn
servers and wrk runs as :mod:`benchmarks.__main__`'s HTTP part, but only the bare route and
``GET /api/v1/assessments/<submitted>/results`` (bare, API, bare, API, bare), so the lean API
path can be measured in a minute. :func:`run` is also what ``python -m benchmarks`` could call.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from dataclasses import dataclass

from benchmarks import instance, web

SECONDS = int(os.environ.get("BENCH_SECONDS", "8"))
ROUNDS = 2
GOAL = 0.35


@dataclass
class Measured:
    api_rps: float
    bare_rps: float
    api_cpu_ms: float | None
    bare_cpu_ms: float | None

    @property
    def ratio(self) -> float:
        return self.api_rps / self.bare_rps


def run(folder: str, data: instance.Instance | None = None) -> Measured:
    data = data or instance.create(os.path.join(folder, "instance"))
    servers = web.Servers(folder)
    try:
        bare = servers.start("bare", "benchmarks.bare:app", {}, "/bare")
        app = servers.start(
            "app",
            "assess:create_app()",
            {"ASSESS_INSTANCE_PATH": data.path, "SECRET_KEY": data.secret_key},
            "/healthz",
        )
        bare_endpoint = web.Endpoint("bare", bare.base + "/bare")
        api = web.Endpoint(
            "api-results",
            app.base + f"/api/v1/assessments/{data.submitted_id}/results",
            headers={"Authorization": f"Bearer {data.token}"},
        )
        status, _ = web.send(api)
        if status != 200:
            raise RuntimeError(f"{api.url} answered {status}")
        for e in (bare_endpoint, api):
            web.wrk(e, 2, folder)
        bare_runs = [web.wrk(bare_endpoint, SECONDS, folder, bare)]
        api_runs = []
        for _ in range(ROUNDS):
            api_runs.append(web.wrk(api, SECONDS, folder, app))
            bare_runs.append(web.wrk(bare_endpoint, SECONDS, folder, bare))
        if any(r.errors for r in api_runs):
            raise RuntimeError(f"API errors: {[r.errors for r in api_runs]}")
        return Measured(
            api_rps=sum(r.rps for r in api_runs) / len(api_runs),
            bare_rps=sum(r.rps for r in bare_runs) / len(bare_runs),
            api_cpu_ms=_mean([r.cpu_ms for r in api_runs]),
            bare_cpu_ms=_mean([r.cpu_ms for r in bare_runs]),
        )
    finally:
        servers.close()


def _mean(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


def main() -> int:
    if web.wrk_available() is None:
        print("wrk is not installed", file=sys.stderr)
        return 1
    folder = tempfile.mkdtemp(prefix="assess-api-bench-")
    try:
        m = run(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(
        f"API results: {m.api_rps:,.0f} req/s ({m.api_cpu_ms or 0:.2f} ms CPU/req); "
        f"bare {m.bare_rps:,.0f} req/s ({m.bare_cpu_ms or 0:.2f} ms CPU/req); "
        f"ratio {m.ratio:.3f}× (goal ≥ {GOAL}×)"
        + (f", CPU {m.bare_cpu_ms / m.api_cpu_ms:.3f}×" if m.api_cpu_ms and m.bare_cpu_ms else "")
        + f"; load {os.getloadavg()[0]:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
