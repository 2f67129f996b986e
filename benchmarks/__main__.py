"""``python -m benchmarks``: measure everything, print one table, exit 0.

Order: scoring and exports first (in this process, no server running), then the HTTP runs
(gunicorn servers, wrk alternating between the bare route and each app endpoint), then page
weight and the workers' peak memory. Servers and the temporary instance folder are removed in
``finally``; nothing is written into the repository.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import re
import shutil
import sys
import tempfile
import time
import traceback
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks import (
    big_org_bench,
    exports_bench,
    instance,
    portfolio_bench,
    scoring_bench,
    survey_bench,
    web,
)

SECONDS = int(os.environ.get("BENCH_SECONDS", "8"))
WARMUP_SECONDS = 2


# --------------------------------------------------------------------------- the table


@dataclass
class Row:
    measure: str
    value: str
    baseline: str = ""
    ratio: str = ""
    goal: str = ""
    met: bool | None = None  # None: no goal, or nothing measured

    @property
    def met_text(self) -> str:
        return "" if self.met is None else ("yes" if self.met else "NO")


def print_table(rows: list[Row], notes: list[str]) -> None:
    header = ("measure", "value", "baseline", "ratio", "goal", "met?")
    cells = [header] + [(r.measure, r.value, r.baseline, r.ratio, r.goal, r.met_text) for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(len(header))]
    line = "-+-".join("-" * w for w in widths)
    print()
    for i, c in enumerate(cells):
        print(" | ".join(text.ljust(w) for text, w in zip(c, widths, strict=True)).rstrip())
        if i == 0:
            print(line)
    missed = [r.measure for r in rows if r.met is False]
    print()
    print(
        f"goals met: {sum(r.met is True for r in rows)} of {sum(r.met is not None for r in rows)}"
        + (f"; missed: {', '.join(missed)}" if missed else "")
    )
    for note in notes:
        print(f"note: {note}")


def ms(seconds: float) -> str:
    if seconds < 0.001:
        return f"{seconds * 1e6:.0f} µs"
    return f"{seconds * 1000:.1f} ms" if seconds < 10 else f"{seconds:.1f} s"


def size(n: float) -> str:
    return f"{n / 1e6:.2f} MB" if n >= 1e6 else f"{n / 1e3:.1f} KB"


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal:")
        )
        memory = f"{mem_kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, StopIteration, ValueError):
        memory = "RAM unknown"
    return (
        f"{os.cpu_count()} cores, {model or platform.processor() or 'CPU unknown'}, {memory}; "
        f"Python {platform.python_version()}; {dt.date.today().isoformat()}"
    )


# --------------------------------------------------------------------------- parts


def scoring_rows() -> tuple[list[Row], list[str]]:
    times, compared = scoring_bench.run()
    rows = []
    for t in times:
        speedup = t.loop / t.vectorized
        goal = met = None
        if t.n == max(scoring_bench.SIZES):
            goal = "≤ 1 s, ≥ 20× loop"
            met = t.vectorized <= 1.0 and speedup >= 20
        rows.append(
            Row(
                f"scoring {t.n:,} assessment{'s' if t.n != 1 else ''} (score_matrix)",
                ms(t.vectorized),
                f"loop {ms(t.loop)}",
                f"{speedup:.2f}× faster" if speedup >= 1 else f"{1 / speedup:.1f}× slower",
                goal or "",
                met,
            )
        )
    by_n = {t.n: t for t in times}
    if 100 in by_n and 10_000 in by_n:
        small, large = by_n[100], by_n[10_000]
        rows.append(
            Row(
                "scoring growth 100 → 10,000 (100× the work)",
                f"{large.vectorized / small.vectorized:.1f}×",
                f"loop {large.loop / small.loop:.1f}×",
            )
        )
        rows.append(
            Row(
                "(diagnostic) scoring 10,000 on the long frame (score_areas+overall)",
                ms(large.long_frame),
                f"loop {ms(large.loop)}",
                f"{large.loop / large.long_frame:.2f}×",
            )
        )
        rows.append(
            Row(
                "(diagnostic) scoring 10,000 incl. answers_long_frame",
                ms(large.with_frame),
                f"loop {ms(large.loop)}",
                f"{large.loop / large.with_frame:.2f}×",
            )
        )
    notes = [
        f"scoring: score_matrix, the long frame and the loop agree within 1e-9 ({compared:,} values "
        "compared on 300 random assessments); times are the best of 7"
    ]
    return rows, notes


def export_rows() -> list[Row]:
    e = exports_bench.run()
    if e.problem:
        return [
            Row("PNG chart, cold (starts Chromium)", e.problem),
            Row("PNG chart, warm (median of 5)", e.problem, goal="≤ 0.3 s", met=None),
            Row("PDF report, warm (median of 3)", e.problem, goal="≤ 1.5 s", met=None),
        ]
    assert e.png_cold is not None and e.png_warm is not None
    assert e.pdf_cold is not None and e.pdf_warm is not None
    return [
        Row("PNG chart (radar), cold: starts Chromium", ms(e.png_cold)),
        Row(
            "PNG chart (radar), warm (median of 5)",
            ms(e.png_warm),
            goal="≤ 0.3 s",
            met=e.png_warm <= 0.3,
        ),
        Row("PDF report, first in process", ms(e.pdf_cold)),
        Row(
            "PDF report, warm (median of 3)",
            ms(e.pdf_warm),
            goal="≤ 1.5 s",
            met=e.pdf_warm <= 1.5,
        ),
    ]


def portfolio_rows(folder: str) -> list[Row]:
    """The portfolio (API and page) of an adviser with 50 and one with 500 organizations, each
    with 8 submissions: p50 / p95, the statements per request, and the growth from 50 to 500."""
    timings = portfolio_bench.run(folder)
    rows = []
    small, large = min(portfolio_bench.SIZES), max(portfolio_bench.SIZES)
    for what in portfolio_bench.PATHS:
        by_n = {t.organizations: t for t in timings if t.what == what}
        for n, t in sorted(by_n.items()):
            rows.append(
                Row(
                    f"portfolio {what}, {n} organizations × {portfolio_bench.SUBMISSIONS} "
                    "submissions: p50 / p95",
                    f"{t.p50 * 1000:.1f} / {t.p95 * 1000:.1f} ms",
                    f"CPU {t.cpu * 1000:.1f} ms/req, {t.statements} SQL statements",
                    "",
                    "p95 ≤ 150 ms" if n == large else "",
                    (t.p95 <= 0.150) if n == large else None,
                )
            )
        if small in by_n and large in by_n:
            growth = by_n[large].p95 / by_n[small].p95
            cpu_growth = by_n[large].cpu / by_n[small].cpu if by_n[small].cpu else None
            rows.append(
                Row(
                    f"portfolio {what}: growth {small} → {large} organizations (p95)",
                    f"{growth:.2f}×",
                    f"CPU {cpu_growth:.2f}×" if cpu_growth else "",
                    "",
                    "≤ 3×",
                    growth <= 3,
                )
            )
    return rows


@dataclass
class Target:
    """An app endpoint with its goals."""

    endpoint: web.Endpoint
    label: str
    min_ratio: float | None  # None: a diagnostic row without a goal
    max_p95_ms: float | None
    expect: int  # the status every response must have


def prepare_targets(app: web.Server, data: instance.Instance, notes: list[str]) -> list[Target]:
    """Sign in through the real form; find the survey page's fields; check every endpoint
    answers as expected before loading it."""
    client = web.Client(app.base)
    client.login(instance.EMAIL, instance.PASSWORD)
    api = {"Authorization": f"Bearer {data.token}"}
    results_path = f"/assessments/{data.submitted_id}/results"
    survey_path = f"/assessments/{data.draft_id}?area={data.draft_area}"

    # The survey page as a browser sees it; "Save and next" without changes sends this.
    form = web.FormReader.read(client.text(survey_path)).form_with("q-")
    cookie = {"Cookie": client.cookie_header()}  # after the page: the session now has CSRF
    targets = [
        Target(
            web.Endpoint(
                "api-results",
                app.base + f"/api/v1/assessments/{data.submitted_id}/results",
                headers=api,
            ),
            "API results of a submitted assessment",
            0.35,
            None,
            200,
        ),
        Target(
            web.Endpoint("results-page", app.base + results_path, headers=cookie),
            "results page",
            0.25,
            50.0,
            200,
        ),
        Target(
            web.Endpoint("survey-page", app.base + survey_path, headers=cookie),
            "survey page",
            0.25,
            50.0,
            200,
        ),
    ]
    answer_fields = [k for k in form.fields if re.fullmatch(r"q-\d+", k)] if form else []
    if form is not None and form.fields.get("csrf_token") and answer_fields:
        fields = dict(form.fields)
        name, value = next(((n, v) for n, v in form.buttons if v == "next"), ("action", "next"))
        fields[name] = value
        action = form.action or survey_path
        save = web.Endpoint(
            "save-page",
            urllib.parse.urljoin(app.base + survey_path, action),
            method="POST",
            headers={**cookie, "Content-Type": "application/x-www-form-urlencoded"},
            body=urllib.parse.urlencode(fields),
        )
        targets.append(Target(save, "saving a page of answers", 0.25, 50.0, 302))
        notes.append(
            f"saving a page: POST of the survey form as read from the page ({len(answer_fields)} "
            "answers with notes and base versions, unchanged: 'Save and next'); a save that "
            "changes nothing writes nothing, and the diagnostic PATCH row measures real writes"
        )
    else:
        targets.append(
            Target(
                api_patch(app, data, changing=False), "saving a page (API PATCH)", 0.25, 50.0, 200
            )
        )
        notes.append(
            "saving a page: the survey form was not found on the page, so the API PATCH "
            "/api/v1/assessments/<id>/answers with one area's answers was loaded instead"
        )
    # Diagnostics without goals. A save that really writes: the API PATCH of one area's
    # answers without base versions, each request changing every answer (6 answers and 6
    # history rows, one commit).
    targets.append(
        Target(
            api_patch(app, data, changing=True),
            "(diagnostic) API PATCH of 6 answers, all changed",
            None,
            None,
            200,
        )
    )
    # A diagnostic: the app's own cheapest route (no database, no template) with the same
    # session cookie, i.e. the floor that the app's middleware alone sets.
    targets.append(
        Target(
            web.Endpoint("app-healthz", app.base + "/healthz", headers=cookie),
            "(diagnostic) the app's /healthz, no DB",
            None,
            None,
            200,
        )
    )
    for target in targets:
        _check(target)
    return targets


def api_patch(app: web.Server, data: instance.Instance, *, changing: bool) -> web.Endpoint:
    """PATCH one area's answers of the draft (levels 2, or 2 and 3 in turn)."""
    from assess.core.questionnaire import get_questionnaire

    area_id = data.patch_area if changing else data.draft_area
    area = get_questionnaire(instance.QUESTIONNAIRE).area_by_id[area_id]
    bodies = [json.dumps({"answers": {q.id: level for q in area.questions}}) for level in (2, 3)]
    return web.Endpoint(
        "patch-changing" if changing else "patch",
        app.base + f"/api/v1/assessments/{data.draft_id}/answers",
        method="PATCH",
        headers={"Authorization": f"Bearer {data.token}", "Content-Type": "application/json"},
        body=bodies[0],
        alternate=bodies[1] if changing else None,
    )


def _check(target: Target) -> None:
    """One request as wrk will send it: the expected status, and no redirect to sign-in."""
    e = target.endpoint
    status, location = web.send(e)
    if status != target.expect or "/login" in location:
        raise RuntimeError(
            f"{e.method} {e.url} answered {status} {location!r}, expected {target.expect}"
        )


def http_rows(
    folder: str, data: instance.Instance, notes: list[str]
) -> tuple[list[Row], list[Row]]:
    servers = web.Servers(folder)
    try:
        bare = servers.start("bare", "benchmarks.bare:app", {}, "/bare")
        app = servers.start(
            "app",
            "assess:create_app()",
            {"ASSESS_INSTANCE_PATH": data.path, "SECRET_KEY": data.secret_key},
            "/healthz",
        )
        targets = prepare_targets(app, data, notes)
        probe = instance.commit_latency(folder)
        bare_endpoint = web.Endpoint("bare", bare.base + "/bare")

        # Page weight first: a fresh visit (nothing cached in the client).
        weight_rows = page_weight_rows(app, data, notes)

        for e in [bare_endpoint, *(t.endpoint for t in targets)]:
            web.wrk(e, WARMUP_SECONDS, folder)  # both workers warm: imports, caches, JIT-free
        # Alternate: bare, app 1, bare, app 2, ..., bare. Each app run is compared with the
        # mean of the bare runs just before and after it.
        bare_runs = [web.wrk(bare_endpoint, SECONDS, folder, bare)]
        app_runs = []
        for t in targets:
            app_runs.append(web.wrk(t.endpoint, SECONDS, folder, app))
            bare_runs.append(web.wrk(bare_endpoint, SECONDS, folder, bare))
            try:  # still answering as expected (e.g. not sent to /login meanwhile)?
                _check(t)
            except RuntimeError as exc:
                notes.append(f"{t.label}: after its run, {exc}")

        rows = []
        for i, (t, run) in enumerate(zip(targets, app_runs, strict=True)):
            before, after = bare_runs[i], bare_runs[i + 1]
            base_rps = (before.rps + after.rps) / 2
            base_p50 = (before.p50_ms + after.p50_ms) / 2
            base_p95 = (before.p95_ms + after.p95_ms) / 2
            base_cpu = _mean([before.cpu_ms, after.cpu_ms])
            ratio = run.rps / base_rps
            goal = t.min_ratio
            rows.append(
                Row(
                    f"{t.label}: throughput",
                    f"{run.rps:,.0f} req/s"
                    + _cpu(run.cpu_ms)
                    + (f" [{run.errors} ERRORS]" if run.errors else ""),
                    f"bare {base_rps:,.0f} req/s" + _cpu(base_cpu),
                    f"{ratio:.3f}×"
                    + (f" (CPU {base_cpu / run.cpu_ms:.3f}×)" if base_cpu and run.cpu_ms else ""),
                    f"≥ {goal}× bare" if goal else "",
                    (ratio >= goal and not run.errors) if goal else None,
                )
            )
            rows.append(
                Row(
                    f"{t.label}: p50 / p95 / p99",
                    f"{run.p50_ms:.1f} / {run.p95_ms:.1f} / {run.p99_ms:.1f} ms",
                    f"bare {base_p50:.1f} / {base_p95:.1f} ms",
                    f"{run.p95_ms / base_p95:.0f}× (p95)" if base_p95 > 0 else "",
                    f"p95 ≤ {t.max_p95_ms:.0f} ms" if t.max_p95_ms else "",
                    (run.p95_ms <= t.max_p95_ms and not run.errors) if t.max_p95_ms else None,
                )
            )
            if run.wrk_rps and abs(run.wrk_rps - run.rps) > 0.05 * run.rps:
                notes.append(f"{t.label}: wrk's Requests/sec {run.wrk_rps:,.0f} differs")
            if run.errors:
                notes.append(
                    f"{t.label}: {run.status_errors} responses with a status ≥ 400 and "
                    f"{run.socket_errors} socket errors out of {run.requests} (expected {t.expect})"
                )
        after = instance.commit_latency(folder)
        notes.append(
            "SQLite commit on this disk (WAL, synchronous=FULL, one row), p50 / p95: "
            f"{probe[0]:.2f} / {probe[1]:.2f} ms before the HTTP runs, "
            f"{after[0]:.2f} / {after[1]:.2f} ms after"
        )
        errors = sum(r.errors for r in bare_runs)
        notes.append(
            f"HTTP: gunicorn, {web.WORKERS} {web.WORKER_CLASS} workers per server; wrk "
            f"-t{web.THREADS} -c{web.CONNECTIONS} -d{SECONDS}s per run, bare runs "
            + ", ".join(f"{r.rps:,.0f}" for r in bare_runs)
            + f" req/s{f' ({errors} errors)' if errors else ''}"
        )

        memory = [m for pid in app.workers() if (m := web.peak_memory_mb(pid)) is not None]
        bare_memory = [m for pid in bare.workers() if (m := web.peak_memory_mb(pid)) is not None]
        memory_row = Row(
            "worker peak memory (VmHWM, max of workers)",
            f"{max(memory):.0f} MB" if memory else "n/a",
            f"bare {max(bare_memory):.0f} MB" if bare_memory else "",
            f"{max(memory) / max(bare_memory):.1f}×" if memory and bare_memory else "",
            "≤ 250 MB",
            (max(memory) <= 250) if memory else None,
        )
        return [*rows, *weight_rows], [memory_row]
    finally:
        servers.close()


def _mean(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


def _cpu(ms: float | None) -> str:
    return f" ({ms:.2f} ms CPU/req)" if ms is not None else ""


def page_weight_rows(app: web.Server, data: instance.Instance, notes: list[str]) -> list[Row]:
    """A first visit (nothing cached) and a repeat visit (only long-cached assets kept)."""
    client = web.Client(app.base)
    client.login(instance.EMAIL, instance.PASSWORD)
    html, assets = web.page_weight(client, f"/assessments/{data.submitted_id}/results")
    first = html + sum(a.bytes for a in assets)
    again = [a for a in assets if not a.long_lived]
    repeat = html + sum(a.bytes for a in again)
    revalidated = html + sum(a.bytes if a.revalidated is None else a.revalidated for a in again)
    notes.append(
        "results page assets (as transferred, Accept-Encoding: gzip): "
        + "; ".join(
            f"{Path(a.path).name} {size(a.bytes)} [{a.cache_control or 'no Cache-Control'}]"
            for a in assets
        )
        + f". The repeat visit counts again those not cached for long; if the browser "
        f"revalidates them (304) it is {size(revalidated)}"
    )
    return [
        Row(
            "results page transfer, first visit",
            size(first),
            f"HTML {size(html)}",
            "",
            "≤ 1.6 MB",
            first <= 1.6e6,
        ),
        Row(
            "results page transfer, repeat visit",
            size(repeat),
            f"HTML {size(html)}",
            "",
            "≤ 100 KB",
            repeat <= 100e3,
        ),
    ]


# --------------------------------------------------------------------------- main


def _load() -> float:
    return os.getloadavg()[0]


def _part(name: str, func: Any, failures: list[str]) -> Any:
    """Run one part; a failure becomes a row (the other parts still run)."""
    print(f"· {name} …", flush=True)
    try:
        return func()
    except Exception as exc:  # a broken part must not hide the others' numbers
        traceback.print_exc()
        failures.append(name)
        return [Row(name, f"FAILED: {type(exc).__name__}: {exc}"[:160])]


def main() -> int:
    """Exit 0 when every part ran (goals missed or not), 1 when a part failed."""
    start = time.monotonic()
    load_before = _load()
    print(f"Assess benchmarks on {machine()}", flush=True)
    notes: list[str] = []
    failures: list[str] = []
    folder = tempfile.mkdtemp(prefix="assess-bench-")
    try:

        def scoring() -> list[Row]:
            rows, more = scoring_rows()
            notes.extend(more)
            return rows

        def http() -> list[Row]:
            if web.wrk_available() is None:
                return [Row("HTTP measurements", "n/a (wrk is not installed: apt-get install wrk)")]
            data = instance.create(os.path.join(folder, "instance"))
            rows, memory = http_rows(folder, data, notes)
            return [*rows, *memory]

        scoring_part = _part("scoring", scoring, failures)
        exports_part = _part("exports", export_rows, failures)
        from benchmarks import chart_pool_bench  # its own module: 8 concurrent PNGs vs 8 in turn

        exports_part += _part("chart images", lambda: chart_pool_bench.rows(Row, ms), failures)
        portfolio_part = _part(
            "portfolio at 50 and 500 organizations", lambda: portfolio_rows(folder), failures
        )
        big_org_part = _part("big organizations", lambda: big_org_bench.rows(folder, Row), failures)
        survey_part = _part("survey page CPU", lambda: survey_bench.rows(folder, Row), failures)
        seconds = (SECONDS + WARMUP_SECONDS) * 13 + 15
        http_part = _part(f"HTTP runs (about {seconds} s)", http, failures)
        rows = [
            *http_part,
            *scoring_part,
            *exports_part,
            *portfolio_part,
            *big_org_part,
            *survey_part,
        ]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    notes.append(f"load average (1 min) before / after: {load_before:.2f} / {_load():.2f}")
    print_table(rows, notes)
    print(f"(whole run: {time.monotonic() - start:.0f} s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
