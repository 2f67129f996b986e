"""Organizations and their profiles (what the recommendation reads about them)."""

from __future__ import annotations

from typing import Any

from assess.core import recommend
from assess.core.errors import InputError
from assess.records import quotas
from assess.records.database import db
from assess.records.errors import Invalid
from assess.records.models import Membership, Organization, Role, User
from assess.records.text import clean_name


def validate_profile(name: str, profile: Any) -> dict[str, Any]:
    """The profile as stored: validated by the recommendation's own model."""
    if profile is None:
        profile = {}
    if not isinstance(profile, dict):
        raise Invalid({"profile": "The profile must be an object."})
    # The API's schema says what each field is; null only where it says so (the revenue).
    nulls = [k for k, v in profile.items() if v is None and k != "annual_revenue_usd"]
    if nulls:
        raise Invalid(dict.fromkeys(nulls, "must not be null (leave the field out instead)"))
    if "customer_demands" in profile and not isinstance(profile["customer_demands"], bool):
        raise Invalid({"customer_demands": "must be true or false"})
    data = {**profile, "organization": name}
    try:
        parsed = recommend.parse_profile(data)
    except InputError as exc:
        place = (exc.place or "profile").split(".")[0].split("[")[0]
        raise Invalid({place: exc.message}, message=str(exc)) from None
    return parsed.model_dump(mode="json")


def create_organization(user: User, name: Any, profile: Any) -> Organization:
    """A new organization with its profile, the user its first owner."""
    name = clean_name(name)
    quotas.check_organizations(user)
    org = Organization(name=name, profile=validate_profile(name, profile))
    db.session.add(org)
    db.session.flush()
    db.session.add(Membership(user_id=user.id, organization_id=org.id, role=Role.OWNER))
    db.session.flush()
    return org


def update_organization(org: Organization, name: Any = None, profile: Any = None) -> Organization:
    """Rename the organization and merge profile fields into its stored profile."""
    new_name = clean_name(name) if name is not None else org.name
    if profile is not None and not isinstance(profile, dict):
        raise Invalid({"profile": "The profile must be an object."})
    merged = {**(org.profile or {}), **(profile or {})} if profile is not None else org.profile
    org.profile = validate_profile(new_name, merged)
    org.name = new_name
    db.session.flush()
    return org


def profile_of(org: Organization) -> recommend.Profile | None:
    """The organization's profile as the recommendation reads it, or None when incomplete."""
    try:
        return recommend.parse_profile({**(org.profile or {}), "organization": org.name})
    except InputError:
        return None


#: The reassessment cadences an owner may choose, in months.
CADENCES = (3, 6, 12)


def update_settings(org: Organization, cadence_months: Any = None, benchmark_opt_in: Any = None):
    """Set the reassessment cadence (3, 6 or 12 months) and the opt-in to the anonymous peer
    benchmark; None leaves a setting as it is. :class:`Invalid` names each bad value."""
    errors: dict[str, str] = {}
    if cadence_months is not None and (
        isinstance(cadence_months, bool) or cadence_months not in CADENCES
    ):
        errors["cadence_months"] = "Choose a cadence of 3, 6 or 12 months."
    if benchmark_opt_in is not None and not isinstance(benchmark_opt_in, bool):
        errors["benchmark_opt_in"] = "benchmark_opt_in must be true or false."
    if errors:
        raise Invalid(errors)
    if cadence_months is not None:
        org.cadence_months = int(cadence_months)
    if benchmark_opt_in is not None:
        org.benchmark_opt_in = benchmark_opt_in
    db.session.flush()
    return org
