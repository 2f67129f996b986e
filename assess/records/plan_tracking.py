"""The plan across assessments: the submissions as the plan reads them, and what a new
submission does to the plan (a done item whose question falls below its goal is reopened).

The rules are :mod:`assess.core.plan`'s; this module reads and writes the rows. Submitting
calls :func:`reopen_regressed` (:func:`assess.records.assessments.submit`), so every way of
submitting (pages, API, demo) keeps the plan honest.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import defer

from assess.core import plan as core
from assess.core.naming import assessment_name
from assess.records.database import db
from assess.records.models import (
    Action,
    ActionChange,
    Answer,
    Assessment,
    User,
    utcnow,
)

#: Why an item was reopened: what the later submission answered, against the goal. Level 0
#: includes "don't know" (it counts as 0), which is not a drop in practice, only in evidence.
REOPENED = "reopened: {label} answered level {level}, below the goal {goal}"
REOPENED_AT_ZERO = (
    "reopened: {label} answered level 0 or \u201cdon't know\u201d, below the goal {goal}"
)


def submission_label(assessment: Assessment) -> str:
    """How the plan names a submission: its name and date ("Full assessment 3, 2026-06-01")."""
    when = assessment.submitted_at or assessment.created_at
    return f"{assessment_name(assessment.questionnaire_id, assessment.number)}, {when:%Y-%m-%d}"


def submissions_of(organization_id: int, only: int | None = None) -> list[core.Submission]:
    """Every submitted assessment of the organization (or only the one with id ``only``) with
    its answered levels, in one query for the answers."""
    query = (
        select(Assessment)
        .where(Assessment.organization_id == organization_id, Assessment.status == "submitted")
        .options(defer(Assessment.results))  # tens of KB each, and not needed here
    )
    if only is not None:
        query = query.where(Assessment.id == only)
    assessments = db.session.scalars(query).all()
    if not assessments:
        return []
    levels: dict[int, dict[str, int]] = defaultdict(dict)
    rows = db.session.execute(
        select(Answer.assessment_id, Answer.question_id, Answer.status, Answer.level).where(
            Answer.assessment_id.in_([a.id for a in assessments])
        )
    )
    for assessment_id, question_id, status, level in rows:
        if status == "level" and level is not None:
            levels[assessment_id][question_id] = int(level)
        elif status == "unknown":
            levels[assessment_id][question_id] = 0
    return [
        core.Submission(
            assessment_id=a.id,
            label=submission_label(a),
            submitted_at=a.submitted_at or a.created_at,
            levels=levels.get(a.id, {}),
        )
        for a in assessments
    ]


def submission_of(assessment: Assessment) -> core.Submission | None:
    found = submissions_of(assessment.organization_id, only=assessment.id)
    return found[0] if found else None


def reopen_regressed(assessment: Assessment, user: User | None) -> list[Action]:
    """Reopen the done items whose goal this (just submitted) assessment falls below: status
    back to ``open``, ``regressed_in`` set, and a history entry that says where."""
    submission = submission_of(assessment)
    if submission is None:
        return []
    items = db.session.scalars(
        select(Action).where(
            Action.organization_id == assessment.organization_id, Action.status == "done"
        )
    ).all()
    reopened = []
    now = utcnow()
    for item in items:
        if not core.regressed(
            item.status, item.question_id, item.goal_level, item.done_at, submission
        ):
            continue
        db.session.add(
            ActionChange(
                action_id=item.id,
                field="status",
                old_value="done",
                new_value="open",
                reason=_reopened(submission, item.question_id, item.goal_level),
                changed_at=now,
                changed_by_id=user.id if user else None,
            )
        )
        item.status = "open"
        item.done_at = None
        item.regressed_in_id = assessment.id
        item.updated_at = now
        reopened.append(item)
    db.session.flush()
    return reopened


def met_in(item: Action, submissions: list[core.Submission]) -> core.Submission | None:
    """The later submission that reached the item's goal, if any (see :mod:`assess.core.plan`)."""
    source = item.source_assessment
    baseline = item.created_at
    if source is not None and source.locked and source.submitted_at is not None:
        baseline = min(baseline, source.submitted_at)
    return core.met_in(
        item.question_id,
        item.goal_level,
        submissions,
        baseline=baseline,
        source_id=item.source_assessment_id,
    )


def _reopened(submission: core.Submission, question_id: str | None, goal: int | None) -> str:
    level = submission.levels.get(question_id or "", 0)
    template = REOPENED_AT_ZERO if level == 0 else REOPENED
    return template.format(label=submission.label, level=level, goal=goal)
