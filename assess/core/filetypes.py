"""What kind of file some bytes are, judged by their content alone (never by a name or a
client's Content-Type): the kinds of evidence Assess accepts, and why anything else is not.

Accepted: PDF, PNG, JPEG, plain text, CSV, and Word (DOCX) and Excel (XLSX) documents. The
signatures of the first three are fixed bytes at the start; text is UTF-8 without NULs and
not markup; DOCX and XLSX are ZIP archives whose directory lists ``[Content_Types].xml``
and ``word/`` or ``xl/`` parts. The archive is never extracted: only its central directory
(and the small ``[Content_Types].xml``) is read, so a zip bomb costs nothing.

>>> sniff(b"%PDF-1.7 ...").mimetype
'application/pdf'
>>> sniff(b"name,level\\nMFA,3\\nBackups,2\\n").mimetype
'text/csv'
>>> sniff(b"MZ\\x90\\x00")
Traceback (most recent call last):
...
assess.core.filetypes.Unsupported: This file is a Windows or DOS program, which is not accepted as evidence. Attach a PDF, PNG, JPEG, plain text, CSV, Word (DOCX) or Excel (XLSX) file.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

ACCEPTED = "PDF, PNG, JPEG, plain text, CSV, Word (DOCX) or Excel (XLSX)"

#: A DOCX or XLSX lists a handful to a few thousand parts; more is not an Office document.
MAX_PARTS = 10_000
#: ``[Content_Types].xml`` is a few kilobytes; more (uncompressed) is not read.
MAX_CONTENT_TYPES = 1024 * 1024


class Unsupported(ValueError):
    """Content of a kind Assess does not accept, with a sentence that says what it is."""


@dataclass(frozen=True)
class Kind:
    name: str
    mimetype: str
    extension: str


PDF = Kind("PDF", "application/pdf", "pdf")
PNG = Kind("PNG image", "image/png", "png")
JPEG = Kind("JPEG image", "image/jpeg", "jpg")
TEXT = Kind("plain text", "text/plain", "txt")
CSV = Kind("CSV", "text/csv", "csv")
DOCX = Kind(
    "Word document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "docx",
)
XLSX = Kind(
    "Excel workbook",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xlsx",
)
KINDS = (PDF, PNG, JPEG, TEXT, CSV, DOCX, XLSX)
BY_MIMETYPE = {kind.mimetype: kind for kind in KINDS}

#: Fixed signatures at offset 0.
SIGNATURES = (
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
)

#: What some refused content is, to say so in the refusal.
KNOWN_REFUSALS = (
    (b"MZ", "a Windows or DOS program"),
    (b"\x7fELF", "a Linux program (ELF)"),
    (b"\xcf\xfa\xed\xfe", "a macOS program"),
    (b"\xfe\xed\xfa\xcf", "a macOS program"),
    (b"#!", "a script"),
    (b"GIF8", "a GIF image"),
    (b"\xd0\xcf\x11\xe0", "an old-style Office document (DOC or XLS)"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"\x1f\x8b", "a gzip archive"),
)


def refuse(what: str) -> Unsupported:
    return Unsupported(
        f"This file is {what}, which is not accepted as evidence. Attach a {ACCEPTED} file."
    )


def sniff(data: bytes) -> Kind:
    """The kind of ``data``, or :class:`Unsupported` saying what it is instead."""
    if not data:
        raise Unsupported("The file is empty.")
    for signature, kind in SIGNATURES:
        if data.startswith(signature):
            return kind
    if data.startswith(b"PK\x03\x04"):
        return _office(data)
    for signature, what in KNOWN_REFUSALS:
        if data.startswith(signature):
            raise refuse(what)
    return _text(data)


def _office(data: bytes) -> Kind:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise refuse("a damaged ZIP archive") from None
    if len(infos) > MAX_PARTS:
        raise refuse("a ZIP archive with too many parts")
    names = {info.filename for info in infos}
    types = next((i for i in infos if i.filename == "[Content_Types].xml"), None)
    if types is None:
        raise refuse("a ZIP archive")
    if types.file_size > MAX_CONTENT_TYPES:  # declared, never unpacked to find out
        raise refuse("a ZIP archive that is not an ordinary Office document")
    if any(name.lower().endswith("vbaproject.bin") for name in names) or _macros(archive, types):
        raise refuse("an Office document with macros")
    if any(name.startswith("word/") for name in names):
        return DOCX
    if any(name.startswith("xl/") for name in names):
        return XLSX
    raise refuse("an Office document other than Word (DOCX) or Excel (XLSX)")


def _macros(archive: zipfile.ZipFile, types: zipfile.ZipInfo) -> bool:
    """Does ``[Content_Types].xml`` declare a macro-enabled document (DOCM, XLSM)?"""
    try:
        with archive.open(types) as fh:
            text = fh.read(MAX_CONTENT_TYPES + 1)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, ValueError, OSError):
        return True
    return b"macroenabled" in text.lower()


def _text(data: bytes) -> Kind:
    if b"\x00" in data:
        raise refuse("binary data of an unknown kind")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise refuse("binary data, or text that is not UTF-8") from None
    text = text.removeprefix("\ufeff")
    if text.lstrip().startswith("<"):
        raise refuse("an HTML or XML document")
    return CSV if _looks_like_csv(text) else TEXT


def _looks_like_csv(text: str) -> bool:
    """At least two lines with the same number (one or more) of one delimiter in each.

    >>> _looks_like_csv("a;b\\n1;2\\n")
    True
    >>> _looks_like_csv("Dear auditor,\\nhere is the policy.")
    False
    """
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    if len(lines) < 2:
        return False
    for delimiter in (",", ";", "\t"):
        counts = {line.count(delimiter) for line in lines}
        if len(counts) == 1 and min(counts) >= 1:
            return True
    return False
