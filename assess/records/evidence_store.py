"""Where evidence files live: the instance folder, one file per content hash
(``instance/evidence/ab/cdef…``), written atomically and never twice.

Two answers that attach the same file share one stored copy, deleted when the last evidence
that names it is removed. A file is only ever created
whole (a temporary file in the same folder, synced, then renamed into place), so a reader
never sees half of one, and a file already there is left as it is: same hash, same bytes.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from contextlib import suppress
from pathlib import Path

from flask import current_app

HEX64 = re.compile(r"[0-9a-f]{64}")


def root() -> Path:
    return Path(current_app.instance_path) / "evidence"


def path_for(sha256: str) -> Path:
    if not HEX64.fullmatch(sha256):
        raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
    return root() / sha256[:2] / sha256[2:]


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def has(sha256: str) -> bool:
    return path_for(sha256).is_file()


def put(data: bytes) -> str:
    """Store ``data`` (once) and return its SHA-256."""
    sha256 = digest(data)
    target = path_for(sha256)
    if target.is_file():
        return sha256
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".incoming.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(temp, 0o600)
        os.replace(temp, target)
    except BaseException:
        with suppress(OSError):
            os.unlink(temp)
        raise
    return sha256


def discard(sha256: str) -> bool:
    """Delete a stored file (and its folder when that is left empty)."""
    target = path_for(sha256)
    try:
        target.unlink()
    except OSError:  # already gone, or not ours to delete: the removal itself stands
        return False
    with suppress(OSError):
        target.parent.rmdir()  # only when empty
    return True


def read(sha256: str) -> bytes:
    return path_for(sha256).read_bytes()
