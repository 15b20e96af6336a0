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
