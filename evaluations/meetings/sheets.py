"""The workbook sheets of the meetings part (WORKBOOK.md): ``meetings`` and ``meeting_scores`` in, ``ranking`` out.

The sheets parse rows into typed values and hand them to the recording services the pages use
(``meeting_create``, ``meeting_update``, ``meeting_scores_import`` over ``meeting_self_assess`` and
``meeting_appraise``), which decide: rights with their state rules, separation of duties, the version,
the audit and the totals. An imported score's final value is the appraised points when given, else the
self-assessed points. Codes and meetings are found through cells/workbook/lookups.py, inside the
importer's scope, with one message for "no such" and "not yours".
"""

from __future__ import annotations

import io
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from cells import rights
from cells.models import Organization
from cells.periods import Period
from cells.scoping import Action
from cells.text import fold
from cells.workbook import lookups
from cells.workbook.registry import (
    Change,
    Column,
    Export,
    ExportError,
    ImportSheet,
    register_export,
    register_import_sheet,
)
from cells.workbook.writer import WorkbookWriter
from criteria.rights import visible_by_code

from . import services
from .models import Meeting, MeetingKind, MeetingScore, MeetingStatus, ThematicTopic
from .selectors import GRASSROOTS_RANKING, Ranking, ranking

KIND_CHOICES = (
    ("regular", "Thường kỳ"),
    ("thematic", "Chuyên đề"),
    ("model", "Sinh hoạt mẫu"),
    # (version 3) a grassroots organisation's meetings: its party committee's, and the whole organisation's.
    ("committee", "Sinh hoạt cấp ủy"),
    ("general", "Sinh hoạt đảng bộ"),
)
MEETING_FIELDS_FROM_SHEET = (
    "duration_minutes",
    "members_total",
    "members_present",
    "members_excused",
    "members_spoke",
    "documents_sent_on",
    "minutes_filed_on",
)


def _meeting_key(row) -> tuple:
    return (row["org_code"], row["date"], row["kind"])


def _topic_for(text: str | None, topics: list[ThematicTopic]) -> ThematicTopic | None:
    """The topic group named by ``text`` (its code or title, folded), else the "other" group."""
    if not text:
        return None
    folded = fold(text)
    for topic in topics:
        if folded in (fold(topic.code), fold(topic.title)) or fold(topic.title).startswith(folded):
            return topic
    return next((t for t in topics if t.code == "khac"), topics[-1] if topics else None)


def plan_meetings(ctx, rows) -> list[Change]:
    orgs = lookups.by_code(Organization.objects.all(), ctx.user, {r["org_code"] for r in rows}, Action.RECORD)
    frameworks = visible_by_code(ctx.user, {r["framework_code"] for r in rows})
    topics = list(ThematicTopic.objects.all())
    existing = {
        (m.organization.code, m.date, m.kind): m
        for m in Meeting.objects.filter(organization__in=orgs.values()).select_related("organization")
    }
    regular_months: set[tuple] = set()
    changes = []
    for row in rows:
        org = orgs.get(row["org_code"])
        if org is None:
            ctx.error(row, "org_code", lookups.not_found("organization", row["org_code"]))
            continue
        framework = frameworks.get(row["framework_code"])
        if framework is None or framework.kind != "meeting":
            ctx.error(row, "framework_code", lookups.not_found("meeting_framework", row["framework_code"]))
            continue
        if framework != getattr(existing.get(_meeting_key(row)), "framework", None) and (
            refused := rights.refusal(ctx.user, "framework.use", framework)
        ):
            ctx.error(row, "framework_code", refused[1])
            continue
        if row["kind"] == MeetingKind.REGULAR:
            month = (org.pk, row["date"].year, row["date"].month)
            if month in regular_months:
                ctx.error(row, "date", _("Two regular meetings of one cell in the same month."))
                continue
            regular_months.add(month)
        meeting = existing.get(_meeting_key(row))
        creating = meeting is None
        if creating:
            meeting = Meeting(organization=org, date=row["date"], kind=row["kind"])
        values = {
            "framework": framework,
            "topic": _topic_for(row["topic"], topics) if row["kind"] != MeetingKind.REGULAR else meeting.topic,
            "subject": row["topic"] or meeting.subject,
        }
        for key in MEETING_FIELDS_FROM_SHEET:
            if key in ctx.columns_present and row[key] is not None:
                values[key] = row[key]
        if "members_total" not in values and "members_present" in values:
            values["members_total"] = max(
                meeting.members_total, values["members_present"] + values.get("members_excused", 0)
            )
        details = {}
        for key, value in values.items():
            old = getattr(meeting, key)
            if old != value:
                details[key] = value if creating else [str(old), str(value)]
                setattr(meeting, key, value)
        try:
            meeting.full_clean(exclude=["organization", "framework", "created_by"])
        except ValidationError as exc:
            ctx.add_validation_error(row, exc, field_map={"topic": "topic", "date": "date"}, default_column="date")
            continue
        action = Change.CREATE if creating else (Change.UPDATE if details else Change.UNCHANGED)
        changes.append(
            Change.for_row(
                row,
                action,
                key=f"{org.code} {row['date']:%d/%m/%Y} {row['kind']}",
                details={k: str(v) for k, v in details.items()},
                payload=(meeting, creating, {key: values[key] for key in details}),
            )
        )
    return changes


def apply_meetings(ctx, changes) -> None:
    """Record each new meeting and change each changed one through the recording services (which refuse a
    locked meeting, a framework the user may not use, and report why)."""
    for change in changes:
        meeting, creating, changed = change.payload
        try:
            if creating:
                fields = {key: getattr(meeting, key) for key in ("topic", "subject", *MEETING_FIELDS_FROM_SHEET)}
                fields["members_unexcused"] = meeting.members_unexcused
                services.recording.meeting_create(
                    organization=meeting.organization,
                    kind=meeting.kind,
                    date=meeting.date,
                    framework=meeting.framework,
                    acting_user=ctx.user,
                    **fields,
                )
            elif change.action == Change.UPDATE:
                fields = {key: value for key, value in changed.items() if key in services.recording.MEETING_FIELDS}
                services.recording.meeting_update(
                    meeting=meeting, framework=changed.get("framework"), acting_user=ctx.user, **fields
                )
        except ValidationError as exc:
            ctx.add_validation_error(change.row, exc, default_column="date")
            ctx.mark_failed("meetings", (meeting.organization.code, meeting.date, meeting.kind))


def _scores_by_meeting(ctx, rows) -> dict:
    """The meetings the rows name that the importer may record or appraise, by (org_code, date, kind)."""
    return lookups.by_key(
        Meeting.objects.filter(organization__code__in={r["org_code"] for r in rows}).select_related(
            "organization__cell_type", "framework"
        ),
        ctx.user,
        Action.RECORD,
        Action.APPRAISE,
        key=lambda m: (m.organization.code, m.date, m.kind),
    )


def plan_scores(ctx, rows) -> list[Change]:
    """Parse each row into the meeting, the leaf criterion and its values; say which rows change what.

    An empty cell keeps what is stored. A self value is a change when it differs, or when the meeting
    was never submitted (an imported self-assessment counts as submitted); an appraised value when the
    meeting is not appraised yet, or its final value differs. Whether the change is allowed is the
    service's answer (apply_scores)."""
    meetings = _scores_by_meeting(ctx, rows)
    existing = {
        (row.meeting_id, row.code): row
        for row in MeetingScore.objects.filter(meeting__in=[m.pk for m in meetings.values()])
    }
    rubrics: dict[int, object] = {}
    changes = []
    for row in rows:
        meeting = meetings.get(_meeting_key(row))
        if meeting is None:
            if not ctx.row_failed("meetings", _meeting_key(row)):
                ctx.error(row, "date", lookups.not_found("meeting"))
            continue
        if meeting.framework_id is None:
            ctx.error(row, "criterion_code", _("This meeting has no rubric."))
            continue
        if meeting.framework_id not in rubrics:
            rubrics[meeting.framework_id] = services.recording.meeting_rubric(meeting)
        leaves = {c.code: c for c in rubrics[meeting.framework_id].leaves()}
        criterion = leaves.get(row["criterion_code"])
        if criterion is None:
            ctx.error(row, "criterion_code", _("Not a leaf criterion of the meeting's rubric."))
            continue
        if computed := services.recording.computed_refusal(criterion):
            ctx.error(row, "criterion_code", computed)  # WORKBOOK v3: the fact is appraised, on the meeting
            continue
        refused = [
            (key, reason)
            for key in ("self_points", "appraised_points")
            if (reason := services.recording.points_refusal(criterion, row[key]))
        ]
        for key, reason in refused:
            ctx.error(row, key, reason)
        if refused:
            continue
        current = existing.get((meeting.pk, criterion.code))
        stored_self = current.self_points if current else None
        stored_final = current.appraised_points if current and current.appraised_points is not None else stored_self
        new_self, new_appraised = row["self_points"], row["appraised_points"]
        assessing = new_self is not None and (
            meeting.status == MeetingStatus.DRAFT or not _same_points(stored_self, new_self)
        )
        appraising = new_appraised is not None and (
            meeting.status != MeetingStatus.APPRAISED or not _same_points(stored_final, new_appraised)
        )
        action = (
            Change.UNCHANGED if not (assessing or appraising) else (Change.CREATE if current is None else Change.UPDATE)
        )
        changes.append(
            Change.for_row(
                row,
                action,
                key=f"{meeting.organization.code} {meeting.date:%d/%m/%Y} {criterion.code}",
                details=_score_details(current, new_self, new_appraised, assessing, appraising),
                payload=(
                    meeting,
                    criterion.code,
                    new_self if assessing else None,
                    new_appraised if appraising else None,
                ),
            )
        )
    return changes


def _score_details(current, new_self, new_appraised, assessing: bool, appraising: bool) -> dict:
    """What the dry-run table shows: the values that change, as [before, after] pairs for a score row
    already stored, as plain values for a new one."""
    shown = {}
    for key, changes, before, after in (
        ("self_points", assessing, current.self_points if current else None, new_self),
        ("appraised_points", appraising, current.appraised_points if current else None, new_appraised),
    ):
        if changes:
            shown[key] = (before, after) if current else after
    return shown


def _same_points(a, b) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and Decimal(a) == Decimal(b))


def apply_scores(ctx, changes) -> None:
    """Hand each meeting's changed values to ``meeting_scores_import``, the service the assess and appraise
    pages' services sit under: it checks the rights with their state rules and separation of duties,
    moves the version, audits and rescores. A refusal is reported on the meeting's rows of that column."""
    by_meeting: dict[int, tuple[Meeting, dict, dict, dict]] = {}
    for change in changes:
        meeting, code, self_value, appraised_value = change.payload
        _meeting, self_values, appraised_values, rows = by_meeting.setdefault(meeting.pk, (meeting, {}, {}, {}))
        if self_value is not None:
            self_values[code] = self_value
            rows.setdefault("self_points", change.row)
        if appraised_value is not None:
            appraised_values[code] = appraised_value
            rows.setdefault("appraised_points", change.row)
    for meeting, self_values, appraised_values, rows in by_meeting.values():
        if not (self_values or appraised_values):
            continue
        try:
            services.recording.meeting_scores_import(
                meeting=meeting, self_values=self_values, appraised_values=appraised_values, acting_user=ctx.user
            )
        except ValidationError as exc:
            for column, messages in exc.message_dict.items():
                for message in messages:
                    ctx.error(rows.get(column, min(rows.values())), column, message)


register_import_sheet(
    ImportSheet(
        name="meetings",
        label="Sinh hoạt chi bộ",
        columns=(
            Column("org_code", "Mã chi bộ", required=True),
            Column("date", "Ngày", type=Column.DATE, required=True),
            Column("kind", "Loại", type=Column.CHOICE, required=True, choices=KIND_CHOICES),
            Column("framework_code", "Mã bộ tiêu chí", required=True),
            Column("topic", "Chủ đề"),
            Column("duration_minutes", "Thời lượng (phút)", type=Column.INT),
            Column("members_total", "Tổng số đảng viên", type=Column.INT),
            Column("members_present", "Có mặt", type=Column.INT),
            Column("members_excused", "Vắng có lý do", type=Column.INT),
            Column("members_spoke", "Số đảng viên phát biểu", type=Column.INT),
            Column("documents_sent_on", "Ngày gửi tài liệu", type=Column.DATE),
            Column("minutes_filed_on", "Ngày lưu biên bản", type=Column.DATE),
        ),
        key=("org_code", "date", "kind"),
        plan=plan_meetings,
        apply=apply_meetings,
        description=(
            "Các buổi sinh hoạt chi bộ: thường kỳ, chuyên đề, sinh hoạt mẫu. Một buổi được xác định bởi mã chi bộ, "
            "ngày và loại: mỗi chi bộ có nhiều nhất một buổi mỗi loại trong một ngày (thường kỳ: một buổi mỗi tháng)."
        ),
    )
)

register_import_sheet(
    ImportSheet(
        name="meeting_scores",
        label="Điểm sinh hoạt chi bộ",
        columns=(
            Column("org_code", "Mã chi bộ", required=True),
            Column("date", "Ngày", type=Column.DATE, required=True),
            Column("kind", "Loại", type=Column.CHOICE, required=True, choices=KIND_CHOICES),
            Column("criterion_code", "Mã tiêu chí", required=True),
            Column("self_points", "Điểm tự chấm", type=Column.DECIMAL),
            Column("appraised_points", "Điểm thẩm định", type=Column.DECIMAL),
        ),
        key=("org_code", "date", "kind", "criterion_code"),
        plan=plan_scores,
        apply=apply_scores,
        description=(
            "Điểm từng tiêu chí của buổi sinh hoạt (mã chi bộ, ngày, loại chỉ đúng một buổi): tự chấm và thẩm định "
            "(điểm thẩm định là điểm cuối cùng). Điểm tự chấm nhập vào được coi là đã gửi; một tệp không được mang cả "
            "điểm tự chấm lẫn điểm thẩm định của cùng một buổi; chỉ thẩm định được buổi đã gửi tự chấm, và người đã "
            "ghi, tự chấm hoặc gửi buổi đó không được thẩm định nó."
        ),
    )
)


# --- The ranking export ---------------------------------------------------------------------------

RANKING_KEYS = [
    "org_code",
    "name",
    "cell_type",
    "meetings_expected",
    "meetings_held",
    "thematic_held",
    "average_points",
    "level",
    "rank",
]


def ranking_keys(result: Ranking) -> list[str]:
    """The ranking sheet's keys; (version 3) the grassroots ranking adds ``general_held``."""
    if not result.grassroots:
        return RANKING_KEYS
    at = RANKING_KEYS.index("thematic_held") + 1
    return [*RANKING_KEYS[:at], "general_held", *RANKING_KEYS[at:]]


def write_ranking_sheet(book: WorkbookWriter, result: Ranking) -> None:
    keys = ranking_keys(result)
    sheet = book.sheet("ranking", keys)
    for row in result.rows:
        values = {
            "org_code": row.org_code,
            "name": row.name,
            "cell_type": row.cell_type or None,
            "meetings_expected": row.meetings_expected,
            "meetings_held": row.meetings_held,
            "thematic_held": row.thematic_held,
            "general_held": row.general_held,
            "average_points": row.average_points,
            "level": row.level or None,
            "rank": row.rank,
        }
        sheet.append([values[key] for key in keys])
    if result.rollups:
        # The roll-up rules the levels came from, in the rollup_levels sheet's own keys (so it re-imports).
        from criteria.models import Framework

        rules = book.sheet("rollup_levels")
        codes = dict(Framework.objects.filter(pk__in=list(result.rollups)).values_list("pk", "code"))
        for framework_id, rollups in sorted(result.rollups.items(), key=lambda item: codes[item[0]]):
            for r in rollups:
                rules.append(
                    {
                        "framework_code": codes[framework_id],
                        "period": r.period,
                        "level": r.code,
                        "label": r.label,
                        "rank": r.rank,
                        "min_meetings": r.min_meetings,
                        "all_at_least": r.all_at_least,
                        "count_level": r.count_level,
                        "min_count": r.min_count,
                        "min_average": r.min_average,
                        "basis": r.basis,
                    }
                )


def write_ranking(request, book) -> None:
    committee = request.organization(Action.VIEW)
    try:
        period = Period.parse(request.period)
    except ValueError as exc:
        raise ExportError(str(exc)) from exc
    level = (request.level or "").strip() or None
    if level not in (None, GRASSROOTS_RANKING):
        raise ExportError(_("The ranking is of cells, or of grassroots organisations (--level grassroots)."))
    write_ranking_sheet(book, ranking(committee, period, org_level=level))


def ranking_workbook_response(result: Ranking) -> HttpResponse:
    book = WorkbookWriter()
    write_ranking_sheet(book, result)
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    filename = f"xep-hang-{'co-so-' if result.grassroots else ''}{result.root.code}-{result.period.code}.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


register_export(
    Export(
        name="ranking",
        label="Xếp hạng chất lượng sinh hoạt chi bộ",
        requires=("org", "period"),
        write=write_ranking,
        description=(
            "Các chi bộ của một cấp ủy trong một tháng, quý hoặc năm (2024-03, 2024-Q1, 2024); với --level grassroots, "
            "các đảng bộ cơ sở và đảng bộ bộ phận."
        ),
    )
)


def guidance_workbook_response(root, year: int, month: int, sent, missing) -> HttpResponse:
    """The board's consolidated list of a month's guidance (Y3) as a workbook: what each committee sent up, by
    whom and when, then the committees that have not sent yet."""
    from django.utils import timezone

    book = WorkbookWriter()
    sheet = book.sheet(
        "guidance",
        [
            Column("org_code", "Mã cấp ủy"),
            Column("org_name", "Cấp ủy gửi"),
            Column("title", "Định hướng nội dung sinh hoạt"),
            Column("body", "Nội dung"),
            Column("sent_by", "Người gửi"),
            Column("sent_on", "Ngày gửi", Column.DATE),
        ],
    )
    for guidance in sent:
        sender = guidance.sent_up_by
        sheet.append(
            [
                guidance.organization.code,
                guidance.organization.name,
                guidance.title,
                guidance.body,
                (sender.get_full_name() or sender.username) if sender else "",
                timezone.localtime(guidance.sent_up_at).date(),
            ]
        )
    waiting = book.sheet("not_sent", [Column("org_code", "Mã cấp ủy"), Column("org_name", "Cấp ủy chưa gửi")])
    for organization in missing:
        waiting.append([organization.code, organization.name])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = content_disposition_header(
        True, f"dinh-huong-{root.code}-{year}-{month:02d}.xlsx"
    )
    return response
