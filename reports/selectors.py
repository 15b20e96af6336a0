"""Reads of report runs, always through the requesting user's scope."""

from __future__ import annotations

from cells.models import COMMITTEE_LEVELS, Organization
from cells.scoping import Action, get_scoped_or_404, user_scope

from .models import ReportRun


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
    """The committees the user may request reports for (staff: MANAGE on them)."""
    return (
        Organization.objects.for_user(user, Action.MANAGE)
        .filter(level__in=COMMITTEE_LEVELS, is_active=True)
        .order_by("path")
    )


def user_may_request(user) -> bool:
    return not user_scope(user, Action.MANAGE).is_empty


def user_may_retry(user, run: ReportRun) -> bool:
    return user_scope(user, Action.MANAGE).covers(run.organization.path)


def viewable_committees(user, limit: int = 200):
    """Committees the user may look at, for the dashboard's organisation picker (tree order)."""
    return list(
        Organization.objects.for_user(user, Action.VIEW)
        .filter(level__in=COMMITTEE_LEVELS, is_active=True)
        .order_by("path")[:limit]
    )
