"""How a sheet finds what a row names (a code, a meeting's key): only inside the importer's scope, and
with one message whether the thing does not exist or lies outside that scope.

Pages answer the same 404 for an object that does not exist and for one the user may not reach
(cells/scoping.py ``get_scoped_or_404``), so they never tell what exists in another subtree. An import
does the same: every sheet resolves the codes of its rows here, through the one scoping mechanism
(``ScopedQuerySet.for_user``), and reports a miss with :func:`not_found`, never "outside your scope".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.utils.translation import gettext as _

from cells.scoping import Action, ScopedQuerySet


def within_scope(queryset: ScopedQuerySet, user, *actions: str) -> ScopedQuerySet:
    """``queryset`` restricted to what ``user`` may do any of ``actions`` to (VIEW when none is named).

    ``user`` None is the system itself (the demo builder): everything."""
    if user is None:
        return queryset.all()
    combined = None
    for action in actions or (Action.VIEW,):
        part = queryset.for_user(user, action)
        combined = part if combined is None else combined | part
    return combined


def by_key(
    queryset: ScopedQuerySet,
    user,
    *actions: str,
    key: Callable[[Any], Any] = lambda obj: obj.code,
) -> dict[Any, Any]:
    """The objects of ``queryset`` that ``user`` may reach for one of ``actions``, by ``key(obj)`` (the
    code): a code outside the scope is simply absent, as a code that does not exist."""
    return {key(obj): obj for obj in within_scope(queryset, user, *actions)}


def by_code(queryset: ScopedQuerySet, user, codes: Iterable[str], *actions: str) -> dict[str, Any]:
    """``by_key`` for a model with a ``code``: those of ``codes`` the user may reach."""
    return by_key(queryset.filter(code__in={code for code in codes if code}), user, *actions)


def not_found(kind: str, code: str = "") -> str:
    """The one message for "no such ..." and "outside your scope" (``kind``: organization, framework,
    meeting_framework, campaign, meeting; ``code``: what the row named)."""
    messages = {
        "organization": _("No organisation with code %(code)s in your scope."),
        "framework": _("No framework with code %(code)s in your scope."),
        "meeting_framework": _("No meeting-quality framework with code %(code)s in your scope."),
        "campaign": _("No campaign with code %(code)s in your scope."),
        "meeting": _("No such meeting in your scope: add it in the meetings sheet."),
    }
    return messages[kind] % {"code": code} if "%(code)s" in messages[kind] else messages[kind]


def code_taken(code: str) -> str:
    """A new object's code that another one already holds, wherever it is (codes are unique in the whole
    system, as on the pages): the message does not say whose it is or where."""
    return _("Code %(code)s is already taken: choose another.") % {"code": code}
