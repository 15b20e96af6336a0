"""Plain builders for the campaign tests (used by the fixtures and by the scope cases)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from cells.models import CellType
from criteria.models import Criterion, Framework, FrameworkStatus, RatingLevel
from evaluations.campaigns import services
from evaluations.campaigns.models import Campaign, RegistrationStatus

YEAR = 2024


def four_good_framework(owner, code="4T-TEST") -> Framework:
    """A pass/fail four-good style framework: group 1 (two items, one only for residential cells),
    group 2 (two indicators, one whose target the cell sets); levels dat / khong_dat."""
    fw = Framework.objects.create(
        code=code, name="Bốn tốt thử nghiệm", kind="four_good", owner=owner, status=FrameworkStatus.PUBLISHED
    )
    g1 = Criterion.objects.create(framework=fw, code="1", title="Lãnh đạo tốt", order=1)
    Criterion.objects.create(framework=fw, parent=g1, code="1.1", title="Nghị quyết sát thực tế", order=1)
    only_res = Criterion.objects.create(framework=fw, parent=g1, code="1.2", title="Chỉ cho chi bộ khu dân cư", order=2)
    only_res.cell_types.set([CellType.objects.get(code="residential")])
    g2 = Criterion.objects.create(framework=fw, code="2", title="Chỉ tiêu", order=2)
    Criterion.objects.create(
        framework=fw,
        parent=g2,
        code="2.1",
        title="Tỷ lệ bỏ học",
        order=1,
        unit="%",
        comparator="<",
        target=Decimal("1.0"),
        target_settable_by_cell=True,
    )
    Criterion.objects.create(
        framework=fw,
        parent=g2,
        code="2.2",
        title="Học tập nghị quyết",
        order=2,
        unit="%",
        comparator=">=",
        target=Decimal("98"),
    )
    RatingLevel.objects.create(framework=fw, code="dat", label="Đạt", rank=1, require_all_achieved=True)
    RatingLevel.objects.create(framework=fw, code="khong_dat", label="Không đạt", rank=2)
    return fw


def scored_framework(owner, code="KM-TEST", dat_rank: int | None = 3) -> Framework:
    """A scored model-cell framework: 1.1 (60, key) and 1.2 (40); levels tot ≥90 key full, kha ≥70, dat ≥50."""
    fw = Framework.objects.create(
        code=code, name="Kiểu mẫu thử nghiệm", kind="model", owner=owner, status=FrameworkStatus.PUBLISHED
    )
    g = Criterion.objects.create(framework=fw, code="1", title="Tiêu chí", order=1)
    Criterion.objects.create(framework=fw, parent=g, code="1.1", title="Nội dung", max_points=60, is_key=True, order=1)
    Criterion.objects.create(framework=fw, parent=g, code="1.2", title="Hình thức", max_points=40, order=2)
    RatingLevel.objects.create(framework=fw, code="tot", rank=1, min_points=90, require_key_full=True)
    RatingLevel.objects.create(framework=fw, code="kha", rank=2, min_points=70)
    if dat_rank:
        RatingLevel.objects.create(framework=fw, code="dat", rank=dat_rank, min_points=50)
    RatingLevel.objects.create(framework=fw, code="kem", rank=4)
    return fw


def campaign(tree, framework=None, *, code="KH-2024", **extra) -> Campaign:
    framework = framework or four_good_framework(tree.district)
    values = {
        "code": code,
        "name": "Kế hoạch xây dựng chi bộ bốn tốt năm 2024",
        "owner": tree.district,
        "framework": framework,
        "year": YEAR,
        "registration_deadline": datetime.date(YEAR, 2, 25),
        "min_year_rating": "HTTNV",
    }
    values.update(extra)
    return services.plans.campaign_create(acting_user=None, **values)


def participant(campaign, cell, *, status=RegistrationStatus.APPROVED):
    registration = services.registration.registration_submit(
        campaign=campaign,
        organization=cell,
        survey_report="Khảo sát",
        expected_completion=datetime.date(YEAR, 12, 1),
        acting_user=None,
        today=datetime.date(YEAR, 2, 1),
    )
    if status != RegistrationStatus.SUBMITTED:
        registration.status = status
        registration.save(update_fields=["status"])
    return registration


def criterion(registration, code) -> Criterion:
    return Criterion.objects.get(framework__in=registration.framework.lineage(), code=code)
