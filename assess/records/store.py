"""Use cases on the database, shared by the web pages, the API and the CLI.

Each function reads or writes rows and hands plain data to the pure core; none knows HTTP.
Problems the user can fix raise :class:`Invalid` (a message per field), :class:`Locked` or
:class:`Conflict`.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask import current_app, has_app_context
from sqlalchemy import func, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from assess.core import recommend
from assess.core.answer_sheets import check_answers, parse_target_level
from assess.core.errors import InputError
from assess.core.evaluation import Report, build_report
from assess.core.questionnaire import Questionnaire, get_questionnaire
from assess.core.scoring import Answer as CoreAnswer
from assess.records.database import db
from assess.records.models import (
    Answer,
    AnswerChange,
    ApiToken,
    Assessment,
    Membership,
    Organization,
    QuestionnaireSnapshot,
    Role,
    User,
    utcnow,
)

MIN_PASSWORD = 10
MAX_PASSWORD = 200
MAX_NAME = 200
MAX_NOTE = 4000


class Invalid(ValueError):
    """Input the user can fix: a message per field (or per question id)."""

    def __init__(
        self, errors: Mapping[str, str], message: str = "Some values are not valid."
    ) -> None:
        self.errors = dict(errors)
        self.message = message
        super().__init__(message)


class Locked(RuntimeError):
    """The assessment was submitted; its answers never change again."""


@dataclass
class Conflict(RuntimeError):
    """Answers changed by someone else since the client read them."""

    questions: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{len(self.questions)} answer(s) changed since you opened the page"


# --------------------------------------------------------------------------- users


def normalize_email(email: str) -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise Invalid({"email": str(exc)}) from None


def password_problem(password: str) -> str | None:
    from assess.records.passwords import is_common

    if len(password) < MIN_PASSWORD:
        return f"Use at least {MIN_PASSWORD} characters."
    if len(password) > MAX_PASSWORD:
        return f"Use at most {MAX_PASSWORD} characters."
    if is_common(password):
        return "This password is on lists of common passwords; choose another."
    return None


def create_user(email: str, password: str) -> User:
    address = normalize_email(email)
    problem = password_problem(password)
    if problem:
        raise Invalid({"password": problem})
    if db.session.scalar(select(User.id).where(User.email == address)) is not None:
        raise Invalid({"email": "An account with this email already exists."})
    user = User(email=address, password_hash=hash_password(password))
    db.session.add(user)
    db.session.flush()
    return user


_DUMMY_HASH: str | None = None


def hash_password(password: str) -> str:
    """scrypt by default (werkzeug); the test suite configures a cheaper method for speed."""
    method = "scrypt"
    if has_app_context():
        method = current_app.config.get("PASSWORD_HASH_METHOD", method)
    return generate_password_hash(password, method=method)


def authenticate(email: str, password: str) -> User | None:
    """The user whose email and password match, or None (timing does not reveal which failed)."""
    global _DUMMY_HASH
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        _DUMMY_HASH = _DUMMY_HASH or hash_password(secrets.token_hex(8))
        check_password_hash(_DUMMY_HASH, password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


def _token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def create_token(user: User) -> str:
    """A new API token for the user; only its SHA-256 is stored."""
    raw = "assess_" + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, token_hash=_token_digest(raw)))
    db.session.flush()
    return raw


def user_for_token(raw: str) -> User | None:
    if not raw or len(raw) > 200:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _token_digest(raw)))
    if token is None:
        return None
    now = utcnow()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        token.last_used_at = now  # kept to five minutes' precision: one write, not one per call
        db.session.commit()
    return token.user


def revoke_tokens(user: User) -> int:
    """Delete every API token of the user; return how many there were."""
    tokens = list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)))
    for token in tokens:
        db.session.delete(token)
    db.session.flush()
    return len(tokens)


# --------------------------------------------------------------------------- organizations


def unstorable(text: str) -> str | None:
    """Why a text cannot be stored, if it cannot: PostgreSQL keeps no NUL character in text,
    and no database keeps half a surrogate pair (JSON can carry both)."""
    if "\x00" in text:
        return "Text cannot contain NUL characters."
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "Text cannot contain unpaired surrogates (it is not valid Unicode)."
    return None


def clean_name(name: Any, field_name: str = "name") -> str:
    if not isinstance(name, str) or not name.strip():
        raise Invalid({field_name: "A name is required."})
    name = " ".join(name.split())
    if len(name) > MAX_NAME:
        raise Invalid({field_name: f"Use at most {MAX_NAME} characters."})
    problem = unstorable(name)
    if problem:
        raise Invalid({field_name: problem})
    return name


def validate_profile(name: str, profile: Any) -> dict[str, Any]:
    """The profile as stored: validated by the recommendation's own model."""
    if profile is None:
        profile = {}
    if not isinstance(profile, dict):
        raise Invalid({"profile": "The profile must be an object."})
    data = {**profile, "organization": name}
    try:
        parsed = recommend.parse_profile(data)
    except InputError as exc:
        place = (exc.place or "profile").split(".")[0].split("[")[0]
        raise Invalid({place: exc.message}, message=str(exc)) from None
    return parsed.model_dump(mode="json")


def create_organization(user: User, name: Any, profile: Any) -> Organization:
    name = clean_name(name)
    org = Organization(name=name, profile=validate_profile(name, profile))
    db.session.add(org)
    db.session.flush()
    db.session.add(Membership(user_id=user.id, organization_id=org.id, role=Role.OWNER))
    db.session.flush()
    return org


def update_organization(org: Organization, name: Any = None, profile: Any = None) -> Organization:
    new_name = clean_name(name) if name is not None else org.name
    if profile is not None and not isinstance(profile, dict):
        raise Invalid({"profile": "The profile must be an object."})
    merged = {**(org.profile or {}), **(profile or {})} if profile is not None else org.profile
    org.profile = validate_profile(new_name, merged)
    org.name = new_name
    db.session.flush()
    return org


def profile_of(org: Organization) -> recommend.Profile | None:
    try:
        return recommend.parse_profile({**(org.profile or {}), "organization": org.name})
    except InputError:
        return None


# --------------------------------------------------------------------------- questionnaires

_SNAPSHOT_CACHE: dict[str, Questionnaire] = {}


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


# --------------------------------------------------------------------------- assessments


def start_assessment(org: Organization, user: User, questionnaire_ref: Any) -> Assessment:
    if not isinstance(questionnaire_ref, str) or not questionnaire_ref:
        raise Invalid({"questionnaire": "Name a questionnaire id."})
    if questionnaire_ref not in _shipped_ids():  # ids only: never open a path a user typed
        raise Invalid({"questionnaire": f"unknown questionnaire {questionnaire_ref!r}"})
    try:
        questionnaire = get_questionnaire(questionnaire_ref)
    except InputError as exc:
        raise Invalid({"questionnaire": str(exc)}) from None
    if questionnaire_ref not in _shipped_ids():
        raise Invalid({"questionnaire": f"unknown questionnaire {questionnaire_ref!r}"})
    snap = snapshot_of(questionnaire)
    assessment = Assessment(
        organization_id=org.id,
        questionnaire_hash=snap.hash,
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        created_by_id=user.id,
    )
    db.session.add(assessment)
    db.session.flush()
    return assessment


def _shipped_ids() -> set[str]:
    from assess.core.questionnaire import shipped_questionnaires

    return set(shipped_questionnaires())


def answers_of(assessment: Assessment) -> dict[str, CoreAnswer]:
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


def _lock_for_saving(assessment: Assessment) -> None:
    """Saves of one assessment take turns: the transaction writes the assessment row first,
    which waits for any other save of it to commit (PostgreSQL: the row's lock; SQLite: the
    database's write lock, queued by the busy timeout). The answers read after this are the
    latest, so the version check and the writes that follow cannot interleave with another
    save (two saves from the same version: one wins, the other is a Conflict; two first
    answers to one question: never a unique-constraint error)."""
    db.session.execute(
        update(Assessment).where(Assessment.id == assessment.id).values(updated_at=utcnow())
    )
    db.session.refresh(assessment, ["status"])


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


def _value_text(status: str | None, level: int | None) -> str | None:
    if status is None:
        return None
    return str(level) if status == "level" else status


def _unchanged(assessment: Assessment, good: Mapping[str, CoreAnswer]) -> bool:
    """True when every answer given equals the one stored (one query, no lock)."""
    stored = answers_of(assessment)
    return all(stored.get(qid) == answer for qid, answer in good.items())


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
        raise Locked("This assessment was submitted; its answers can no longer change.")
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
    _lock_for_saving(assessment)
    if assessment.locked:  # submitted while we waited for the lock
        raise Locked("This assessment was submitted; its answers can no longer change.")
    rows = answer_rows(assessment, fresh=True)
    if base_versions is not None:
        conflicts = {}
        for qid, new in good.items():
            row = rows.get(qid)
            seen = base_versions.get(qid, 0)
            current = row.version if row else 0
            if (
                current != seen
                and row is not None
                and (row.status, row.level, row.note)
                != (
                    new.status,
                    new.level,
                    new.note,
                )
            ):
                conflicts[qid] = {
                    "yours": new.value,
                    "your_note": new.note,
                    "theirs": _value_text(row.status, row.level),
                    "their_note": row.note,
                    "version": row.version,
                    "by": row.updated_by.email if row.updated_by else None,
                    "at": row.updated_at.isoformat(timespec="seconds"),
                }
        if conflicts:
            raise Conflict(conflicts)
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
                old_value=_value_text(row.status, row.level) if row else None,
                new_value=_value_text(new.status, new.level),
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
                    old_value=_value_text(row.status, row.level),
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


def set_targets(assessment: Assessment, targets: Mapping[str, Any]) -> dict[str, float]:
    """Override the proposed target of some areas (an empty value goes back to the proposal).
    A submitted assessment is a record: its targets, like its answers, no longer change."""
    if assessment.locked:
        raise Locked("This assessment was submitted; its targets can no longer change.")
    _lock_for_saving(assessment)
    db.session.refresh(assessment, ["targets"])
    if assessment.locked:  # submitted while we waited for the lock
        raise Locked("This assessment was submitted; its targets can no longer change.")
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
    org = assessment.organization
    return build_report(
        questionnaire_for(assessment),
        answers_of(assessment),
        targets=assessment.targets or {},
        profile=profile_of(org),
    )


def results_document(assessment: Assessment) -> dict[str, Any]:
    """The results JSON (the same keys as ``assess score --format json``). A submitted
    assessment's results never change, so they are computed once and kept."""
    if assessment.locked and assessment.results:
        return assessment.results
    document = report_for(assessment).to_dict()
    if assessment.locked:
        assessment.results = document
        db.session.commit()
    return document


def submit(assessment: Assessment, user: User) -> Assessment:
    if assessment.locked:
        raise Locked("This assessment was already submitted.")
    _lock_for_saving(assessment)
    if assessment.locked:  # submitted by someone else while we waited
        raise Locked("This assessment was already submitted.")
    assessment.status = "submitted"
    assessment.submitted_at = utcnow()
    assessment.submitted_by_id = user.id
    db.session.flush()
    assessment.results = report_for(assessment).to_dict()
    db.session.flush()
    return assessment


def assessment_summary(assessment: Assessment) -> dict[str, Any]:
    """The API's view of an assessment (answers included)."""
    rows = answer_rows(assessment)
    questionnaire = questionnaire_for(assessment)
    return {
        "id": assessment.id,
        "organization_id": assessment.organization_id,
        "status": assessment.status,
        "questionnaire": {
            "id": assessment.questionnaire_id,
            "version": assessment.questionnaire_version,
            "hash": assessment.questionnaire_hash,
        },
        "created_at": _iso(assessment.created_at),
        "updated_at": _iso(assessment.updated_at),
        "submitted_at": _iso(assessment.submitted_at),
        "targets": assessment.targets or {},
        "progress": {"answered": len(rows), "total": len(questionnaire.questions)},
        "answers": {
            qid: {
                "value": _api_value(row),
                "note": row.note,
                "version": row.version,
                "updated_at": _iso(row.updated_at),
            }
            for qid, row in sorted(rows.items())
        },
    }


def _api_value(row: Answer) -> int | str:
    return row.level if row.status == "level" else row.status


def _iso(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") + "Z" if value else None


_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    return _SLUG.sub("-", text.lower()).strip("-")[:60] or "organization"
