"""The roadmap: the next steps toward the targets, ranked by the risk they take away.

One step per answer below its area's target, each an action: how to reach the question's
next level (``improve``; ``start`` from level 0, a first concrete deliverable), or, for a
"don't know", what to find out and from whom (``find_out``). Ranking::

    essential safeguards below target first, by weight × (target − level)
    then the others, by area weight × area gap × weight × (target − level)

The top :data:`FIRST_90_DAYS` are the first 90 days. Obligations that a regulation in the
profile names (:func:`obligation_steps`) join the first 90 days, counted apart and ranked after
every safeguard step, so they never push a safeguard out nor move its rank.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from assess.core.questionnaire import Question, Questionnaire

UNKNOWN = "unknown"
#: How many safeguard steps make "the first 90 days" (obligations come on top).
FIRST_90_DAYS = 6

ROADMAP_COLUMNS = [
    "assessment", "rank", "area", "area_title", "question", "text", "status",
    "level", "next_level", "step", "action", "kind", "essential", "priority",
]  # fmt: skip

#: Who to ask when a question's actions do not say who does the work.
DEFAULT_WHO = "whoever looks after it (often your IT provider)"


def who_does(question: Question) -> str:
    """Who does the work of a question's first level, as its action says after the dash.

    >>> from assess.core.questionnaire import get_questionnaire
    >>> who_does(get_questionnaire("ciso-nine-areas").questions["program-oversight.mfa"])
    'the IT provider'
    """
    first = question.actions.get(1, "")
    if " — " not in first:
        return DEFAULT_WHO
    who = first.rsplit(" — ", 1)[1].split(",")[0].strip().rstrip(".")
    return who or DEFAULT_WHO


def find_out_action(question: Question) -> str:
    """The action for a "don't know": what to find out, and from whom.

    >>> from assess.core.questionnaire import get_questionnaire
    >>> q = get_questionnaire("ciso-nine-areas").questions["program-oversight.patching"]
    >>> find_out_action(q)[:60]
    'Ask the IT provider: “Are security updates installed on all '
    >>> find_out_action(get_questionnaire("ciso-nine-areas").questions[
    ...     "program-oversight.accountable-owner"])[:60]
    'Check: “Is one named person accountable for cybersecurity ac'
    """
    who = who_does(question)
    # The owner answers the questionnaire: they check, rather than ask themselves.
    verb = "Check:" if who.startswith("the owner") else f"Ask {who}:"
    return (
        f"{verb} “{question.text}” Note the answer in this assessment; until then it counts as "
        "level 0."
    )


def _action(question: Question, status: str, next_level: int) -> str:
    if status == UNKNOWN:
        return find_out_action(question)
    # A questionnaire without actions (1.0) says only what the next level looks like.
    return question.actions.get(next_level) or question.levels[next_level]


def _kind(status: str, level: int) -> str:
    if status == UNKNOWN:
        return "find_out"
    return "start" if level == 0 else "improve"


def roadmap(frame: pd.DataFrame, areas: pd.DataFrame, questionnaire: Questionnaire) -> pd.DataFrame:
    """Next steps toward the targets, best first (see the module's docstring).

    A step is due for every scored answer below its area's target where the area has a gap,
    and for every essential safeguard below target, gap or none: an area's mean must not hide
    a missing safeguard.
    """
    gaps = areas[["assessment", "area", "gap", "target"]]
    work = frame.merge(gaps, on=["assessment", "area"], how="left")
    questions = questionnaire.questions
    essential = work["question"].map(lambda qid: questions[qid].essential).astype(bool)
    below = work["level"].notna() & (work["level"] < work["target"])
    due = below & ((work["gap"] > 0) | essential)
    todo = work[due].assign(essential=essential[due])
    if todo.empty:
        return pd.DataFrame(columns=ROADMAP_COLUMNS)
    next_level = todo["level"].astype(int) + 1
    below_by = todo["target"] - todo["level"]
    # In this order of multiplication, as before version 2, so stored priorities score again
    # to the last bit.
    weighted = todo["area_weight"] * todo["gap"] * todo["weight"] * below_by
    priority = (todo["weight"] * below_by).where(todo["essential"], weighted)
    steps = todo.assign(
        next_level=next_level,
        priority=priority,
        text=todo["question"].map(lambda qid: questions[qid].text),
        step=[
            questions[qid].levels[lv] for qid, lv in zip(todo["question"], next_level, strict=True)
        ],
        action=[
            _action(questions[qid], status, lv)
            for qid, status, lv in zip(todo["question"], todo["status"], next_level, strict=True)
        ],
        kind=[
            _kind(status, int(level))
            for status, level in zip(todo["status"], todo["level"], strict=True)
        ],
        level=todo["level"].astype(int),
        # Among essential safeguards of equal priority, finding out comes first: it takes
        # one question to the IT provider, and the answer may show nothing is missing.
        find_first=todo["essential"] & (todo["status"] == UNKNOWN),
    ).sort_values(
        ["assessment", "essential", "priority", "find_first", "area_order", "question_order"],
        ascending=[True, False, False, False, True, True],
        kind="stable",
    )
    steps = steps.assign(rank=steps.groupby("assessment").cumcount() + 1)
    return steps[ROADMAP_COLUMNS].reset_index(drop=True)


def obligation_steps(
    obligations: Iterable[dict[str, str]], *, after: int
) -> list[dict[str, object]]:
    """Steps, in the contract's fields, for obligations ``{regulation, title, action,
    done_when, source}``: ranked after the ``after`` safeguard steps, all in the first 90
    days."""
    return [
        {
            "rank": after + i,
            "area": None,
            "question": None,
            "text": item["title"],
            "current_level": None,
            "unknown": False,
            "next_level": None,
            "step": item["done_when"],
            "action": item["action"],
            "kind": "obligation",
            "essential": False,
            "source": item["source"],
            "regulation": item["regulation"],
            "priority": 0.0,
            "first_90_days": True,
        }
        for i, item in enumerate(obligations, start=1)
    ]
