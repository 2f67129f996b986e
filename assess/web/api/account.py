"""The signed-in user's own account: setting up two-step verification (TOTP).

``POST /account/mfa`` proposes a secret (``{secret, otpauth_uri}``; the authenticator app
reads the URI, e.g. from a QR code); ``POST /account/mfa/confirm {code}`` turns it on with a
code from that secret and answers the ten recovery codes, shown this once. Both stay open to
a member whose organization requires two-step verification they lack (every other route
answers them 403: see :func:`assess.web.api.common.require_token`)."""

from __future__ import annotations

from flask import g

from assess.records import mfa
from assess.records.database import db
from assess.records.errors import Invalid
from assess.web.api.common import bp, json_object, require_token
from assess.web.errors import error_response


@bp.post("/account/mfa", endpoint="start_mfa")
@require_token
def start_mfa():
    user = g.api_user
    try:
        secret = mfa.start_enrolment(user)
    except mfa.EnrolmentState as exc:
        return error_response(409, str(exc))
    db.session.commit()
    return {"secret": secret, "otpauth_uri": mfa.otpauth_uri(user, secret)}


@bp.post("/account/mfa/confirm", endpoint="confirm_mfa")
@require_token
def confirm_mfa():
    body = json_object({"code"}, required={"code"})
    if not isinstance(body["code"], str):
        raise Invalid({"code": "code must be a string of six digits."})
    try:
        codes = mfa.confirm_enrolment(g.api_user, body["code"])
    except mfa.EnrolmentState as exc:
        return error_response(409, str(exc))
    db.session.commit()
    return {"recovery_codes": codes}
