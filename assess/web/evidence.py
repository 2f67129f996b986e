"""Evidence on the pages: attach a file or a link to an answer, download it, remove it (also
a plan item's: the plan's item page attaches it, :mod:`assess.web.plan`).

The list and the form for one question are ``templates/_evidence.html``, which any page that
shows an assessment's questions includes (the survey, the reviews): it reads what it needs
through the template helpers this blueprint registers (``evidence_items``,
``evidence_may_add``, ``evidence_may_remove``), so a page's view passes nothing extra.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, g, redirect, request, url_for
from flask_login import current_user, login_required

from assess.core.filetypes import BY_MIMETYPE, Unsupported
from assess.records import evidence
from assess.records.database import db
from assess.records.errors import Invalid, Locked, TooLarge
from assess.records.models import Action, Assessment, Evidence
from assess.records.questionnaires import questionnaire_for
from assess.web.access import assessment_for, can, evidence_for, role_in
from assess.web.evidence_files import add_upload, download

bp = Blueprint("evidence", __name__)

ID = "int(min=1, max=2147483647)"


def _back(assessment: Assessment, question_id: str, where: str | None) -> str:
    """Where a form sends the browser back to: a page named by the form ("survey",
    "reviews" or "results"), never a URL from the request, so no open redirect."""
    anchor = f"evidence-{question_id}"
    if where == "reviews":
        return url_for("history.reviews", assessment_id=assessment.id, _anchor=f"r-{question_id}")
    if where == "results":
        return url_for("results.show", assessment_id=assessment.id, _anchor="evidence")
    area = questionnaire_for(assessment).area_of.get(question_id)
    return url_for(
        "survey.page",
        assessment_id=assessment.id,
        area=area.id if area else None,
        _anchor=anchor,
    )


@bp.post(f"/assessments/<{ID}:assessment_id>/answers/<question_id>/evidence", endpoint="add")
@login_required
def add(assessment_id: int, question_id: str):
    """Attach the form's file, or else its link; any member, draft or submitted."""
    assessment, _ = assessment_for(current_user, assessment_id, "evidence")
    evidence.check_question(assessment, question_id)
    where = request.form.get("back")
    upload = request.files.get("file")
    url = (request.form.get("url") or "").strip()
    try:
        if upload is not None and upload.filename:
            item = add_upload(assessment, current_user, question_id, upload)
            what = item.filename
        elif url:
            item = evidence.add_link(
                assessment, current_user, question_id, url, request.form.get("title")
            )
            what = item.title
        else:
            raise Invalid({"file": "Choose a file, or give a link."})
    except (Invalid, Unsupported, TooLarge) as exc:
        db.session.rollback()
        message = "; ".join(exc.errors.values()) if isinstance(exc, Invalid) else str(exc)
        flash(f"Nothing was attached: {message}", "error")
    else:
        db.session.commit()
        flash(f"Attached {what}.", "success")
    return redirect(_back(assessment, question_id, where))


@bp.get(f"/evidence/<{ID}:evidence_id>")
@login_required
def get(evidence_id: int):
    """The file, as an attachment (a link's JSON document for a link)."""
    item, _, _ = evidence_for(current_user, evidence_id)
    return download(item)


@bp.post(f"/evidence/<{ID}:evidence_id>/delete")
@login_required
def delete(evidence_id: int):
    """Remove an item (owners and contributors) from a draft, or from a plan item that is
    open or in progress."""
    item, owner, _ = evidence_for(current_user, evidence_id, "remove")
    question_id, name, sha256 = item.question_id, item.filename or item.title, item.sha256
    try:
        evidence.remove(item, owner)
    except Locked as exc:
        db.session.rollback()
        flash(str(exc), "info")
    else:
        db.session.commit()
        evidence.discard_unused_file(sha256)
        flash(f"Removed {name}.", "success")
    if isinstance(owner, Action):
        return redirect(url_for("plan.item", action_id=owner.id, _anchor="evidence"))
    return redirect(_back(owner, question_id or "", request.form.get("back")))


# --------------------------------------------------------------------------- template helpers


def _role(assessment: Assessment) -> str | None:
    roles = g.setdefault("evidence_roles", {})
    if assessment.organization_id not in roles:
        roles[assessment.organization_id] = role_in(current_user, assessment.organization_id)
    return roles[assessment.organization_id]


def evidence_items(assessment: Assessment, question_id: str | None = None) -> Any:
    """The assessment's evidence (read once per request): for one question, or all of it by
    question id."""
    cache = g.setdefault("evidence_items", {})
    if assessment.id not in cache:
        cache[assessment.id] = evidence.evidence_of(assessment)
    found: dict[str, list[Evidence]] = cache[assessment.id]
    return found if question_id is None else found.get(question_id, [])


def evidence_may_add(assessment: Assessment) -> bool:
    return can(_role(assessment), "evidence")


def evidence_may_remove(assessment: Assessment) -> bool:
    return can(_role(assessment), "answer") and not assessment.locked


@bp.app_template_filter("filesize")
def filesize(size: int | None) -> str:
    """Bytes as a person reads them.

    >>> filesize(512), filesize(2048), filesize(10 * 1024 * 1024)
    ('512 bytes', '2 KB', '10 MB')
    """
    if size is None:
        return ""
    for unit, step in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= step:
            return f"{size / step:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} bytes"


@bp.app_template_filter("evidence_type")
def evidence_type(mimetype: str | None) -> str:
    kind = BY_MIMETYPE.get(mimetype or "")
    return kind.name if kind else "file"


@bp.app_context_processor
def evidence_helpers() -> dict[str, Any]:
    return {
        "evidence_items": evidence_items,
        "evidence_may_add": evidence_may_add,
        "evidence_may_remove": evidence_may_remove,
        "evidence_accept": ".pdf,.png,.jpg,.jpeg,.txt,.csv,.docx,.xlsx",
    }


__all__ = ["bp"]
