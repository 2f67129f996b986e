"""Sign-off: an auditor attests a submitted assessment with a statement, their name and the
date. Append-only; each attestation stays."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from assess.records.database import db
from assess.records.errors import Invalid, Locked
from assess.records.models import Assessment, Attestation, User, utcnow
from assess.records.text import MAX_NOTE, iso, unstorable

DRAFT = "Only a submitted assessment can be signed off; this one is still a draft."


def attestations_of(assessment: Assessment) -> list[Attestation]:
    """The assessment's attestations, oldest first."""
    return list(
        db.session.scalars(
            select(Attestation)
            .where(Attestation.assessment_id == assessment.id)
            .order_by(Attestation.id)
        )
    )


def attest(assessment: Assessment, auditor: User, statement: Any) -> Attestation:
    """Sign the submitted assessment off: :class:`Locked` (409) for a draft,
    :class:`Invalid` for a missing or unstorable statement."""
    if not assessment.locked:
        raise Locked(DRAFT)
    problem = None
    if not isinstance(statement, str) or not statement.strip():
        problem = "Write the statement you attest."
    elif len(statement) > MAX_NOTE:
        problem = f"Use at most {MAX_NOTE} characters."
    else:
        problem = unstorable(statement)
    if problem:
        raise Invalid({"statement": problem}, message="The attestation is not valid.")
    row = Attestation(
        assessment_id=assessment.id,
        statement=statement.strip(),
        attested_by_id=auditor.id,
        created_at=utcnow(),
    )
    db.session.add(row)
    db.session.flush()
    return row


def attestation_dict(row: Attestation) -> dict[str, Any]:
    return {
        "id": row.id,
        "statement": row.statement,
        "attested_by": row.attested_by.email if row.attested_by else None,
        "attested_at": iso(row.created_at),
    }
