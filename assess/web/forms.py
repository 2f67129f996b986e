"""WTForms forms. Field rules live on the form; CSRF comes with FlaskForm."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from assess.records.accounts import MAX_PASSWORD


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=MAX_PASSWORD)])
    submit = SubmitField("Sign in")


class RegisterForm(FlaskForm):
    email = EmailField(
        "Email",
        validators=[DataRequired(), Email(message="Enter a valid email address."), Length(max=254)],
    )
    password = PasswordField(
        "Password",
        description="At least 10 characters; a short sentence is easy to remember.",
        validators=[DataRequired(), Length(max=MAX_PASSWORD)],
    )
    confirm = PasswordField(
        "Repeat the password",
        validators=[DataRequired(), EqualTo("password", message="The two passwords differ.")],
    )
    submit = SubmitField("Create account")
