"""Evidence files: checked by their content (never their name), size-limited, stored under unguessable names.

Files live under MEDIA_ROOT, which no URL serves; the only way out is the evidence view, which
loads the row through the scoping mechanism first.
"""

from __future__ import annotations

import os
import secrets

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# What a board accepts as evidence, by detected type: PDF, images, office documents.
ALLOWED_MIME = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "image/heic": ".heic",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
    "application/msword": ".doc",
    "application/vnd.ms-excel": ".xls",
    "application/vnd.ms-powerpoint": ".ppt",
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/vnd.oasis.opendocument.spreadsheet": ".ods",
}
# Old binary Office files are OLE2 containers; filetype does not tell them apart, so accept the container.
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_OFFICE_PARTS = {
    b"word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    b"xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    b"ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def max_evidence_bytes() -> int:
    return settings.CHIBO_MAX_UPLOAD_BYTES


def detect_mime(head: bytes) -> str | None:
    """The type of a file from its first bytes, or None when it is not one we know."""
    kind = filetype.guess(head)
    if kind is not None:
        mime = kind.mime
        if mime == "application/zip":
            for marker, office in ZIP_OFFICE_PARTS.items():
                if marker in head:
                    return office
            return None
        return mime
    if head.startswith(OLE2_MAGIC):
        return "application/msword"
    return None


def validate_evidence(upload) -> str:
    """Check an uploaded file; returns its detected MIME type or raises ValidationError."""
    if upload.size > max_evidence_bytes():
        raise ValidationError(
            _("The file is too large (at most %(mb)s MB).") % {"mb": max_evidence_bytes() // (1024 * 1024)}
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."))
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    mime = detect_mime(head)
    if mime not in ALLOWED_MIME:
        raise ValidationError(_("Only PDF files, images and office documents are accepted as evidence."))
    return mime


def private_name(instance, filename: str) -> str:
    """evidence/<year>/<random>.<ext>: the stored name reveals nothing and cannot be guessed."""
    ext = ALLOWED_MIME.get(getattr(instance, "content_type", ""), os.path.splitext(filename)[1][:8].lower())
    return f"evidence/{secrets.token_urlsafe(24)}{ext}"
