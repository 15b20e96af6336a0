"""The tree as it stood: reads over :class:`OrganizationInterval` (WORKBOOK.md, the history rule).

Current work (forms, queues, reminders, scope) reads :class:`Organization`, today's tree. Anything
about a past period reads here: the organisations of a committee's subtree that existed on at least
one day of the period, each placed where it stood, and named as it was, on its last day in it. An
organisation belongs to one subtree per period, the one it stood in on that last day (a cell moved on
1 July is in its new committee's year with all twelve months, and not in its old one's), and counts
the months of the period on whose first day it existed, wherever it stood then.

Every function is a fixed number of queries whatever the size of the subtree: the root's own
intervals (a handful of rows), then one prefix query on the interval table's path index.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import CELL_LEVELS, EARLIEST, PATH_SEGMENT_WIDTH, Organization, OrganizationInterval

ONE_DAY = datetime.timedelta(days=1)
# The day after any period: "until now and on" for a whole history.
FOREVER = datetime.date(9999, 1, 1)


def _prefix(lookup: str, prefix: str) -> Q:
    """``lookup`` starts with ``prefix``; on SQLite as a range, which its index serves where LIKE cannot."""
    if connection.vendor == "sqlite" and prefix.endswith("/"):
        return Q(**{f"{lookup}__gte": prefix, f"{lookup}__lt": prefix[:-1] + "0"})
    return Q(**{f"{lookup}__startswith": prefix})


def absence_during(organization: Organization, start: datetime.date, end: datetime.date, period_label: str):
    """None when ``organization`` existed on a day of [start, end); otherwise why a ranking or a report of
    that period cannot be made for it, for the user (one query)."""
    if OrganizationInterval.objects.filter(organization=organization).overlapping(start, end).exists():
        return None
    return absence_text(organization, period_label)


def absence_text(organization: Organization, period_label: str) -> str:
    return _("%(org)s did not exist in %(period)s: nothing can be ranked or reported for it then.") % {
        "org": organization.name,
        "period": period_label,
    }


def name_during(organization: Organization, start: datetime.date, end: datetime.date) -> str | None:
    """The organisation's name on its last day in [start, end) (a page's heading of a past period), or None
    when it did not exist then (one query)."""
    names = (
        OrganizationInterval.objects.filter(organization=organization)
        .overlapping(start, end)
        .order_by("-valid_from")
        .values_list("name", flat=True)[:1]
    )
    return next(iter(names), None)


def _last_in_period(end: datetime.date) -> Q:
    """An interval that is its organisation's last in a period ending before ``end``: it runs to the period's
    end, or the organisation ended with it (no state follows it; an organisation's states follow one
    another without gaps, so a successor would begin the day this one ends)."""
    successor = OrganizationInterval.objects.filter(
        organization_id=OuterRef("organization_id"), valid_from=OuterRef("valid_to")
    )
    return Q(valid_to__isnull=True) | Q(valid_to__gte=end) | ~Exists(successor)


def _under(root: Organization, start: datetime.date, end: datetime.date) -> Q | None:
    """Intervals that lay under ``root`` (or are its own) on a day of [start, end); None when ``root`` did
    not exist then. One query, for the root's own intervals: a path of a time holds the root's id only
    while the root stood above it, so each of the root's states is a prefix for the days it held."""
    roots = list(
        OrganizationInterval.objects.filter(organization=root)
        .overlapping(start, end)
        .values_list("path", "valid_from", "valid_to")
    )
    if not roots:
        return None
    condition = Q()
    for path, valid_from, valid_to in roots:
        lo, hi = max(start, valid_from), min(end, valid_to) if valid_to else end
        condition |= _prefix("path", path) & Q(valid_from__lt=hi) & (Q(valid_to__isnull=True) | Q(valid_to__gt=lo))
    return condition


def _standing_intervals(root: Organization, start: datetime.date, end: datetime.date, *, levels=None):
    """Each organisation's last interval in [start, end), where it lies under ``root`` (``root`` included).

    This is where the history rule decides who belongs to a committee's subtree in a period: an
    organisation that existed on a day of it belongs where it stood on its last day in it, and only
    there (a cell moved on 1 July is in its new parent's year, not in its old one's). The returned
    queryset is one indexed query (or a subquery).
    """
    condition = _under(root, start, end)
    if condition is None:
        return OrganizationInterval.objects.none()
    qs = OrganizationInterval.objects.filter(condition).overlapping(start, end).filter(_last_in_period(end))
    if levels:
        qs = qs.filter(level__in=levels)
    return qs


def subtree_ids(root: Organization, start: datetime.date, end: datetime.date, *, levels=None):
    """The ids of the organisations of ``root``'s subtree in [start, end) by the history rule, as a subquery:
    those that existed on a day of the period and stood under ``root`` on their last day in it
    (``levels``: the level they had then)."""
    return _standing_intervals(root, start, end, levels=levels).order_by().values_list("organization_id", flat=True)


def subtree_intervals(root: Organization, start: datetime.date, end: datetime.date, *, levels=None):
    """Every interval in [start, end) of the organisations of :func:`subtree_ids`, wherever they stood then:
    the latest says where an organisation is placed and how it is named, all of them which months of the
    period it existed on the first day of (``meetings_expected``)."""
    return OrganizationInterval.objects.filter(
        organization_id__in=subtree_ids(root, start, end, levels=levels)
    ).overlapping(start, end)


def ever_in_subtree_ids(root: Organization):
    """Every organisation that stood under ``root`` on any day, wherever it went afterwards (the steps of a
    subtree's history). Not a period's subtree: that is :func:`subtree_ids`."""
    condition = _under(root, EARLIEST, FOREVER)
    if condition is None:
        return OrganizationInterval.objects.none().values_list("organization_id", flat=True)
    return OrganizationInterval.objects.filter(condition).order_by().values_list("organization_id", flat=True)


def subtree_ids_on(root: Organization, day: datetime.date, *, levels=None):
    return subtree_ids(root, day, day + ONE_DAY, levels=levels)


@dataclass
class Standing:
    """An organisation as it stood on its last day in a period: its place, name and level then."""

    organization_id: int
    code: str
    name: str
    level: str
    parent_id: int | None
    path: str
    depth: int
    cell_type_id: int | None
    cell_type_code: str
    cell_type_name: str
    # The first days of the period's months on which it existed in the subtree.
    months: set = field(default_factory=set)

    @property
    def months_existing(self) -> int:
        return len(self.months)


def _month_firsts(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    firsts, day = [], start.replace(day=1)
    if day < start:
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    while day < end:
        firsts.append(day)
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    return firsts


STANDING_FIELDS = (
    "organization_id", "valid_from", "valid_to", "name", "level", "parent_id", "path", "depth",
    "organization__code", "organization__cell_type_id", "organization__cell_type__code",
    "organization__cell_type__name",
)  # fmt: skip


def standings(
    root: Organization, start: datetime.date, end: datetime.date, *, levels=None, cell_type: str | None = None
) -> list[Standing]:
    """Every organisation of ``root``'s subtree in [start, end), as it stood on its last day in it
    (two queries). Ordered by that path, so a list reads in the tree order of the time."""
    qs = subtree_intervals(root, start, end, levels=levels)
    if cell_type:
        qs = qs.filter(organization__cell_type__code=cell_type)
    return standings_of(qs, start, end)


def standings_of(intervals, start: datetime.date, end: datetime.date) -> list[Standing]:
    """``intervals`` (of :func:`subtree_intervals`) read as standings: one query."""
    firsts = _month_firsts(start, end)
    first, last = (firsts[0], firsts[-1]) if firsts else (end, start)
    result: dict[int, Standing] = {}
    latest: dict[int, datetime.date] = {}
    for (
        org_id,
        valid_from,
        valid_to,
        name,
        level,
        parent_id,
        path,
        depth,
        code,
        ct_id,
        ct_code,
        ct_name,
    ) in intervals.order_by().values_list(*STANDING_FIELDS):
        entry = result.get(org_id)
        if entry is None or valid_from > latest[org_id]:
            months = entry.months if entry else set()
            entry = result[org_id] = Standing(
                org_id, code, name, level, parent_id, path, depth, ct_id, ct_code or "", ct_name or "", months
            )
            latest[org_id] = valid_from
        if valid_from <= first and (valid_to is None or last < valid_to):
            entry.months.update(firsts)  # most intervals span the whole period
        else:
            entry.months.update(d for d in firsts if valid_from <= d and (valid_to is None or d < valid_to))
    return sorted(result.values(), key=lambda s: s.path)


def standings_on(root: Organization, day: datetime.date, **kwargs) -> list[Standing]:
    return standings(root, day, day + ONE_DAY, **kwargs)


def stood_in_period(organization_ids, start: datetime.date, end: datetime.date) -> dict[int, Standing]:
    """Each of these organisations as it stood on its last day in [start, end), by id (one query; for the
    participants of a campaign, parents and headings). An organisation that did not exist then is left out."""
    ids = organization_ids if isinstance(organization_ids, QuerySet) else list(organization_ids)
    intervals = OrganizationInterval.objects.filter(organization_id__in=ids).overlapping(start, end)
    return {standing.organization_id: standing for standing in standings_of(intervals, start, end)}


def names_in_period(organization_ids, start: datetime.date, end: datetime.date) -> dict[int, str]:
    """Each organisation's name on its last day in [start, end) (one query; for parents and headings)."""
    return {org_id: standing.name for org_id, standing in stood_in_period(organization_ids, start, end).items()}


def cells_in_period(root: Organization, start: datetime.date, end: datetime.date, **kwargs) -> list[Standing]:
    return standings(root, start, end, levels=CELL_LEVELS, **kwargs)


def child_on_path(root_id: int, path: str) -> int | None:
    """The id of the root's direct child on the way down ``path`` (a path of any time: the root's own
    place may have changed, so it is found by its id, not by its depth today)."""
    parts = path.strip("/").split("/")
    segment = f"{root_id:0{PATH_SEGMENT_WIDTH}d}"
    if segment not in parts:
        return None
    position = parts.index(segment)
    return int(parts[position + 1]) if len(parts) > position + 1 else None


# --- Records in the way of an end ------------------------------------------------------------------

RECORD_LIMIT = 10


def records_from(organization: Organization, day: datetime.date) -> list[str]:
    """What ``organization`` recorded dated on or after ``day`` (meetings, registrations), in words.

    An organisation that has such records cannot end on ``day``: they would belong to nothing.
    The apps' models are looked up by name, so the tree does not import the evaluations app.
    """
    found: list[str] = []
    meeting = apps.get_model("evaluations", "Meeting")
    for date, kind in (
        meeting.objects.filter(organization=organization, date__gte=day).order_by("date").values_list("date", "kind")
    )[: RECORD_LIMIT + 1]:
        found.append(_meeting_text(meeting, date, kind))
    registration = apps.get_model("evaluations", "Registration")
    for registered_on, campaign in (
        registration.objects.filter(organization=organization, registered_on__gte=day)
        .order_by("registered_on")
        .values_list("registered_on", "campaign__name")
    )[: RECORD_LIMIT + 1]:
        found.append(
            _("the registration for %(campaign)s of %(date)s")
            % {"campaign": campaign, "date": date_format(registered_on, "SHORT_DATE_FORMAT")}
        )
    return found


def _meeting_text(meeting_model, date, kind) -> str:
    labels = dict(meeting_model._meta.get_field("kind").choices)
    return _("the %(kind)s meeting of %(date)s") % {
        "kind": str(labels.get(kind, kind)).lower(),
        "date": date_format(date, "SHORT_DATE_FORMAT"),
    }


def records_in_the_way(organization: Organization, day: datetime.date) -> str:
    """The refusal's text naming the records, or "" when nothing is in the way."""
    found = records_from(organization, day)
    if not found:
        return ""
    shown = ", ".join(found[:RECORD_LIMIT])
    more = len(found) - RECORD_LIMIT
    text = _("%(org)s has records dated on or after %(date)s: %(records)s") % {
        "org": organization.name,
        "date": date_format(day, "SHORT_DATE_FORMAT"),
        "records": shown,
    }
    if more > 0:
        text += " " + _("and more")
    return text + "."
