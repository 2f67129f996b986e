"""Each answer's history: who changed what, when, from what to what (the ``answer_changes``
rows :func:`assess.records.answers.save_answers` writes with every change)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import select

from assess.records.database import db
from assess.records.models import AnswerChange, Assessment
from assess.records.text import iso


def changes_of(
    assessment: Assessment, question_ids: Collection[str] | None = None
) -> list[AnswerChange]:
    """Every change of the assessment's answers (or of those questions'), oldest first."""
    query = select(AnswerChange).where(AnswerChange.assessment_id == assessment.id)
    if question_ids is not None:
        query = query.where(AnswerChange.question_id.in_(sorted(question_ids)))
    return list(db.session.scalars(query.order_by(AnswerChange.changed_at, AnswerChange.id)))


def changes_by_question(
    assessment: Assessment, question_ids: Collection[str] | None = None
) -> dict[str, list[AnswerChange]]:
    """The changes of each answer (or of those questions': a survey page reads its own
    area's, not the whole history), oldest first, by question id."""
    out: dict[str, list[AnswerChange]] = {}
    for change in changes_of(assessment, question_ids):
        out.setdefault(change.question_id, []).append(change)
    return out


def _value(stored: str | None) -> int | str | None:
    """A stored answer word as the API writes answers: 3, "na", "unknown" or None.

    >>> _value("3"), _value("na"), _value(None)
    (3, 'na', None)
    """
    return int(stored) if stored is not None and stored.isdecimal() else stored


def change_dict(change: AnswerChange) -> dict[str, Any]:
    return {
        "question_id": change.question_id,
        "from": _value(change.old_value),
        "to": _value(change.new_value),
        "note_from": change.old_note,
        "note_to": change.new_note,
        "changed_by": change.changed_by.email if change.changed_by else None,
        "changed_at": iso(change.changed_at),
    }
