"""Text helpers shared by search, imports and exports."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str | None) -> str:
    """Lower-case, strip Vietnamese diacritics (đ too) and collapse spaces.

    "Tổ dân phố  3" and "to dan pho 3" fold to the same string, so search and column matching
    ignore diacritics, case and spacing.
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped).strip().lower()


def nfc(text: str | None) -> str:
    """Normalize to NFC: decomposed Vietnamese input would stay decomposed in PDFs and exports."""
    return unicodedata.normalize("NFC", text or "")
