"""The questionnaire an assessment was taken on: stored once per content hash, so old
assessments are scored and compared on exactly the questions they answered."""

from __future__ import annotations

from assess.core.questionnaire import Questionnaire
from assess.records.database import db
from assess.records.models import Assessment, QuestionnaireSnapshot

_SNAPSHOT_CACHE: dict[str, Questionnaire] = {}


def shipped_ids() -> set[str]:
    """The ids of the questionnaires this installation offers."""
    from assess.core.questionnaire import shipped_questionnaires

    return set(shipped_questionnaires())


def snapshot_of(questionnaire: Questionnaire) -> QuestionnaireSnapshot:
    """The stored copy of a questionnaire, created the first time an assessment uses it."""
    snap = db.session.get(QuestionnaireSnapshot, questionnaire.content_hash)
    if snap is None:
        snap = QuestionnaireSnapshot(
            hash=questionnaire.content_hash,
            questionnaire_id=questionnaire.id,
            version=questionnaire.version,
            content=questionnaire.model_dump(mode="json"),
        )
        db.session.add(snap)
        db.session.flush()
    return snap


def questionnaire_for(assessment: Assessment) -> Questionnaire:
    """The questionnaire exactly as the assessment was taken on (from its snapshot)."""
    key = assessment.questionnaire_hash
    cached = _SNAPSHOT_CACHE.get(key)
    if cached is None:
        content = assessment.snapshot.content
        cached = Questionnaire.model_validate(content)
        if len(_SNAPSHOT_CACHE) > 128:
            _SNAPSHOT_CACHE.clear()
        _SNAPSHOT_CACHE[key] = cached
    return cached


def questionnaires_by_hash(hashes: set[str]) -> dict[str, Questionnaire]:
    """The questionnaires of several content hashes: those not yet cached in one query."""
    from sqlalchemy import select

    missing = {h for h in hashes if h not in _SNAPSHOT_CACHE}
    if missing:
        rows = db.session.execute(
            select(QuestionnaireSnapshot.hash, QuestionnaireSnapshot.content).where(
                QuestionnaireSnapshot.hash.in_(sorted(missing))
            )
        )
        if len(_SNAPSHOT_CACHE) + len(missing) > 128:
            _SNAPSHOT_CACHE.clear()
        for key, content in rows:
            _SNAPSHOT_CACHE[key] = Questionnaire.model_validate(content)
    return {h: _SNAPSHOT_CACHE[h] for h in hashes if h in _SNAPSHOT_CACHE}
