"""Demo campaigns (order 40, after the criteria frameworks at 10).

The small province of `make run` gets the seeds' cycles, on the tree as it stood in their year (the
city's cells of 2024 by the history rule: Thành ủy Yên Bái was dissolved by the 2025 reform):

- seed 000: Thành ủy Yên Bái's 2023 model-cell campaign recognized 18 cells (11 residential,
  1 administrative, 4 public-service, 2 armed-forces); its 2024 plan (KH 252-KH/TU) carries them in as
  maintaining and targets ≥ 6 new recognitions (5 residential, 1 public-service), tracked on the dashboard;
- seed 004: the school cell P-NTH-THCSBT on the four-good framework it derived, with its own targets:
  in 2024 every indicator is met but the year-end rating is HTNV (Không đạt); in 2025 all is met with
  HTTNV (Đạt);
- the province's plan of the current year, with its targets.

Every registration is dated in its plan's year, and the members rated are those on the roster at the
year's end.

A generated province (``make_demo --cells N``) gets one campaign with every cell registered and
scored, written with bulk inserts.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from cells.demo import DemoContext, register_demo_extension, roster_sizes_on
from cells.history import subtree_ids
from cells.models import CELL_LEVELS, CellType, Organization
from criteria.models import Framework
from criteria.scoring import Answer, Rubric, score
from criteria.selectors import load_rubric

from . import services
from .models import (
    AnnualAnswer,
    Campaign,
    CampaignMilestone,
    CampaignTarget,
    RecognitionDecision,
    Registration,
    RegistrationStatus,
    SteeringMember,
    YearRating,
)

MAINTAINING_2023 = {"residential": 11, "administrative": 1, "public_service": 4, "armed_forces": 2}


@register_demo_extension(order=40)
def build_demo_campaigns(context: DemoContext) -> None:
    if context.small:
        build_seed_campaigns(context)
    else:
        build_bulk_campaign(context)


# --- The small province: the seeds' cycles -------------------------------------------------------


def _framework(context: DemoContext, code: str) -> Framework | None:
    return (
        Framework.objects.filter(code__in=[code, f"{context.province.code}-{code}"])
        .filter(owner__path__startswith=context.province.path)
        .first()
    )


def _full_answers(rubric: Rubric, organization: Organization, *, points_short: Decimal = Decimal(0)) -> dict:
    """Answers meeting every applicable criterion (full points, achieved, indicators at their target)."""
    type_code = organization.cell_type.code if organization.cell_type_id else None
    applicable = set(score(rubric, {}, cell_type=type_code, org_level=organization.level).applicable)
    answers = {}
    for c in rubric.leaves():
        if c.code not in applicable:
            continue
        if c.is_indicator:
            target = c.target if c.target is not None else Decimal(0)
            bump = {">": Decimal("0.5"), "<": Decimal("-0.2")}.get(c.comparator, Decimal(0))
            answers[c.code] = {"actual": target + bump, "target": target if c.target_settable_by_cell else None}
        elif c.is_scored:
            answers[c.code] = {"points": c.max_points - (points_short if not c.is_key else 0)}
        else:
            answers[c.code] = {"achieved": True}
    return answers


def _record(registration: Registration, answers: dict, rubric: Rubric, user) -> None:
    """The cell's self-assessment, submitted. One assessed on paper (``user`` None, no target of its own)
    is loaded as the system loads a paper form: its answers in one insert; the score, the submission and
    everything after it go through the services."""
    by_code = {c.code: c for c in rubric.leaves()}
    if user is None and all(values.get("target") is None for values in answers.values()):
        _insert_answers(
            (registration.pk, by_code[code].id, values.get("points"), values.get("achieved"), values.get("actual"))
            for code, values in answers.items()
        )
        services.answers.registration_rescore(registration, rubric)
        services.answers.self_assessment_submit(registration=registration, acting_user=user)
        return
    from criteria.models import Criterion

    criteria = Criterion.objects.in_bulk([by_code[code].id for code in answers])
    for code, values in answers.items():
        services.answers.answer_self_save(
            registration=registration,
            criterion=criteria[by_code[code].id],
            points=values.get("points"),
            achieved=values.get("achieved"),
            actual=values.get("actual"),
            target=values.get("target"),
            comment="",
            acting_user=user,
            rubric=rubric,
            rescore=False,
        )
    services.answers.registration_rescore(registration, rubric)
    services.answers.self_assessment_submit(registration=registration, acting_user=user)


def _ratings(cells, years, rating="HTTNV", *, ratings: dict | None = None) -> None:
    """Year ratings with every member on the roster at the year's end rated (HTNV or better)."""
    rows = []
    for year in years:
        sizes = roster_sizes_on([cell.pk for cell in cells], datetime.date(year, 12, 31))
        for cell in cells:
            rows.append(
                YearRating(
                    organization=cell,
                    year=year,
                    rating=(ratings or {}).get(year, rating),
                    members_total=sizes.get(cell.pk, 0),
                    members_completed=sizes.get(cell.pk, 0),
                )
            )
    YearRating.objects.bulk_create(rows, ignore_conflicts=True)


def _ratings_of_the_province(province: Organization, years) -> None:
    """Every cell of the province rated each year, as it stood at the year's end (kept where a plan rated
    it already): most HTTNV, some HTXSNV, a few HTNV with a member who did not complete their duties."""
    for year in years:
        start, end = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
        cells = list(
            Organization.objects.filter(pk__in=subtree_ids(province, start, end, levels=CELL_LEVELS))
            .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=end))
            .order_by("code")
        )
        sizes = roster_sizes_on([cell.pk for cell in cells], datetime.date(year, 12, 31))
        rows = []
        for index, cell in enumerate(cells):
            rating = "HTXSNV" if index % 7 == 3 else "HTNV" if index % 11 == 5 else "HTTNV"
            total = sizes.get(cell.pk, 0)
            completed = total - 1 if rating == "HTNV" and total else total
            rows.append(
                YearRating(
                    organization=cell, year=year, rating=rating, members_total=total, members_completed=completed
                )
            )
        YearRating.objects.bulk_create(rows, ignore_conflicts=True)


def _dated_in_year(campaign: Campaign) -> None:
    """A past year's plan built today: its registrations, decisions and confirmations dated in its year
    (the services date them today), as they were made then."""
    year = campaign.year
    registrations = Registration.objects.filter(campaign=campaign)
    registrations.filter(registered_on__year__gt=year).update(registered_on=datetime.date(year, 2, 20))
    for field, day in (
        ("decided_at", (year, 3, 5)),
        ("self_assessed_at", (year, 11, 25)),
        ("confirmed_at", (year, 12, 15)),
    ):
        stamp = timezone.make_aware(datetime.datetime.combine(datetime.date(*day), datetime.time(9)))
        registrations.filter(**{f"{field}__isnull": False, f"{field}__gt": stamp}).update(**{field: stamp})


@transaction.atomic
def build_seed_campaigns(context: DemoContext) -> None:
    staff = context.users.get("canbo.thanhpho")
    city = Organization.objects.filter(code="TP-YB").first()
    if city is not None:
        _seed_000(context, city, staff)
    school = Organization.objects.filter(code="P-NTH-THCSBT").select_related("cell_type", "parent").first()
    if school is not None:
        _seed_004(context, school, context.users.get("canbo.phuong"), context.users.get("bithu.thcs"))
    _current_province_plan(context)
    _ratings_of_the_province(context.province, [y for y in context.years if y < timezone.localdate().year])


def _current_province_plan(context: DemoContext) -> Campaign | None:
    """The province's plans from 2025 (Đề án 07's last year) to the current year. A past year's plan is
    closed: the cells the city recognized for 2024 maintain the title, a few village cells are new, all
    appraised and confirmed, and Tỉnh ủy Lào Cai's decision of the next January recognizes them. This
    year's plan carries them in as maintaining and has the targets the leadership's briefing shows."""
    framework = _framework(context, "KM-07-2022")
    if framework is None:
        return None
    staff = context.users.get("canbo.tinh")
    today = timezone.localdate()
    for year in range(2025, today.year):
        _closed_province_plan(context, framework, year, staff)
    year = today.year
    campaign = services.plans.campaign_create(
        code=f"KH-TU-KM-{year}",
        name=f"Kế hoạch xây dựng chi bộ kiểu mẫu năm {year}",
        owner=context.province,
        framework=framework,
        year=year,
        legal_basis="Đề án số 07-ĐA/TU ngày 28/02/2022 của Tỉnh ủy",
        registration_deadline=datetime.date(year, 2, 25),
        self_assessment_deadline=datetime.date(year, 11, 30),
        recognition_deadline=datetime.date(year + 1, 3, 31),
        min_year_rating="HTTNV",
        acting_user=staff,
    )
    for metric, value in [("recognized_new", 10), ("recognized_total", 30), ("passed_share", 90)]:
        services.plans.target_set(
            campaign=campaign,
            metric=metric,
            cell_type=None,
            comparator=">=",
            value=Decimal(value),
            acting_user=staff,
        )
    return campaign


# The province's new model cells of 2025: villages of Đông Cuông and Văn Phú (bithu.bankhe's among them).
NEW_IN_2025 = ["X-DC-B1", "X-DC-B2", "X-TT-TH1"]


def _closed_province_plan(context: DemoContext, framework: Framework, year: int, staff) -> Campaign:
    campaign = services.plans.campaign_create(
        code=f"KH-TU-KM-{year}",
        name=f"Kế hoạch xây dựng chi bộ kiểu mẫu năm {year}",
        owner=context.province,
        framework=framework,
        year=year,
        legal_basis=(
            "Đề án số 07-ĐA/TU ngày 28/02/2022 của Tỉnh ủy Yên Bái về xây dựng chi bộ kiểu mẫu, giai đoạn 2022 - 2025"
        ),
        registration_deadline=datetime.date(year, 2, 25),
        self_assessment_deadline=datetime.date(year, 11, 30),
        recognition_deadline=datetime.date(year + 1, 3, 31),
        min_year_rating="HTTNV",
        acting_user=staff,
        carry_over=False,
    )
    for metric, value in [("recognized_new", 3), ("recognized_total", 15)]:
        services.plans.target_set(
            campaign=campaign, metric=metric, cell_type=None, comparator=">=", value=Decimal(value), acting_user=staff
        )
    recognized = Registration.objects.filter(
        campaign__year=year - 1, campaign__framework__kind=framework.kind, decisions__isnull=False
    ).filter(organization__path__startswith=context.province.path, organization__is_active=True)
    maintaining = list(Organization.objects.filter(pk__in=recognized.values("organization_id")).order_by("code"))
    newcomers = list(Organization.objects.filter(code__in=NEW_IN_2025, is_active=True).order_by("code"))
    _ratings(maintaining + newcomers, [year])
    _ratings(newcomers, [year - 2, year - 1])  # rated good before they registered (T4)
    registrations = [
        _registered_then(
            campaign,
            cell,
            survey_report="Chi bộ giữ vững danh hiệu chi bộ kiểu mẫu."
            if cell in maintaining
            else (f"Chi bộ đã rà soát các tiêu chí; đăng ký xây dựng chi bộ kiểu mẫu năm {year}."),
            expected_completion=datetime.date(year, 11, 30),
            on=datetime.date(year, 2, 20),
            status=RegistrationStatus.MAINTAINING if cell in maintaining else RegistrationStatus.SUBMITTED,
        )
        for cell in maintaining + newcomers
    ]
    rubric = load_rubric(framework)
    passed = []
    for registration in registrations:
        if registration.status == RegistrationStatus.SUBMITTED:
            services.registration.registration_decide(registration=registration, decision="approve", acting_user=staff)
        registration.refresh_from_db()
        _record(registration, _full_answers(rubric, registration.organization), rubric, None)
        services.answers.registration_confirm(registration=registration, acting_user=staff)
        registration.refresh_from_db()
        if registration.result == "dat":
            passed.append(registration)
    if passed:
        services.recognition.decision_record(
            campaign=campaign,
            number="1286-QĐ/TU",
            decided_on=datetime.date(year + 1, 1, 20),
            signer=context.province.signer_name,
            registrations=passed,
            acting_user=staff,
            proposal=f"Tờ trình số 45-TTr/BTCTU ngày 10/01/{year + 1} của Ban Tổ chức Tỉnh ủy",
        )
    _dated_in_year(campaign)
    return campaign


def _seed_000(context: DemoContext, city: Organization, staff) -> None:
    province_fw = _framework(context, "KM-07-2022")
    city_fw = _framework(context, "KM-TPYB-2024")
    if province_fw is None or city_fw is None:
        return
    types = {t.code: t for t in CellType.objects.all()}
    # The city's cells of 2024, where they stood then (the reform moved them under the province's wards).
    cells = list(
        Organization.objects.filter(
            pk__in=subtree_ids(city, datetime.date(2024, 1, 1), datetime.date(2025, 1, 1), levels=CELL_LEVELS)
        )
        .select_related("cell_type")
        .order_by("code")
    )
    _ratings(cells, [2022, 2023, 2024])
    # 2023: the 18 cells recognized (recorded as history: confirmed results and the decision); cells
    # that a merge has ended since are not among them (a title is kept by a cell that still exists).
    chosen, left = [], {k: v for k, v in MAINTAINING_2023.items()}
    for cell in (c for c in cells if c.is_active):
        if left.get(cell.cell_type.code, 0) > 0:
            chosen.append(cell)
            left[cell.cell_type.code] -= 1
    last = services.plans.campaign_create(
        code="KH-TU-KM-2023",
        name="Kế hoạch xây dựng chi bộ kiểu mẫu năm 2023",
        owner=city,
        framework=province_fw,
        year=2023,
        legal_basis="Đề án số 07-ĐA/TU ngày 28/02/2022 của Tỉnh ủy Yên Bái",
        registration_deadline=datetime.date(2023, 2, 25),
        recognition_deadline=datetime.date(2024, 3, 31),
        min_year_rating="HTTNV",
        acting_user=staff,
    )
    now = timezone.now()
    history = Registration.objects.bulk_create(
        [
            Registration(
                campaign=last,
                organization=cell,
                framework=province_fw,
                status=RegistrationStatus.APPROVED,
                registered_on=datetime.date(2023, 2, 20),
                total_points=Decimal(96),
                level_code="dat",
                level_rank=1,
                year_rating="HTTNV",
                result="dat",
                outcome="recognized_new",
                confirmed_at=now,
                self_assessed_at=now,
            )
            for cell in chosen
        ]
    )
    if history and history[0].pk is None:
        history = list(Registration.objects.filter(campaign=last))
    decision = RecognitionDecision.objects.create(
        campaign=last, number="1520-QĐ/TU", decided_on=datetime.date(2024, 1, 15), signer="Đỗ Văn Nghị"
    )  # signed by the city's standing deputy secretary, an officer of its committee (cells.demo)
    decision.registrations.set(history)

    # 2024: KH 252-KH/TU carries the 18 in as maintaining; targets ≥ 6 new (5 residential, 1 public-service).
    campaign = services.plans.campaign_create(
        code="KH252-TU-2024",
        name="Kế hoạch xây dựng chi bộ kiểu mẫu năm 2024",
        owner=city,
        framework=city_fw,
        year=2024,
        plan_number="252-KH/TU",
        legal_basis=(
            "Đề án số 07-ĐA/TU ngày 28/02/2022 của Tỉnh ủy Yên Bái; Quy định số 06-QĐ/TU ngày 31/3/2022 của "
            "Ban Thường vụ Thành ủy Yên Bái"
        ),
        registration_deadline=datetime.date(2024, 2, 25),
        self_assessment_deadline=datetime.date(2024, 11, 30),
        recognition_deadline=datetime.date(2025, 3, 31),
        min_year_rating="HTTNV",
        acting_user=staff,
    )
    for metric, type_code, value in [
        ("recognized_new", None, 6),
        ("recognized_new", "residential", 5),
        ("recognized_new", "public_service", 1),
        ("recognized_total", None, 24),
    ]:
        services.plans.target_set(
            campaign=campaign,
            metric=metric,
            cell_type=types.get(type_code) if type_code else None,
            comparator=">=",
            value=Decimal(value),
            acting_user=staff,
        )
    for title, due in [
        ("Hội nghị quán triệt Kế hoạch 252-KH/TU", datetime.date(2024, 2, 10)),
        ("Gửi danh sách đăng ký về Ban Tổ chức Thành ủy", datetime.date(2024, 2, 25)),
        ("Thẩm định, chấm điểm chi bộ đăng ký", datetime.date(2024, 12, 15)),
        ("Trình Ban Thường vụ công nhận chi bộ kiểu mẫu", datetime.date(2025, 3, 31)),
    ]:
        CampaignMilestone.objects.create(campaign=campaign, title=title, due_on=due)
    for order, (name, position, role) in enumerate(
        [
            ("Đỗ Văn Nghị", "Phó Bí thư Thường trực Thành ủy", "Trưởng ban"),
            ("Trần Minh Tuấn", "Trưởng Ban Tổ chức Thành ủy", "Phó Trưởng ban"),
            ("Nguyễn Thị Thu Hằng", "Chánh Văn phòng Thành ủy", "Thành viên"),
        ],
        1,
    ):
        SteeringMember.objects.create(campaign=campaign, full_name=name, position=position, role=role, order=order)
    rubric = load_rubric(city_fw)
    maintaining = list(campaign.registrations.select_related("organization", "organization__cell_type"))
    # Most maintaining cells are appraised and confirmed; one loses the title (its score falls short).
    for index, registration in enumerate(maintaining[:12]):
        short = Decimal(0) if index != 3 else Decimal(5)
        # The cells' own assessments came on paper (loaded by the system): the board only appraises.
        _record(registration, _full_answers(rubric, registration.organization, points_short=short), rubric, None)
        services.answers.registration_confirm(registration=registration, acting_user=staff)
    # New registrations: 3 recognized so far (2 residential, 1 public-service); others under way.
    chosen_ids = {c.pk for c in chosen}
    newcomers = [c for c in cells if c.pk not in chosen_ids and c.is_active]
    residential = [c for c in newcomers if c.cell_type.code == "residential"]
    public = [c for c in newcomers if c.cell_type.code == "public_service"]
    for index, cell in enumerate(residential[:6] + public[:2]):
        registration = _registered_then(
            campaign,
            cell,
            survey_report="Chi bộ đã rà soát các tiêu chí; đăng ký hoàn thành trong năm 2024.",
            expected_completion=datetime.date(2024, 11, 30),
            on=datetime.date(2024, 2, 20),
        )
        if index == 5:
            # Returned for its survey report; the cell never sent it again.
            services.registration.registration_decide(
                registration=registration,
                decision="return",
                reason="Báo cáo khảo sát chưa đánh giá tiêu chí nhà văn hóa tổ dân phố.",
                acting_user=staff,
            )
            continue
        services.registration.registration_decide(registration=registration, decision="approve", acting_user=staff)
        if index in (0, 1, 6):
            _record(registration, _full_answers(rubric, cell), rubric, None)
            services.answers.registration_confirm(registration=registration, acting_user=staff)
        elif index in (2, 3):
            _record(registration, _full_answers(rubric, cell, points_short=Decimal(1)), rubric, None)
    _dated_in_year(last)
    _dated_in_year(campaign)
    # March 2025, before the reform: the city's standing committee recognizes 2024's model cells.
    passed = list(
        campaign.registrations.filter(confirmed_at__isnull=False, result="dat").select_related("organization")
    )
    if passed:
        services.recognition.decision_record(
            campaign=campaign,
            number="245-QĐ/TU",
            decided_on=datetime.date(2025, 3, 20),
            signer="Đỗ Văn Nghị",
            registrations=passed,
            acting_user=staff,
            proposal="Tờ trình số 12-TTr/BTCTU ngày 10/3/2025 của Ban Tổ chức Thành ủy",
        )


def _registered_then(
    campaign: Campaign,
    cell: Organization,
    *,
    survey_report: str,
    expected_completion,
    on,
    status: str = RegistrationStatus.SUBMITTED,
):
    """A registration made on paper in a past year (the service registers a cell under its committee
    as the tree stands today, and the city committee was dissolved since): written as it was then,
    with the eligibility check of the time, then decided and assessed through the services."""
    check = services.registration.eligibility_for(campaign, cell)
    registration = Registration.objects.create(
        campaign=campaign,
        organization=cell,
        framework=campaign.framework,
        status=status,
        registered_on=on,
        survey_report=survey_report,
        expected_completion=expected_completion,
        eligibility={"eligible": check.eligible, "reasons": check.reasons},
    )
    services.answers.registration_rescore(registration)
    return registration


def _seed_004(context: DemoContext, school: Organization, staff, secretary) -> None:
    """The school cell on its own four-good framework: 2024 HTNV → Không đạt; 2025 HTTNV → Đạt."""
    base = _framework(context, "4T-2023")
    own = _framework(context, "4T-THCSBT-2024")
    if base is None or own is None or school.parent is None:
        return
    owner = school.parent  # the grassroots committee decides recognition (B3)
    # 2024 HTNV (the four goods met, yet Không đạt: B2); 2025 HTTNV with the member admitted that year.
    YearRating.objects.filter(organization=school, year__in=[2023, 2024, 2025]).delete()
    _ratings([school], [2023, 2024, 2025], ratings={2023: "HTTNV", 2024: "HTNV", 2025: "HTTNV"})
    rubric = load_rubric(own)
    for year, code in [(2024, "KH13-CB-2024"), (2025, "KH-CB-4T-2025")]:
        campaign = services.plans.campaign_create(
            code=code,
            name=f"Xây dựng mô hình “Chi bộ bốn tốt” năm {year}",
            owner=owner,
            framework=base,
            year=year,
            plan_number="13-KH/CB" if year == 2024 else "",
            legal_basis="Hướng dẫn số 01-HD/TU ngày 05/9/2023 của Thành ủy Yên Bái",
            registration_deadline=datetime.date(year, 5, 31),
            self_assessment_deadline=datetime.date(year, 12, 15),
            recognition_deadline=datetime.date(year, 12, 31),
            min_year_rating="HTTNV",
            eligibility_all_members_completed=True,
            acting_user=staff,
        )
        services.plans.target_set(
            campaign=campaign,
            metric="passed_share",
            cell_type=None,
            comparator=">=",
            value=Decimal(90),
            acting_user=staff,
        )
        registration = services.registration.registration_submit(
            campaign=campaign,
            organization=school,
            survey_report=(
                f"{school.name_on(datetime.date(year, 5, 2))} đăng ký xây dựng “Chi bộ bốn tốt” theo Kế hoạch số "
                "13-KH/CB."
            ),
            expected_completion=datetime.date(year, 12, 1),
            acting_user=secretary,
            today=datetime.date(year, 5, 2),
        )
        services.registration.registration_decide(registration=registration, decision="approve", acting_user=staff)
        _record(registration, _full_answers(rubric, school), rubric, secretary)
        services.answers.registration_confirm(registration=registration, acting_user=staff)
        _dated_in_year(campaign)


# --- A generated province: one campaign, every cell, with bulk inserts ---------------------------


@transaction.atomic
def build_bulk_campaign(context: DemoContext) -> Campaign | None:
    """Every cell of the province registered in one model-cell campaign, answered, scored; 20% maintaining."""
    province = context.province
    framework = (
        Framework.objects.filter(owner=province, kind="model", status="published").order_by("pk").first()
        or Framework.objects.filter(owner=province, status="published").exclude(kind="meeting").order_by("pk").first()
    )
    if framework is None:
        return None
    year = max(context.years) if context.years else timezone.localdate().year
    rng = context.rng
    campaign = Campaign.objects.create(
        code=f"{province.code}-KM-{year}",
        name=f"Kế hoạch xây dựng chi bộ kiểu mẫu năm {year}",
        owner=province,
        framework=framework,
        year=year,
        registration_deadline=datetime.date(year, 2, 25),
        recognition_deadline=datetime.date(year + 1, 3, 31),
        min_year_rating="HTTNV",
    )
    types = {t.code: t for t in CellType.objects.all()}
    CampaignTarget.objects.bulk_create(
        [
            CampaignTarget(campaign=campaign, metric="recognized_new", cell_type=types.get("residential"), value=500),
            CampaignTarget(campaign=campaign, metric="recognized_total", cell_type=None, value=1500),
            CampaignTarget(campaign=campaign, metric="passed_share", cell_type=None, value=30),
        ]
    )
    cells = list(Organization.objects.subtree_of(province).filter(level__in=CELL_LEVELS).select_related("cell_type"))
    ratings = ["HTXSNV", "HTTNV", "HTTNV", "HTTNV", "HTNV", "KHTNV"]
    YearRating.objects.bulk_create(
        [YearRating(organization=cell, year=year, rating=rng.choice(ratings)) for cell in cells],
        batch_size=2000,
        ignore_conflicts=True,
    )
    rubric = load_rubric(framework)
    registrations, answer_plan = [], []
    for cell in cells:
        answers = _random_answers(rubric, rng)
        result = score(rubric, answers, cell_type=cell.cell_type.code, org_level=cell.level)
        registrations.append(
            Registration(
                campaign=campaign,
                organization=cell,
                framework=framework,
                status=RegistrationStatus.MAINTAINING if rng.random() < 0.2 else RegistrationStatus.APPROVED,
                registered_on=datetime.date(year, 2, 20),
                total_points=result.total,
                level_code=result.level.code if result.level else "",
                level_rank=result.level.rank if result.level else None,
                failed=",".join(result.failed_groups),
            )
        )
        answer_plan.append(answers)
    created = Registration.objects.bulk_create(registrations, batch_size=2000)
    if created and created[0].pk is None:
        by_org = dict(Registration.objects.filter(campaign=campaign).values_list("organization_id", "pk"))
        for registration in created:
            registration.pk = by_org[registration.organization_id]
    ids = {c.code: c.id for c in rubric.leaves()}
    _insert_answers(
        (registration.pk, ids[code], answer.points, answer.achieved, answer.actual)
        for registration, answers in zip(created, answer_plan, strict=True)
        for code, answer in answers.items()
    )
    if connection.vendor == "postgresql":
        # Fresh bulk-loaded tables have no statistics until autovacuum comes by: plans would be wrong meanwhile.
        with connection.cursor() as cursor:
            for model in (Registration, AnnualAnswer, YearRating):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return campaign


def _insert_answers(rows) -> None:
    """Tens of thousands of answers: one executemany per batch, without building model instances."""
    table = connection.ops.quote_name(AnnualAnswer._meta.db_table)
    # The table name comes from the model, quoted; every value is a bound parameter.
    columns = "registration_id, criterion_id, self_points, self_achieved, actual, comment, appraisal_reason"
    sql = f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, '', '')"  # nosec B608
    batch: list[tuple] = []
    with connection.cursor() as cursor:
        for registration_id, criterion_id, points, achieved, actual in rows:
            batch.append(
                (
                    registration_id,
                    criterion_id,
                    None if points is None else str(points),
                    achieved,
                    None if actual is None else str(actual),
                )
            )
            if len(batch) >= 5000:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def _random_answers(rubric: Rubric, rng) -> dict[str, Answer]:
    answers = {}
    for c in rubric.leaves():
        if c.is_indicator:
            target = c.target or Decimal(0)
            answers[c.code] = Answer(actual=target + Decimal(rng.choice([-1, 0, 1, 2])))
        elif c.is_scored:
            answers[c.code] = Answer(points=c.max_points if rng.random() < 0.8 else c.max_points / 2)
        else:
            answers[c.code] = Answer(achieved=rng.random() < 0.9)
    return answers
