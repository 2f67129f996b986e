"""The action plan of an organization: add and change items (every change kept as history),
comment on them, turn an assessment's first 90 days into items, and list them with filters.

Values come from the API's JSON or the pages' forms alike and are checked here, all or
nothing: :class:`Invalid` names each bad field. Use cases flush; callers commit.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select, update

from assess.core import plan as core
from assess.core.errors import InputError
from assess.core.questionnaire import get_questionnaire
from assess.records.assessments import results_document
from assess.records.database import db
from assess.records.errors import Invalid
from assess.records.models import (
    Action,
    ActionChange,
    ActionComment,
    Assessment,
    Membership,
    Organization,
    User,
    utcnow,
)
from assess.records.questionnaires import questionnaire_for, shipped_ids
from assess.records.text import MAX_NAME, MAX_NOTE, unstorable

MAX_TITLE = 1000
#: What a client may set on an item (the API refuses any other key).
FIELDS = (
    "title",
    "question_id",
    "area_id",
    "owner_user_id",
    "owner_name",
    "due_date",
    "status",
    "note",
    "goal_level",
    "risk_justification",
)
#: The fields the history follows; the owner is one field, however it is given.
TRACKED = (
    "title",
    "question_id",
    "area_id",
    "owner",
    "due_date",
    "status",
    "note",
    "goal_level",
    "risk_justification",
)


# --------------------------------------------------------------------------- checking


def known_questions(org: Organization) -> tuple[dict[str, str], set[str]]:
    """Question ids (with their area) and area ids an item may serve: those of the shipped
    questionnaires and of every questionnaire the organization's assessments were taken on."""
    questionnaires = []
    for ref in sorted(shipped_ids()):
        try:
            questionnaires.append(get_questionnaire(ref))
        except InputError:  # pragma: no cover - the shipped files are validated in tests
            continue
    questionnaires.extend(questionnaire_for(a) for a in org.assessments)
    questions: dict[str, str] = {}
    areas: set[str] = set()
    for q in questionnaires:
        for area in q.areas:
            areas.add(area.id)
            for question in area.questions:
                questions.setdefault(question.id, area.id)
    return questions, areas


def _text(value: Any, limit: int, errors: dict[str, str], key: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        errors[key] = "Give text."
        return None
    if len(value) > limit:
        errors[key] = f"Use at most {limit} characters."
    elif problem := unstorable(value):
        errors[key] = problem
    return value.strip()


def parse_due_date(value: Any) -> date | None:
    """A due date: a :class:`date`, or ``YYYY-MM-DD`` text; empty means none.

    >>> parse_due_date("2026-03-01"), parse_due_date("")
    (datetime.date(2026, 3, 1), None)
    """
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError("Give a date as YYYY-MM-DD (for example 2026-03-31).")


def _clean(org: Organization, item: Action | None, values: Mapping[str, Any]) -> dict[str, Any]:
    """The values checked and normalized; :class:`Invalid` naming every bad one."""
    errors: dict[str, str] = {key: "Unknown field." for key in values if key not in FIELDS}
    out: dict[str, Any] = {}
    if "title" in values or item is None:
        title = values.get("title")
        if not isinstance(title, str) or not title.strip():
            errors["title"] = "Say what is to be done."
        elif len(title) > MAX_TITLE:  # as sent: the limit does not depend on its spacing
            errors["title"] = f"Use at most {MAX_TITLE} characters."
        else:
            text = _text(" ".join(title.split()), MAX_TITLE, errors, "title")
            out["title"] = text
    for key, limit in (("note", MAX_NOTE), ("risk_justification", MAX_NOTE)):
        if key in values:
            text = _text(values[key], limit, errors, key)
            out[key] = (text or "") if key == "note" else (text or None)
    if "owner_name" in values:
        name = _text(values["owner_name"], MAX_NAME, errors, "owner_name")
        out["owner_name"] = " ".join(name.split()) if name else None
    if "owner_user_id" in values:
        out["owner_user_id"] = _member(org, values["owner_user_id"], errors)
    if out.get("owner_user_id") is not None and out.get("owner_name"):
        errors["owner_name"] = "Give a member or a name, not both."
    if "due_date" in values:
        try:
            out["due_date"] = parse_due_date(values["due_date"])
        except ValueError as exc:
            errors["due_date"] = str(exc)
    if "status" in values:
        if values["status"] not in core.STATUSES:
            errors["status"] = "Choose one of: " + ", ".join(core.STATUSES) + "."
        else:
            out["status"] = values["status"]
    if "goal_level" in values:
        goal = _integral(values["goal_level"])
        if goal is not None and (
            isinstance(goal, bool) or not isinstance(goal, int) or not 1 <= goal <= 5
        ):
            errors["goal_level"] = "A goal is a level from 1 to 5 (or null)."
        else:
            out["goal_level"] = goal
    _check_question(org, item, values, out, errors)
    status = out.get("status", item.status if item else "open")
    justification = out.get("risk_justification", item.risk_justification if item else None)
    if status == "risk_accepted" and not justification and "risk_justification" not in errors:
        errors["risk_justification"] = "Accepting a risk needs a justification: say why."
    if errors:
        raise Invalid(errors, message="The action is not valid; nothing was saved.")
    return out


def _integral(value: Any) -> Any:
    """3.0 is the integer 3 (JSON does not tell them apart); anything else as it is."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _member(org: Organization, value: Any, errors: dict[str, str]) -> int | None:
    value = _integral(value)
    if value is None:  # no member; "" is not an id
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2**31:
        errors["owner_user_id"] = "Give the user id of a member (or null)."
        return None
    found = db.session.scalar(
        select(Membership.user_id).where(
            Membership.organization_id == org.id, Membership.user_id == value
        )
    )
    if found is None:
        errors["owner_user_id"] = "Not a member of this organization."
    return found


def _check_question(
    org: Organization,
    item: Action | None,
    values: Mapping[str, Any],
    out: dict[str, Any],
    errors: dict[str, str],
) -> None:
    if "question_id" not in values and "area_id" not in values:
        return
    questions, areas = known_questions(org)
    question = values.get("question_id", item.question_id if item else None)
    if "area_id" in values:
        area = values["area_id"]
    elif question is not None:
        area = None  # the question's own area
    else:
        area = item.area_id if item else None
    if question is None:  # no question; "" is not an id
        pass
    elif not isinstance(question, str) or question not in questions:
        errors["question_id"] = f"unknown question id {question!r}"
        return
    if area is None:
        area = questions[question] if question else None
    elif not isinstance(area, str) or area not in areas:
        errors["area_id"] = f"unknown area id {area!r}"
        return
    if question and questions[question] != area:
        errors["area_id"] = f"{question} belongs to the area {questions[question]!r}."
        return
    out["question_id"], out["area_id"] = question, area


# --------------------------------------------------------------------------- writing


def _display(item: Action, key: str) -> str | None:
    """A tracked field as the history writes it."""
    if key == "owner":
        if item.owner_user_id is not None:
            user = db.session.get(User, item.owner_user_id)
            return user.email if user else f"user {item.owner_user_id}"
        return item.owner_name
    value = getattr(item, key)
    if value is None:
        return None
    return value.isoformat() if isinstance(value, date) else str(value)


def _apply(item: Action, user: User, values: Mapping[str, Any]) -> None:
    now = utcnow()
    before_status = item.status
    if "owner_user_id" in values and values["owner_user_id"] is not None:
        item.owner_name = None
    if values.get("owner_name"):
        item.owner_user_id = None
    for key, value in values.items():
        setattr(item, key, value)
    if item.status != before_status:
        if item.status == "done":
            item.done_at, item.regressed_in_id = now, None
        elif before_status == "done":
            item.done_at = None
        if item.status == "risk_accepted":
            item.risk_accepted_by_id, item.risk_accepted_at = user.id, now
        elif before_status == "risk_accepted":
            item.risk_accepted_by_id, item.risk_accepted_at = None, None
    item.updated_at = now


def create_action(
    org: Organization,
    user: User,
    values: Mapping[str, Any],
    *,
    source: Assessment | None = None,
) -> Action:
    """A new item of the organization's plan, with a first history entry."""
    clean = _clean(org, None, values)
    now = utcnow()
    item = Action(
        organization_id=org.id,
        status="open",
        note="",
        created_by_id=user.id,
        created_at=now,
        source_assessment_id=source.id if source else None,
    )
    _apply(item, user, clean)
    db.session.add(item)
    db.session.flush()
    db.session.add(
        ActionChange(
            action_id=item.id,
            field="created",
            old_value=None,
            new_value=item.title,
            changed_at=now,
            changed_by_id=user.id,
        )
    )
    db.session.flush()
    return item


def update_action(item: Action, user: User, values: Mapping[str, Any]) -> list[ActionChange]:
    """Change some fields of an item; each field that changed gets a history entry. Returns
    the entries (none when nothing changed)."""
    org = db.session.get(Organization, item.organization_id)
    clean = _clean(org, item, values)
    before = {key: _display(item, key) for key in TRACKED}
    _apply(item, user, clean)
    db.session.flush()
    changes = []
    for key in TRACKED:
        after = _display(item, key)
        if after != before[key]:
            change = ActionChange(
                action_id=item.id,
                field=key,
                old_value=before[key],
                new_value=after,
                changed_at=item.updated_at,
                changed_by_id=user.id,
            )
            db.session.add(change)
            changes.append(change)
    db.session.flush()
    return changes


def add_comment(item: Action, user: User, text: Any) -> ActionComment:
    errors: dict[str, str] = {}
    clean = _text(text, MAX_NOTE, errors, "text")
    if not clean and "text" not in errors:
        errors["text"] = "Write a comment."
    if errors:
        raise Invalid(errors, message="The comment is not valid; nothing was saved.")
    comment = ActionComment(action_id=item.id, text=clean, author_id=user.id, created_at=utcnow())
    db.session.add(comment)
    db.session.flush()
    return comment


#: The roadmap's first steps are due this many days after the assessment.
FIRST_DAYS = 90


def from_roadmap(assessment: Assessment, user: User) -> list[Action]:
    """Items for the assessment's first-90-days steps that the plan does not hold yet, in the
    roadmap's order. A step is in the plan when an item serves its question with a goal at
    least its next level (an obligation, which has no question: an item without a question
    and with the same title). Running it twice creates nothing new."""
    org = assessment.organization
    steps = [s for s in results_document(assessment).roadmap if s.first_90_days]
    _take_turns(org)
    existing = db.session.scalars(select(Action).where(Action.organization_id == org.id)).all()
    goals: dict[str, int] = {}
    titles = {a.title for a in existing if a.question_id is None}
    for a in existing:
        if a.question_id is not None:
            goals[a.question_id] = max(goals.get(a.question_id, 0), a.goal_level or 5)
    # The first 90 days are due 90 days after the assessment (submitted, or today for a
    # draft): a plan with no dates can never be overdue, and quietly stalls.
    due = (assessment.submitted_at or utcnow()).date() + timedelta(days=FIRST_DAYS)
    created = []
    for step in steps:
        title = " ".join(step.action.split())[:MAX_TITLE]
        if step.question is not None:
            if goals.get(step.question, 0) >= (step.next_level or 0):
                continue
            goals[step.question] = step.next_level or 5
        else:
            if title in titles:
                continue
            titles.add(title)
        done_when = f"Done when: {step.step}"
        if step.source:
            done_when += f" Source: {step.source}"
        values = {
            "title": title,
            "note": done_when[:MAX_NOTE],
            "goal_level": step.next_level,
            "due_date": due.isoformat(),
        }
        item = create_action(org, user, values, source=assessment)
        item.question_id, item.area_id = step.question, step.area
        created.append(item)
    db.session.flush()
    return created


def _take_turns(org: Organization) -> None:
    """Two requests filling the plan at once take turns: the transaction writes the
    organization's row (to the value it has) before reading the plan, so the second waits for
    the first to commit (PostgreSQL: the row's lock; SQLite: the write lock) and then sees its
    items instead of adding them again."""
    db.session.execute(
        update(Organization)
        .where(Organization.id == org.id)
        .values(updated_at=Organization.updated_at)
        .execution_options(synchronize_session=False)
    )


# --------------------------------------------------------------------------- reading


def owner_of(item: Action) -> str | None:
    """Who does it, as the pages and files show it: the member's email or the name given."""
    return _display(item, "owner")


def parse_filters(args: Mapping[str, Any]) -> dict[str, Any]:
    """``?status=``, ``?owner=`` and ``?overdue=true|false`` checked (:class:`Invalid`)."""
    errors = {}
    out: dict[str, Any] = {}
    status = args.get("status") or None
    if status is not None and status not in core.STATUSES:
        errors["status"] = "Choose one of: " + ", ".join(core.STATUSES) + "."
    out["status"] = status
    out["owner"] = (args.get("owner") or "").strip() or None
    overdue = (args.get("overdue") or "").lower()
    if overdue not in ("", "true", "false"):
        errors["overdue"] = "Use overdue=true or overdue=false."
    out["overdue"] = {"": None, "true": True, "false": False}.get(overdue)
    if errors:
        raise Invalid(errors, message="Some filters are not valid.")
    return out


def actions_of(
    org: Organization,
    *,
    status: str | None = None,
    owner: str | None = None,
    overdue: bool | None = None,
    today: date | None = None,
) -> list[Action]:
    """The plan's items, by due date (undated last), then id; filtered when asked.
    ``owner`` matches a member's user id or email, or a typed name (any case)."""
    today = today or date.today()
    items = db.session.scalars(
        select(Action).where(Action.organization_id == org.id).order_by(Action.id)
    ).all()
    found = []
    for item in items:
        if status is not None and item.status != status:
            continue
        if owner is not None:
            who = (owner_of(item) or "").casefold()
            by_id = owner.isdecimal() and item.owner_user_id == int(owner)
            if not by_id and who != owner.casefold():
                continue
        if overdue is not None and core.is_overdue(item.due_date, item.status, today) != overdue:
            continue
        found.append(item)
    return sorted(found, key=lambda a: (a.due_date is None, a.due_date or date.min, a.id))


def progress_of(org: Organization, today: date | None = None) -> core.Progress:
    rows = db.session.execute(
        select(Action.status, Action.due_date).where(Action.organization_id == org.id)
    )
    return core.progress(((s, d) for s, d in rows), today or date.today())


def action_in(org: Organization, action_id: Any) -> Action | None:
    found = db.session.get(Action, action_id)
    return found if found is not None and found.organization_id == org.id else None
