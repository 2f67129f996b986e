"""Questionnaires and questions in the words people read: a questionnaire's name and
version, question ids as their texts grouped by area, one question's text."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from assess.core.questionnaire import shipped_questionnaires


def attr(obj: Any, name: str) -> Any:
    """A field of a mapping or an object (None for anything else)."""
    if obj is None or isinstance(obj, str | int | float):
        return None
    if isinstance(obj, Mapping):
        return obj.get(name)
    return getattr(obj, name, None)


def _known_questionnaire(ref: Any, version: Any = None) -> Any:
    """The shipped questionnaire named by a mapping or object with ``id`` and ``version``, or
    by an id and a version; None when it is not one that ships."""
    from assess.core.questionnaire import all_questionnaires

    qid = attr(ref, "id") or ref
    version = version if version is not None else attr(ref, "version")
    if not isinstance(qid, str):
        return None
    known = all_questionnaires()
    if version is not None:
        return known.get(f"{qid}@{version}")
    versions = [q for q in known.values() if q.id == qid]
    return versions[-1] if versions else None


def questionnaire_name(ref: Any, version: Any = None) -> str:
    """A questionnaire as people name it: its title's first part and its version in words,
    for ``{"id": ..., "version": ...}`` or an id and a version; the id when it is unknown.

    >>> questionnaire_name({"id": "ciso-nine-areas-quick", "version": "2.0"})
    'Quick check, version 2.0'
    >>> questionnaire_name("ciso-nine-areas", "1.0")
    'Cybersecurity leadership maturity, version 1.0'
    >>> questionnaire_name("someone-elses", "3")
    'someone-elses, version 3'
    """
    known = _known_questionnaire(ref, version)
    qid = attr(ref, "id") or ref
    version = version if version is not None else attr(ref, "version")
    name = known.title.split(" — ")[0] if known is not None else str(qid)
    return f"{name}, version {version}" if version is not None else name


def questions_by_area(ids: Iterable[str], questionnaire: Any) -> list[dict[str, Any]]:
    """Question ids as people read them: each question's text under its area's title, in the
    questionnaire's order; an id the questionnaire does not know is listed as it is.

    >>> groups = questions_by_area(["incident-response.plan"], {"id": "ciso-nine-areas",
    ...                                                         "version": "2.0"})
    >>> groups[0]["area"], len(groups[0]["questions"])
    ('Incident response', 1)
    """
    wanted = list(dict.fromkeys(ids))
    known = _known_questionnaire(questionnaire)
    groups: list[dict[str, Any]] = []
    if known is not None:
        for area in known.areas:
            texts = [q.text for q in area.questions if q.id in wanted]
            if texts:
                groups.append({"area": area.title, "questions": texts})
        wanted = [qid for qid in wanted if qid not in known.questions]
    if wanted:
        groups.append({"area": "Other", "questions": wanted})
    return groups


def question_text(question_id: Any) -> str:
    """A question's words for a plan item or a list, from the shipped questionnaires (the
    full one first, whose ids the quick check shares); the id when none knows it.

    >>> question_text("incident-response.plan")[:30]
    'Does the business have a writt'
    >>> question_text("no.such-question")
    'no.such-question'
    """
    for _, questionnaire in sorted(shipped_questionnaires().items()):
        found = questionnaire.questions.get(str(question_id))
        if found is not None:
            return found.text
    return str(question_id)
