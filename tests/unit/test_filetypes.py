"""Evidence kinds by content: the accepted ones, and what is refused without being unpacked."""

from __future__ import annotations

import io
import zipfile

import pytest

from assess.core.filetypes import CSV, DOCX, MAX_PARTS, TEXT, XLSX, Unsupported, sniff

TYPES = b'<?xml version="1.0"?><Types/>'


def archive(parts: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def test_are_word_and_excel_told_apart_by_their_parts():
    assert sniff(archive({"[Content_Types].xml": TYPES, "word/document.xml": b"<w/>"})) is DOCX
    assert sniff(archive({"[Content_Types].xml": TYPES, "xl/workbook.xml": b"<x/>"})) is XLSX


def test_is_a_zip_bomb_refused_without_being_unpacked():
    """A [Content_Types].xml that unpacks to 8 MB is not read: refused from the directory."""
    huge = archive({"[Content_Types].xml": b"\0" * (8 * 1024 * 1024), "word/d.xml": b"<w/>"})
    assert len(huge) < 64 * 1024
    with pytest.raises(Unsupported, match="not an ordinary Office document"):
        sniff(huge)


def test_is_an_archive_with_too_many_parts_refused():
    parts = {f"xl/p{i}.xml": b"" for i in range(MAX_PARTS + 1)}
    parts["[Content_Types].xml"] = TYPES
    with pytest.raises(Unsupported, match="too many parts"):
        sniff(archive(parts, zipfile.ZIP_STORED))


def test_is_a_truncated_zip_refused():
    whole = archive({"[Content_Types].xml": TYPES, "word/document.xml": b"<w/>" * 100})
    with pytest.raises(Unsupported, match="damaged ZIP"):
        sniff(whole[: len(whole) // 2])


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("One line of notes.", TEXT),
        ("a,b\n1,2\n3,4\n", CSV),
        ("a;b\r\n1;2\r\n", CSV),
        ("a\tb\n1\t2\n", CSV),
        ("Dear auditor,\nhere is the policy.", TEXT),
        ("\ufeffname,level\nMFA,3\n", CSV),
    ],
)
def test_is_text_plain_or_csv_by_its_lines(text, kind):
    assert sniff(text.encode("utf-8")) is kind


@pytest.mark.parametrize(
    "markup",
    [b"<html><body>x</body></html>", b"\xef\xbb\xbf  <script>alert(1)</script>", b"<?xml?><a/>"],
)
def test_is_markup_refused_even_as_valid_text(markup):
    with pytest.raises(Unsupported, match="HTML or XML"):
        sniff(markup)
