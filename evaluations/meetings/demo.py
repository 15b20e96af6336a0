"""Demo meetings (order 30, after the criteria's frameworks): a year of meetings for every demo cell.

Scores are computed in memory with the one scoring function and written with bulk inserts, so a
5,000-cell province gets its ~60,000 meetings in seconds. The small province of ``make run`` also
gets per-item scores, supervision (giamsat.phuong supervises the cells of P-NTH), monthly content
guidance, a thematic plan, model-meeting designations and some meetings waiting for appraisal.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from types import SimpleNamespace

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from cells.demo import DemoContext, register_demo_extension, roster_sizes_on
from cells.models import CELL_LEVELS, Organization, OrganizationInterval, Role, RoleAssignment, path_segment
from criteria.models import Framework
from criteria.scoring import Answer, Rubric, score
from criteria.selectors import applicable_framework, load_rubric

from .models import (
    ContentGuidance,
    Meeting,
    MeetingKind,
    MeetingScore,
    MeetingStatus,
    ModelMeetingDesignation,
    SupervisionAssignment,
    SupervisionTeam,
    ThematicPlanItem,
    ThematicTopic,
)

BATCH = 5000


def _answers(rubric: Rubric, rng: random.Random, quality: float) -> dict[str, Answer]:
    """Plausible answers: most items at full marks, a cell's ``quality`` (0..1) deciding how many."""
    answers = {}
    for criterion in rubric.leaves():
        if criterion.is_scored:
            maximum = Decimal(criterion.max_points)
            if rng.random() < quality:
                points = maximum
            else:
                points = (maximum * Decimal(rng.randint(4, 9)) / 10).quantize(Decimal("0.5"))
            answers[criterion.code] = Answer(points=points)
        else:
            answers[criterion.code] = Answer(achieved=rng.random() < quality + 0.1)
    return answers


def _meeting_dates(years: list[int], today: datetime.date, rng: random.Random):
    """(year, month, day) of every month of ``years`` whose meeting day has passed."""
    for year in years:
        for month in range(1, 13):
            day = datetime.date(year, month, rng.randint(3, 25))
            if day < today:
                yield day


@register_demo_extension(order=30)
@transaction.atomic
def build_demo_meetings(context: DemoContext) -> None:
    province = context.province
    rng = random.Random(3030)  # nosec B311 - demo data, reproducible on purpose; never a secret
    today = timezone.localdate()
    # Every cell that stood in the province, those a merge ended too: their meetings up to that day.
    cells = list(
        Organization.objects.subtree_of(province)
        .filter(level__in=CELL_LEVELS)
        .filter(Q(is_active=True) | Q(dissolved_on__gt=datetime.date(min(context.years), 1, 1)))
        .select_related("cell_type")
        .order_by("path")
    )
    if not cells:
        return
    years = [context.years[-1]] if not context.small else list(context.years)
    rubrics: dict[int, Rubric] = {}
    found: dict[tuple, tuple] = {}
    # Cells that own a meeting framework choose their own; the others share their parent's choice.
    owners = set(Framework.objects.filter(kind="meeting", owner__in=cells).values_list("owner_id", flat=True))

    def rubric_for(cell: Organization, year: int, kind: str):
        key = (cell.pk if cell.pk in owners else f"p{cell.parent_id}", year, kind)
        if key not in found:
            framework = applicable_framework(cell, "meeting", year, meeting_kind=kind)
            if framework is not None and framework.pk not in rubrics:
                rubrics[framework.pk] = load_rubric(framework)
            found[key] = (framework, rubrics.get(framework.pk) if framework else None)
        return found[key]

    rosters = _Rosters([cell.pk for cell in cells])
    topics = list(ThematicTopic.objects.filter(is_active=True))
    supervisors = _assign_supervisors(context, cells)
    pools: dict[tuple, list] = {}
    meetings: list[SimpleNamespace] = []
    answers_of: list[dict] = []
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    for cell in cells:
        quality = rng.random()
        type_code = cell.cell_type.code if cell.cell_type_id else None
        for day in _meeting_dates(years, today, rng):
            if cell.dissolved_on and day >= cell.dissolved_on:
                continue
            kinds = [MeetingKind.REGULAR]
            if context.small and day.month % 3 == 2 and rng.random() < 0.8:
                kinds.append(MeetingKind.THEMATIC)
            for kind in kinds:
                framework, rubric = rubric_for(cell, day.year, kind)
                date = day if kind == MeetingKind.REGULAR else day + datetime.timedelta(days=1)
                if date >= today:
                    continue
                meeting = _meeting(cell, kind, date, rosters.attending(cell.pk, date), rng, topics)
                meeting.framework_id = framework.pk if framework else None
                answers = {}
                if rubric:
                    pool = pools.get((framework.pk, type_code, cell.level))
                    if pool is None:
                        pool = pools[(framework.pk, type_code, cell.level)] = _pool(rubric, type_code, cell.level, rng)
                    index = min(len(pool) - 1, max(0, int(quality * len(pool)) + rng.randint(-8, 8)))
                    answers, result = pool[index]
                    meeting.self_total = meeting.final_total = result.total
                    meeting.self_level = meeting.final_level = result.level_code or ""
                    meeting.final_key_full = result.key_full
                    meeting.final_all_achieved = result.all_achieved
                appraised = not context.small or (date < last_month and rng.random() < 0.85)
                meeting.status = MeetingStatus.APPRAISED if appraised else MeetingStatus.SUBMITTED
                meeting.submitted_at = timezone.make_aware(datetime.datetime.combine(date, datetime.time(20)))
                if appraised:
                    meeting.appraised_at = meeting.submitted_at + datetime.timedelta(days=2)
                    supervisor, since = supervisors.get(cell.pk, (None, None))
                    if supervisor is not None and date >= since:
                        meeting.appraised_by_id = meeting.attending_supervisor_id = supervisor
                meetings.append(meeting)
                answers_of.append(answers)
    _insert_meetings(meetings)
    if context.small:
        _write_scores(meetings, answers_of)
        _small_extras(context, cells, topics, rng)


def _pool(rubric: Rubric, cell_type, org_level, rng: random.Random, size: int = 120) -> list:
    """Answer sets of rising quality scored once each: meetings pick from them (the scoring function
    is run per distinct answer set, not per meeting), lowest totals first."""
    pool = []
    for n in range(size):
        answers = _answers(rubric, rng, 0.35 + 0.65 * n / size)
        pool.append((answers, score(rubric, answers, cell_type=cell_type, org_level=org_level)))
    pool.sort(key=lambda item: item[1].total or 0)
    return pool


MEETING_COLUMNS = [
    "organization_id", "kind", "date", "year", "month", "topic_id", "subject", "duration_minutes",
    "members_total", "members_present", "members_excused", "members_unexcused", "guests",
    "attending_supervisor_id", "minutes_text", "minutes_file", "lessons_learned", "designation_id",
    "framework_id", "status", "self_total", "self_level", "final_total", "final_level", "final_key_full",
    "final_all_achieved", "submitted_at", "submitted_by_id", "appraised_at", "appraised_by_id",
    "appraisal_note", "created_by_id", "created_at", "updated_at",
]  # fmt: skip


def _insert_meetings(meetings: list[SimpleNamespace]) -> None:
    """One prepared INSERT run with executemany: ~10x faster than bulk_create's SQL building for 60k rows."""
    ops = connection.ops
    now = timezone.now()
    table = Meeting._meta.db_table
    placeholders = ", ".join(["%s"] * len(MEETING_COLUMNS))
    # The table and column names come from the model and a constant list; every value is a bound parameter.
    sql = f"INSERT INTO {table} ({', '.join(MEETING_COLUMNS)}) VALUES ({placeholders})"  # nosec B608

    def dec(value):
        return None if value is None else ops.adapt_decimalfield_value(value, 7, 2)

    def stamp(value):
        return None if value is None else ops.adapt_datetimefield_value(value)

    now_db = stamp(now)
    rows = [
        (
            m.organization_id, m.kind, ops.adapt_datefield_value(m.date), m.year, m.month, m.topic_id, m.subject,
            m.duration_minutes, m.members_total, m.members_present, m.members_excused, m.members_unexcused, "",
            m.attending_supervisor_id, m.minutes_text, "", "", None,
            m.framework_id, m.status, dec(m.self_total), m.self_level, dec(m.final_total), m.final_level,
            m.final_key_full, m.final_all_achieved, stamp(m.submitted_at), None, stamp(m.appraised_at),
            m.appraised_by_id, "", None, now_db, now_db,
        )
        for m in meetings
    ]  # fmt: skip
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start : start + BATCH])


class _Rosters:
    """Members held to attend (not exempt) on each cell's roster, as of the first day of a meeting's month
    (a member who joins later in the month is not counted; a merge's transfers are on a first day)."""

    def __init__(self, cell_ids: list[int]):
        self.cell_ids = cell_ids
        self.months: dict[datetime.date, dict[int, int]] = {}

    def attending(self, cell_id: int, date: datetime.date) -> int:
        first = date.replace(day=1)
        if first not in self.months:
            self.months[first] = roster_sizes_on(self.cell_ids, first, exempt=False)
        return self.months[first].get(cell_id, 0)


def _meeting(cell, kind, date, members, rng, topics) -> SimpleNamespace:
    """The values of one meeting row (a plain namespace: building 60,000 model instances is slow)."""
    present = max(members - rng.randint(0, 3), 0)
    excused = min(members - present, rng.randint(0, 2))
    topic = rng.choice(topics) if kind == MeetingKind.THEMATIC and topics else None
    return SimpleNamespace(
        organization_id=cell.pk,
        kind=kind,
        date=date,
        year=date.year,
        month=date.month,
        topic_id=topic.pk if topic else None,
        subject="",
        framework_id=None,
        self_total=None,
        self_level="",
        final_total=None,
        final_level="",
        final_key_full=False,
        final_all_achieved=True,
        appraised_at=None,
        appraised_by_id=None,
        attending_supervisor_id=None,
        duration_minutes=rng.choice([60, 75, 90, 120]),
        members_total=members,
        members_present=present,
        members_excused=excused,
        members_unexcused=members - present - excused,
        minutes_text="Biên bản sinh hoạt chi bộ (dữ liệu mẫu).",
    )


def _write_scores(meetings: list[SimpleNamespace], answers_of: list[dict]) -> None:
    """Every meeting's self-assessed item scores: one prepared INSERT run with executemany (three years of
    the small province's meetings are some 60,000 rows)."""
    ids = {
        (org, date, kind): pk
        for pk, org, date, kind in Meeting.objects.filter(
            organization_id__in={m.organization_id for m in meetings}
        ).values_list("pk", "organization_id", "date", "kind")
    }
    ops = connection.ops
    table = connection.ops.quote_name(MeetingScore._meta.db_table)
    # The table name comes from the model, quoted; every value is a bound parameter.
    sql = f"INSERT INTO {table} (meeting_id, code, self_points, self_achieved, reason) VALUES (%s, %s, %s, %s, '')"  # nosec B608
    rows = []
    for meeting, answers in zip(meetings, answers_of, strict=True):
        meeting_id = ids[(meeting.organization_id, meeting.date, meeting.kind)]
        for code, answer in answers.items():
            points = None if answer.points is None else ops.adapt_decimalfield_value(answer.points, 7, 2)
            rows.append((meeting_id, code, points, answer.achieved))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start : start + BATCH])


def _assign_supervisors(context: DemoContext, cells) -> dict[int, tuple[object, datetime.date]]:
    """Small province: giamsat.phuong supervises P-NTH's cells, from the day each came under it (the
    cells of the ward merged in, from the reform). Generated provinces: each grassroots organisation's
    supervisor user supervises the cells below it. Returns cell id → (user id, from)."""
    start = datetime.date(min(context.years), 1, 1)
    by_cell: dict[int, tuple[object, datetime.date]] = {}
    assignments = []
    supervisors = RoleAssignment.objects.filter(
        role=Role.SUPERVISOR, organization__path__startswith=context.province.path
    ).select_related("user", "organization")
    by_org = {a.organization: a.user for a in supervisors}
    under_since: dict[tuple[int, int], datetime.date] = {}
    if context.small:
        for org_id, path, valid_from in OrganizationInterval.objects.filter(
            organization__in=[c for c in cells if c.is_active]
        ).values_list("organization_id", "path", "valid_from"):
            for committee in by_org:
                if path_segment(committee.pk) in path:
                    key = (org_id, committee.pk)
                    under_since[key] = min(under_since.get(key, valid_from), valid_from)
    for cell in cells:
        if not cell.is_active:
            continue
        committee = next((c for c in by_org if cell.path.startswith(c.path)), None)
        if committee is None:
            continue
        since = max(start, under_since.get((cell.pk, committee.pk), start))
        by_cell[cell.pk] = (by_org[committee].pk, since)
        assignments.append(SupervisionAssignment(organization=cell, supervisor=by_org[committee], valid_from=since))
    SupervisionAssignment.objects.bulk_create(assignments, batch_size=BATCH)
    return by_cell


def _small_extras(context: DemoContext, cells, topics, rng) -> None:
    """Guidance, a team, thematic plans and model meetings for the small province."""
    today = timezone.localdate()
    year = today.year
    plans = []
    by_code = {c.code: c for c in cells}
    committees = {o.code: o for o in Organization.objects.filter(code__in=["P-NTH", "X-TT"], is_active=True)}
    issuer = context.users.get("canbo.phuong")
    guidance = []
    for code in ("P-NTH", "X-TT"):
        committee = committees.get(code)
        if committee is None:
            continue
        for month in range(1, min(today.month + 1, 12) + 1):
            guidance.append(
                ContentGuidance(
                    organization=committee,
                    year=year,
                    month=month,
                    title=f"Định hướng nội dung sinh hoạt chi bộ tháng {month:02d}/{year}",
                    body=(
                        "1. Quán triệt nghị quyết, kế hoạch của cấp ủy cấp trên trong tháng.\n"
                        "2. Đánh giá việc thực hiện nhiệm vụ tháng trước; phân công đảng viên phụ trách hộ gia đình.\n"
                        "3. Thảo luận, biểu quyết nghị quyết tháng; chuẩn bị sinh hoạt chuyên đề của quý."
                    ),
                    issued_by=issuer,
                )
            )
    ContentGuidance.objects.bulk_create(guidance)
    giamsat = context.users.get("giamsat.phuong")
    if giamsat is not None:
        # The province's team (the city's before the reform) for two cells of phường Văn Phú.
        team = SupervisionTeam.objects.create(
            owner=context.province, name="Tổ giám sát số 1", basis="Quyết định 1394-QĐ/TU"
        )
        team.members.add(giamsat)
        for code in ("X-TT-TH1", "X-TT-TH2"):
            if code in by_code:
                SupervisionAssignment.objects.create(
                    organization=by_code[code], team=team, valid_from=datetime.date(year, 1, 1)
                )
    for cell in cells:
        if cell.code.startswith("P-NTH"):
            for quarter in range(1, 5):
                plans.append(ThematicPlanItem(organization=cell, year=year, quarter=quarter, topic=rng.choice(topics)))
    ThematicPlanItem.objects.bulk_create(plans)
    commune = committees.get("X-TT")
    if commune is not None:
        for code, kind in (("X-TT-TH1", MeetingKind.REGULAR), ("X-TT-TH2", MeetingKind.THEMATIC)):
            if code in by_code:
                ModelMeetingDesignation.objects.create(
                    organization=by_code[code],
                    designated_by=commune,
                    year=year,
                    quarter=1,
                    kind=kind,
                    invitees=(
                        "Đảng ủy viên, bí thư các chi bộ trực thuộc; Tổ giám sát của Tỉnh ủy dự sinh hoạt chi bộ "
                        "khu dân cư"
                    ),
                )
