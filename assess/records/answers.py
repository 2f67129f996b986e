"""Answers of an assessment: reading them, counting them, and saving them all or nothing,
with a version per answer so that two people saving at once never overwrite each other
silently (:class:`Conflict`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import func, select, update

from assess.core.answer_sheets import check_answers
from assess.core.scoring import Answer as CoreAnswer
from assess.records import quotas
from assess.records.database import db
from assess.records.errors import Conflict, Invalid, Locked, NotFound
from assess.records.models import Answer, AnswerChange, Assessment, User, utcnow
from assess.records.questionnaires import questionnaire_for
from assess.records.text import unstorable

LOCKED = "This assessment was submitted; its answers can no longer change."


def answers_of(assessment: Assessment) -> dict[str, CoreAnswer]:
    """The answers as the scoring core reads them, by question id."""
    rows = db.session.execute(
        select(Answer.question_id, Answer.status, Answer.level, Answer.note).where(
            Answer.assessment_id == assessment.id
        )
    )
    return {qid: CoreAnswer(status, level, note or "") for qid, status, level, note in rows}


def answer_rows(assessment: Assessment, *, fresh: bool = False) -> dict[str, Answer]:
    """The answer rows by question id; ``fresh`` reloads rows this session already holds."""
    query = select(Answer).where(Answer.assessment_id == assessment.id)
    if fresh:
        query = query.execution_options(populate_existing=True)
    return {row.question_id: row for row in db.session.scalars(query)}


def answer_counts(assessments: Iterable[Assessment]) -> dict[int, int]:
    """How many questions each assessment has answered (one query for all of them)."""
    ids = [a.id for a in assessments]
    if not ids:
        return {}
    rows = db.session.execute(
        select(Answer.assessment_id, func.count(Answer.id))
        .where(Answer.assessment_id.in_(ids))
        .group_by(Answer.assessment_id)
    )
    return {assessment_id: int(count) for assessment_id, count in rows}


def lock_for_saving(assessment: Assessment) -> None:
    """Saves of one assessment take turns: the transaction writes the assessment row first,
    which waits for any other save of it to commit (PostgreSQL: the row's lock; SQLite: the
    database's write lock, queued by the busy timeout). The answers read after this are the
    latest, so the version check and the writes that follow cannot interleave with another
    save (two saves from the same version: one wins, the other is a Conflict; two first
    answers to one question: never a unique-constraint error)."""
    locked = db.session.execute(
        update(Assessment).where(Assessment.id == assessment.id).values(updated_at=utcnow())
    )
    if locked.rowcount == 0:  # a draft deleted while this waited for its turn
        raise NotFound("No such assessment: it was deleted.")
    db.session.refresh(assessment, ["status"])


def value_of(status: str | None, level: int | None) -> str | None:
    """An answer as one stored word: "3", "na", "unknown" (None for no answer).

    >>> value_of("level", 3), value_of("na", None), value_of(None, None)
    ('3', 'na', None)
    """
    if status is None:
        return None
    return str(level) if status == "level" else status


def _unchanged(assessment: Assessment, good: Mapping[str, CoreAnswer]) -> bool:
    """True when every answer given equals the one stored (one query, no lock)."""
    stored = answers_of(assessment)
    return all(stored.get(qid) == answer for qid, answer in good.items())


def _conflicts(
    rows: Mapping[str, Answer], good: Mapping[str, CoreAnswer], base_versions: Mapping[str, int]
) -> dict[str, dict[str, Any]]:
    """The answers someone else changed since the versions the client saw, to something
    other than what the client sends: theirs and yours, side by side."""
    conflicts = {}
    for qid, new in good.items():
        row = rows.get(qid)
        seen = base_versions.get(qid, 0)
        current = row.version if row else 0
        if (
            current != seen
            and row is not None
            and (row.status, row.level, row.note) != (new.status, new.level, new.note)
        ):
            conflicts[qid] = {
                "yours": new.value,
                "your_note": new.note,
                "theirs": value_of(row.status, row.level),
                "their_note": row.note,
                "version": row.version,
                "by": row.updated_by.email if row.updated_by else None,
                "at": row.updated_at.isoformat(timespec="seconds"),
            }
    return conflicts


def save_answers(
    assessment: Assessment,
    user: User,
    raw: Mapping[str, Any],
    *,
    base_versions: Mapping[str, int] | None = None,
    clear: tuple[str, ...] = (),
) -> dict[str, Answer]:
    """Save answers, all or nothing.

    ``raw`` maps question ids to a level, ``na``, ``unknown`` or ``{level, note}``. With
    ``base_versions`` (the versions the client saw), an answer changed by someone else in
    the meantime is a :class:`Conflict` and nothing is saved. ``clear`` removes answers.
    """
    if assessment.locked:
        raise Locked(LOCKED)
    questionnaire = questionnaire_for(assessment)
    good, bad = check_answers(questionnaire, raw)
    for qid, answer in good.items():
        problem = unstorable(answer.note)
        if problem:
            bad[qid] = f"note: {problem}"
    for qid in clear:
        if qid not in questionnaire.questions:
            bad[qid] = f"unknown question id {qid!r} in {questionnaire.id}"
    if bad:
        raise Invalid(bad, message=f"{len(bad)} answer(s) are not valid; nothing was saved.")
    if not clear and _unchanged(assessment, good):
        # Nothing to write (the page was saved as it was shown): no lock, no commit.
        return answer_rows(assessment)
    lock_for_saving(assessment)
    if assessment.locked:  # submitted while we waited for the lock
        raise Locked(LOCKED)
    rows = answer_rows(assessment, fresh=True)
    if base_versions is not None:
        conflicts = _conflicts(rows, good, base_versions)
        if conflicts:
            raise Conflict(conflicts)
    changed = [
        qid
        for qid, new in good.items()
        if rows.get(qid) is None
        or (rows[qid].status, rows[qid].level, rows[qid].note) != (new.status, new.level, new.note)
    ]
    quotas.check_changes(assessment, len(changed) + len([q for q in clear if q in rows]))
    now = utcnow()
    for qid, new in good.items():
        row = rows.get(qid)
        if row is not None and (row.status, row.level, row.note) == (
            new.status,
            new.level,
            new.note,
        ):
            continue
        db.session.add(
            AnswerChange(
                assessment_id=assessment.id,
                question_id=qid,
                old_value=value_of(row.status, row.level) if row else None,
                new_value=value_of(new.status, new.level),
                old_note=row.note if row else None,
                new_note=new.note,
                changed_at=now,
                changed_by_id=user.id,
            )
        )
        if row is None:
            row = Answer(assessment_id=assessment.id, question_id=qid, version=0)
            db.session.add(row)
            rows[qid] = row
        row.status, row.level, row.note = new.status, new.level, new.note
        row.version = (row.version or 0) + 1
        row.updated_at = now
        row.updated_by_id = user.id
    for qid in clear:
        row = rows.pop(qid, None)
        if row is not None:
            db.session.add(
                AnswerChange(
                    assessment_id=assessment.id,
                    question_id=qid,
                    old_value=value_of(row.status, row.level),
                    new_value=None,
                    old_note=row.note,
                    new_note=None,
                    changed_at=now,
                    changed_by_id=user.id,
                )
            )
            db.session.delete(row)
    assessment.updated_at = now
    db.session.flush()
    return rows
