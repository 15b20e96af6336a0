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

from cells.models import CELL_LEVELS, MemberStatus, OfficerTerm, Organization, Position
from cells.models import Member as MemberModel


def short_date(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def existing_on(day: datetime.date) -> Q:
    """Organisations that existed on ``day``: established by then and not yet dissolved or merged."""
    return Q(names__valid_from__lte=day) & (Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=day))


def subtree_cells(organization: Organization, on: datetime.date) -> list[Organization]:
    """The cells under ``organization`` on ``on``, with type, parent and names (for name_on) loaded."""
    ids = (
        Organization.objects.subtree_of(organization).filter(level__in=CELL_LEVELS).filter(existing_on(on)).values("pk")
    )
    return list(
        Organization.objects.filter(pk__in=ids)
        .select_related("cell_type", "parent")
        .prefetch_related("names", "parent__names")
        .order_by("path")
    )


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
    rows = (
        MemberModel.objects.filter(organization__path__startswith=organization.path)
        .filter(Q(joined_on__isnull=True) | Q(joined_on__lte=on))
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=on))
        .values("organization_id", "status", "exempt")
        .annotate(n=Count("id"))
    )
    counts: dict[int, RosterCounts] = defaultdict(RosterCounts)
    for row in rows:
        entry = counts[row["organization_id"]]
        entry.members += row["n"]
        if row["status"] == MemberStatus.PROBATIONARY:
            entry.probationary += row["n"]
        else:
            entry.official += row["n"]
        if row["exempt"]:
            entry.exempt += row["n"]
    return counts


@dataclass
class Officers:
    positions: list[str] = field(default_factory=list)
    secretary: str = ""


def officers_on(organization: Organization, on: datetime.date) -> dict[int, Officers]:
    """The officer positions held in each organisation of the subtree on ``on`` (one query)."""
    rows = (
        OfficerTerm.objects.current(on)
        .filter(organization__path__startswith=organization.path)
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
    """The id of ``root``'s direct child on the way to ``descendant`` (None for ``root`` itself)."""
    parts = descendant.path.strip("/").split("/")
    if len(parts) <= root.depth + 1:
        return None
    return int(parts[root.depth + 1])


def meeting_period(period):
    """The meetings app's period (end exclusive) for one of ours (end inclusive); halves included."""
    import datetime as _dt

    from evaluations.meetings.selectors import Period as MeetingPeriod

    first, last = period.months
    return MeetingPeriod(period.code, period.start, period.end + _dt.timedelta(days=1), last - first + 1)


def percent_text(value) -> str:
    if value is None:
        return "–"
    return f"{value * 100:.1f}%".replace(".", ",")
