"""Who may do what: the one table of rights that views, imports and tasks ask.

Scope (``cells/scoping.py``) says *where* a user may do an action. A right says whether *this* user
may do *this* thing to *this* object *now*: the scope of the right's action, the state the object is
in (draft, submitted, appraised, confirmed) and separation of duties (nobody appraises what they
recorded). Each app declares its rights beside its models (``evaluations/meetings/rights.py``...);
services call :func:`require` before they write, so a page, a workbook import and a task obey the
same rule, and pages call :func:`allowed` to hide what the user cannot do.

``user`` None is the system itself (the demo builder, a migration): it passes the scope and duty
checks but not the state checks, which hold for everyone. An unsaved user (the command line without
``--user``, WORKBOOK.md "Common rules") is nobody: it has the whole tree in scope, and since what it
did is nobody's own, no duty check can refuse it. Two absent users are never the same person
(:func:`same_person`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from .scoping import user_scope

# A check returns why the right is refused (a translated sentence), or None when it is granted.
Check = Callable[[object, object], "str | None"]


@dataclass(frozen=True)
class Right:
    """One thing a user may do to one kind of object.

    ``action`` is the scope it needs (on the organisation ``organization_of(obj)`` returns);
    ``state`` refuses by the object's state (for everyone, the system included); ``duty`` refuses by
    who the user is to the object (separation of duties)."""

    name: str
    action: str
    organization_of: Callable[[object], object]
    state: Check | None = None
    duty: Check | None = None
    # A right whose reach is not a subtree (a framework readable from below its owner) checks it itself.
    scope: Check | None = None


RIGHTS: dict[str, Right] = {}


def declare(
    name: str,
    action: str,
    *,
    organization_of=lambda obj: obj,
    state: Check | None = None,
    duty: Check | None = None,
    scope: Check | None = None,
) -> Right:
    """Add a right to the table (each app does so in its ``rights.py``, loaded when the app is ready)."""
    declared = Right(name=name, action=action, organization_of=organization_of, state=state, duty=duty, scope=scope)
    RIGHTS[name] = declared
    return declared


def _is_system(user) -> bool:
    return user is None


def is_nobody(user) -> bool:
    """The system, or the command line without ``--user``: no person, so no duty of theirs to conflict."""
    return user is None or getattr(user, "pk", None) is None


def same_person(user, user_id: int | None) -> bool:
    """Whether ``user`` is the person a record keeps as ``user_id``.

    An absent user is no one: nobody (the command line) and a record that kept no one are never the
    same person, so an import run without ``--user`` never counts as anyone's own work."""
    return user_id is not None and not is_nobody(user) and user.pk == user_id


def refusal(user, name: str, obj) -> tuple[str, str] | None:
    """Why ``user`` may not do ``name`` to ``obj``: ("scope" | "state" | "duty", reason), or None."""
    right = RIGHTS[name]
    if not _is_system(user) and right.scope is not None:
        if reason := right.scope(user, obj):
            return "scope", reason
    elif not _is_system(user):
        organization = right.organization_of(obj)
        if not user_scope(user, right.action).covers(organization.path):
            return "scope", _("You may not do this for %(org)s.") % {"org": organization}
    if right.state is not None and (reason := right.state(user, obj)):
        return "state", reason
    if not is_nobody(user) and right.duty is not None and (reason := right.duty(user, obj)):
        return "duty", reason
    return None


def allowed(user, name: str, obj) -> bool:
    """Whether ``user`` may do ``name`` to ``obj`` now (pages use it to show or hide an action)."""
    return refusal(user, name, obj) is None


def require(user, name: str, obj) -> None:
    """Refuse a service call: PermissionDenied outside scope, ValidationError (with the reason) otherwise."""
    refused = refusal(user, name, obj)
    if refused is None:
        return
    kind, reason = refused
    if kind == "scope":
        raise PermissionDenied(reason)
    raise ValidationError(reason)
