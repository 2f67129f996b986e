"""The score table for a terminal (the ``table`` format of ``assess score``): each area with
its score, target, gap and a bar, the overall score, and the first 90 days."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence

from assess.core import charts
from assess.core.results import RoadmapStep
from assess.core.scoring import Result
from assess.outputs.presentation import answer_text, fmt_gap, fmt_score, level_text, step_kind

BAR_WIDTH = 20  # four characters per maturity level


def bar(score: float | None, target: float) -> str:
    """A bar of the score on 0–5 with a ``|`` where the target stands.

    >>> bar(2.5, 3)
    '██████████··|·······'
    """
    cells = ["·"] * BAR_WIDTH
    if score is not None and not math.isnan(score):
        for i in range(round(score / 5 * BAR_WIDTH)):
            cells[i] = "█"
    mark = min(round(target / 5 * BAR_WIDTH), BAR_WIDTH - 1)
    if cells[mark] != "█":
        cells[mark] = "|"
    return "".join(cells)


def format_table(
    result: Result, width: int = 100, roadmap: Sequence[RoadmapStep] | None = None
) -> str:
    """The table, the overall score and the first 90 days; ``roadmap`` is the results
    document's (with a profile's obligations), the result's own when not given."""
    q = result.questionnaire
    area_titles = dict(zip(result.areas["area"], result.areas["title"], strict=True))

    def wrap(text: str, first: str, rest: str) -> list[str]:
        return textwrap.wrap(text, width=width, initial_indent=first, subsequent_indent=rest)

    lines = [f"{q.title}", f"{q.id} {q.version} (sha256 {q.content_hash[:12]})", ""]
    title_w = max(len(t) for t in result.areas["title"])
    lines.append(
        f"{'Area':<{title_w}}  Score  Target  Gap  {'0   1   2   3   4   5':<{BAR_WIDTH}}  Answered"
    )
    for row in result.areas.itertuples(index=False):
        complete = f"{row.answered}/{row.total}"
        extras = []
        if row.unknown:
            extras.append(f"{row.unknown} {charts.DONT_KNOW}")
        if row.na:
            extras.append(f"{row.na} n/a")
        if extras:
            complete += f" ({', '.join(extras)})"
        lines.append(
            f"{row.title:<{title_w}}  {fmt_score(row.score):>5}  {fmt_score(row.target):>6}  {fmt_gap(row.gap, row.score, row.target):>3}  "
            f"{bar(row.score, row.target)}  {complete}"
        )
    lines.append("")
    if result.overall_score is None:
        lines.append("Overall: no scored answers yet")
    else:
        lines.append(
            f"Overall: {fmt_score(result.overall_score)} of 5, "
            f"{level_text(result.overall_level, result.overall_label)}"
        )
    if result.unanswered:
        lines.append(f"Unanswered: {len(result.unanswered)} question(s), left out of the scores")
    steps = [s for s in (roadmap or result.results().roadmap) if s.first_90_days]
    if steps:
        lines += ["", "First 90 days: the next steps toward your targets"]
        if any(step.kind == "obligation" for step in steps):
            lines.append("(after the numbered steps: what your regulations require)")
        for step in steps:
            head = f"{step.rank:>2}. "
            indent = " " * len(head)
            mark = " [essential]" if step.essential else ""
            if step.kind == "obligation":  # ranked after every safeguard: no number here
                lines += wrap(f"{step_kind(step)}: {step.text}", indent, indent)
                lines += wrap(f"{step.action} Source: {step.source}.", indent, indent)
                continue
            now = answer_text("unknown" if step.unknown else step.current_level, q)
            then = level_text(step.next_level, q)
            lines += wrap(
                f"{area_titles.get(step.area, step.area)}: {step.text}{mark}", head, indent
            )
            lines += wrap(f"{step_kind(step)}: {step.action}", indent, indent)
            done = "" if step.action == step.step else f": {step.step}"
            lines += wrap(f"Now: {now}. Done when {then}{done}", indent, indent)
    elif result.overall_score is not None:
        lines += ["", "Every area meets its target: no roadmap steps."]
    return "\n".join(lines)
