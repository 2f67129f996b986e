"""The survey's forms, built from the questionnaire an assessment was taken on.

One page per area. For the question numbered ``n`` (1-based, in questionnaire order) the page
has four fields with safe names:

- ``q-n``         the answer: a level ``0``–``5``, ``na`` (when allowed) or ``unknown``;
- ``q-n-note``    a free-text note;
- ``q-n-base``    (hidden) the answer's version when the page was read, so a save based on
                  an older version is a conflict instead of a silent overwrite;
- ``q-n-conflict`` (hidden) set while the page shows a conflict for the question;
- ``q-n-resolve`` after a conflict: ``theirs`` (keep the other person's answer) or ``mine``.

Plus the targets form of the results page: ``t-n`` per area.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, NamedTuple

from flask_wtf import FlaskForm
from markupsafe import Markup
from wtforms import DecimalField, HiddenField, RadioField, SelectChoice, TextAreaField
from wtforms.validators import Length, NumberRange, Optional, StopValidation, ValidationError

from assess.core.questionnaire import Area, Question, Questionnaire
from assess.outputs.presentation import DONT_KNOW, NOT_APPLICABLE, answer_text, level_text
from assess.records.models import Answer as AnswerRow
from assess.records.text import MAX_NOTE

NA = "na"
UNKNOWN = "unknown"
THEIRS = "theirs"
MINE = "mine"


@dataclass(frozen=True)
class Slot:
    """One question on a page, with its number and field names."""

    number: int
    question: Question

    @property
    def name(self) -> str:
        return f"q-{self.number}"

    @property
    def note(self) -> str:
        return f"q-{self.number}-note"

    @property
    def base(self) -> str:
        return f"q-{self.number}-base"

    @property
    def resolve(self) -> str:
        return f"q-{self.number}-resolve"

    @property
    def conflict(self) -> str:
        return f"q-{self.number}-conflict"


def slots_of(questionnaire: Questionnaire, area: Area) -> list[Slot]:
    """The questions of one area, numbered across the whole questionnaire."""
    numbers = {qid: i for i, qid in enumerate(questionnaire.questions, start=1)}
    return [Slot(numbers[q.id], q) for q in area.questions]


def number_of(questionnaire: Questionnaire, question_id: str) -> int:
    return list(questionnaire.questions).index(question_id) + 1


def answer_choices(questionnaire: Questionnaire, question: Question) -> list[SelectChoice]:
    """Six levels ("Level N — <scale label>: <description>"), then n/a and don't know."""
    choices = [
        SelectChoice(str(level), f"{level_text(level, questionnaire)}: {question.levels[level]}")
        for level in sorted(question.levels)
    ]
    if question.allow_na:
        choices.append(SelectChoice(NA, NOT_APPLICABLE))
    choices.append(SelectChoice(UNKNOWN, DONT_KNOW))
    return choices


class RadioOption(NamedTuple):
    """What the page needs of one answer choice besides the field's per-request data (checked,
    errors, flags): its value, whether it is drawn apart, and its input's fixed attributes and
    its label as ready HTML. The input's id is ``<field id>-<index>``, as WTForms numbers them;
    the label is split at the first ": " into the bold head and the rest ("Level 3 — Defined:"
    and " <description>"). The same for every request, so it is worked out (and escaped) once
    per form class."""

    value: str
    other: bool  # "not applicable" or "don't know": drawn apart from the levels
    id_name: Markup  # ' id="q-1-3" name="q-1"'
    type_value: Markup  # ' type="radio" value="3"'
    label: Markup  # '<label for="q-1-3"><span class="level-head">…</span>…</label>'


def radio_options(name: str, choices: list[SelectChoice]) -> tuple[RadioOption, ...]:
    """The options of the radio field ``name`` (its id too: the forms have no prefix)."""
    options = []
    for index, choice in enumerate(choices):
        label = choice.label or choice.value
        head, sep, tail = label.partition(": ")
        input_id = f"{name}-{index}"
        options.append(
            RadioOption(
                choice.value,
                choice.value in (NA, UNKNOWN),
                Markup(' id="{}" name="{}"').format(input_id, name),
                Markup(' type="radio" value="{}"').format(choice.value),
                Markup('<label for="{}"><span class="level-head">{}</span>{}</label>').format(
                    input_id, f"{head}:" if sep else label, f" {tail}" if sep else ""
                ),
            )
        )
    return tuple(options)


def value_text(questionnaire: Questionnaire, value: Any) -> str:
    """How an answer value reads to a person: "Level 3 — Defined", "Don't know", ..."""
    return answer_text(value, questionnaire)


def _base_version(value: Any) -> int:
    try:
        return max(int(str(value).strip()), 0)
    except (TypeError, ValueError):
        return 0


class AreaFormBase(FlaskForm):
    """What every area page shares; the fields are added per questionnaire and area."""

    slots: ClassVar[tuple[Slot, ...]] = ()
    #: Per answer field (``q-n``): its choices as the template draws them.
    options: ClassVar[Mapping[str, tuple[RadioOption, ...]]] = {}

    def answers(self) -> tuple[dict[str, Any], dict[str, int]]:
        """The answers to save (question id → value or ``{level, note}``) and the base
        versions they were read at. Blank questions are left out: not answered yet. A
        question whose conflict was resolved as "keep theirs" is left out too."""
        raw: dict[str, Any] = {}
        bases: dict[str, int] = {}
        for slot in self.slots:
            value = self[slot.name].data
            if not value:
                continue
            if self[slot.resolve].data == THEIRS:
                continue
            note = (self[slot.note].data or "").strip()
            raw[slot.question.id] = {"level": value, "note": note} if note else value
            bases[slot.question.id] = _base_version(self[slot.base].data)
        return raw, bases

    def field_for(self, question_id: str) -> str | None:
        for slot in self.slots:
            if slot.question.id == question_id:
                return slot.name
        return None

    def validate(self, extra_validators: Mapping[str, Any] | None = None) -> bool:
        ok = super().validate(extra_validators)
        for slot in self.slots:
            note = self[slot.note]
            answer = self[slot.name]
            if (note.data or "").strip() and not answer.data and not answer.errors:
                note.errors = [
                    *note.errors,
                    "Choose an answer (or “Don't know”) to keep this note.",
                ]
                ok = False
            resolve = self[slot.resolve]
            if self[slot.conflict].data and not resolve.data and not resolve.errors:
                resolve.errors = [*resolve.errors, "Choose “Keep theirs” or “Overwrite with mine”."]
                ok = False
        return ok

    def in_conflict(self) -> list[Slot]:
        """Questions whose conflict the page shows (and asks the user to resolve)."""
        return [slot for slot in self.slots if self[slot.conflict].data]


#: Form classes already built, by questionnaire content hash and area id (see area_form_class).
_FORM_CLASSES: dict[tuple[str, str], type[AreaFormBase]] = {}
_FORM_CLASSES_MAX = 256


def area_form_class(questionnaire: Questionnaire, area: Area) -> type[AreaFormBase]:
    """The FlaskForm class of one area page, built once per questionnaire and area: a class
    holds only unbound field declarations (the data lives on each instance), and the content
    hash names the questionnaire's every text, level and choice, so the same key always
    builds the same class."""
    key = (questionnaire.content_hash, area.id)
    cls = _FORM_CLASSES.get(key)
    if cls is None:
        if len(_FORM_CLASSES) >= _FORM_CLASSES_MAX:
            _FORM_CLASSES.clear()
        cls = _FORM_CLASSES[key] = _build_area_form_class(questionnaire, area)
    return cls


def _build_area_form_class(questionnaire: Questionnaire, area: Area) -> type[AreaFormBase]:
    """A FlaskForm class for one area page: one RadioField and one TextAreaField per question."""
    slots = slots_of(questionnaire, area)
    attrs: dict[str, Any] = {"slots": tuple(slots), "options": {}}
    for slot in slots:
        q = slot.question
        choices = answer_choices(questionnaire, q)
        attrs["options"][slot.name] = radio_options(slot.name, choices)
        attrs[slot.name] = RadioField(
            q.text,
            description=q.help,
            choices=choices,
            validators=[Optional()],
            invalid_choice_message=(
                "Choose one of the answers shown"
                + (
                    " (a level 0–5, not applicable or don't know)."
                    if q.allow_na
                    else " (a level 0–5 or don't know)."
                )
            ),
        )
        attrs[slot.note] = TextAreaField(
            "Note (optional)",
            description="Evidence, who does it, what is missing.",
            validators=[
                Length(
                    max=MAX_NOTE,
                    message=f"Keep the note to {MAX_NOTE:,} characters or fewer.",
                )
            ],
            render_kw={"rows": 2},
        )
        attrs[slot.base] = HiddenField(default="0")
        attrs[slot.conflict] = HiddenField(default="")
        attrs[slot.resolve] = RadioField(
            "Which answer should stay?",
            choices=[
                SelectChoice(THEIRS, "Keep theirs"),
                SelectChoice(MINE, "Overwrite with mine"),
            ],
            validators=[Optional()],
            invalid_choice_message="Choose “Keep theirs” or “Overwrite with mine”.",
        )
    return type(f"AreaForm_{area.id.replace('-', '_')}", (AreaFormBase,), attrs)


def area_form(
    questionnaire: Questionnaire,
    area: Area,
    rows: Mapping[str, AnswerRow],
    *,
    formdata: Any = None,
) -> AreaFormBase:
    """The page's form: with ``formdata`` from a POST, else filled from the saved answers."""
    cls = area_form_class(questionnaire, area)
    data: dict[str, Any] = {}
    for slot in cls.slots:
        row = rows.get(slot.question.id)
        if row is None:
            continue
        data[slot.name] = str(row.level) if row.status == "level" else row.status
        data[slot.note] = row.note or ""
        data[slot.base] = str(row.version)
    if formdata is None:
        return cls(formdata=None, data=data)
    return cls(formdata=formdata)


# --------------------------------------------------------------------------- targets


class TargetsFormBase(FlaskForm):
    areas: ClassVar[tuple[Area, ...]] = ()

    def field_name(self, index: int) -> str:
        return f"t-{index}"

    def changes(
        self, current: Mapping[str, float], overridden: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Only what changed: a new number, or "" (back to the proposal) for an emptied field
        that was overridden. Unchanged targets are not pinned as overrides."""
        result: dict[str, Any] = {}
        for i, area in enumerate(self.areas, start=1):
            value = self[self.field_name(i)].data
            if value is None:
                if area.id in overridden:
                    result[area.id] = ""
                continue
            if current.get(area.id) is None or abs(float(value) - float(current[area.id])) > 1e-9:
                result[area.id] = float(value)
        return result


def _finite(_form: Any, field: Any) -> None:
    """``NaN``, ``sNaN`` and ``Infinity`` parse as decimals; comparing a NaN raises."""
    if field.data is not None and not field.data.is_finite():
        raise StopValidation("Enter a target from 0 to 5.")


def _half_steps(_form: Any, field: Any) -> None:
    if field.data is not None and (float(field.data) * 2) % 1:
        raise ValidationError("Use steps of 0.5, e.g. 3 or 3.5.")


def targets_form(
    questionnaire: Questionnaire, targets: Mapping[str, float], *, formdata: Any = None
) -> TargetsFormBase:
    attrs: dict[str, Any] = {"areas": tuple(questionnaire.areas)}
    data: dict[str, Any] = {}
    for i, area in enumerate(questionnaire.areas, start=1):
        name = f"t-{i}"
        attrs[name] = DecimalField(
            f"Target for {area.title}",
            places=1,
            validators=[
                Optional(),
                _finite,
                NumberRange(min=0, max=5, message="Enter a target from 0 to 5."),
                _half_steps,
            ],
            render_kw={"min": 0, "max": 5, "step": 0.5, "inputmode": "decimal"},
        )
        if targets.get(area.id) is not None:
            data[name] = targets[area.id]
    cls = type("TargetsForm", (TargetsFormBase,), attrs)
    if formdata is None:
        return cls(formdata=None, data=data)
    return cls(formdata=formdata)
