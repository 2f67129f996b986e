"""Assessments: start one (or a copy of another, across questionnaires too), find one, name
it, set its targets, score it, submit it, delete a draft, and the API's summary of it. Answers
are saved by :mod:`assess.records.answers`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import defer

from assess.core.answer_sheets import parse_target_level
from assess.core.errors import InputError
from assess.core.evaluation import Report, build_report
from assess.core.naming import assessment_name
from assess.core.questionnaire import get_questionnaire
from assess.core.results import Results
from assess.records import quotas
from assess.records.answers import (
    answer_counts,
    answer_rows,
    answers_of,
    lock_for_saving,
    save_answers,
)
from assess.records.database import KEPT_BY_READS, db
from assess.records.errors import Invalid, Locked, NotFound
from assess.records.membership import lock_organization
from assess.records.models import Answer, Assessment, Organization, User, utcnow
from assess.records.organizations import profile_of
from assess.records.plan_tracking import reopen_regressed
from assess.records.questionnaires import (
    questionnaire_for,
    questionnaires_by_hash,
    shipped_ids,
    snapshot_of,
)
from assess.records.scores import keep_scores
from assess.records.text import iso

TARGETS_LOCKED = "This assessment was submitted; its targets can no longer change."
SUBMITTED = "This assessment was already submitted."
NOT_DELETABLE = "This assessment was submitted: it is a record and cannot be deleted."


def start_assessment(org: Organization, user: User, questionnaire_ref: Any) -> Assessment:
    """A new draft of one of the shipped questionnaires (by id; never a path a user typed)."""
    if not isinstance(questionnaire_ref, str) or not questionnaire_ref:
        raise Invalid({"questionnaire": "Name a questionnaire id."})
    if questionnaire_ref not in shipped_ids():
        raise Invalid({"questionnaire": f"unknown questionnaire {questionnaire_ref!r}"})
    try:
        questionnaire = get_questionnaire(questionnaire_ref)
    except InputError as exc:
        raise Invalid({"questionnaire": str(exc)}) from None
    if questionnaire_ref not in shipped_ids():
        raise Invalid({"questionnaire": f"unknown questionnaire {questionnaire_ref!r}"})
    quotas.check_drafts(org)
    snap = snapshot_of(questionnaire)
    # Numbers are per organization and questionnaire ("Full assessment 3"); starts take turns
    # so two at once do not get the same one.
    lock_organization(org.id)
    last = db.session.scalar(
        select(func.max(Assessment.number)).where(
            Assessment.organization_id == org.id,
            Assessment.questionnaire_id == questionnaire.id,
        )
    )
    assessment = Assessment(
        organization_id=org.id,
        questionnaire_hash=snap.hash,
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        created_by_id=user.id,
        number=(last or 0) + 1,
    )
    db.session.add(assessment)
    db.session.flush()
    return assessment


def copy_assessment(source: Assessment, user: User, questionnaire_ref: Any = None) -> Assessment:
    """A new draft with the source's answers and notes, so the owner only changes what moved.
    It uses the current version of the same questionnaire, or of ``questionnaire_ref`` (a full
    assessment pre-filled from a quick check): the questions they share (the same id) carry
    their answers, the others start empty; answers to questions that no longer exist are left
    behind. Targets carry over for the areas both have."""
    ref = source.questionnaire_id if questionnaire_ref is None else questionnaire_ref
    new = start_assessment(source.organization, user, ref)
    new.copied_from_id = source.id
    questionnaire = questionnaire_for(new)
    new.targets = {
        area: level
        for area, level in (source.targets or {}).items()
        if area in questionnaire.area_by_id
    }
    carried = {
        qid: ({"level": a.value, "note": a.note} if a.note else a.value)
        for qid, a in answers_of(source).items()
        if qid in questionnaire.questions
        and (a.status != "na" or questionnaire.questions[qid].allow_na)
    }
    if carried:
        save_answers(new, user, carried)
    db.session.flush()
    return new


def delete_draft(assessment: Assessment) -> None:
    """Delete a draft with its answers and their history; :class:`Locked` (409) when it was
    submitted, even by someone else while this waited for its turn."""
    if assessment.locked:
        raise Locked(NOT_DELETABLE)
    lock_for_saving(assessment)
    if assessment.locked:
        raise Locked(NOT_DELETABLE)
    db.session.delete(assessment)
    db.session.flush()


def name_of(assessment: Assessment) -> str:
    """Its human name: "Full assessment 3", "Quick check 1"."""
    return assessment_name(assessment.questionnaire_id, assessment.number)


def assessment_in(org: Organization, assessment_id: Any) -> Assessment:
    """An assessment of this organization by id (the caller has checked the organization);
    :class:`NotFound` when the id is not one of its assessments."""
    try:
        number = int(assessment_id)
    except (TypeError, ValueError, OverflowError):  # OverflowError: Infinity
        number = -1
    found = db.session.get(Assessment, number) if 0 < number < 2**31 else None
    if found is None or found.organization_id != org.id:
        raise NotFound(f"No assessment {assessment_id!r} in this organization.")
    return found


def set_targets(assessment: Assessment, targets: Mapping[str, Any]) -> dict[str, float]:
    """Override the proposed target of some areas (an empty value goes back to the proposal).
    A submitted assessment is a record: its targets, like its answers, no longer change."""
    if assessment.locked:
        raise Locked(TARGETS_LOCKED)
    lock_for_saving(assessment)
    db.session.refresh(assessment, ["targets"])
    if assessment.locked:  # submitted while we waited for the lock
        raise Locked(TARGETS_LOCKED)
    questionnaire = questionnaire_for(assessment)
    errors: dict[str, str] = {}
    merged = dict(assessment.targets or {})
    for area_id, value in targets.items():
        if area_id not in questionnaire.area_by_id:
            errors[area_id] = f"unknown area {area_id!r}"
            continue
        if value is None or value == "":
            merged.pop(area_id, None)
            continue
        try:
            merged[area_id] = parse_target_level(value, "target")
        except InputError as exc:
            errors[area_id] = exc.message
    if errors:
        raise Invalid(errors, message="Some targets are not valid; nothing was changed.")
    assessment.targets = merged
    assessment.results = None
    db.session.flush()
    return merged


def report_for(assessment: Assessment) -> Report:
    """The assessment scored now: scores, gaps, roadmap and recommendation."""
    return build_report(
        questionnaire_for(assessment),
        answers_of(assessment),
        targets=assessment.targets or {},
        profile=profile_of(assessment.organization),
    )


def results_document(assessment: Assessment) -> Results:
    """The results (the document ``assess score --format json`` prints). A submitted
    assessment's results never change, so they are computed once and kept: read from the
    record through the contract (which upgrades documents stored by earlier versions), or
    (for one submitted before results were kept) put on the record here for the request's
    commit to keep. A read: it never commits."""
    if assessment.locked and assessment.results:
        try:
            return Results.from_stored(assessment.results)
        except InputError:
            # Unreadable (hand-edited?): the locked answers score the same again. The stored
            # document is left as it is, for whoever looks into it.
            return report_for(assessment).results()
    results = report_for(assessment).results()
    if assessment.locked:
        assessment.results = results.model_dump(mode="json")
        keep_scores(assessment)
        db.session.info[KEPT_BY_READS] = True
    return results


def submit(assessment: Assessment, user: User) -> Assessment:
    """Lock the answers and keep the results as they are now, and reopen the plan's done items
    whose goal they fall below; :class:`Locked` if it was submitted."""
    if assessment.locked:
        raise Locked(SUBMITTED)
    lock_for_saving(assessment)
    if assessment.locked:  # submitted by someone else while we waited
        raise Locked(SUBMITTED)
    assessment.status = "submitted"
    assessment.submitted_at = utcnow()
    assessment.submitted_by_id = user.id
    db.session.flush()
    assessment.results = report_for(assessment).results().model_dump(mode="json")
    keep_scores(assessment)
    db.session.flush()
    reopen_regressed(assessment, user)  # a done item this submission falls below reopens
    return assessment


def assessments_of(org: Organization) -> list[Assessment]:
    """The organization's assessments, oldest first, without their results documents (a
    list needs none of them; an assessment whose results are read later loads them then)."""
    return list(
        db.session.scalars(
            select(Assessment)
            .where(Assessment.organization_id == org.id)
            .order_by(Assessment.id)
            .options(defer(Assessment.results))
        )
    )


def assessment_briefs(org: Organization) -> list[dict[str, Any]]:
    """The API's view of each of the organization's assessments without the answers, oldest
    first: the answers counted in one query for all, whatever their number."""
    found = assessments_of(org)
    counts = answer_counts(found)
    questionnaires = questionnaires_by_hash({a.questionnaire_hash for a in found})
    return [
        _summary_head(a, counts.get(a.id, 0), len(questionnaires[a.questionnaire_hash].questions))
        for a in found
    ]


def assessment_summary(assessment: Assessment) -> dict[str, Any]:
    """The API's view of an assessment (answers included)."""
    rows = answer_rows(assessment)
    questionnaire = questionnaire_for(assessment)
    return {
        **_summary_head(assessment, len(rows), len(questionnaire.questions)),
        "answers": {
            qid: {
                "value": _api_value(row),
                "note": row.note,
                "version": row.version,
                "updated_at": iso(row.updated_at),
            }
            for qid, row in sorted(rows.items())
        },
    }


def _summary_head(assessment: Assessment, answered: int, total: int) -> dict[str, Any]:
    return {
        "id": assessment.id,
        "name": name_of(assessment),
        "organization_id": assessment.organization_id,
        "status": assessment.status,
        "questionnaire": {
            "id": assessment.questionnaire_id,
            "version": assessment.questionnaire_version,
            "hash": assessment.questionnaire_hash,
        },
        "created_at": iso(assessment.created_at),
        "updated_at": iso(assessment.updated_at),
        "submitted_at": iso(assessment.submitted_at),
        "targets": assessment.targets or {},
        "progress": {"answered": answered, "total": total},
    }


def _api_value(row: Answer) -> int | str:
    return row.level if row.status == "level" else row.status
