"""Builders for meeting tests and scope cases: a 100-point meeting rubric, meetings, assignments."""

from __future__ import annotations

import datetime
from decimal import Decimal

from criteria.models import Criterion, Framework, FrameworkStatus, RatingLevel
from evaluations.meetings import services
from evaluations.meetings.models import SupervisionAssignment

# (code, parent, title, max_points, key)
RUBRIC = [
    ("1", None, "Chuẩn bị", None, False),
    ("1.1", "1", "Chuẩn bị nội dung", Decimal(10), True),
    ("1.2", "1", "Thông báo", Decimal(5), False),
    ("2", None, "Tham dự", None, False),
    ("2.1", "2", "Tỷ lệ đảng viên dự", Decimal(20), False),
    ("3", None, "Tiến hành", None, False),
    ("3.1", "3", "Đúng các bước", Decimal(25), True),
    ("3.2", "3", "Thảo luận, biểu quyết", Decimal(20), False),
    ("4", None, "Kết thúc", None, False),
    ("4.1", "4", "Biên bản, nghị quyết", Decimal(20), False),
]
LEVELS = [
    ("tot", "Tốt", 1, 90, True, False),
    ("kha", "Khá", 2, 70, False, False),
    ("trung_binh", "Trung bình", 3, 50, False, True),
    ("kem", "Kém", 4, 0, False, True),
]
FULL = {"1.1": 10, "1.2": 5, "2.1": 20, "3.1": 25, "3.2": 20, "4.1": 20}


def make_framework(owner, code: str = "SH-TEST") -> Framework:
    framework = Framework.objects.create(
        code=code, name="Tiêu chí sinh hoạt chi bộ", kind="meeting", owner=owner, status=FrameworkStatus.PUBLISHED
    )
    by_code = {}
    for order, (ccode, parent, title, points, key) in enumerate(RUBRIC):
        by_code[ccode] = Criterion.objects.create(
            framework=framework,
            code=ccode,
            parent=by_code.get(parent),
            title=title,
            max_points=points,
            is_key=key,
            order=order,
        )
    for lcode, label, rank, minimum, key_full, attention in LEVELS:
        RatingLevel.objects.create(
            framework=framework,
            code=lcode,
            label=label,
            rank=rank,
            min_points=Decimal(minimum),
            require_key_full=key_full,
            needs_attention=attention,
        )
    return framework


def make_meeting(cell, date=datetime.date(2024, 3, 10), kind="regular", **fields):
    return services.recording.meeting_create(organization=cell, kind=kind, date=date, acting_user=None, **fields)


def scored_meeting(cell, values=None, submit=True, date=datetime.date(2024, 3, 10), **fields):
    meeting = make_meeting(cell, date=date, **fields)
    return services.recording.meeting_self_assess(
        meeting=meeting, values=values or FULL, submit=submit, acting_user=None
    )


def assign_supervisor(cell, user, valid_from=datetime.date(2020, 1, 1)):
    return SupervisionAssignment.objects.create(organization=cell, supervisor=user, valid_from=valid_from)


# (code, parent, max_points, key, measure, bands, kinds, not_applicable)
RUBRIC_2025 = [
    ("1", None, None, False, "", [], [], "none"),
    ("1.1", "1", 5, True, "attendance_percent", [[">=", "95", "5"], [">=", "90", "4"], [">=", "80", "3"]], [], "none"),
    ("1.2", "1", 5, False, "duration_minutes", [[">=", "90", "5"], [">=", "60", "3"]], [], "none"),
    ("1.3", "1", 5, False, "speakers_percent", [[">", "50", "5"], [">=", "30", "3"]], [], "none"),
    ("1.4", "1", 5, False, "documents_days_before", [[">=", "1", "5"]], [], "none"),
    ("1.5", "1", 5, False, "minutes_days_after", [["<=", "2", "5"], ["<=", "5", "3"]], [], "none"),
    ("2", None, None, False, "", [], [], "none"),
    ("2.1", "2", 10, False, "", [], ["thematic"], "full"),
    ("2.2", "2", 65, False, "", [], [], "none"),
]
# 19 of 20 present (95% → 5), 95 minutes (5), 10 of 19 spoke (52.6% → 5), documents 2 days before (5),
# minutes 1 day after (5): the computed items give 25.
GOOD_FACTS = {
    "members_total": 20,
    "members_present": 19,
    "duration_minutes": 95,
    "members_spoke": 10,
    "documents_sent_on": datetime.date(2024, 3, 8),
    "minutes_filed_on": datetime.date(2024, 3, 11),
}


def make_rubric_2025(owner, code="SH-2025") -> Framework:
    """A 2025 rubric: five items scored from the facts (1.1 attendance, key), a thematic item counted full in
    other meetings (2.1) and a typed one (2.2); Tốt needs 90 and the key item full."""
    framework = Framework.objects.create(
        code=code,
        name="Sinh hoạt chi bộ 2025",
        kind="meeting",
        owner=owner,
        status=FrameworkStatus.PUBLISHED,
    )
    made = {}
    for order, (ccode, parent, points, key, measure, bands, kinds, na) in enumerate(RUBRIC_2025):
        made[ccode] = Criterion.objects.create(
            framework=framework,
            code=ccode,
            parent=made.get(parent),
            title=f"Tiêu chí {ccode}",
            max_points=points,
            is_key=key,
            measure=measure,
            bands=bands,
            kinds=kinds,
            not_applicable=na,
            order=order,
        )
    for lcode, rank, minimum, key_full in (("tot", 1, 90, True), ("kha", 2, 70, False), ("kem", 3, 0, False)):
        RatingLevel.objects.create(
            framework=framework, code=lcode, label=lcode, rank=rank, min_points=minimum, require_key_full=key_full
        )
    return framework
