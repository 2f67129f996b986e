"""Exports: a PNG chart cold (Chromium starts) and warm, and the PDF report warm."""

from __future__ import annotations

import importlib.util
import statistics
import time
from dataclasses import dataclass
from typing import Any

from benchmarks.instance import QUESTIONNAIRE, SEED, full_answers, profile

WARM_PNG = 5
WARM_PDF = 3


@dataclass
class ExportTimes:
    png_cold: float | None = None
    png_warm: float | None = None
    pdf_cold: float | None = None
    pdf_warm: float | None = None
    png_bytes: int = 0
    pdf_bytes: int = 0
    problem: str | None = None  # why there are no numbers


def _timed(func: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    value = func()
    return time.perf_counter() - start, value


def run() -> ExportTimes:
    if importlib.util.find_spec("assess.outputs.pdf") is None:
        return ExportTimes(problem="n/a (exports not built yet)")
    import random

    from assess.core import charts, recommend
    from assess.core.evaluation import build_report
    from assess.core.questionnaire import get_questionnaire
    from assess.core.scoring import parse_answer
    from assess.outputs import images, pdf, report_views

    questionnaire = get_questionnaire(QUESTIONNAIRE)
    answers = {
        qid: parse_answer(value)
        for qid, value in full_answers(questionnaire, random.Random(SEED)).items()
    }
    org = "Harborview Medical Billing"
    report = build_report(
        questionnaire, answers, profile=recommend.parse_profile({**profile(), "organization": org})
    )
    fig = charts.radar(report.results().model_dump()["areas"])
    context = report_views.assessment_report_context(
        report.results(),
        questionnaire=report.result.questionnaire,
        organization=org,
        answers=answers,
    )
    result = ExportTimes()
    try:
        result.png_cold, png = _timed(lambda: images.figure_bytes(fig, "png"))
        warm = [_timed(lambda: images.figure_bytes(fig, "png"))[0] for _ in range(WARM_PNG)]
        result.png_warm, result.png_bytes = statistics.median(warm), len(png)
        result.pdf_cold, document = _timed(lambda: pdf.report_pdf(context))
        warm = [_timed(lambda: pdf.report_pdf(context))[0] for _ in range(WARM_PDF)]
        result.pdf_warm, result.pdf_bytes = statistics.median(warm), len(document)
    except images.ExportUnavailable as exc:
        result.problem = f"n/a ({exc})"
    finally:
        images.shutdown()  # no Chromium left running while the servers are measured
    return result
