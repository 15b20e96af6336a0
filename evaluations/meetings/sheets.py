"""The workbook sheets of the meetings part (WORKBOOK.md): ``meetings`` and ``meeting_scores`` in, ``ranking`` out.

Rows are validated by the same model ``clean`` and services the pages use; an imported score's final
value is the appraised points when given, else the self-assessed points.
"""

from __future__ import annotations

import io
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from cells import rights
from cells.models import Organization
from cells.scoping import Action
from cells.services import audit_record, audit_value, stored_user
from cells.text import fold
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
from criteria.scoring import kept_unless_given

from . import rights as meeting_rights
from . import services
from .models import Meeting, MeetingKind, MeetingScore, MeetingStatus, ThematicTopic
from .selectors import Period, Ranking, ranking

KIND_CHOICES = (("regular", "Thường kỳ"), ("thematic", "Chuyên đề"), ("model", "Sinh hoạt mẫu"))
MEETING_FIELDS_FROM_SHEET = ("duration_minutes", "members_total", "members_present", "members_excused")


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
    orgs = {o.code: o for o in Organization.objects.filter(code__in={r["org_code"] for r in rows})}
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
            ctx.error(row, "org_code", _("No organisation with this code."))
            continue
        if not ctx.can(Action.RECORD, org.path):
            ctx.error(row, "org_code", _("This organisation is outside your scope."))
            continue
        framework = frameworks.get(row["framework_code"])
        if framework is None or framework.kind != "meeting":
            ctx.error(row, "framework_code", _("No meeting-quality framework with this code."))
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
        if meeting.is_locked and details and not creating:
            ctx.error(row, "date", _("This meeting has been appraised and is locked. Staff can reopen it."))
            continue
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
                payload=(meeting, creating),
            )
        )
    return changes


def apply_meetings(ctx, changes) -> None:
    for change in changes:
        meeting, creating = change.payload
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
            changes = {key: getattr(meeting, key) for key in change.details if key in services.recording.MEETING_FIELDS}
            with transaction.atomic():
                updated = services.recording.meeting_update(meeting=meeting, acting_user=ctx.user, **changes)
                if "framework" in change.details:
                    updated.framework = meeting.framework
                    services.recording._store_totals(updated)
                    updated.save()


SCORE_COLUMNS = ("self_points", "appraised_points")


def plan_scores(ctx, rows) -> list[Change]:
    codes = {r["org_code"] for r in rows}
    meetings = {
        (m.organization.code, m.date, m.kind): m
        for m in Meeting.objects.filter(organization__code__in=codes).select_related(
            "organization__cell_type", "framework"
        )
    }
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
                ctx.error(row, "date", _("No such meeting: add it in the meetings sheet."))
            continue
        path = meeting.organization.path
        if not ctx.can(Action.RECORD, path) and not ctx.can(Action.APPRAISE, path):
            ctx.error(row, "org_code", _("This organisation is outside your scope."))
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
        bad = False
        for key in ("self_points", "appraised_points"):
            value = row[key]
            if value is not None and (value < 0 or (criterion.max_points is not None and value > criterion.max_points)):
                ctx.error(row, key, _("Between 0 and %(max)s points.") % {"max": criterion.max_points})
                bad = True
        if bad:
            continue
        current = existing.get((meeting.pk, criterion.code))
        old = (current.self_points, current.appraised_points) if current else (None, None)
        # Absent is not "no": an empty cell keeps what is stored (a board's sheet with only some items
        # appraised neither clears the cell's self-assessment nor anyone's earlier appraisal).
        new = (kept_unless_given(old[0], row["self_points"]), kept_unless_given(old[1], row["appraised_points"]))
        changed = [not _same_points(a, b) for a, b in zip(old, new, strict=True)]
        if any(changed) and not _may_change_scores(
            ctx, row, meeting, assessing=changed[0], appraising=changed[1] and new[1] is not None
        ):
            continue
        action = Change.UNCHANGED if not any(changed) else (Change.CREATE if current is None else Change.UPDATE)
        changes.append(
            Change.for_row(
                row,
                action,
                key=f"{meeting.organization.code} {meeting.date:%d/%m/%Y} {criterion.code}",
                details={
                    key: (before, after) if current else after
                    for key, before, after, differs in zip(SCORE_COLUMNS, old, new, changed, strict=True)
                    if differs or not current
                },
                payload=(meeting, criterion.code, new, old, changed),
            )
        )
    _refuse_self_appraisal(ctx, changes)
    return changes


def _same_points(a, b) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and Decimal(a) == Decimal(b))


def _may_change_scores(ctx, row, meeting: Meeting, *, assessing: bool, appraising: bool) -> bool:
    """The checks of the pages: a locked (appraised) meeting does not change; an appraised value needs the
    appraise right on the cell, and separation of duties (not the meeting's author or submitter, nor the
    cell's officers)."""
    if meeting.is_locked:
        ctx.error(row, "date", _("This meeting has been appraised and is locked. Staff can reopen it."))
        return False
    if assessing and not ctx.can(Action.RECORD, meeting.organization.path):
        ctx.error(row, "self_points", _("You may not record this cell's self-assessment."))
        return False
    if not appraising:
        return True
    if not ctx.can(Action.APPRAISE, meeting.organization.path):
        ctx.error(row, "appraised_points", _("You may not appraise this cell's meetings."))
        return False
    if ctx.user is not None and (reason := meeting_rights.APPRAISE.duty(ctx.user, meeting)):
        ctx.error(row, "appraised_points", reason)
        return False
    return True


def _refuse_self_appraisal(ctx, changes: list[Change]) -> None:
    """One user may not bring both the self-assessment and the appraisal of a meeting in one workbook."""
    if ctx.user is None:
        return
    self_assessed = {c.payload[0].pk for c in changes if c.payload[4][0]}
    for change in changes:
        meeting, _code, new, _old, changed = change.payload
        if changed[1] and new[1] is not None and meeting.pk in self_assessed:
            ctx.error(
                change.row,
                "appraised_points",
                _("This workbook also self-assesses the meeting: someone else must import its appraisal."),
            )


def apply_scores(ctx, changes) -> None:
    """Write the scores of each meeting, then its totals; who self-assessed and who appraised are kept, and
    the audit entry holds every item's values before and after."""
    by_meeting: dict[int, tuple[Meeting, list]] = {}
    for change in changes:
        if change.action == Change.UNCHANGED:
            continue
        meeting, code, values, old, changed = change.payload
        by_meeting.setdefault(meeting.pk, (meeting, []))[1].append((code, values, old, changed))
    for meeting, items in by_meeting.values():
        with transaction.atomic():
            before = {"total": audit_value(meeting.final_total), "status": meeting.status}
            for code, (self_points, appraised_points), _old, _changed in items:
                MeetingScore.objects.update_or_create(
                    meeting=meeting,
                    code=code,
                    defaults={"self_points": self_points, "appraised_points": appraised_points},
                )
            services.recording._store_totals(meeting)
            appraised = meeting.scores.filter(appraised_points__isnull=False).exists()
            meeting.status = MeetingStatus.APPRAISED if appraised else MeetingStatus.SUBMITTED
            meeting.submitted_at = meeting.submitted_at or timezone.now()
            if any(changed[0] for *_rest, changed in items):
                meeting.submitted_by = meeting.submitted_by or stored_user(ctx.user)
            if any(changed[1] for *_rest, changed in items) and appraised:
                meeting.appraised_at = timezone.now()
                meeting.appraised_by = stored_user(ctx.user)
            meeting.save()
            audit_record(
                acting_user=ctx.user,
                action="meeting.import_scores",
                instance=meeting,
                organization=meeting.organization,
                before={**before, "scores": {code: [audit_value(v) for v in old] for code, _n, old, _c in items}},
                after={
                    "scores": {code: [audit_value(v) for v in new] for code, new, _o, _c in items},
                    "total": audit_value(meeting.final_total),
                    "status": meeting.status,
                },
            )


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
        ),
        key=("org_code", "date", "kind"),
        plan=plan_meetings,
        apply=apply_meetings,
        description="Các buổi sinh hoạt chi bộ: thường kỳ, chuyên đề, sinh hoạt mẫu.",
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
        description="Điểm từng tiêu chí của buổi sinh hoạt: tự chấm và thẩm định (điểm thẩm định là điểm cuối cùng).",
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


def write_ranking_sheet(book: WorkbookWriter, result: Ranking) -> None:
    sheet = book.sheet("ranking", RANKING_KEYS)
    for row in result.rows:
        sheet.append(
            [
                row.org_code,
                row.name,
                row.cell_type,
                row.meetings_expected,
                row.meetings_held,
                row.thematic_held,
                row.average_points,
                row.level or None,
                row.rank,
            ]
        )
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
    write_ranking_sheet(book, ranking(committee, period))


def ranking_workbook_response(result: Ranking) -> HttpResponse:
    book = WorkbookWriter()
    write_ranking_sheet(book, result)
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    filename = f"xep-hang-{result.root.code}-{result.period.code}.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


register_export(
    Export(
        name="ranking",
        label="Xếp hạng chất lượng sinh hoạt chi bộ",
        requires=("org", "period"),
        write=write_ranking,
        description="Các chi bộ của một cấp ủy trong một tháng, quý hoặc năm (2024-03, 2024-Q1, 2024).",
    )
)
