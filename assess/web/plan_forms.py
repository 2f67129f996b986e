"""The action plan's forms: an item (add or edit), a comment, evidence for an item (a file or
a link), and the plan's filters."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    DateField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    URLField,
)
from wtforms.validators import DataRequired, Length, Optional

from assess.core.plan import STATUS_LABELS
from assess.records.models import User
from assess.records.plan import MAX_TITLE
from assess.records.text import MAX_NAME, MAX_NOTE

GOALS = [SelectChoice("", "No goal level")] + [
    SelectChoice(str(n), f"Level {n}") for n in range(1, 6)
]
NOBODY = SelectChoice("", "Nobody yet")


class ActionForm(FlaskForm):
    title = TextAreaField("What is to be done", validators=[DataRequired(), Length(max=MAX_TITLE)])
    owner_user_id = SelectField("Owner: a member", choices=[NOBODY], default="")
    owner_name = StringField(
        "…or the name of someone without an account",
        validators=[Optional(), Length(max=MAX_NAME)],
        description="For example your IT provider. Leave the member choice at “Nobody yet”.",
    )
    due_date = DateField("Due date", validators=[Optional()])
    status = SelectField(
        "Status",
        choices=[SelectChoice(key, label) for key, label in STATUS_LABELS.items()],
        default="open",
    )
    risk_justification = TextAreaField(
        "Why the risk is accepted",
        validators=[Optional(), Length(max=MAX_NOTE)],
        description="Needed when the status is “Risk accepted”; you are recorded as who accepted it.",
    )
    goal_level = SelectField("Goal level of its question", choices=GOALS, default="")
    question_id = StringField(
        "Question it serves (id, optional)",
        validators=[Optional(), Length(max=120)],
        description="For example program-oversight.mfa; leave empty for a free action.",
    )
    note = TextAreaField("Note", validators=[Optional(), Length(max=MAX_NOTE)])
    submit = SubmitField("Save the action")

    def set_members(self, members: list[tuple[User, str]]) -> None:
        self.owner_user_id.choices = [NOBODY] + [
            SelectChoice(str(user.id), user.email) for user, _role in members
        ]

    def values(self) -> dict[str, Any]:
        """The form as the plan's use cases take it (the same keys as the API)."""
        owner = self.owner_user_id.data or ""
        return {
            "title": self.title.data or "",
            "owner_user_id": int(owner) if owner.isdecimal() else None,
            "owner_name": (self.owner_name.data or "").strip() or None,
            "due_date": self.due_date.data,
            "status": self.status.data,
            "risk_justification": (self.risk_justification.data or "").strip() or None,
            "goal_level": int(self.goal_level.data) if self.goal_level.data else None,
            "question_id": (self.question_id.data or "").strip() or None,
            "note": self.note.data or "",
        }


def form_data_of(item: Any) -> dict[str, Any]:
    """An item's values as the edit form shows them."""
    return {
        "title": item.title,
        "owner_user_id": str(item.owner_user_id) if item.owner_user_id else "",
        "owner_name": item.owner_name or "",
        "due_date": item.due_date,
        "status": item.status,
        "risk_justification": item.risk_justification or "",
        "goal_level": str(item.goal_level) if item.goal_level else "",
        "question_id": item.question_id or "",
        "note": item.note,
    }


class CommentForm(FlaskForm):
    text = TextAreaField("Comment", validators=[DataRequired(), Length(max=MAX_NOTE)])
    submit = SubmitField("Add the comment")


class EvidenceForm(FlaskForm):
    """A file, or else a link (with an optional title), for a plan item. Its fields are
    named ``evidence-…`` so that they never clash with the item's own form on the page.
    The file's kind and size, and the link, are checked by :mod:`assess.records.evidence`."""

    file = FileField("File", render_kw={"accept": ".pdf,.png,.jpg,.jpeg,.txt,.csv,.docx,.xlsx"})
    url = URLField("…or a link", validators=[Optional(), Length(max=2000)])
    title = StringField("Title of the link", validators=[Optional(), Length(max=MAX_NAME)])
    submit = SubmitField("Attach")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, prefix="evidence", **kwargs)


class ButtonForm(FlaskForm):
    """A form that is only a button (its CSRF token is the point)."""

    submit = SubmitField("Go")
