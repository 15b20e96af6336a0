"""Helpers to read back what the renderers produced."""

import io
import unicodedata

from pypdf import PdfReader


def pdf_text(data: bytes) -> str:
    """The PDF's text, whitespace collapsed so a name broken across lines still matches."""
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    assert unicodedata.is_normalized("NFC", text), "the PDF's text is not NFC"
    return " ".join(text.split())


def pdf_pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)
