"""Evidence behind answers and plan items: files and links attached to one question of an
assessment, or to one item of an organization's action plan.

Rules:
- Any member may add evidence, to a draft or to a submitted assessment (an auditor asks
  for it after submission); the role check is the caller's (:mod:`assess.web.access`).
- A file is accepted by its sniffed content only (:mod:`assess.core.filetypes`) and up to
  the configured size; it is stored once by content hash (:mod:`assess.records.evidence_store`).
- Evidence is never changed; it is removed only from a draft. Once the assessment is
  submitted, what was attached stays (:class:`Locked`).
- Every item records who added it and when.
- On a plan item the same rules read with "done or risk accepted" for "submitted": evidence
  may be added to any item, and removed only while the item is open or in progress (what
  backed closing it, or accepting its risk, stays).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from assess.core.filetypes import BY_MIMETYPE, sniff
from assess.core.plan import CLOSED
from assess.records import evidence_store
from assess.records.database import db
from assess.records.errors import Invalid, Locked, NotFound, TooLarge
from assess.records.models import Action, Assessment, Evidence, User, utcnow
from assess.records.questionnaires import questionnaire_for
from assess.records.text import MAX_NAME, iso, unstorable

MAX_FILENAME = 200
MAX_URL = 2000


def evidence_of(assessment: Assessment) -> dict[str, list[Evidence]]:
    """The assessment's evidence by question id, oldest first."""
    rows = db.session.scalars(
        select(Evidence).where(Evidence.assessment_id == assessment.id).order_by(Evidence.id)
    )
    found: dict[str, list[Evidence]] = {}
    for row in rows:
        found.setdefault(row.question_id, []).append(row)
    return found


def evidence_of_questions(
    assessment: Assessment, question_ids: list[str]
) -> dict[str, list[Evidence]]:
    """The evidence of some questions by question id, oldest first, with who added each
    (one query: a survey page's questions at once)."""
    rows = db.session.scalars(
        select(Evidence)
        .options(joinedload(Evidence.added_by))
        .where(Evidence.assessment_id == assessment.id, Evidence.question_id.in_(question_ids))
        .order_by(Evidence.id)
    )
    found: dict[str, list[Evidence]] = {}
    for row in rows:
        found.setdefault(row.question_id, []).append(row)
    return found


def evidence_for_question(assessment: Assessment, question_id: str) -> list[Evidence]:
    check_question(assessment, question_id)
    return evidence_of(assessment).get(question_id, [])


def check_question(assessment: Assessment, question_id: str) -> None:
    if question_id not in questionnaire_for(assessment).questions:
        raise NotFound(f"The assessment has no question {question_id!r}.")


def add_file(
    assessment: Assessment,
    user: User,
    question_id: str,
    filename: Any,
    data: bytes,
    limit: int,
) -> Evidence:
    """Attach a file: :class:`TooLarge` over ``limit`` bytes, ``Unsupported`` (415) when its
    content is not an accepted kind."""
    check_question(assessment, question_id)
    return _save(
        Evidence(
            assessment_id=assessment.id, question_id=question_id, **_file(filename, data, limit)
        ),
        user,
    )


def add_file_to_action(
    action: Action, user: User, filename: Any, data: bytes, limit: int
) -> Evidence:
    """Attach a file to a plan item (the same checks as :func:`add_file`)."""
    return _save(Evidence(action_id=action.id, **_file(filename, data, limit)), user)


def _file(filename: Any, data: bytes, limit: int) -> dict[str, Any]:
    if len(data) > limit:
        raise TooLarge(f"The file is larger than the {limit:,} bytes allowed for evidence.")
    kind = sniff(data)
    return {
        "kind": "file",
        "filename": safe_filename(filename, kind.extension),
        "content_type": kind.mimetype,
        "size": len(data),
        "sha256": evidence_store.put(data),
    }


def _save(item: Evidence, user: User) -> Evidence:
    item.added_by_id = user.id
    item.added_at = utcnow()
    db.session.add(item)
    db.session.flush()
    return item


def add_link(
    assessment: Assessment, user: User, question_id: str, url: Any, title: Any = None
) -> Evidence:
    """Attach a link (http or https) with an optional title (the URL when there is none)."""
    check_question(assessment, question_id)
    return _save(
        Evidence(assessment_id=assessment.id, question_id=question_id, **_link(url, title)), user
    )


def add_link_to_action(action: Action, user: User, url: Any, title: Any = None) -> Evidence:
    """Attach a link to a plan item (the same checks as :func:`add_link`)."""
    return _save(Evidence(action_id=action.id, **_link(url, title)), user)


def _link(url: Any, title: Any) -> dict[str, Any]:
    errors: dict[str, str] = {}
    if not isinstance(url, str) or not url.strip():
        errors["url"] = "A link (http:// or https://) is required."
    else:
        url = url.strip()
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
            errors["url"] = "Use an http:// or https:// link."
        elif len(url) > MAX_URL:
            errors["url"] = f"Use at most {MAX_URL} characters."
        elif any(c.isspace() or unicodedata.category(c) in ("Cc", "Cs") for c in url):
            errors["url"] = "A link cannot contain spaces, control characters or broken text."
    if title is None or (isinstance(title, str) and not title.strip()):
        title = None
    elif not isinstance(title, str):
        errors["title"] = "The title must be text."
    else:
        title = " ".join(title.split())
        if len(title) > MAX_NAME:
            errors["title"] = f"Use at most {MAX_NAME} characters."
        elif problem := unstorable(title):
            errors["title"] = problem
    if errors:
        raise Invalid(errors, message="The link is not valid; nothing was saved.")
    return {"kind": "link", "url": url, "title": title or url[:MAX_NAME]}


def remove(item: Evidence, owner: Assessment | Action) -> None:
    """Remove an item from a draft, or from a plan item that is open or in progress; a
    submitted assessment, and a plan item done or risk accepted, keep their evidence."""
    if isinstance(owner, Assessment) and owner.locked:
        raise Locked("This assessment was submitted: its evidence can no longer be removed.")
    if isinstance(owner, Action) and owner.status in CLOSED:
        raise Locked(
            "This action is done or its risk accepted: its evidence can no longer be removed "
            "(reopen it first)."
        )
    db.session.delete(item)
    db.session.flush()


def discard_unused_file(sha256: str | None) -> bool:
    """After a removal is committed: delete the stored file when no evidence names it any
    more (another answer may share it). Returns whether a file was deleted.

    A file attached again in the very moment of its removal may be deleted under the new
    row; its download then answers 404 ("missing from the store"), never wrong bytes.
    """
    if not sha256:
        return False
    still = db.session.scalar(select(Evidence.id).where(Evidence.sha256 == sha256).limit(1))
    if still is not None:
        return False
    return evidence_store.discard(sha256)


def content(item: Evidence) -> bytes:
    """A file's bytes (:class:`NotFound` when the store lost it)."""
    if item.kind != "file" or not item.sha256:
        raise NotFound("This evidence is a link, not a file.")
    try:
        return evidence_store.read(item.sha256)
    except OSError:
        raise NotFound("The file of this evidence is missing from the server's store.") from None


def evidence_dict(item: Evidence) -> dict[str, Any]:
    return {
        "id": item.id,
        "question_id": item.question_id,
        "action_id": item.action_id,
        "kind": item.kind,
        "filename": item.filename,
        "size": item.size,
        "sha256": item.sha256,
        "content_type": item.content_type,
        "url": item.url,
        "title": item.title,
        "added_by": item.added_by.email if item.added_by else None,
        "added_at": iso(item.added_at),
    }


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')


def safe_filename(name: Any, extension: str) -> str:
    """A name to store and offer for download: the last part of a path, without characters
    that mean something to a file system or a header, at most 200 characters, ending in the
    extension of its sniffed kind.

    >>> safe_filename("C:\\\\scans\\\\policy.PDF", "pdf")
    'policy.PDF'
    >>> safe_filename("../../etc/passwd", "txt")
    'passwd.txt'
    >>> safe_filename("invoice.exe", "pdf")
    'invoice.exe.pdf'
    >>> safe_filename(None, "png")
    'evidence.png'
    """
    text = name if isinstance(name, str) else ""
    text = re.split(r"[\\/]", text)[-1]
    text = unicodedata.normalize("NFC", _UNSAFE.sub("_", text)).strip(" .")
    if unstorable(text):
        text = ""
    stem = text or "evidence"
    same_kind = {extension} | ({"jpeg"} if extension == "jpg" else set())
    if stem.rsplit(".", 1)[-1].lower() not in same_kind or "." not in stem:
        stem = f"{stem}.{extension}"
    if len(stem) > MAX_FILENAME:
        stem = stem[: MAX_FILENAME - len(extension) - 1] + "." + extension
    return stem


def mimetype_of(item: Evidence) -> str:
    """The type a file is served as: the sniffed one (text gets its UTF-8 charset added by
    the response), never one a client named."""
    kind = BY_MIMETYPE.get(item.content_type or "")
    return kind.mimetype if kind else "application/octet-stream"
