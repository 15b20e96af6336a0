"""Reads of the organisation tree that are more than one queryset line."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.utils import timezone

from .models import (
    CELL_LEVELS,
    ROLE_ACTIONS,
    Member,
    OfficerTerm,
    Organization,
    Position,
    Role,
    RoleAssignment,
)
from .scoping import Action, get_scoped_or_404, user_memo, user_scope
from .text import fold


def _current_roles(user) -> list[tuple[str, str]]:
    """(role, organisation path) of the user's current role assignments: one query per request."""
    return user_memo(
        user,
        "roles",
        lambda: list(RoleAssignment.objects.current().filter(user=user).values_list("role", "organization__path")),
    )


def role_scope_paths(user, action: str) -> list[str]:
    """Scope provider: each current role assignment whose role allows ``action`` covers its subtree."""
    return [path for role, path in _current_roles(user) if action in ROLE_ACTIONS.get(role, ())]


def user_roles(user) -> set[str]:
    """The roles a user currently holds anywhere (for navigation; never for scope)."""
    if not user.is_authenticated:
        return set()
    return {role for role, _path in _current_roles(user)}


def scope_roots(user, action: str = Action.VIEW) -> list[Organization]:
    """The topmost organisations a user may see: where browsing the tree starts."""
    scope = user_scope(user, action)
    if scope.everything:
        return list(Organization.objects.filter(parent__isnull=True).select_related("cell_type"))
    return list(Organization.objects.filter(path__in=scope.paths).select_related("cell_type"))


def organization_search(user, query: str, limit: int = 50) -> list[Organization]:
    """Organisations in the user's scope whose name or code matches ``query``, ignoring diacritics and case."""
    folded = fold(query)
    if not folded:
        return []
    qs = Organization.objects.for_user(user, Action.VIEW).select_related("cell_type", "parent")
    condition = Q()
    for word in folded.split(" "):
        condition &= Q(name_folded__contains=word) | Q(code__icontains=word)
    return list(qs.filter(condition).order_by("depth", "name_folded")[:limit])


@dataclass
class Vacancy:
    position: str
    missing: int

    @property
    def label(self) -> str:
        return Position(self.position).label


@dataclass
class CommitteeSummary:
    """The current officers of an organisation and the seats still to fill (Y6)."""

    terms: list[OfficerTerm] = field(default_factory=list)
    vacancies: list[Vacancy] = field(default_factory=list)

    @property
    def is_complete(self) -> bool:
        return not self.vacancies


def officer_vacancies(*, committee_size: int, deputy_slots: int, held: Iterable[str]) -> list[Vacancy]:
    """Seats missing from a committee: one secretary, ``deputy_slots`` deputies, the rest ordinary members.

    A cell without a committee (``committee_size`` 0) still needs a secretary; its deputy seats count
    as given.
    """
    held = list(held)
    secretaries = held.count(Position.SECRETARY)
    deputies = held.count(Position.DEPUTY_SECRETARY)
    ordinary = held.count(Position.COMMITTEE_MEMBER)
    vacancies = []
    if secretaries < 1:
        vacancies.append(Vacancy(Position.SECRETARY, 1))
    if deputies < deputy_slots:
        vacancies.append(Vacancy(Position.DEPUTY_SECRETARY, deputy_slots - deputies))
    ordinary_seats = max(committee_size - 1 - deputy_slots, 0)
    if ordinary < ordinary_seats:
        vacancies.append(Vacancy(Position.COMMITTEE_MEMBER, ordinary_seats - ordinary))
    return vacancies


def committee_summary(organization: Organization, on: datetime.date | None = None) -> CommitteeSummary:
    seniority = {Position.SECRETARY: 0, Position.DEPUTY_SECRETARY: 1, Position.COMMITTEE_MEMBER: 2}
    terms = sorted(
        OfficerTerm.objects.current(on).filter(organization=organization).select_related("member"),
        key=lambda term: (seniority.get(term.position, 9), term.started_on, term.member.full_name_folded),
    )
    vacancies = officer_vacancies(
        committee_size=organization.committee_size,
        deputy_slots=organization.deputy_slots,
        held=[term.position for term in terms],
    )
    return CommitteeSummary(terms=terms, vacancies=vacancies)


def organization_detail(user, pk: int) -> Organization:
    """An organisation with what its page shows, inside the user's scope (404 otherwise)."""
    qs = Organization.objects.select_related("cell_type", "parent", "merged_into").prefetch_related(
        "intervals",
        Prefetch("children", queryset=Organization.objects.select_related("cell_type").order_by("name_folded")),
    )
    return get_scoped_or_404(qs, user, Action.VIEW, pk=pk)


def roster(organization: Organization, include_former: bool = False):
    qs = Member.objects.filter(organization=organization)
    if not include_former:
        qs = qs.current()
    return qs.order_by("full_name_folded", "code")


def subtree_counts(organization: Organization) -> dict[str, int]:
    """How many cells and current members lie in an organisation's subtree (two aggregate queries)."""
    cells = Organization.objects.subtree_of(organization).filter(level__in=CELL_LEVELS, is_active=True).count()
    members = Member.objects.current().filter(organization__path__startswith=organization.path).count()
    return {"cells": cells, "members": members}


def user_can_manage(user, organization: Organization) -> bool:
    return user_scope(user, Action.MANAGE).covers(organization.path)


def local_today() -> datetime.date:
    return timezone.localdate()


def is_cell_officer(user, organization: Organization, on: datetime.date | None = None) -> bool:
    """Whether ``user`` currently holds the cell's own office (its secretary's or deputy's account).

    Separation of duties asks it: a cell's officers record and self-assess, so they never appraise
    the cell nor supervise it."""
    if user is None or not getattr(user, "pk", None):
        return False
    return organization.pk in cell_officer_organization_ids(user, on)


def cell_officer_organization_ids(user, on: datetime.date | None = None) -> set[int]:
    """The cells whose office ``user`` currently holds (cached on the user for the request)."""
    cache = user.__dict__.setdefault("_chibo_officer_cache", {})
    key = on or timezone.localdate()
    if key not in cache:
        cache[key] = set(
            RoleAssignment.objects.current(on)
            .filter(user=user, role=Role.SECRETARY)
            .values_list("organization_id", flat=True)
        )
    return cache[key]


def current_role_users(
    organizations: Iterable[Organization] | None = None,
    *,
    under: Organization | None = None,
    roles: Iterable[str] | None = None,
):
    """Active users holding a current role on one of ``organizations`` or anywhere in ``under``'s subtree.

    Ended roles are never offered: every list of people to choose from starts here."""
    from django.contrib.auth import get_user_model

    condition = Q()
    if organizations is not None:
        condition |= Q(organization__in=list(organizations))
    if under is not None:
        condition |= Q(organization__path__startswith=under.path)
    assignments = RoleAssignment.objects.current().filter(condition)
    if roles is not None:
        assignments = assignments.filter(role__in=list(roles))
    user_ids = assignments.values("user_id")
    return get_user_model().objects.filter(pk__in=user_ids, is_active=True)


def cell_officer_users(cell: Organization):
    """Users who currently hold a cell's office: never offered as its supervisors."""
    return RoleAssignment.objects.current().filter(organization=cell, role=Role.SECRETARY).values("user_id")


def cell_officer_users_cells(user):
    """The cells whose office ``user`` currently holds, as a subquery (no query of its own)."""
    return RoleAssignment.objects.current().filter(user=user, role=Role.SECRETARY).values("organization_id")


def secretaries_of(cell_ids) -> dict[int, list]:
    """The current secretaries' accounts of each of these organisations, by organisation id."""
    result: dict[int, list] = {}
    for assignment in (
        RoleAssignment.objects.current()
        .filter(role=Role.SECRETARY, organization_id__in=cell_ids)
        .select_related("user")
    ):
        result.setdefault(assignment.organization_id, []).append(assignment.user)
    return result


def secretary_users(cell_ids) -> list:
    """Everyone who is currently the secretary of one of these organisations (whom a notice goes to)."""
    return [user for users in secretaries_of(list(cell_ids)).values() for user in users]
