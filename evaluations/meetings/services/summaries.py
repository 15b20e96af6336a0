"""Meeting figures kept on write (``evaluations.meetings.summary_models``): the one writer of those rows.

**What is kept.** For every organisation and month, its own meetings counted by kind, status, final level
and rubric, with the sum of their final totals and how many had the key criteria full and every group
achieved (``MeetingMonthFigures``); and, for every committee, the same figures over its whole subtree as
the history rule places it (``SubtreeMonthFigures``): an organisation counts, for a year, in the subtree
of every organisation on the path it stood at on its last day in that year (itself included), which is
``cells.history.subtree_ids`` read once per organisation instead of once per request. The subtree rows
are split by the organisation's cell type (the dashboard's second chart). A province's year is then a few
hundred rows whatever its size, instead of the ~60,000 meetings (or as many organisation-month rows) the
dashboard and the briefing grouped on every request.

**Why this design** (per ancestor, kept by deltas): a secretary's submit changes one meeting; its old
figures are taken off and its new ones added, to its own row and to one row of each committee above it
(three or four), in three statements (one upsert per table and the version), a few milliseconds. Each
statement adds to the existing values (``INSERT … ON CONFLICT … DO UPDATE SET n = n + excluded.n``),
so two submits at once never lose each other's figures, and the rows are written in key order, so they
cannot deadlock. Rows that fall to zero stay (readers add them up). The cost moves to the tree's rare
changes: a move, merge or end re-reads where the organisations concerned stood in each year they have
figures and, where that changed, moves their figures from the old committees to the new ones
(``cells.summaries.tree_change`` calls :class:`TreeFigures` around each change, in its transaction).

**Who calls.** Every service that changes a meeting: it takes the meeting's figures as they were when it
locked the row (:func:`remember`, called by ``recording._locked``) and, after saving, calls
:func:`meeting_saved` (create, update, self-assess and submit, appraise with fact corrections, reopen, the
checklist's documents day and the signed minutes' filing day, which rescore; the workbook's sheets come
through the same services). Bulk inserts (the demo and benchmark builders) end with
:func:`rebuild_meeting_summaries` (``manage.py rebuild_summaries``). A property test
(tests/evaluations/meetings/test_summaries_property.py) checks the rows against a recomputation from the
meetings with ``cells.history`` after random sequences of service calls.

**The version.** :func:`figures_version` (one query on a unique key) is a number per committee and year
that changes in the same transaction as any change to that subtree's figures of that year (a meeting, the
tree's history, a rebuild; campaign summaries call :func:`bump_versions` too). A cache of a page of
``committee`` for a period within ``year`` may key on it: an unchanged version means unchanged figures.
Compare versions for equality only: each change draws a new random 62-bit number rather than adding one,
so a version seen inside a transaction that was rolled back is never given again to other figures.
"""

from __future__ import annotations

import datetime
import secrets
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Q, Sum
from django.utils import timezone

from cells.models import PATH_SEGMENT_WIDTH, Organization, OrganizationInterval
from cells.summaries import register_rebuilder, register_tree_listener

from ..models import Meeting
from ..summary_models import FiguresVersion, MeetingMonthFigures, SubtreeMonthFigures

MEASURES = ("meetings", "totalled", "total_hundredths", "key_full", "all_achieved")
ORG_KEY = ("organization_id", "year", "month", "kind", "status", "final_level", "framework")
SUBTREE_KEY = ("committee_id", "year", "month", "kind", "status", "final_level", "cell_type")
BATCH = 500


@dataclass(frozen=True)
class Contribution:
    """What one meeting adds to the figures: its keys and its measures."""

    organization_id: int
    cell_type: int
    year: int
    month: int
    kind: str
    status: str
    final_level: str
    framework: int
    measures: tuple[int, int, int, int, int]

    @property
    def org_key(self) -> tuple:
        return (self.organization_id, self.year, self.month, self.kind, self.status, self.final_level, self.framework)

    def subtree_key(self, committee_id: int) -> tuple:
        return (committee_id, self.year, self.month, self.kind, self.status, self.final_level, self.cell_type)


def hundredths(total) -> int:
    return int((Decimal(total) * 100).to_integral_value())


def contribution(meeting: Meeting) -> Contribution:
    total = meeting.final_total
    return Contribution(
        organization_id=meeting.organization_id,
        cell_type=meeting.organization.cell_type_id or 0,
        year=meeting.date.year,
        month=meeting.date.month,
        kind=meeting.kind,
        status=meeting.status,
        final_level=meeting.final_level or "",
        framework=meeting.framework_id or 0,
        measures=(
            1,
            int(total is not None),
            hundredths(total) if total is not None else 0,
            int(bool(meeting.final_key_full)),
            int(bool(meeting.final_all_achieved)),
        ),
    )


def remember(meeting: Meeting) -> Meeting:
    """Keep the meeting's figures as locked (before a service changes it): :func:`meeting_saved` takes them off."""
    meeting._summary_before = contribution(meeting)
    return meeting


def meeting_saved(meeting: Meeting) -> None:
    """After a service saved ``meeting``: its figures as remembered (none for a new meeting) are taken off the
    summaries and its figures now added, in this transaction. Calling it again without a change does nothing."""
    before = getattr(meeting, "_summary_before", None)
    after = contribution(meeting)
    if before != after:
        _apply([(before, -1), (after, 1)] if before else [(after, 1)])
    meeting._summary_before = after


def meeting_deleted(meeting: Meeting) -> None:
    """After a service deleted ``meeting`` (remembered when locked): its figures are taken off."""
    before = getattr(meeting, "_summary_before", None) or contribution(meeting)
    _apply([(before, -1)])


# --- Applying deltas ----------------------------------------------------------------------------------


def _apply(changes: list[tuple[Contribution, int]]) -> None:
    org_rows: dict[tuple, list[int]] = defaultdict(lambda: [0] * len(MEASURES))
    for change, sign in changes:
        _add_into(org_rows[change.org_key], change.measures, sign)
    paths = standing_paths({c.organization_id for c, _s in changes}, {c.year for c, _s in changes})
    subtree_rows: dict[tuple, list[int]] = defaultdict(lambda: [0] * len(MEASURES))
    touched = set()
    for change, sign in changes:
        for committee_id in path_ids(paths.get((change.organization_id, change.year), "")):
            _add_into(subtree_rows[change.subtree_key(committee_id)], change.measures, sign)
            touched.add((committee_id, change.year))
    _upsert(MeetingMonthFigures, ORG_KEY, org_rows)
    _upsert(SubtreeMonthFigures, SUBTREE_KEY, subtree_rows)
    bump_versions(touched)


def _add_into(values: list[int], measures, sign: int) -> None:
    for i, value in enumerate(measures):
        values[i] += sign * value


def path_ids(path: str) -> list[int]:
    width = PATH_SEGMENT_WIDTH + 1
    return [int(path[i : i + PATH_SEGMENT_WIDTH]) for i in range(0, len(path), width)]


def _year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)


def standing_paths(organization_ids, years) -> dict[tuple[int, int], str]:
    """(organisation, year) -> the path it stood at on its last day in that year (cells.history's rule), for
    the years it existed in; one query."""
    if not organization_ids or not years:
        return {}
    start, end = datetime.date(min(years), 1, 1), datetime.date(max(years) + 1, 1, 1)
    intervals = (
        OrganizationInterval.objects.filter(organization_id__in=sorted(organization_ids), valid_from__lt=end)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=start))
        .order_by("valid_from")
        .values_list("organization_id", "valid_from", "valid_to", "path")
    )
    return _standings(intervals, years)


def _standings(intervals, years) -> dict[tuple[int, int], str]:
    """From intervals ordered by start: the latest one overlapping each year wins, for each organisation."""
    found: dict[tuple[int, int], str] = {}
    for org_id, valid_from, valid_to, path in intervals:
        for year in years:
            first, after = _year_bounds(year)
            if valid_from < after and (valid_to is None or valid_to > first):
                found[(org_id, year)] = path
    return found


def _upsert(model, key: tuple[str, ...], rows: dict[tuple, list[int]]) -> None:
    """Add ``rows`` (key -> measures) to the model's rows in one statement per batch, creating missing ones."""
    items = sorted((k, v) for k, v in rows.items() if any(v))
    if not items:
        return
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    columns = [qn(model._meta.get_field(name.removesuffix("_id")).column) for name in key]
    measures = [qn(name) for name in MEASURES]
    placeholders = "(" + ", ".join(["%s"] * (len(columns) + len(measures))) + ")"
    update = ", ".join(f"{m} = {table}.{m} + excluded.{m}" for m in measures)
    into, conflict = ", ".join(columns + measures), ", ".join(columns)
    with connection.cursor() as cursor:
        for i in range(0, len(items), BATCH):
            batch = items[i : i + BATCH]
            values = ", ".join([placeholders] * len(batch))
            # Names come from the models and values go as parameters: nothing typed reaches the text.
            sql = f"INSERT INTO {table} ({into}) VALUES {values} ON CONFLICT ({conflict}) DO UPDATE SET {update}"  # noqa: S608  # nosec B608
            cursor.execute(sql, [value for k, v in batch for value in (*k, *v)])


def bump_versions(keys) -> None:
    """Give each (committee, year) in ``keys`` a new version, in this transaction (one statement per batch)."""
    items = sorted(set(keys))
    if not items:
        return
    qn = connection.ops.quote_name
    table = qn(FiguresVersion._meta.db_table)
    with connection.cursor() as cursor:
        for i in range(0, len(items), BATCH):
            batch = items[i : i + BATCH]
            values = ", ".join(["(%s, %s, %s)"] * len(batch))
            on_conflict = "ON CONFLICT (committee_id, year) DO UPDATE SET version = excluded.version"
            sql = f"INSERT INTO {table} (committee_id, year, version) VALUES {values} {on_conflict}"  # noqa: S608  # nosec B608
            cursor.execute(sql, [value for key in batch for value in (*key, secrets.randbits(62))])


def figures_version(committee: Organization | int, year: int) -> int:
    """The version of ``committee``'s subtree figures for ``year`` (0 before any change): one query."""
    committee_id = getattr(committee, "pk", committee)
    found = FiguresVersion.objects.filter(committee_id=committee_id, year=year).values_list("version", flat=True)
    return next(iter(found), 0)


# --- The tree changes ----------------------------------------------------------------------------------


class TreeFigures:
    """Told by ``cells.summaries.tree_change`` around a change of the tree's history: the figures of each
    organisation whose standing (path on its last day in a year, or cell type) changed in a year it has
    figures for move from the committees it stood under to the ones it stands under now."""

    def before(self, organization_ids: list[int], since: datetime.date):
        pairs = set(
            MeetingMonthFigures.objects.filter(organization_id__in=organization_ids, year__gte=since.year)
            .values_list("organization_id", "year")
            .distinct()
        )
        return organization_ids, since, pairs, self._standing(pairs)

    def _standing(self, pairs) -> dict[tuple[int, int], tuple[str, int]]:
        orgs = {org for org, _year in pairs}
        paths = standing_paths(orgs, {year for _org, year in pairs})
        types = dict(Organization.objects.filter(pk__in=sorted(orgs)).values_list("pk", "cell_type_id")) if orgs else {}
        return {pair: (paths.get(pair, ""), types.get(pair[0]) or 0) for pair in pairs}

    def after(self, token) -> None:
        organization_ids, since, pairs, before = token
        after = self._standing(pairs)
        moved = {pair for pair in pairs if before[pair] != after[pair]}
        touched = set()
        if moved:
            touched = self._move(moved, before, after)
        touched |= self._renamed(organization_ids, since)
        bump_versions(touched)

    def _move(self, moved, before, after) -> set:
        rows = MeetingMonthFigures.objects.filter(
            organization_id__in=sorted({org for org, _y in moved}), year__in=sorted({y for _o, y in moved})
        ).values_list("organization_id", "year", "month", "kind", "status", "final_level", *MEASURES)
        subtree_rows: dict[tuple, list[int]] = defaultdict(lambda: [0] * len(MEASURES))
        touched = set()
        for org_id, year, month, kind, status, level, *measures in rows:
            if (org_id, year) not in moved:
                continue
            for (path, cell_type), sign in ((before[(org_id, year)], -1), (after[(org_id, year)], 1)):
                for committee_id in path_ids(path):
                    _add_into(subtree_rows[(committee_id, year, month, kind, status, level, cell_type)], measures, sign)
                    touched.add((committee_id, year))
        _upsert(SubtreeMonthFigures, SUBTREE_KEY, subtree_rows)
        return touched

    def _renamed(self, organization_ids: list[int], since: datetime.date) -> set:
        """A change with no figures to move (a rename, an end) still changes what a cached page shows (names,
        who is listed): the versions of every committee above the organisations, from ``since`` to next year."""
        this_year = timezone.localdate().year
        years = range(max(since.year, this_year - 10), this_year + 2)
        paths = standing_paths(set(organization_ids), set(years))
        return {(committee_id, year) for (_org, year), path in paths.items() for committee_id in path_ids(path)}


register_tree_listener(TreeFigures())


# --- Rebuilding from the raw rows -------------------------------------------------------------------------


def recomputed_org_rows() -> dict[tuple, list[int]]:
    """Every organisation-month row, computed from the meetings (one GROUP BY)."""
    grouped = (
        Meeting.objects.values_list("organization_id", "year", "month", "kind", "status", "final_level", "framework_id")
        .annotate(
            n=Count("pk"),
            totalled=Count("final_total"),
            total=Sum("final_total"),
            key_full=Count("pk", filter=Q(final_key_full=True)),
            all_achieved=Count("pk", filter=Q(final_all_achieved=True)),
        )
        .order_by()
    )
    return {
        (org, year, month, kind, status, level or "", framework or 0): [
            n, totalled, hundredths(total) if total is not None else 0, key_full, all_achieved,
        ]
        for org, year, month, kind, status, level, framework, n, totalled, total, key_full, all_achieved in grouped
    }  # fmt: skip


def subtree_rows_of(org_rows: dict[tuple, list[int]]) -> dict[tuple, list[int]]:
    """The committees' rows from the organisations' rows, with each organisation placed where it stood in each
    year (two queries: every interval, every cell type)."""
    years = {key[1] for key in org_rows}
    orgs = {key[0] for key in org_rows}
    intervals = OrganizationInterval.objects.order_by("valid_from").values_list(
        "organization_id", "valid_from", "valid_to", "path"
    )
    by_org = defaultdict(list)
    for row in intervals:
        if row[0] in orgs:
            by_org[row[0]].append(row)
    paths = {}
    for rows in by_org.values():
        paths.update(_standings(rows, years))
    types = dict(Organization.objects.values_list("pk", "cell_type_id"))
    out: dict[tuple, list[int]] = defaultdict(lambda: [0] * len(MEASURES))
    for (org, year, month, kind, status, level, _framework), measures in org_rows.items():
        for committee_id in path_ids(paths.get((org, year), "")):
            _add_into(out[(committee_id, year, month, kind, status, level, types.get(org) or 0)], measures, 1)
    return dict(out)


def rebuild_meeting_summaries() -> str:
    """Recompute every meeting summary row from the meetings and move every version on."""
    org_rows = recomputed_org_rows()
    subtree_rows = subtree_rows_of(org_rows)
    MeetingMonthFigures.objects.all().delete()
    SubtreeMonthFigures.objects.all().delete()
    MeetingMonthFigures.objects.bulk_create(
        [MeetingMonthFigures(**dict(zip(ORG_KEY + MEASURES, (*k, *v), strict=True))) for k, v in org_rows.items()],
        batch_size=2000,
    )
    SubtreeMonthFigures.objects.bulk_create(
        [
            SubtreeMonthFigures(**dict(zip(SUBTREE_KEY + MEASURES, (*k, *v), strict=True)))
            for k, v in subtree_rows.items()
        ],
        batch_size=2000,
    )
    existing = set(FiguresVersion.objects.values_list("committee_id", "year"))
    bump_versions(existing | {(k[0], k[1]) for k in subtree_rows})
    return f"{len(org_rows)} organisation-month rows, {len(subtree_rows)} subtree rows"


register_rebuilder("meetings", rebuild_meeting_summaries)
