"""The evidence files of an export: ``"files": {sha256: base64}`` beside the tables, so
that one JSON file carries a whole installation, bytes included.

On import every file is checked against its hash, and every evidence row that names a file
must find it (in the export, or already in the store): an export that lost a file is refused
before anything is written.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable, Mapping
from typing import Any

from assess.records import evidence_store


class FilesError(ValueError):
    """A problem with the files of an export, in one line."""


def export_files(evidence_rows: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Every stored file the rows name, base64-encoded, by SHA-256."""
    files: dict[str, str] = {}
    for row in evidence_rows:
        sha256 = row.get("sha256")
        if not sha256 or sha256 in files:
            continue
        try:
            data = evidence_store.read(sha256)
        except OSError:
            raise FilesError(
                f"evidence {row.get('id')}: its file {sha256} is missing from "
                f"{evidence_store.root()}"
            ) from None
        files[sha256] = base64.b64encode(data).decode("ascii")
    return files


def import_files(
    document: Mapping[str, Any], evidence_rows: Iterable[Mapping[str, Any]], source: str
) -> dict[str, bytes]:
    """The export's files, decoded and checked against their hashes and the rows."""
    raw = document.get("files", {})
    if not isinstance(raw, dict):
        raise FilesError(f'{source}: "files" is not an object')
    files: dict[str, bytes] = {}
    for sha256, text in raw.items():
        if not isinstance(sha256, str) or not evidence_store.HEX64.fullmatch(sha256):
            raise FilesError(f"{source}: files: {sha256!r} is not a SHA-256")
        try:
            data = base64.b64decode(text, validate=True) if isinstance(text, str) else None
        except (binascii.Error, ValueError):
            data = None
        if data is None:
            raise FilesError(f"{source}: files: {sha256[:12]}… is not base64 text")
        if evidence_store.digest(data) != sha256:
            raise FilesError(f"{source}: files: {sha256[:12]}… does not match its content")
        files[sha256] = data
    for row in evidence_rows:
        sha256 = row.get("sha256")
        if sha256 and sha256 not in files and not _stored(sha256):
            raise FilesError(
                f"{source}: evidence row {row.get('id')}: its file is not in the export"
            )
    return files


def _stored(sha256: Any) -> bool:
    try:
        return evidence_store.has(sha256)
    except ValueError:
        return False


def write_files(files: Mapping[str, bytes]) -> None:
    for data in files.values():
        evidence_store.put(data)
