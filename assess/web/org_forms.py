"""Forms for organizations: the profile the recommendation reads, and starting an assessment.

The profile form is built from :class:`assess.core.recommend.Profile`: its choices come from the
recommendation's own tuples and every field's help text from the model's ``description``, so
the form never drifts from what the recommendation understands.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    StopValidation,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget, TextInput

from assess.outputs.presentation import choice_label
from assess.records.text import MAX_NAME

#: The profile fields in the order the form shows them, with their labels.
PROFILE_LABELS: dict[str, str] = {
    "employees": "Employees",
    "annual_revenue_usd": "Annual revenue (US dollars, optional)",
    "industry": "Industry",
    "regulations": "Regulations that apply to you",
    "sensitive_data": "Sensitive data you hold",
    "it_staff": "IT staff",
    "security_staff": "Security staff",
    "security_leader": "Who leads security today",
    "incidents_24m": "Security incidents in the last 24 months",
    "customer_demands": "Customers, insurers or the board ask for proof of security",
}


def choices_of(options: Iterable[Any]) -> list[SelectChoice]:
    """SelectChoices from a recommendation tuple: ids, ``(id, label)`` pairs, or objects
    with ``id``/``value`` and ``label``/``title``. An id alone is labelled by
    :func:`assess.outputs.presentation.choice_label`."""
    result = []
    for option in options:
        if isinstance(option, str):
            result.append(SelectChoice(option, choice_label(option)))
        elif isinstance(option, tuple | list) and len(option) >= 2:
            result.append(SelectChoice(str(option[0]), str(option[1])))
        else:
            value = getattr(option, "id", None) or getattr(option, "value", None)
            label = getattr(option, "label", None) or getattr(option, "title", None)
            result.append(SelectChoice(str(value), str(label or choice_label(str(value)))))
    return result


def label_for(options: Iterable[Any], value: Any) -> str:
    """The label of one option value (for summaries)."""
    for choice in choices_of(options):
        if choice.value == str(value):
            return choice.label
    return choice_label(str(value))


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes (rendered in a fieldset by the template)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class LooseIntegerField(IntegerField):
    """A whole number that also accepts "12,000,000", "$ 12 000 000" or "12000000.00".

    A text input (a number input refuses the commas people type in large amounts).
    """

    widget = TextInput()

    def process_formdata(self, valuelist: list[Any]) -> None:
        if valuelist:
            text = str(valuelist[0]).strip().replace(",", "").replace("$", "").replace(" ", "")
            if text.endswith(".00") or text.endswith(".0"):
                text = text.rsplit(".", 1)[0]
            valuelist = [text]
        super().process_formdata(valuelist)


def _help(name: str) -> str | None:
    from assess.core import recommend

    info = recommend.Profile.model_fields.get(name)
    return info.description if info is not None else None


_WHOLE = "Enter a whole number (0 if none)."


class _Bounded:
    """The profile's own bounds (:data:`assess.core.recommend.profile.BOUNDS`), compared as
    integers: WTForms' NumberRange turns the number into a float first, and a 400-digit
    headcount overflowed it (a 500)."""

    def __init__(self, name: str) -> None:
        from assess.core.recommend.profile import BOUNDS

        self.min, self.max = BOUNDS[name]

    def __call__(self, _form: FlaskForm, field: Any) -> None:
        if field.data is not None and field.data < self.min:
            raise StopValidation(f"Must be at least {self.min:,}.")
        if field.data is not None and field.data > self.max:
            raise StopValidation(f"Must be at most {self.max:,}.")


_bounded = _Bounded


def _within_headcount(form: FlaskForm, field: Any) -> None:
    """IT or security staff cannot outnumber the employees (the profile's own rule, checked
    here too so that every error shows at once)."""
    employees = form["employees"].data
    if (
        field.data is not None
        and isinstance(employees, int)
        and employees >= 1
        and field.data > employees
    ):
        raise ValidationError(f"Cannot be more than the employees ({employees}).")


@lru_cache(maxsize=1)
def profile_form_class() -> type[FlaskForm]:
    """The organization form, built once from the recommendation's profile model."""
    from assess.core import recommend

    def blank_first(label: str, options: Iterable[Any]) -> list[SelectChoice]:
        return [SelectChoice("", label), *choices_of(options)]

    attrs: dict[str, Any] = {
        "name": StringField(
            "Organization name",
            description=_help("organization") or "As your staff and customers know it.",
            validators=[DataRequired("Enter the organization's name."), Length(max=MAX_NAME)],
        ),
        "employees": IntegerField(
            PROFILE_LABELS["employees"],
            description=_help("employees"),
            validators=[InputRequired("Enter the number of employees."), _bounded("employees")],
        ),
        "annual_revenue_usd": LooseIntegerField(
            PROFILE_LABELS["annual_revenue_usd"],
            description=_help("annual_revenue_usd"),
            validators=[Optional(), _bounded("annual_revenue_usd")],
        ),
        "industry": SelectField(
            PROFILE_LABELS["industry"],
            description=_help("industry"),
            choices=blank_first("Choose an industry", recommend.INDUSTRIES),
            validators=[InputRequired("Choose an industry.")],
            invalid_choice_message="Choose one of the industries listed.",
        ),
        "regulations": CheckboxesField(
            PROFILE_LABELS["regulations"],
            description=_help("regulations"),
            choices=choices_of(recommend.REGULATIONS),
            invalid_choice_message="Choose among the regulations listed.",
        ),
        "sensitive_data": CheckboxesField(
            PROFILE_LABELS["sensitive_data"],
            description=_help("sensitive_data"),
            choices=choices_of(recommend.SENSITIVE_DATA),
            invalid_choice_message="Choose among the kinds of data listed.",
        ),
        "it_staff": IntegerField(
            PROFILE_LABELS["it_staff"],
            description=_help("it_staff"),
            default=0,
            validators=[InputRequired(_WHOLE), _bounded("it_staff")],
        ),
        "security_staff": IntegerField(
            PROFILE_LABELS["security_staff"],
            description=_help("security_staff"),
            default=0,
            validators=[InputRequired(_WHOLE), _bounded("security_staff")],
        ),
        "security_leader": SelectField(
            PROFILE_LABELS["security_leader"],
            description=_help("security_leader"),
            choices=blank_first("Choose who leads security", recommend.SECURITY_LEADERS),
            validators=[InputRequired("Choose who leads security today.")],
            invalid_choice_message="Choose one of the options listed.",
        ),
        "incidents_24m": IntegerField(
            PROFILE_LABELS["incidents_24m"],
            description=_help("incidents_24m"),
            default=0,
            validators=[InputRequired(_WHOLE), _bounded("incidents_24m")],
        ),
        "customer_demands": BooleanField(
            PROFILE_LABELS["customer_demands"],
            description=_help("customer_demands"),
        ),
    }
    attrs["cadence_months"] = SelectField(
        "Reassess every",
        description=(
            "How often the organization is assessed again. The next assessment is due this "
            "long after the last submission; the portfolio marks it overdue after that."
        ),
        choices=[SelectChoice(str(m), f"{m} months") for m in (3, 6, 12)],
        default="12",
        invalid_choice_message="Choose 3, 6 or 12 months.",
    )
    attrs["benchmark_opt_in"] = BooleanField(
        "Take part in the anonymous peer benchmark",
        description=(
            "Your latest submitted scores count, without your name, among organizations of "
            "your size that also take part; in return your results show where you stand "
            "among them. No one sees another organization's name or exact score."
        ),
    )
    for key in ("employees", "it_staff", "security_staff", "incidents_24m", "annual_revenue_usd"):
        field = attrs[key]
        field.kwargs.setdefault("render_kw", {})
        if key != "annual_revenue_usd":
            high = field.kwargs["validators"][-1].max
            field.kwargs["render_kw"].update({"inputmode": "numeric", "min": 0, "max": high})
        else:
            field.kwargs["render_kw"].update({"inputmode": "numeric"})
    attrs["validate_it_staff"] = _within_headcount
    attrs["validate_security_staff"] = _within_headcount
    return type("ProfileForm", (FlaskForm,), attrs)


def profile_form(**kwargs: Any) -> FlaskForm:
    return profile_form_class()(**kwargs)


def profile_data(form: FlaskForm) -> dict[str, Any]:
    """The profile as :func:`assess.records.organizations.create_organization` takes it."""
    return {name: form[name].data for name in PROFILE_LABELS}


def form_data_of(name: str, profile: dict[str, Any] | None) -> dict[str, Any]:
    """The form's initial data from a stored organization."""
    profile = dict(profile or {})
    data = {key: profile.get(key) for key in PROFILE_LABELS}
    data["regulations"] = list(data["regulations"] or [])
    data["sensitive_data"] = list(data["sensitive_data"] or [])
    data["customer_demands"] = bool(data["customer_demands"])
    data["name"] = name
    return data


def settings_data_of(org: Any) -> dict[str, Any]:
    """The settings fields' initial data from a stored organization."""
    return {"cadence_months": str(org.cadence_months), "benchmark_opt_in": org.benchmark_opt_in}


def settings_data(form: FlaskForm) -> tuple[int, bool]:
    """(cadence in months, opted in) as :func:`assess.records.organizations.update_settings`
    takes them."""
    return int(form.cadence_months.data), bool(form.benchmark_opt_in.data)


class StartAssessmentForm(FlaskForm):
    """Start an assessment from a questionnaire (the full or the quick one)."""

    questionnaire = HiddenField(validators=[DataRequired("Choose a questionnaire.")])
    #: An assessment of the organization to pre-fill from (the questions both share).
    copy_from = HiddenField()
