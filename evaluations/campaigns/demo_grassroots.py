"""The demo's grassroots organisation evaluated like a cell (issue 23, seed 003's "đảng bộ cơ sở bốn tốt").

For the small province of ``make run``: an account for the office of a ward's party committee
(``vanphong.phuong``) that records a year of its committee's monthly meetings and two general meetings,
self-assessed and appraised by the committee above; and the current year's four-good plan of the province,
which takes cells and grassroots organisations alike (the ward registers itself, two of its cells too).

Organisations are found by their level and the roles on them, not by name, so the demo stays right when
the tree is rebuilt (the 2025 reform: a ward may stand directly under the province). Everything is written
through the services the pages use.
"""

from __future__ import annotations

import datetime
import secrets
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cells.demo import DemoContext, register_demo_extension
from cells.models import CELL_LEVELS, Level, Organization, Role, RoleAssignment
from criteria.models import Framework, FrameworkStatus
from criteria.selectors import load_rubric

from ..meetings import services as meeting_services
from ..meetings.models import MeetingKind
from ..meetings.services.recording import AppraisalChange, meeting_rubric
from . import services
from .demo import _full_answers, _record

OFFICE_USERNAME = "vanphong.phuong"
OFFICE_NAME = "Phan Thị Thu"


def _ward(province: Organization) -> Organization | None:
    """The grassroots organisation of the demo: the first ward or commune (by tree order) whose committee has
    organizing staff, so that someone above it appraises what its office records."""
    staffed = RoleAssignment.objects.current().filter(role=Role.STAFF).values("organization_id")
    candidates = Organization.objects.subtree_of(province).filter(level=Level.GRASSROOTS, is_active=True)
    return candidates.filter(pk__in=staffed).order_by("path").first() or candidates.order_by("path").first()


def _staff_above(organization: Organization, *, exclude=()) -> object | None:
    """A current organizing staff member of the nearest committee above ``organization``."""
    for ancestor in reversed(list(organization.ancestors())):
        assignment = (
            RoleAssignment.objects.current()
            .filter(organization=ancestor, role=Role.STAFF)
            .exclude(user__in=list(exclude))
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if assignment is not None:
            return assignment.user
    return None


def _office_account(context: DemoContext, ward: Organization):
    password = f"{secrets.token_hex(3)}-{secrets.token_hex(3)}"
    first, _sep, last = OFFICE_NAME.rpartition(" ")
    user = get_user_model().objects.create_user(
        username=OFFICE_USERNAME,
        password=password,
        first_name=first,
        last_name=last,
        email=f"{OFFICE_USERNAME}@example.invalid",
    )
    RoleAssignment.objects.create(user=user, organization=ward, role=Role.STAFF, valid_from=datetime.date(2020, 1, 1))
    context.users[OFFICE_USERNAME] = user
    context.passwords[OFFICE_USERNAME] = password
    return user


def _all_met(meeting) -> dict:
    """Every item of the meeting's rubric at full marks (or achieved)."""
    rubric = meeting_rubric(meeting)
    if rubric is None:
        return {}
    return {c.code: (c.max_points if c.is_scored else True) for c in rubric.leaves()}


def _year_of_meetings(ward: Organization, office, appraiser, today: datetime.date) -> None:
    """The committee's meeting of each of the twelve months before this one, and two general meetings (six
    months apart, the latest last month); all self-assessed by the office, appraised from above except last
    month's committee meeting, left waiting in the appraiser's queue."""
    first_of_month = today.replace(day=1)
    months = []
    day = first_of_month
    for _ in range(12):
        day = (day - datetime.timedelta(days=1)).replace(day=1)
        months.append(day)
    months.reverse()
    general_days = {months[5].replace(day=20), months[11].replace(day=20)}
    planned = [(month.replace(day=5), MeetingKind.COMMITTEE) for month in months]
    planned += [(day, MeetingKind.GENERAL) for day in sorted(general_days)]
    latest_committee = months[-1].replace(day=5)
    for date, kind in sorted(planned):
        meeting = meeting_services.recording.meeting_create(
            organization=ward,
            kind=kind,
            date=date,
            acting_user=office,
            duration_minutes=150 if kind == MeetingKind.GENERAL else 120,
            members_total=180 if kind == MeetingKind.GENERAL else 13,
            members_present=171 if kind == MeetingKind.GENERAL else 12,
            members_excused=9 if kind == MeetingKind.GENERAL else 1,
            subject="Hội nghị đảng bộ phường" if kind == MeetingKind.GENERAL else "Họp Ban Chấp hành Đảng bộ phường",
        )
        values = _all_met(meeting)
        if not values:
            continue
        meeting = meeting_services.recording.meeting_self_assess(
            meeting=meeting, values=values, submit=True, acting_user=office
        )
        if appraiser is not None and not (kind == MeetingKind.COMMITTEE and date == latest_committee):
            meeting_services.recording.meeting_appraise(
                meeting=meeting,
                changes={code: AppraisalChange(value) for code, value in values.items()},
                note="Cuộc họp đúng quy trình, đủ nội dung.",
                acting_user=appraiser,
            )


def _four_good_framework(province: Organization) -> Framework | None:
    """The province's published four-good framework meant for cells and grassroots organisations alike."""
    for framework in Framework.objects.filter(
        owner__path__startswith=province.path, kind="four_good", status=FrameworkStatus.PUBLISHED, parent=None
    ).order_by("owner__depth", "-valid_from_year", "pk"):
        if Level.GRASSROOTS in (framework.org_levels or []) and set(framework.org_levels) & set(CELL_LEVELS):
            return framework
    return None


def _four_good_plan(context: DemoContext, ward: Organization, office) -> None:
    """The province's four-good plan of the current year: targets for cells and grassroots organisations
    (F2: 90% four-good), the ward registered by its own office and two of its cells by their secretaries (or
    the ward's office proposing them), approved by the province's board, the ward's year self-assessed."""
    framework = _four_good_framework(context.province)
    province_staff = (
        RoleAssignment.objects.current()
        .filter(organization=context.province, role=Role.STAFF)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    board = province_staff.user if province_staff else _staff_above(ward, exclude=[office])
    if framework is None or board is None:
        return
    year = timezone.localdate().year
    campaign = services.plans.campaign_create(
        code=f"KH-TU-4T-{year}",
        name=f"Kế hoạch xây dựng “chi bộ bốn tốt”, “đảng bộ cơ sở bốn tốt” năm {year}",
        owner=context.province,
        framework=framework,
        year=year,
        legal_basis=framework.basis or "",
        registration_deadline=None,
        self_assessment_deadline=datetime.date(year, 12, 15),
        recognition_deadline=datetime.date(year + 1, 3, 31),
        min_year_rating="HTTNV",
        acting_user=board,
        carry_over=False,
    )
    for level in (Level.GRASSROOTS, ""):
        services.plans.target_set(
            campaign=campaign,
            metric="recognized_share",
            cell_type=None,
            org_level=level,
            comparator=">=",
            value=Decimal(90),
            acting_user=board,
        )
    services.plans.target_set(
        campaign=campaign,
        metric="recognized_new",
        cell_type=None,
        org_level=Level.GRASSROOTS,
        comparator=">=",
        value=Decimal(1),
        acting_user=board,
    )
    secretaries = {
        a.organization_id: a.user
        for a in RoleAssignment.objects.current().filter(role=Role.SECRETARY).select_related("user")
    }
    cells = list(
        Organization.objects.filter(parent=ward, level__in=CELL_LEVELS, is_active=True)
        .select_related("cell_type")
        .order_by("path")[:2]
    )
    for organization in [ward, *cells]:
        registrant = secretaries.get(organization.pk, office)
        registration = services.registration.registration_submit(
            campaign=campaign,
            organization=organization,
            survey_report=(
                "Đảng bộ đăng ký xây dựng “đảng bộ cơ sở bốn tốt”: đoàn kết, sinh hoạt đều đặn, lãnh đạo hoàn "
                "thành nhiệm vụ chính trị của phường."
                if organization == ward
                else "Chi bộ đăng ký xây dựng “chi bộ bốn tốt”."
            ),
            expected_completion=datetime.date(year, 12, 1),
            acting_user=registrant,
        )
        services.registration.registration_decide(registration=registration, decision="approve", acting_user=board)
        services.ratings.year_rating_set(organization=organization, year=year, rating="HTTNV", acting_user=board)
        if organization == ward:
            rubric = load_rubric(registration.framework)
            _record(registration, _full_answers(rubric, organization), rubric, office)


@register_demo_extension(order=45)
@transaction.atomic
def build_demo_grassroots(context: DemoContext) -> None:
    if not context.small or OFFICE_USERNAME in context.users:
        return
    ward = _ward(context.province)
    if ward is None:
        return
    office = _office_account(context, ward)
    appraiser = _staff_above(ward, exclude=[office])
    _year_of_meetings(ward, office, appraiser, timezone.localdate())
    _four_good_plan(context, ward, office)
