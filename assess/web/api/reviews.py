"""Auditors' reviews of answers."""

from __future__ import annotations

from flask import g, url_for

from assess.records import reviews
from assess.records.database import db
from assess.web.access import assessment_for
from assess.web.api.common import (
    ID,
    bp,
    created,
    json_object,
    require_token,
)


@bp.get(f"/assessments/<{ID}:assessment_id>/reviews", endpoint="reviews")
@require_token
def list_reviews(assessment_id: int):
    found, _ = assessment_for(g.api_user, assessment_id)
    return {"reviews": [reviews.review_dict(r) for r in reviews.reviews_of(found).values()]}


@bp.post(f"/assessments/<{ID}:assessment_id>/reviews")
@require_token
def add_review(assessment_id: int):
    found, _ = assessment_for(g.api_user, assessment_id, "review")
    body = json_object({"question_id", "verified_level", "comment"}, required={"question_id"})
    review = reviews.save_review(
        found, g.api_user, body["question_id"], body.get("verified_level"), body.get("comment")
    )
    db.session.commit()
    return created(reviews.review_dict(review), url_for("api.reviews", assessment_id=found.id))
