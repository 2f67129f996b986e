"""The forms of the account pages, sign-in's second step and password resets."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from assess.records.accounts import MAX_PASSWORD

NEW_PASSWORD_HINT = "At least 10 characters; a short sentence is easy to remember."  # noqa: S105  (a hint)


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        "Current password", validators=[DataRequired(), Length(max=MAX_PASSWORD)]
    )
    new_password = PasswordField(
        "New password",
        description=NEW_PASSWORD_HINT,
        validators=[DataRequired(), Length(max=MAX_PASSWORD)],
    )
    confirm = PasswordField(
        "Repeat the new password",
        validators=[DataRequired(), EqualTo("new_password", message="The two passwords differ.")],
    )
    submit = SubmitField("Change password")


class ForgotForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    submit = SubmitField("Send me a link")


class ResetForm(FlaskForm):
    password = PasswordField(
        "New password",
        description=NEW_PASSWORD_HINT,
        validators=[DataRequired(), Length(max=MAX_PASSWORD)],
    )
    confirm = PasswordField(
        "Repeat the new password",
        validators=[DataRequired(), EqualTo("password", message="The two passwords differ.")],
    )
    submit = SubmitField("Set the new password")


class CodeForm(FlaskForm):
    code = StringField(
        "Code",
        description="The six digits your authenticator app shows, or one of your recovery codes.",
        validators=[DataRequired(), Length(max=40)],
    )
    submit = SubmitField("Verify")


class StartMfaForm(FlaskForm):
    submit = SubmitField("Set up two-step verification")


class ConfirmMfaForm(FlaskForm):
    code = StringField(
        "Code from the app",
        description="The six digits the app shows for Assess.",
        validators=[DataRequired(), Length(max=40)],
    )
    submit = SubmitField("Turn on")


class DisableMfaForm(FlaskForm):
    password = PasswordField("Password", validators=[DataRequired(), Length(max=MAX_PASSWORD)])
    code = StringField(
        "Code from the app, or a recovery code", validators=[DataRequired(), Length(max=40)]
    )
    submit = SubmitField("Turn off two-step verification")


class OrgSecurityForm(FlaskForm):
    require_mfa = BooleanField("Members must use two-step verification")
    submit = SubmitField("Save")
