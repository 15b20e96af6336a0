"""Demo data of issue 24: the province's 2026 meeting rubric built the 2025 way (a regular and a thematic
variant, after Hướng dẫn 42-HD/BTCTW), the preparation checklists, and meetings with their facts, ticked
checklists, minutes, votes on each item and, for a four-good cell, the month's progress carried into the
draft resolution.

Organisations are found by level and role, never by name (the demo tree changes with the 2025 reform):
the province is the demo's root; the demo cells are the cells whose secretary has an account. Runs after
the meetings and campaigns (order 60), through the services, so every write is audited as on the pages."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from cells.demo import DemoContext, register_demo_extension
from cells.models import CELL_LEVELS, Organization, Role, RoleAssignment
from criteria.models import Criterion, Framework, FrameworkKind, FrameworkStatus, RatingLevel
from criteria.scoring import bands_to_json, parse_bands

from . import four_good, minutes, services
from .minutes_models import PreparationStep
from .models import Meeting, MeetingKind, MeetingStatus, Presence

BASIS = "Hướng dẫn số 42-HD/BTCTW ngày 28/10/2025 của Ban Tổ chức Trung ương; Chỉ thị số 50-CT/TW ngày 23/7/2025"

# (code, parent, title, max points, key, measure, bands): the 2025 way, a meeting scored largely from its facts.
RUBRIC_2026 = [
    ("1", None, "Chuẩn bị sinh hoạt", None, False, "", ""),
    ("1.1", "1", "Chi ủy (bí thư) họp chuẩn bị nội dung, dự kiến phân công", 5, False, "", ""),
    ("1.2", "1", "Dự thảo nghị quyết, báo cáo kết quả tháng trước", 5, False, "", ""),
    ("1.3", "1", "Tài liệu gửi đảng viên trên ứng dụng Sổ tay đảng viên trước ít nhất 1 ngày", 5, False,
     "documents_days_before", ">=1:5"),
    ("2", None, "Tham dự và thời lượng", None, False, "", ""),
    ("2.1", "2", "Tỷ lệ đảng viên dự sinh hoạt", 4, True, "attendance_percent", ">=90:4; >=80:3; >=70:2; >=50:1"),
    ("2.2", "2", "Không có đảng viên vắng có lý do quá 3 lần liên tiếp", 1, False, "", ""),
    ("2.3", "2", "Thời lượng (từ 90 phút với chi bộ dưới 30 đảng viên)", 10, True, "duration_minutes",
     ">=90:10; >=75:7; >=60:4"),
    ("3", None, "Tiến hành sinh hoạt", None, False, "", ""),
    ("3.1", "3", "Thông tin thời sự, quán triệt văn bản cấp trên", 10, False, "", ""),
    ("3.2", "3", "Đánh giá kết quả thực hiện nghị quyết tháng trước", 15, False, "", ""),
    ("3.3", "3", "Tỷ lệ đảng viên phát biểu ý kiến", 5, True, "speakers_percent", ">50:5; >=30:3; >0:1"),
    ("3.4", "3", "Vai trò chủ trì, điều hành của bí thư", 10, False, "", ""),
    ("3.5", "3", "Nguyên tắc tập trung dân chủ, tự phê bình và phê bình", 10, False, "", ""),
    ("4", None, "Kết thúc sinh hoạt", None, False, "", ""),
    ("4.1", "4", "Kết luận, nghị quyết, phân công đảng viên thực hiện", 10, False, "", ""),
    ("4.2", "4", "Biên bản ghi đầy đủ theo mẫu", 5, False, "", ""),
    ("4.3", "4", "Biên bản, văn bản cuối cùng đưa lên ứng dụng trong 2 ngày sau buổi sinh hoạt", 5, True,
     "minutes_days_after", "<=2:5"),
]  # fmt: skip
THEMATIC_ITEM = ("3.1", "3", "Chuyên đề được chuẩn bị, trình bày và thảo luận sâu", 10, False, "", "")
LEVELS = [
    ("tot", "Tốt", 1, 90, True),
    ("kha", "Khá", 2, 70, False),
    ("trung_binh", "Trung bình", 3, 50, False),
    ("kem", "Kém", 4, 0, False),
]
STEPS = [
    ("Chi ủy (bí thư) họp chuẩn bị nội dung sinh hoạt", "", None),
    ("Dự thảo nghị quyết và báo cáo kết quả tháng trước sẵn sàng", "", None),
    ("Gửi tài liệu đến đảng viên trên ứng dụng Sổ tay đảng viên", "documents_sent_on", 1),
    ("Thông báo thời gian, địa điểm và mời dự", "", 2),
]


def _rubric(province: Organization, code: str, name: str, kind: str, rows) -> Framework:
    framework = Framework.objects.create(
        code=code,
        name=name,
        kind=FrameworkKind.MEETING,
        owner=province,
        basis=BASIS,
        valid_from_year=2026,
        meeting_kind=kind,
        status=FrameworkStatus.PUBLISHED,
        published_at=timezone.now(),
    )
    made: dict[str, Criterion] = {}
    for order, (ccode, parent, title, points, key, measure, bands) in enumerate(rows):
        criterion = Criterion(
            framework=framework,
            parent=made.get(parent),
            code=ccode,
            title=title,
            order=order,
            max_points=None if points is None else Decimal(points),
            is_key=key,
        )
        if measure:
            # Scored from the meeting's facts (WORKBOOK v3 measure and bands): nobody types these points.
            criterion.measure, criterion.bands = measure, bands_to_json(parse_bands(bands))
        criterion.save()
        made[ccode] = criterion
    for lcode, label, rank, minimum, key_full in LEVELS:
        RatingLevel.objects.create(
            framework=framework, code=lcode, label=label, rank=rank, min_points=minimum, require_key_full=key_full
        )
    return framework


def _steps(framework: Framework) -> None:
    if PreparationStep.objects.filter(framework=framework).exists():
        return
    for title, fact, days in STEPS:
        services.minutes.preparation_step_save(
            framework=framework, title=title, fact=fact, days_before=days, acting_user=None
        )


def _demo_cells(province: Organization) -> list[Organization]:
    """Cells whose secretary has an account (the demo's secretaries), in tree order."""
    today = timezone.localdate()
    ids = (
        RoleAssignment.objects.filter(
            role=Role.SECRETARY, organization__path__startswith=province.path, organization__level__in=CELL_LEVELS
        )
        .filter(valid_from__lte=today)
        .exclude(valid_to__lt=today)
        .values_list("organization_id", flat=True)
    )
    return list(Organization.objects.filter(pk__in=list(ids), is_active=True).order_by("path")[:4])


@register_demo_extension(order=60)
@transaction.atomic
def build_demo_minutes(context: DemoContext) -> None:
    province = context.province
    code = f"{province.code}-SH-2026" if not context.small else "SH-TK-2026"
    if Framework.objects.filter(code__in=[code, f"{code}-CD", "SH-CD-2026"]).exists():
        return
    regular = _rubric(
        province, code, "Tiêu chí đánh giá chất lượng sinh hoạt chi bộ thường kỳ năm 2026", "regular", RUBRIC_2026
    )
    thematic_rows = [THEMATIC_ITEM if row[0] == "3.1" else row for row in RUBRIC_2026]
    thematic = _rubric(
        province,
        "SH-CD-2026" if context.small else f"{code}-CD",
        "Tiêu chí đánh giá chất lượng sinh hoạt chi bộ chuyên đề năm 2026",
        "thematic",
        thematic_rows,
    )
    # Every meeting rubric of the province gets the checklist (the older ones too: steps are not scored).
    for framework in Framework.objects.filter(owner=province, kind=FrameworkKind.MEETING):
        _steps(framework)
    if context.small:
        for cell in _demo_cells(province):
            _demo_meetings(cell, regular, thematic)


def _demo_meetings(cell: Organization, regular: Framework, thematic: Framework) -> None:
    """The cell's last regular meeting, moved onto the 2026 rubric, and a thematic meeting a week later."""
    today = timezone.localdate()
    last = (
        Meeting.objects.filter(organization=cell, kind=MeetingKind.REGULAR, year=2026)
        .exclude(status=MeetingStatus.APPRAISED)
        .order_by("-date")
        .first()
    )
    if last is None:
        return
    _enrich(last, framework=regular)
    day = last.date + datetime.timedelta(days=7)
    if day < today and not Meeting.objects.filter(organization=cell, kind=MeetingKind.THEMATIC, date=day).exists():
        from .models import ThematicTopic

        topic = ThematicTopic.objects.filter(is_active=True).first()
        meeting = services.recording.meeting_create(
            organization=cell,
            kind=MeetingKind.THEMATIC,
            date=day,
            topic=topic,
            subject="Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
            framework=thematic,
            acting_user=None,
        )
        _enrich(meeting, framework=None)


def _enrich(meeting: Meeting, *, framework: Framework | None) -> None:
    """Facts, checklist, minutes, votes, the signed scan and the self-assessment of one demo meeting."""
    members = list(meeting.organization.members.current().filter(exempt=False).order_by("full_name_folded"))
    if not members:
        return
    attendance = {m.pk: Presence.PRESENT for m in members}
    if len(members) > 6:
        attendance[members[-1].pk] = Presence.EXCUSED
    present = sum(1 for value in attendance.values() if value == Presence.PRESENT)
    changes = {"attendance": attendance, "duration_minutes": 95}
    if framework is not None:
        changes["framework"] = framework
    changes["members_spoke"] = max(1, present * 3 // 5)
    meeting = services.recording.meeting_update(meeting=meeting, acting_user=None, **changes)
    status = four_good.four_good_status(meeting.organization, meeting.date)
    titles = ["Đánh giá kết quả thực hiện nghị quyết tháng trước", "Nhiệm vụ trọng tâm tháng tới"]
    if status is not None:
        titles += four_good.draft_items(status, meeting.date)
    services.minutes.meeting_agenda_add(meeting=meeting, titles=titles, acting_user=None)
    meeting.refresh_from_db()
    steps = minutes.meeting_steps(meeting)
    done = {step.pk: meeting.date - datetime.timedelta(days=(step.days_before or 0) + 1) for step in steps}
    services.minutes.meeting_preparation_save(meeting=meeting, done=done, acting_user=None)
    meeting.refresh_from_db()
    services.minutes.meeting_minutes_update(
        meeting=meeting,
        acting_user=None,
        place=f"Hội trường {meeting.organization.name}",
        started_at=datetime.time(19, 30),
        chair=members[0],
        recorder=members[1] if len(members) > 1 else members[0],
        minutes_text="Các đồng chí đảng viên thảo luận, góp ý vào dự thảo nghị quyết và nhiệm vụ tháng tới.",
        conclusions="Chi bộ thống nhất các nội dung của dự thảo nghị quyết và phân công đảng viên thực hiện.",
    )
    meeting.refresh_from_db()
    votes = {item.pk: services.minutes.Vote(present, 0, 0) for item in meeting.agenda.all()}
    services.minutes.meeting_votes_record(meeting=meeting, votes=votes, acting_user=None)
    meeting.refresh_from_db()
    scan = ContentFile(minutes.minutes_pdf(meeting), name="bien-ban-da-ky.pdf")
    services.minutes.meeting_signed_minutes_attach(
        meeting=meeting, upload=scan, filed_on=meeting.date + datetime.timedelta(days=1), acting_user=None
    )
    meeting.refresh_from_db()
    rubric = services.recording.meeting_rubric(meeting)
    if rubric is not None:
        values = {c.code: c.max_points if c.is_scored else True for c in rubric.leaves() if not c.measure}
        services.recording.meeting_self_assess(meeting=meeting, values=values, submit=True, acting_user=None)
