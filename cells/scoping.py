"""The one mechanism that decides what a user may see and change.

Every scoped model has a materialized path to the organisation it belongs to (its
``scope_path_lookup``) and a manager built from :class:`ScopedQuerySet`. Every view, export, report
and task reaches objects through ``Model.objects.for_user(user, action)``; an object outside the
result is answered with 404, exactly like one that does not exist.

A user's scope for an action is a set of path prefixes, gathered from *scope providers*. The cells
app provides the one from role assignments (a role on an organisation covers its subtree); other
apps register more (the evaluations app adds the cells a supervisor is assigned to).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    """What a user wants to do with an object."""

    VIEW = "view", _("View")
    # Keep the tree, rosters, officers and roles; publish frameworks and plans.
    MANAGE = "manage", _("Manage")
    # A cell's own records: meetings, self-assessments, registrations.
    RECORD = "record", _("Record")
    # Appraise what a cell recorded (supervisors: meetings; organizing staff: annual results).
    APPRAISE = "appraise", _("Appraise")


@dataclass(frozen=True)
class Scope:
    """Where a user may do one action: everywhere, or below any of some path prefixes."""

    everything: bool = False
    paths: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.everything and not self.paths

    def covers(self, path: str) -> bool:
        return self.everything or any(path.startswith(prefix) for prefix in self.paths)


ScopeProvider = Callable[[object, str], Iterable[str]]
_providers: list[ScopeProvider] = []


def register_scope_provider(provider: ScopeProvider) -> ScopeProvider:
    """Add a function ``(user, action) -> path prefixes`` to the providers every scope is built from."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def minimal_prefixes(paths: Iterable[str]) -> tuple[str, ...]:
    """Drop every path that lies under another one: the filter stays as short as possible."""
    kept: list[str] = []
    for path in sorted(set(paths)):
        if not kept or not path.startswith(kept[-1]):
            kept.append(path)
    return tuple(kept)


def user_scope(user, action: str) -> Scope:
    """The scope of ``user`` for ``action``, cached on the user object for the rest of the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope()
    if user.is_superuser:
        return Scope(everything=True)
    cache = user.__dict__.setdefault("_chibo_scope_cache", {})
    if action not in cache:
        paths: list[str] = []
        for provider in _providers:
            paths.extend(provider(user, action))
        cache[action] = Scope(paths=minimal_prefixes(paths))
    return cache[action]


def forget_user_scope(user) -> None:
    """Drop the cached scope (after a role changes within the same request or test)."""
    for key in ("_chibo_scope_cache", "_chibo_memo", "_chibo_roles_cache"):
        user.__dict__.pop(key, None)


def user_memo(user, key: str, compute: Callable[[], object]):
    """A value computed once per user object, that is once per request: the rows scope providers read
    (a page asks the scope of three or four actions; each provider queries once, not once per action).
    ``forget_user_scope`` drops it."""
    memo = user.__dict__.setdefault("_chibo_memo", {})
    if key not in memo:
        memo[key] = compute()
    return memo[key]


class ScopedQuerySet(models.QuerySet):
    """A queryset that can be restricted to what a user may do.

    The model names the path of its organisation in ``scope_path_lookup``: ``"path"`` for an
    organisation itself, ``"organization__path"`` for what belongs to one.
    """

    def for_user(self, user, action: str = Action.VIEW) -> ScopedQuerySet:
        scope = user_scope(user, action)
        if scope.everything:
            return self.all()
        if not scope.paths:
            return self.none()
        lookup = f"{self.model.scope_path_lookup}__startswith"
        condition = Q()
        for prefix in scope.paths:
            condition |= Q(**{lookup: prefix})
        return self.filter(condition)


def get_scoped_or_404(queryset: ScopedQuerySet, user, action: str = Action.VIEW, **lookup):
    """The object matching ``lookup`` inside the user's scope, or 404 with the same page as a missing one."""
    try:
        return queryset.for_user(user, action).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(_("Not found.")) from exc


def user_can(user, action: str, obj) -> bool:
    """Whether ``user`` may do ``action`` on ``obj`` (a model instance with a scope path)."""
    path = obj
    for part in type(obj).scope_path_lookup.split("__"):
        path = getattr(path, part)
    return user_scope(user, action).covers(path)


def require_scope(user, action: str, organization) -> None:
    """Refuse (PermissionDenied) a service call for an organisation outside the user's scope.

    ``user`` None is the system itself (the demo builder, a workbook import that checked scope row by row)."""
    if user is not None and not user_scope(user, action).covers(organization.path):
        raise PermissionDenied(_("You may not do this for %(org)s.") % {"org": organization})
