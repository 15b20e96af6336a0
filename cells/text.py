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


# Organisation and member codes: what a workbook row and a page name an object by. Only these letters,
# so no two codes look alike (a Cyrillic Р, a zero-width space, a right-to-left mark, full-width digits).
CODE_PATTERN = re.compile(r"^[A-Z0-9._-]+$")


def normalize_code(text: str | None) -> str:
    """A code as stored: NFKC (full-width digits become digits), without surrounding spaces, upper case."""
    return unicodedata.normalize("NFKC", text or "").strip().upper()


def validate_code(value: str) -> None:
    """The validator of organisation and member codes (after :func:`normalize_code`)."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    if not CODE_PATTERN.match(value or ""):
        raise ValidationError(
            _(
                "A code holds only unaccented letters, digits and . _ - (no spaces, no other alphabets, "
                "no invisible characters)."
            ),
            code="invalid_code",
        )
