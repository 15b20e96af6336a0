"""Reads shared by report kinds: the cells of a subtree on a day, their rosters and officers.

Each helper is a fixed number of queries whatever the size of the subtree (a province of 5,000 cells
is read in a handful of queries), and prints organisations with the name they bore on that day.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.formats import date_format

from cells import history
from cells.history import ONE_DAY
from cells.models import CELL_LEVELS, MemberStatus, MemberTransfer, OfficerTerm, Organization, Position
from cells.models import Member as MemberModel


def short_date(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def subtree_cells(organization: Organization, on: datetime.date) -> list[Organization]:
    """The cells under ``organization`` on ``on`` as the tree stood that day (history rule), with their
    type loaded and, as attributes, the name (``name_then``), parent's name (``parent_name_then``)
    and path (``path_then``) of that day. Three queries whatever the size."""
    stood = {s.organization_id: s for s in history.standings_on(organization, on, levels=CELL_LEVELS)}
    cells = list(Organization.objects.filter(pk__in=list(stood)).select_related("cell_type"))
    parents = history.names_in_period({s.parent_id for s in stood.values() if s.parent_id}, on, on + ONE_DAY)
    for cell in cells:
        standing = stood[cell.pk]
        cell.name_then, cell.path_then = standing.name, standing.path
        cell.parent_id_then, cell.parent_name_then = standing.parent_id, parents.get(standing.parent_id, "")
    cells.sort(key=lambda cell: cell.path_then)
    return cells


@dataclass
class RosterCounts:
    members: int = 0
    official: int = 0
    probationary: int = 0
    exempt: int = 0

    def add(self, other: RosterCounts) -> None:
        self.members += other.members
        self.official += other.official
        self.probationary += other.probationary
        self.exempt += other.exempt


def roster_counts(organization: Organization, on: datetime.date) -> dict[int, RosterCounts]:
    """Members on each cell's roster on ``on``, by cell id (one aggregate query)."""
    ids = set(history.subtree_ids_on(organization, on))
    on_roster = Q(joined_on__isnull=True) | Q(joined_on__lte=on)
    on_roster &= Q(left_on__isnull=True) | Q(left_on__gt=on)
    rows = (
        MemberModel.objects.filter(organization_id__in=ids)
        .filter(on_roster)
        .values_list("organization_id", "status", "exempt")
        .annotate(n=Count("id"))
    )
    counts: dict[int, RosterCounts] = defaultdict(RosterCounts)
    for org_id, status, exempt, n in rows:
        _count(counts[org_id], status, exempt, n)
    # A member moved by a merge after ``on`` was on the roster of the cell they left: today's cell
    # gives them back, the first cell they left after that day takes them (one query).
    seen: set[int] = set()
    for member_id, from_id, current_id, status, exempt in (
        MemberTransfer.objects.filter(on__gt=on)
        .filter(Q(from_organization_id__in=ids) | Q(member__organization_id__in=ids))
        .filter(_prefixed(on_roster, "member__"))
        .order_by("member_id", "on", "id")
        .values_list("member_id", "from_organization_id", "member__organization_id", "member__status", "member__exempt")
    ):
        if member_id in seen:
            continue
        seen.add(member_id)
        if current_id in ids:
            _count(counts[current_id], status, exempt, -1)
        if from_id in ids:
            _count(counts[from_id], status, exempt, 1)
    return counts


def _count(entry: RosterCounts, status: str, exempt: bool, n: int) -> None:
    entry.members += n
    if status == MemberStatus.PROBATIONARY:
        entry.probationary += n
    else:
        entry.official += n
    if exempt:
        entry.exempt += n


def _prefixed(condition: Q, prefix: str) -> Q:
    """``condition`` on a related model: each lookup behind ``prefix``."""
    result = Q(_connector=condition.connector, _negated=condition.negated)
    for child in condition.children:
        if isinstance(child, Q):
            result.children.append(_prefixed(child, prefix))
        else:
            result.children.append((prefix + child[0], child[1]))
    return result


@dataclass
class Officers:
    positions: list[str] = field(default_factory=list)
    secretary: str = ""


def officers_on(organization: Organization, on: datetime.date) -> dict[int, Officers]:
    """The officer positions held in each organisation of the subtree on ``on`` (one query)."""
    rows = (
        OfficerTerm.objects.current(on)
        .filter(organization_id__in=history.subtree_ids_on(organization, on))
        .values_list("organization_id", "position", "member__full_name")
        .order_by("organization_id", "started_on")
    )
    result: dict[int, Officers] = defaultdict(Officers)
    for org_id, position, name in rows:
        entry = result[org_id]
        entry.positions.append(position)
        if position == Position.SECRETARY:
            entry.secretary = name
    return result


def child_of(root: Organization, descendant: Organization) -> int | None:
    """The id of ``root``'s direct child on the way to ``descendant`` (None for ``root`` itself), where
    ``descendant`` stood on the report's day when it was read by :func:`subtree_cells`."""
    return history.child_on_path(root.pk, getattr(descendant, "path_then", descendant.path))


def count_text(value: int) -> str:
    """A count in a sentence the Vietnamese way: "5.000", never "5000" or "5,0"."""
    return f"{int(value):,}".replace(",", ".")


def percent_text(value) -> str:
    if value is None:
        return "–"
    return f"{value * 100:.1f}%".replace(".", ",")
