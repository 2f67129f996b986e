"""Auditors' reviews of answers, the owners' replies, and the auditors' sign-off."""

from __future__ import annotations

from flask import g, url_for

from assess.records import attestations, reviews
from assess.records.database import db
from assess.web.access import assessment_for
from assess.web.api.common import (
    ID,
    bp,
    created,
    json_object,
    require_token,
)

#: Question ids: lowercase words with dots and dashes (never a slash).
QUESTION = "string(maxlength=120):question_id"


@bp.get(f"/assessments/<{ID}:assessment_id>/reviews", endpoint="reviews")
@require_token
def list_reviews(assessment_id: int):
    found, _ = assessment_for(g.api_user, assessment_id)
    earlier = reviews.earlier_reviews(found)
    return {
        "reviews": [
            reviews.review_dict(r, earlier.get(qid, []))
            for qid, r in sorted(reviews.reviews_of(found).items(), key=lambda kv: kv[1].id)
        ]
    }


@bp.post(f"/assessments/<{ID}:assessment_id>/reviews")
@require_token
def add_review(assessment_id: int):
    found, _ = assessment_for(g.api_user, assessment_id, "review")
    body = json_object(
        {"question_id", "status", "verified_level", "comment"}, required={"question_id"}
    )
    review = reviews.save_review(
        found,
        g.api_user,
        body["question_id"],
        body.get("verified_level"),
        body.get("comment"),
        body.get("status", "verified"),
    )
    earlier = reviews.earlier_reviews(found).get(review.question_id, [])
    db.session.commit()
    return created(
        reviews.review_dict(review, earlier), url_for("api.reviews", assessment_id=found.id)
    )


@bp.post(f"/assessments/<{ID}:assessment_id>/reviews/<{QUESTION}>/replies")
@require_token
def reply_to_review(assessment_id: int, question_id: str):
    found, _ = assessment_for(g.api_user, assessment_id, "reply")
    body = json_object({"comment"}, required={"comment"})
    row = reviews.reply(found, g.api_user, question_id, body["comment"])  # 404: no review
    db.session.commit()
    return created(reviews.reply_dict(row), url_for("api.reviews", assessment_id=found.id))


@bp.get(f"/assessments/<{ID}:assessment_id>/attestation", endpoint="attestation")
@require_token
def list_attestations(assessment_id: int):
    found, _ = assessment_for(g.api_user, assessment_id)
    rows = attestations.attestations_of(found)
    return {"attestations": [attestations.attestation_dict(r) for r in rows]}


@bp.post(f"/assessments/<{ID}:assessment_id>/attestation")
@require_token
def attest(assessment_id: int):
    found, _ = assessment_for(g.api_user, assessment_id, "attest")
    body = json_object({"statement"}, required={"statement"})
    row = attestations.attest(found, g.api_user, body["statement"])  # 409: a draft
    db.session.commit()
    return created(
        attestations.attestation_dict(row), url_for("api.attestation", assessment_id=found.id)
    )
