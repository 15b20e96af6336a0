"""Reads of report runs, always through the requesting user's scope."""

from __future__ import annotations

from cells.models import COMMITTEE_LEVELS, Organization
from cells.scoping import Action, get_scoped_or_404, user_memo, user_scope

from .models import ReportRun


def run_organizations(user):
    """The committees whose reports the list may be narrowed to (tree order): those the user may read."""
    return requestable_organizations(user).only("pk", "name", "depth", "path")


def runs_visible_to(user, organization: Organization | None = None):
    """The runs of the organisations the user may see, newest first (one query with what the list shows)."""
    qs = ReportRun.objects.for_user(user, Action.VIEW).select_related("organization", "requested_by")
    if organization is not None:
        qs = qs.filter(organization=organization)
    return qs.order_by("-requested_at", "-id")


def run_for_user(user, pk: int, action: str = Action.VIEW) -> ReportRun:
    """One run inside the user's scope for ``action``; 404 otherwise, like a run that does not exist."""
    return get_scoped_or_404(ReportRun.objects.select_related("organization", "requested_by"), user, action, pk=pk)


def requestable_organizations(user):
    """The committees the user may request reports for: those of the subtree they may read.

    Building a report changes no record, so leadership (who only read) ask for them as staff do; a
    secretary's or a supervisor's scope holds cells only, and reports are made for committees."""
    return (
        Organization.objects.for_user(user, Action.VIEW)
        .filter(level__in=COMMITTEE_LEVELS, is_active=True)
        .order_by("path")
    )


def user_may_request(user) -> bool:
    if user_scope(user, Action.VIEW).is_empty:
        return False
    return user_memo(user, "reports.may_request", lambda: requestable_organizations(user).exists())


def user_may_retry(user, run: ReportRun) -> bool:
    return user_scope(user, Action.MANAGE).covers(run.organization.path)


def viewable_committees(user, limit: int = 200):
    """Committees the user may look at, for the dashboard's organisation picker (tree order)."""
    return list(
        Organization.objects.for_user(user, Action.VIEW)
        .filter(level__in=COMMITTEE_LEVELS, is_active=True)
        .order_by("path")[:limit]
    )
