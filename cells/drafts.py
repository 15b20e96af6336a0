"""Drafts kept in the browser (static/js/drafts.js): the key of a form's draft, and the marker that
clears it once the server saved.

A secretary on a phone loses the connection, the battery or the page; what they typed lives in the
browser's localStorage under a key naming the user, the form and the object, so it comes back on the
next visit. The server never sees a draft. When a save succeeds, the view calls :func:`mark_saved` on
its redirect: a short-lived cookie names the keys saved, and the next page's script removes them (a
failed save re-renders the form and sends no marker, so the draft stays)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

SAVED_COOKIE = "chibo_saved"


def draft_key(user, form: str, obj) -> str:
    """``chibo:draft:<user>:<form>:<object>``: another user of a shared phone never sees it."""
    return f"chibo:draft:{getattr(user, 'pk', None) or 0}:{form}:{getattr(obj, 'pk', obj)}"


def mark_saved(response: HttpResponse, request: HttpRequest, form: str, obj) -> HttpResponse:
    """Tell the browser the draft of ``form``/``obj`` is saved: the next page removes it."""
    keys = [k for k in request.COOKIES.get(SAVED_COOKIE, "").split("|") if k.startswith("chibo:draft:")]
    keys.append(draft_key(request.user, form, obj))
    response.set_cookie(
        SAVED_COOKIE,
        "|".join(keys[-10:]),
        max_age=600,
        samesite="Lax",
        secure=request.is_secure(),
        httponly=False,  # the page's script reads it; it holds nothing but form names and ids
    )
    return response
