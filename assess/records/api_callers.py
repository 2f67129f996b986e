"""Who calls the API, in one query per request: the token, its user, whether an organization
of theirs requires two-step verification they lack, and (for the results of an assessment)
their role in its organization with the stored results as text.

Nothing is cached between requests: a revoked token (a password change revokes them too), a
removed member or an organization that starts requiring two-step verification takes effect on
the very next request.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Text, and_, bindparam, cast, exists, select
from sqlalchemy.orm import aliased

from assess.core.errors import InputError
from assess.core.results import SCHEMA_VERSION, Results
from assess.records import mfa
from assess.records.accounts import token_digest
from assess.records.database import db
from assess.records.models import ApiToken, Assessment, Membership, Organization, User

#: How every results document of this schema version starts as the database keeps it (the
#: JSON column's ``json.dumps``, the ``schema_version`` key first as the contract dumps it).
#: Anything else (an older version, a document rewritten by PostgreSQL's jsonb) is read and
#: upgraded through the contract instead of being sent as it is.
CURRENT_PREFIX = json.dumps({"schema_version": SCHEMA_VERSION})[:-1] + ","


@dataclass(frozen=True)
class Caller:
    token: ApiToken
    user: User
    #: An organization of the user requires two-step verification and they have none.
    must_enrol: bool
    #: With ``assessment_id``: the user's role in its organization (None: not a member, or no
    #: such assessment), its status, and its stored results as the database holds them.
    role: str | None = None
    status: str | None = None
    stored_results: str | None = None

    def current_results(self, assessment_id: int) -> str | None:
        """The stored results of a submitted assessment, when they can be sent as they are:
        a document of this schema version that the contract reads back to the very same
        document (checked once per process and stored text, see :func:`sendable`)."""
        text = self.stored_results
        if self.status == "submitted" and text and sendable(assessment_id, text):
            return text
        return None


#: {assessment id: (hash of its stored text, whether that text may be sent as it is)}: each
#: stored document is decoded and validated once per process, not on every request. A text
#: changed since (by hand, say) has another hash and is checked again.
_CHECKED: dict[int, tuple[int, bool]] = {}
_CHECKED_MAX = 10_000


def sendable(assessment_id: int, text: str) -> bool:
    """May this stored results text be the answer itself? Only when it is of this schema
    version and the contract reads it back unchanged (an unreadable or older document is read
    through the contract instead, which scores again or upgrades)."""
    if not text.startswith(CURRENT_PREFIX):
        return False
    key = hash(text)
    known = _CHECKED.get(assessment_id)
    if known is not None and known[0] == key:
        return known[1]
    try:
        document = json.loads(text)
        ok = Results.from_stored(document).model_dump(mode="json") == document
    except (InputError, ValueError, TypeError):
        ok = False
    if len(_CHECKED) >= _CHECKED_MAX:
        _CHECKED.clear()
    _CHECKED[assessment_id] = (key, ok)
    return ok


def _statements() -> tuple[Any, Any]:
    """The two queries, built once (building a statement costs more than running it here)."""
    # Aliases: the membership joined below (the assessment's organization) must not be the
    # one this looks through; any organization of the user's counts.
    member, org = aliased(Membership), aliased(Organization)
    requires_mfa = (
        exists()
        .where(
            member.user_id == ApiToken.user_id,
            org.id == member.organization_id,
            org.require_mfa.is_(True),
        )
        .correlate(ApiToken)
    )
    caller = (
        select(ApiToken, User, requires_mfa.label("requires_mfa"))
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == bindparam("digest"))
    )
    with_assessment = (
        caller.add_columns(Membership.role, Assessment.status, cast(Assessment.results, Text))
        .outerjoin(Assessment, Assessment.id == bindparam("assessment_id"))
        .outerjoin(
            Membership,
            and_(
                Membership.organization_id == Assessment.organization_id,
                Membership.user_id == ApiToken.user_id,
            ),
        )
    )
    return caller, with_assessment


_STATEMENTS: tuple[Any, Any] | None = None


def caller_for(raw: str, assessment_id: int | None = None) -> Caller | None:
    """The caller a raw token stands for, or None (a read: it writes nothing)."""
    global _STATEMENTS
    if not raw or len(raw) > 200:
        return None
    if _STATEMENTS is None:
        _STATEMENTS = _statements()
    digest = token_digest(raw)
    if assessment_id is None:
        row = db.session.execute(_STATEMENTS[0], {"digest": digest}).first()
    else:
        params = {"digest": digest, "assessment_id": assessment_id}
        row = db.session.execute(_STATEMENTS[1], params).first()
    if row is None:
        return None
    token, user, requires = row[0], row[1], bool(row[2])
    must_enrol = requires and not mfa.enabled(user)  # mfa.must_enrol, from this one query
    if assessment_id is None:
        return Caller(token, user, must_enrol)
    role, status, text = row[3], row[4], row[5]
    if role is None:  # not a member: nothing of the assessment is kept
        status = text = None
    return Caller(token, user, must_enrol, role, status, text)
