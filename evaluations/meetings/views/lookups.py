"""How the meeting pages find their objects: always through the scoping mechanism, so an object
outside the user's scope is a 404, the same page as one that does not exist."""

from __future__ import annotations

from cells.models import Organization
from cells.scoping import Action, get_scoped_or_404
from cells.selectors import scope_roots

from ..models import Meeting


def meeting_or_404(request, pk: int, action: str = Action.VIEW) -> Meeting:
    qs = Meeting.objects.select_related("organization__cell_type", "topic", "framework", "attending_supervisor")
    return get_scoped_or_404(qs, request.user, action, pk=pk)


def organization_or_404(request, pk: int, action: str = Action.VIEW) -> Organization:
    return get_scoped_or_404(Organization.objects.select_related("cell_type"), request.user, action, pk=pk)


def committee_of_page(request, org_pk) -> Organization | None:
    """The committee a list page is about: ``?org=`` inside the scope (else 404), or the user's first scope root."""
    if org_pk:
        return organization_or_404(request, org_pk)
    roots = scope_roots(request.user)
    return roots[0] if roots else None
