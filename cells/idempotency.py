"""Writes sent again are answered "already saved": the idempotency key a browser sends with a write
(the ``client_key`` field: the draft's id, static/js/drafts.js and static/js/outbox.js).

A phone on a weak signal may send a save, lose the answer, and send it again from its outbox. Without
this the second send would be saved twice, or refused because the first one moved the record's version
on. The view calls :func:`already_saved` before anything else, and :func:`remember` inside the same
transaction as the write, so the key is stored exactly when the write is."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .models import ClientWrite
from .services import client_write_remember

KEY_FIELD = "client_key"


def client_key(request) -> str:
    return request.POST.get(KEY_FIELD, "").strip()[:64] if request.method == "POST" else ""


def already_saved(request, kind: str, obj=None) -> ClientWrite | None:
    """The record of this very write by this user (of ``obj``, when given), when its key was seen before."""
    key = client_key(request)
    if not key or not request.user.is_authenticated:
        return None
    writes = ClientWrite.objects.filter(user=request.user, kind=kind, key=key)
    return (writes.filter(object_id=obj.pk) if obj is not None else writes).first()


def remember(request, kind: str, obj) -> None:
    """Store the write's key (call inside the write's transaction)."""
    key = client_key(request)
    if key and request.user.is_authenticated:
        client_write_remember(user=request.user, kind=kind, key=key, object_id=obj.pk)


def already_saved_message() -> str:
    return _("Already saved: the server had received this before, and it is kept once.")
