"""Reads about cell meetings: the supervisor scope, queues, rankings, supervision summaries, compliance.

The ranking is the ``ranking`` sheet of WORKBOOK.md: a fixed number of queries whatever the number
of cells (the cells, one GROUP BY over the period's meetings, and the rubric of each distinct
framework those meetings used).
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from operator import attrgetter

from django.contrib.auth import get_user_model
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, Max, Min, Prefetch, Q, Sum
from django.utils import timezone

from cells.history import names_in_period, standings_of, subtree_ids, subtree_intervals
from cells.models import CELL_LEVELS, Level, Organization
from cells.periods import Period
from cells.scoping import Action, user_memo, user_scope
from cells.selectors import cell_officer_users_cells
from cells.text import fold
from criteria.models import Framework
from criteria.scoring import level_for
from criteria.selectors import load_rubric

from .models import (
    MEETING_ORG_LEVELS,
    ContentGuidance,
    Meeting,
    MeetingKind,
    MeetingStatus,
    ModelMeetingDesignation,
    SupervisionAssignment,
    ThematicPlanItem,
)
from .rollups import Tally, apply_rollups, rollup_codes

# --- Scope: supervisors see the cells they are assigned to, nothing else ---------------------------


def supervision_scope_paths(user, action: str) -> list[str]:
    """Scope provider (VIEW, APPRAISE): the cells currently assigned to the user, directly or via a team."""
    if action not in (Action.VIEW, Action.APPRAISE):
        return []
    return user_memo(
        user,
        "supervision",
        lambda: list(
            SupervisionAssignment.objects.current()
            .filter(Q(supervisor=user) | Q(team__members=user))
            .order_by()
            .values_list("organization__path", flat=True)
            .distinct()
        ),
    )


# --- Ranking (Y5) ----------------------------------------------------------------------------------


@dataclass
class RankingRow:
    organization_id: int
    org_code: str
    name: str
    cell_type: str
    cell_type_name: str
    meetings_expected: int
    meetings_held: int = 0
    thematic_held: int = 0
    meetings_scored: int = 0
    average_points: Decimal | None = None
    level: str = ""
    level_label: str = ""
    rank: int | None = None
    # Where the cell stood on its last day in the period (its parent, and the path of that time).
    parent_id: int | None = None
    path: str = ""
    # The level's own flag (data on the rubric), so reports need not know level codes.
    needs_attention: bool = False
    # True when ``level`` comes from the rubric's roll-up levels for the period (WORKBOOK v2).
    rollup: bool = False
    # (WORKBOOK v3, grassroots ranking) the organisation's general meetings held in the period.
    general_held: int = 0


@dataclass
class Ranking:
    root: Organization
    period: Period
    cell_type: str | None
    rows: list[RankingRow] = field(default_factory=list)
    # framework id -> its roll-up levels used for this period (shown with the ranking).
    rollups: dict = field(default_factory=dict)
    # "grassroots" when the rows are grassroots organisations (WORKBOOK v3 ``--level grassroots``), else "".
    org_level: str = ""

    @property
    def grassroots(self) -> bool:
        return self.org_level == GRASSROOTS_RANKING


TWO_PLACES = Decimal("0.01")
# The ranking of grassroots organisations (WORKBOOK v3): ``--level grassroots``, the page's switch.
GRASSROOTS_RANKING = Level.GRASSROOTS.value
GRASSROOTS_LEVELS = (Level.GRASSROOTS, Level.PARTIAL)
# The meetings whose scores count in rankings and dashboards: submitted or appraised, not drafts.
DECLARED = ~Q(status=MeetingStatus.DRAFT)


def subtree_condition(lookup: str, prefix: str) -> Q:
    """``lookup`` starts with ``prefix``. On SQLite as a range (prefix <= path < prefix with "/" bumped
    to "0"), which uses the index where LIKE cannot; PostgreSQL's pattern-ops index serves LIKE."""
    if connection.vendor == "sqlite" and prefix.endswith("/"):
        return Q(**{f"{lookup}__gte": prefix, f"{lookup}__lt": prefix[:-1] + "0"})
    return Q(**{f"{lookup}__startswith": prefix})


def ranking(
    root: Organization, period: Period, *, cell_type: str | None = None, org_level: str | None = None
) -> Ranking:
    """The ``ranking`` sheet for ``root``'s subtree and ``period`` (the caller has checked the scope).

    With ``cell_type``, only cells of that type are listed and ranked among themselves. With ``org_level``
    ``grassroots`` (WORKBOOK v3 ``--level grassroots``), the rows are instead the grassroots organisations
    and partial committees of the subtree, their committee meetings counted as held (one expected a month),
    their general meetings beside, the average over both, the level read from their committee meetings'
    rubric.

    Five queries whatever the size: the root's states, whether roll-up rules apply to the period (and the
    level codes they count; none for a month), the GROUP BY of the period's meetings, the cells as they
    stood, the frameworks (their rubrics and roll-up levels are read once per process when frozen). A
    sixth only when some cell's rated meetings of the period were scored on different frameworks (which
    one was the latest).
    """
    grassroots = org_level == GRASSROOTS_RANKING
    figures = _ranking_rows(
        root, period, None if grassroots else cell_type, grassroots=grassroots, rollup_codes=rollup_codes(period)
    )
    rows, frameworks = figures.rows, figures.frameworks
    used = set(frameworks.values()) | set(figures.latest_rated.values())
    framework_rows = {f.pk: f for f in Framework.objects.filter(pk__in=used).select_related("parent")} if used else {}
    rubrics = {pk: load_rubric(framework_rows[pk]) for pk in set(frameworks.values())}
    levels: dict[tuple, object] = {}
    for row in rows:
        rubric = rubrics.get(frameworks.get(row.organization_id))
        if row.average_points is None or rubric is None:
            continue
        key = (rubric.framework_id, row.average_points, row.level)  # row.level holds the flags until here
        if key not in levels:
            key_full, all_achieved = row.level
            levels[key] = level_for(rubric, row.average_points, key_full=key_full, all_achieved=all_achieved)
        level = levels[key]
        row.level, row.level_label = (level.code, level.label or level.code) if level else ("", "")
        row.needs_attention = bool(level and level.needs_attention)
    for row in rows:
        if isinstance(row.level, tuple):
            row.level = ""
    rollups = {}
    if figures.latest_rated:
        rollups = apply_rollups(rows, period, figures.tallies, figures.latest_rated, framework_rows)
    assign_ranks(rows)
    return Ranking(
        root=root,
        period=period,
        cell_type=None if grassroots else cell_type,
        rows=rows,
        rollups=rollups,
        org_level=GRASSROOTS_RANKING if grassroots else "",
    )


@dataclass
class _RankingFigures:
    rows: list[RankingRow]
    # organisation id -> the framework its level is read with (the newest its scored meetings used)
    frameworks: dict[int, int]
    # With roll-up rules for the period: organisation id -> its meetings as a roll-up reads them, and the
    # framework of its latest meeting of the rated kind (whose rubric's roll-up rule rates it).
    tallies: dict[int, Tally] = field(default_factory=dict)
    latest_rated: dict[int, int] = field(default_factory=dict)


def _ranking_rows(
    root: Organization,
    period: Period,
    cell_type: str | None,
    *,
    grassroots: bool = False,
    rollup_codes: tuple[str, ...] | None = None,
) -> _RankingFigures:
    """Three queries: the root's own states, the GROUP BY of the period's meetings of the subtree's cells,
    and the cells as they stood (the history rule of WORKBOOK.md: every cell that existed in the
    subtree on a day of the period, placed and named as on its last day in it).

    The meetings are selected by cell (a subquery on the history's path index), so each cell's meetings
    are read through the (organization, date) index, already grouped. (Joining the two in one statement
    lets a planner without statistics re-run the aggregate for every cell.) Read with a plain cursor:
    5,000 rows through the ORM's per-row converters cost more than the queries themselves.

    With ``rollup_codes`` (roll-up rules apply to the period), the same GROUP BY also counts what a roll-up
    reads: all the meetings, those at each of these level codes, the drafts' totals (the declared ones are
    counted already), and the first and last framework of the rated kind's meetings (when they differ, one
    more query finds which was the latest).
    """
    levels = GRASSROOTS_LEVELS if grassroots else CELL_LEVELS
    intervals = subtree_intervals(root, period.start, period.end, levels=levels)
    # What counts as held: a cell's regular (and thematic) meetings; a grassroots organisation's committee
    # meetings (and its general ones beside them). Its level is read from its committee meetings' rubric,
    # and a roll-up rule from its latest committee meeting's (a cell's: its latest regular meeting's).
    held_kind = MeetingKind.COMMITTEE if grassroots else MeetingKind.REGULAR
    second_kind = MeetingKind.GENERAL if grassroots else MeetingKind.THEMATIC
    rubric_of = DECLARED & Q(kind=MeetingKind.COMMITTEE) if grassroots else DECLARED
    if cell_type:
        intervals = intervals.filter(organization__cell_type__code=cell_type)
    in_period = Meeting.objects.filter(
        organization_id__in=intervals.order_by().values("organization_id"),
        date__gte=period.start,
        date__lt=period.end,
    )
    aggregates = {
        "regular": Count("pk", filter=Q(kind=held_kind)),
        "thematic": Count("pk", filter=Q(kind=second_kind)),
        # A draft was held, but its self-assessment is not declared until submitted: only submitted
        # and appraised meetings are scored (README, "Rankings").
        "scored": Count("final_total", filter=DECLARED),
        "points": Sum("final_total", filter=DECLARED),
        "not_full": Count("pk", filter=DECLARED & Q(final_key_full=False)),
        "not_achieved": Count("pk", filter=DECLARED & Q(final_all_achieved=False)),
        "framework": Max("framework_id", filter=rubric_of),
    }
    if grassroots:  # a cell's is the same as its "framework"
        aggregates["any_framework"] = Max("framework_id", filter=DECLARED)
    if rollup_codes is not None:
        aggregates |= {
            "meetings": Count("pk"),
            "draft_totals": Count("final_total", filter=Q(status=MeetingStatus.DRAFT)),
            "draft_points": Sum("final_total", filter=Q(status=MeetingStatus.DRAFT)),
            "first_rated": Min("framework_id", filter=Q(kind=held_kind)),
            "last_rated": Max("framework_id", filter=Q(kind=held_kind)),
        }
        aggregates |= {f"level_{n}": Count("pk", filter=Q(final_level=code)) for n, code in enumerate(rollup_codes)}
    meetings = in_period.order_by().values("organization_id").annotate(**aggregates)
    try:
        statement = meetings.query.sql_with_params()
    except EmptyResultSet:  # no interval of the root overlaps the period: the subtree had no cell then
        statement = None
    figures: dict[int, tuple] = {}
    if statement is not None:
        with connection.cursor() as cursor:
            cursor.execute(*statement)
            figures = {record[0]: record[1:] for record in cursor.fetchall()}
    result = _RankingFigures([], {})
    if rollup_codes is not None:
        first = len(aggregates) - len(rollup_codes) - 5  # where the roll-up's columns start
        _read_rollup_figures(result, figures, first, rollup_codes, in_period, held_kind)
    rows, frameworks = result.rows, result.frameworks
    for cell in standings_of(intervals, period.start, period.end):
        # One regular meeting a month, for the months on whose first day the cell existed.
        row = RankingRow(
            cell.organization_id, cell.code, cell.name, cell.cell_type_code, cell.cell_type_name,
            meetings_expected=cell.months_existing, parent_id=cell.parent_id, path=cell.path,
        )  # fmt: skip
        record = figures.get(cell.organization_id)
        if record is not None:
            regular, thematic, scored, points, not_full, not_achieved, framework = record[:7]
            row.meetings_held, row.meetings_scored = regular, scored
            if grassroots:
                row.general_held = thematic
                framework = framework or record[7]  # any_framework
            else:
                row.thematic_held = thematic
            if scored:
                average = (points if isinstance(points, Decimal) else Decimal(str(points))) / scored
                row.average_points = average.quantize(TWO_PLACES, ROUND_HALF_UP)
                row.level = (not_full == 0, not_achieved == 0)
                frameworks[cell.organization_id] = framework
        rows.append(row)
    return result


def _read_rollup_figures(
    result: _RankingFigures, figures: dict, first: int, codes: tuple[str, ...], in_period, rated_kind: str
) -> None:
    """Fill ``result``'s tallies and latest rated frameworks from the GROUP BY's roll-up columns, which
    start at ``first`` (after the organisation id)."""
    mixed = []
    tallies, levels_from = result.tallies, first + 5
    for org_id, record in figures.items():
        meetings, draft_totals, draft_points, first_rated, last_rated = record[first:levels_from]
        # every final total: the declared ones the ranking counts (scored, points) and the drafts'
        total_sum = _exact_sum(record[3])
        if draft_points is not None:
            total_sum += _exact_sum(draft_points)
        tallies[org_id] = Tally(meetings, codes, record[levels_from:], total_sum, record[2] + draft_totals)
        if first_rated is not None:
            result.latest_rated[org_id] = last_rated
            if first_rated != last_rated:
                mixed.append(org_id)
    if mixed:  # the framework changed within the period: the latest meeting's decides
        latest = (
            in_period.filter(organization_id__in=mixed, kind=rated_kind, framework__isnull=False)
            .order_by("organization_id", "date", "pk")
            .values_list("organization_id", "framework_id")
        )
        for org_id, framework_id in latest:
            result.latest_rated[org_id] = framework_id  # ordered by date: the last one wins


def _exact_sum(value) -> Decimal:
    """A SUM of final totals (two places) as the exact Decimal: SQLite sums them as floats."""
    if value is None:
        return Decimal(0)
    if isinstance(value, Decimal):
        return value
    return Decimal(repr(value)).quantize(TWO_PLACES)


def _rubrics(framework_ids: set[int]) -> dict:
    if not framework_ids:
        return {}
    frameworks = Framework.objects.filter(pk__in=framework_ids).select_related("parent")
    return {framework.pk: load_rubric(framework) for framework in frameworks}


def assign_ranks(rows: list[RankingRow]) -> None:
    """Rank by average, highest first: equal averages share a rank and the next one skips (1, 2, 2, 4).

    Cells with no scored meeting get no rank and come last. Sorts ``rows`` in place.
    """
    ranked = [row for row in rows if row.average_points is not None]
    unranked = [row for row in rows if row.average_points is None]
    # By code, then (a stable sort) by average, highest first: equal averages stay in code order.
    ranked.sort(key=attrgetter("org_code"))
    ranked.sort(key=attrgetter("average_points"), reverse=True)
    unranked.sort(key=attrgetter("org_code"))
    previous = None
    for position, row in enumerate(ranked, 1):
        row.rank = previous.rank if previous and previous.average_points == row.average_points else position
        previous = row
    rows[:] = ranked + unranked


# --- Queues and lists ------------------------------------------------------------------------------


# What a row of the meeting lists shows: loading only these keeps a page of rows cheap to build.
LIST_FIELDS = (
    "pk", "date", "kind", "status", "self_total", "self_level", "final_total", "final_level", "submitted_at",
    "organization__name", "topic__title", "framework",
)  # fmt: skip


def label_levels(meetings) -> list:
    """Give each meeting ``self_level_label`` and ``final_level_label``: its levels as people read them ("Khá"),
    never their codes, by the levels of the framework it was scored with (:func:`level_labels`); and its
    ``kind_label`` and ``status_label`` (what ``get_kind_display`` says, without Django flattening the
    choices again for each row: a tenth of a page of 50 meetings)."""
    meetings = list(meetings)
    labels = level_labels(meetings)
    kinds, statuses = dict(MeetingKind.choices), dict(MeetingStatus.choices)
    for m in meetings:
        m.self_level_label = labels.get((m.framework_id, m.self_level), m.self_level)
        m.final_level_label = labels.get((m.framework_id, m.final_level), m.final_level)
        m.kind_label = kinds.get(m.kind, m.kind)
        m.status_label = statuses.get(m.status, m.status)
    return meetings


def meetings_for(user, *, organization: Organization | None = None, year: int | None = None):
    qs = Meeting.objects.for_user(user, Action.VIEW).select_related("organization", "topic").only(*LIST_FIELDS)
    if organization is not None:
        qs = qs.filter(organization__path__startswith=organization.path)
    if year:
        # A date range, not the year column: the (date, organization) index serves it.
        qs = qs.filter(date__gte=datetime.date(year, 1, 1), date__lt=datetime.date(year + 1, 1, 1))
    return qs.order_by("-date", "-id")


def appraised_from_above(user, action: str = Action.APPRAISE) -> Q:
    """The meetings ``user`` may appraise by where they were held (meeting.appraise's scope): a cell's within
    the user's scope, a grassroots organisation's only when the user's scope covers the committee above it
    (its own office records, never appraises)."""
    scope = user_scope(user, action)
    if scope.everything:
        return Q()
    above = Q(pk__in=[])
    for prefix in scope.paths:
        above |= Q(organization__parent__path__startswith=prefix)
    return Q(organization__level__in=CELL_LEVELS) | above


def _appraisable(user):
    """Meetings the user may appraise: in cells where the user may appraise (and grassroots organisations below
    the committees the user appraises for), except those the user recorded, self-assessed or submitted and
    those of organisations whose office the user holds (meeting.appraise)."""
    return (
        Meeting.objects.for_user(user, Action.APPRAISE)
        .filter(appraised_from_above(user))
        .exclude(Q(created_by=user) | Q(submitted_by=user) | Q(organization_id__in=cell_officer_users_cells(user)))
        .exclude(self_assessors=user)
    )


def appraisal_queue(user):
    """Meetings waiting for the user's appraisal, the newest submitted first (last year's oldest meeting is
    rarely what the supervisor opens the queue for)."""
    return (
        _appraisable(user)
        .waiting_for_appraisal()
        .select_related("organization", "topic")
        .only(*LIST_FIELDS)
        .order_by("-submitted_at", "-date", "-id")
    )


# The queue's status filter: what each choice lists (the labels are the meeting statuses' own).
QUEUE_STATUSES = {"waiting": (MeetingStatus.SUBMITTED,), "appraised": (MeetingStatus.APPRAISED,)}
QUEUE_STATUSES["all"] = QUEUE_STATUSES["waiting"] + QUEUE_STATUSES["appraised"]


def appraisal_list(
    user,
    *,
    status: str = "waiting",
    cell_id: int | None = None,
    cell_name: str = "",
    month: tuple[int, int] | None = None,
    oldest_first: bool = False,
):
    """The appraisal queue with its filters: waiting, appraised or both; one cell, or the cells whose name has
    every word of ``cell_name`` (diacritics and case ignored); the meetings held in one month (year, month).
    Newest first: by submission while waiting, by appraisal once appraised."""
    qs = _appraisable(user).filter(status__in=QUEUE_STATUSES.get(status, QUEUE_STATUSES["waiting"]))
    if cell_id is not None:
        qs = qs.filter(organization_id=cell_id)
    for word in fold(cell_name).split():
        qs = qs.filter(organization__name_folded__contains=word)
    if month is not None:
        year, number = month
        start = datetime.date(year, number, 1)
        qs = qs.in_period(start, datetime.date(year + number // 12, number % 12 + 1, 1))
    order = ("-appraised_at", "-submitted_at") if status == "appraised" else ("-submitted_at",)
    if oldest_first:
        order = tuple(key.lstrip("-") for key in order)
    return (
        qs.select_related("organization", "topic")
        .only(*LIST_FIELDS, "appraised_at", "framework")
        .order_by(*order, "-date", "-id")
    )


# Above this many organisations in the user's appraisal scope, the queue's cell filter is a name search
# instead of a list: a province's 5,000 cells made a 300 KB page that took half a second to draw.
CELL_CHOICES_LIMIT = 200


def appraisal_cells(user) -> list[Organization] | None:
    """The cells the queue's cell filter offers: those with a meeting submitted or appraised that the user may
    appraise; ``None`` when the user appraises for more than :data:`CELL_CHOICES_LIMIT` organisations, where
    the page offers a search by name instead (two queries at most; the first reads the scope only)."""
    in_scope = Organization.objects.for_user(user, Action.APPRAISE).order_by().values("pk")
    if len(in_scope[: CELL_CHOICES_LIMIT + 1]) > CELL_CHOICES_LIMIT:
        return None
    meetings = _appraisable(user).filter(status__in=QUEUE_STATUSES["all"]).order_by().values("organization_id")
    return list(Organization.objects.filter(pk__in=meetings).only("pk", "name").order_by("name_folded"))


def waited_days(meeting, today: datetime.date) -> int | None:
    """Whole days a submitted meeting has waited: until today, or until it was appraised."""
    if meeting.submitted_at is None:
        return None
    end = timezone.localtime(meeting.appraised_at).date() if meeting.appraised_at else today
    return max((end - timezone.localtime(meeting.submitted_at).date()).days, 0)


def level_labels(meetings) -> dict[tuple[int, str], str]:
    """(framework id, level code) -> the level's label, for the frameworks these meetings used."""
    labels = {}
    for framework_id, rubric in _rubrics({m.framework_id for m in meetings if m.framework_id}).items():
        for level in rubric.levels:
            labels[(framework_id, level.code)] = level.label or level.code
    return labels


PAGE_SIZE = 50


@dataclass
class Page:
    """One page of a long list without counting it all: the rows, and whether there are more."""

    rows: list
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def page_number(page: str | int | None) -> int:
    """The 1-based page number asked for; anything else is page 1."""
    return int(page) if str(page or "").isdigit() and int(page) > 0 else 1


def page_of(queryset, page: str | int | None, size: int = PAGE_SIZE) -> Page:
    """Rows of page ``page``, read with one query of size + 1 rows (no count of them all)."""
    number = page_number(page)
    start = (number - 1) * size
    rows = list(queryset[start : start + size + 1])
    return Page(rows[:size], number, len(rows) > size)


def recordable_cells(user):
    """The organisations the user may record meetings for: cells, and grassroots organisations (their
    committee's and general meetings)."""
    return (
        Organization.objects.for_user(user, Action.RECORD)
        .filter(level__in=MEETING_ORG_LEVELS, is_active=True)
        .select_related("cell_type")
        .order_by("depth", "name_folded")
    )


def committees_for(user, action: str = Action.VIEW):
    return (
        Organization.objects.for_user(user, action)
        .exclude(level__in=CELL_LEVELS)
        .filter(is_active=True)
        .order_by("path")
    )


def guidance_for_cell(cell: Organization, year: int, month: int) -> list[ContentGuidance]:
    """The guidance every committee above the cell issued for that month, nearest committee last."""
    ids = [int(part) for part in cell.path.strip("/").split("/")[:-1] if part]
    return list(
        ContentGuidance.objects.filter(organization_id__in=ids, year=year, month=month)
        .select_related("organization")
        .order_by("organization__depth", "issued_at")
    )


def guidance_consolidated(user, root: Organization, year: int, month: int | None = None):
    """The guidance issued in ``root``'s subtree (what the committee above consolidates, Y3)."""
    qs = ContentGuidance.objects.for_user(user, Action.VIEW).filter(organization__path__startswith=root.path, year=year)
    if month:
        qs = qs.filter(month=month)
    return qs.select_related("organization__parent", "issued_by", "sent_up_by").order_by("month", "organization__path")


def guidance_sent_up(user, root: Organization, year: int, month: int):
    """The month's guidance sent up from the committees below ``root`` (Y3): what the board consolidates, with
    who sent it and when, by committee."""
    return (
        ContentGuidance.objects.for_user(user, Action.VIEW)
        .filter(organization__path__startswith=root.path, year=year, month=month, sent_up_at__isnull=False)
        .exclude(organization=root)
        .select_related("organization", "issued_by", "sent_up_by")
        .order_by("organization__path", "issued_at")
    )


def guidance_not_sent(root: Organization, year: int, month: int, sent) -> list[Organization]:
    """The grassroots committees below ``root`` that have sent up no guidance for the month (one query)."""
    sent_ids = {guidance.organization_id for guidance in sent}
    return [
        organization
        for organization in Organization.objects.filter(
            path__startswith=root.path, level__in=GRASSROOTS_LEVELS, is_active=True
        )
        .exclude(pk=root.pk)
        .only("pk", "name", "path")
        .order_by("path")
        if organization.pk not in sent_ids
    ]


def regular_meeting_exists(cell: Organization, year: int, month: int, exclude_pk: int | None = None) -> bool:
    qs = Meeting.objects.filter(organization=cell, year=year, month=month, kind=MeetingKind.REGULAR)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


# --- Supervision summary (quarter end) ------------------------------------------------------------


@dataclass
class SupervisionRow:
    assignment: SupervisionAssignment
    # The cell's name on its last day in the period (the history rule), as the page and the report print it.
    cell_name: str = ""
    meetings: int = 0
    attended: int = 0
    appraised: int = 0
    waiting: int = 0


SUPERVISION_FIELDS = (
    "organization_id", "supervisor_id", "team_id", "valid_from", "valid_to", "organization__name",
    "organization__path", "supervisor__first_name", "supervisor__last_name", "supervisor__username", "team__name",
)  # fmt: skip


def supervision_summary(
    root: Organization, period: Period, *, start: int = 0, stop: int | None = None
) -> list[SupervisionRow]:
    """The supervision summary of the page and of the supervision report, one rule for both: each
    assignment overlapping the period, of the cells of ``root``'s subtree in the period as the history
    rule places them (a cell moved away still counts where it stood), with its cell's meetings of the
    period (the caller has checked the scope of ``root``).

    A fixed number of queries whatever the size: the root's intervals, the assignments, their teams'
    members, the meetings grouped per cell, the cells' names. ``start``/``stop`` take a slice of the
    assignments (the page shows 50 at a time; the report all)."""
    cells = subtree_ids(root, period.start, period.end)
    in_period = SupervisionAssignment.objects.filter(organization_id__in=cells, valid_from__lt=period.end).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=period.start)
    )
    assignments = list(
        in_period.select_related("organization", "supervisor", "team")
        # What the page and the report show of them (a page of 50 built whole models of 150 rows).
        .only(*SUPERVISION_FIELDS)
        .prefetch_related(Prefetch("team__members", queryset=get_user_model().objects.only("pk")))
        .order_by("organization__path", "valid_from", "id")[start:stop]
    )
    if not assignments:
        return []
    assigned = {assignment.organization_id for assignment in assignments}
    by_cell: dict[int, list[tuple]] = {}
    for org_id, attending, status, count in (
        Meeting.objects.filter(organization_id__in=assigned, date__gte=period.start, date__lt=period.end)
        .values_list("organization_id", "attending_supervisor_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        by_cell.setdefault(org_id, []).append((attending, status, count))
    names = names_in_period(assigned, period.start, period.end)
    rows = []
    for assignment in assignments:
        if assignment.supervisor_id:
            people = {assignment.supervisor_id}
        else:
            people = {m.pk for m in assignment.team.members.all()}
        row = SupervisionRow(assignment, cell_name=names.get(assignment.organization_id, assignment.organization.name))
        for attending, status, count in by_cell.get(assignment.organization_id, ()):
            row.meetings += count
            row.attended += count if attending in people else 0
            row.appraised += count if status == MeetingStatus.APPRAISED else 0
            row.waiting += count if status == MeetingStatus.SUBMITTED else 0
        rows.append(row)
    return rows


# --- Thematic compliance (L5) ---------------------------------------------------------------------


@dataclass
class ComplianceRow:
    organization_id: int
    code: str
    name: str
    held: list[int]
    planned: list[int]
    missing: list[int]


def thematic_compliance(root: Organization, year: int, today: datetime.date | None = None) -> list[ComplianceRow]:
    """Every cell of the subtree with its thematic meetings and plan per quarter, and the quarters
    gone by (or under way) with no thematic meeting (3 queries)."""
    today = today or timezone.localdate()
    last_quarter = 4 if year < today.year else (0 if year > today.year else (today.month - 1) // 3 + 1)
    cells = list(
        Organization.objects.filter(path__startswith=root.path, level__in=CELL_LEVELS, is_active=True)
        .values_list("pk", "code", "name")
        .order_by("code")
    )
    held: dict[tuple[int, int], int] = {}
    for org_id, month, count in (
        Meeting.objects.filter(organization__path__startswith=root.path, year=year)
        .filter(Q(kind=MeetingKind.THEMATIC) | Q(kind=MeetingKind.MODEL, designation__kind=MeetingKind.THEMATIC))
        .values_list("organization_id", "month")
        .annotate(n=Count("pk"))
    ):
        key = (org_id, (month - 1) // 3 + 1)
        held[key] = held.get(key, 0) + count
    planned: dict[tuple[int, int], int] = {}
    for org_id, quarter, count in (
        ThematicPlanItem.objects.filter(organization__path__startswith=root.path, year=year)
        .values_list("organization_id", "quarter")
        .annotate(n=Count("pk"))
    ):
        planned[(org_id, quarter)] = count
    rows = []
    for pk, code, name in cells:
        h = [held.get((pk, q), 0) for q in range(1, 5)]
        p = [planned.get((pk, q), 0) for q in range(1, 5)]
        missing = [q for q in range(1, last_quarter + 1) if not h[q - 1]]
        rows.append(ComplianceRow(pk, code, name, h, p, missing))
    return rows


@dataclass
class GrassrootsComplianceRow:
    organization_id: int
    code: str
    name: str
    committee_held: list[int]
    missing_months: list[int]
    general_held: int

    @property
    def committee_total(self) -> int:
        return sum(self.committee_held)

    @property
    def general_short(self) -> bool:
        """Fewer than the two general meetings a year seed 003 (item 2.2.2) asks for."""
        return self.general_held < MIN_GENERAL_MEETINGS


# Seed 003, item 2.2.2: the whole grassroots organisation meets at least twice a year.
MIN_GENERAL_MEETINGS = 2


def grassroots_compliance(
    root: Organization, year: int, today: datetime.date | None = None
) -> list[GrassrootsComplianceRow]:
    """Every active grassroots organisation and partial committee of the subtree (``root`` itself included)
    with its committee meetings per month and its general meetings of ``year``: the months gone by with no
    committee meeting (item 2.2.1, monthly), and whether it held fewer than two general meetings (2.2.2).
    Two queries whatever the size."""
    today = today or timezone.localdate()
    last_month = 12 if year < today.year else (0 if year > today.year else today.month - 1)
    organizations = list(
        Organization.objects.filter(path__startswith=root.path, level__in=GRASSROOTS_LEVELS, is_active=True)
        .values_list("pk", "code", "name")
        .order_by("code")
    )
    committee: dict[tuple[int, int], int] = {}
    general: dict[int, int] = {}
    for org_id, kind, month, count in (
        Meeting.objects.filter(
            organization__path__startswith=root.path,
            date__gte=datetime.date(year, 1, 1),
            date__lt=datetime.date(year + 1, 1, 1),
            kind__in=(MeetingKind.COMMITTEE, MeetingKind.GENERAL),
        )
        .values_list("organization_id", "kind", "month")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        if kind == MeetingKind.COMMITTEE:
            committee[(org_id, month)] = count
        else:
            general[org_id] = general.get(org_id, 0) + count
    rows = []
    for pk, code, name in organizations:
        held = [committee.get((pk, month), 0) for month in range(1, 13)]
        missing = [month for month in range(1, last_month + 1) if not held[month - 1]]
        rows.append(GrassrootsComplianceRow(pk, code, name, held, missing, general.get(pk, 0)))
    return rows


def designations_for(user, year: int):
    return (
        ModelMeetingDesignation.objects.for_user(user, Action.VIEW)
        .filter(year=year)
        .select_related("organization", "designated_by")
        .annotate(result_count=Count("meetings"))
        .order_by("quarter", "organization__path")
    )


# --- Reminders ------------------------------------------------------------------------------------


def previous_month(day: datetime.date) -> tuple[int, int]:
    first = day.replace(day=1) - datetime.timedelta(days=1)
    return first.year, first.month


def cells_without_meeting(root_paths: list[str] | None, year: int, month: int):
    """Active cells (under any of ``root_paths``; everywhere when None) with no regular meeting that month."""
    cells = Organization.objects.filter(level__in=CELL_LEVELS, is_active=True)
    if root_paths is not None:
        condition = Q()
        for path in root_paths:
            condition |= Q(path__startswith=path)
        cells = cells.filter(condition) if root_paths else cells.none()
    held = Meeting.objects.filter(year=year, month=month, kind=MeetingKind.REGULAR).values("organization_id")
    return cells.exclude(pk__in=held).order_by("path")


def reminder_due(day: datetime.date, reminder_day: int) -> bool:
    return day.day >= reminder_day


def days_in_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


__all__ = [
    "Ranking",
    "RankingRow",
    "appraisal_queue",
    "assign_ranks",
    "ranking",
    "supervision_scope_paths",
]


# --- Home panel -------------------------------------------------------------------------------------


@dataclass
class HomePanel:
    record_cells: list = field(default_factory=list)
    missing_own: list = field(default_factory=list)
    missing_count: int = 0
    queue_count: int = 0
    month_label: str = ""
    period: str = ""

    @property
    def show(self) -> bool:
        return bool(self.record_cells or self.missing_own or self.missing_count or self.queue_count)


def home_panel(user, today: datetime.date | None = None) -> HomePanel:
    """Reminders on the home page (a handful of queries): cells with no meeting for last month once
    the reminder day has come, and the appraisals waiting for the user."""
    from django.conf import settings

    from cells.scoping import user_scope

    today = today or timezone.localdate()
    year, month = previous_month(today)
    panel = HomePanel(month_label=f"{month:02d}/{year}", period=f"{year}-{month:02d}")
    if not getattr(user, "is_authenticated", False):
        return panel
    panel.record_cells = [cell for cell in recordable_cells(user)[:5]]
    due = reminder_due(today, getattr(settings, "CHIBO_MEETING_REMINDER_DAY", 5))
    if due:
        own = {cell.pk for cell in panel.record_cells}
        if len(panel.record_cells) < 5 and own:
            panel.missing_own = list(cells_without_meeting(None, year, month).filter(pk__in=own))
        manage = user_scope(user, Action.MANAGE)
        if not manage.is_empty:
            panel.missing_count = cells_without_meeting(
                None if manage.everything else list(manage.paths), year, month
            ).count()
            panel.record_cells = []
    panel.queue_count = appraisal_queue(user).count()
    return panel


def appraisals_waiting_by_supervisor() -> dict:
    """Each user currently assigned to cells (directly or through a team) with meetings waiting, and how many."""

    waiting = dict(
        Meeting.objects.filter(status=MeetingStatus.SUBMITTED).values_list("organization_id").annotate(n=Count("pk"))
    )
    if not waiting:
        return {}
    per_user: dict[int, set] = {}
    for assignment in (
        SupervisionAssignment.objects.current()
        .filter(organization_id__in=list(waiting))
        .prefetch_related("team__members")
    ):
        users = (
            [assignment.supervisor_id] if assignment.supervisor_id else [m.pk for m in assignment.team.members.all()]
        )
        for user_id in users:
            per_user.setdefault(user_id, set()).add(assignment.organization_id)
    users = get_user_model().objects.in_bulk(list(per_user))
    return {users[uid]: sum(waiting[c] for c in cells) for uid, cells in per_user.items() if uid in users}
