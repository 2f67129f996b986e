"""What the evidence pages and the API share: reading an upload (for an answer or a plan
item), and sending a file back.

A file is always sent as an attachment (never shown inline), as the type its content was
sniffed as, with ``X-Content-Type-Options: nosniff`` and a sandboxing Content-Security-Policy,
so that even a browser that opened it could neither guess another type nor run anything.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

from flask import Response, current_app, jsonify
from werkzeug.datastructures import FileStorage

from assess.records import evidence
from assess.records.errors import Invalid, TooLarge
from assess.records.models import Action, Assessment, Evidence, User

SANDBOX = "sandbox; default-src 'none'; frame-ancestors 'none'"


def add_upload(assessment: Assessment, user: User, question_id: str, upload: FileStorage):
    """Attach an uploaded file to an answer."""
    limit = current_app.config["ASSESS_MAX_EVIDENCE"]
    data = _read(upload, limit)
    return evidence.add_file(assessment, user, question_id, upload.filename, data, limit)


def add_upload_to_action(action: Action, user: User, upload: FileStorage):
    """Attach an uploaded file to a plan item."""
    limit = current_app.config["ASSESS_MAX_EVIDENCE"]
    data = _read(upload, limit)
    return evidence.add_file_to_action(action, user, upload.filename, data, limit)


def _read(upload: FileStorage, limit: int) -> bytes:
    """Read at most one byte past the limit (413 beyond it)."""
    data = upload.stream.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(f"The file is larger than the {limit:,} bytes allowed for evidence.")
    if not data and not upload.filename:
        raise Invalid({"file": "Choose a file to attach."})
    return data


def download(item: Evidence) -> Response:
    """A file as an attachment; a link as its JSON document."""
    if item.kind != "file":  # the same sandbox as a file's, as the document promises
        response = jsonify(evidence.evidence_dict(item))
        response.headers["Content-Security-Policy"] = SANDBOX
        return response
    body = evidence.content(item)
    response = Response(body, mimetype=evidence.mimetype_of(item))
    response.headers["Content-Disposition"] = attachment(item.filename or "evidence")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = SANDBOX
    response.headers["Cache-Control"] = "private, no-store"
    if item.sha256:
        response.headers["ETag"] = f'"{item.sha256}"'
    return response


def attachment(name: str) -> str:
    """A Content-Disposition that downloads, with an ASCII name and the exact one (RFC 6266).

    >>> attachment("policy.pdf")
    'attachment; filename="policy.pdf"'
    >>> print(attachment('Richtlinie "Zugänge".pdf'))
    attachment; filename="Richtlinie _Zugange_.pdf"; filename*=UTF-8''Richtlinie%20%22Zug%C3%A4nge%22.pdf
    """
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    plain = "".join("_" if c in '"\\' or not c.isprintable() else c for c in plain) or "evidence"
    value = f'attachment; filename="{plain}"'
    if plain != name:
        value += f"; filename*=UTF-8''{quote(name, safe='')}"
    return value
