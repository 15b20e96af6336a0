"""The shipped frameworks load with the demo data, published, in Vietnamese, and score as their seeds say."""

from decimal import Decimal

import pytest

from cells.demo import build_small_province
from cells.models import Organization
from criteria.demo import build_demo_frameworks
from criteria.models import Framework, FrameworkStatus
from criteria.scoring import Answer, score
from criteria.selectors import applicable_framework, load_rubric

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    context = build_small_province()
    build_demo_frameworks(context)
    return context


def test_every_shipped_framework_is_published_with_a_basis(demo):
    frameworks = Framework.objects.all()
    assert {f.code for f in frameworks} == {
        "SH-TK-2024",
        "SH-CD-2024",
        "4T-2023",
        "SH-DUCS-2023",
        "SH-DBCS-2023",
        "4T-THCSBT-2024",
        "5T-DHYD-2022",
        "KM-07-2022",
        "KM-TPYB-2024",
    }
    for framework in frameworks:
        assert framework.status == FrameworkStatus.PUBLISHED
        assert framework.basis
        rubric = load_rubric(framework)
        assert rubric.criteria and rubric.levels


def test_meeting_rubrics_are_100_points_in_five_groups(demo):
    for code in ("SH-TK-2024", "SH-CD-2024"):
        rubric = load_rubric(Framework.objects.get(code=code))
        assert rubric.max_total == Decimal(100)
        assert [c.code for c in rubric.roots()] == ["1", "2", "3", "4", "5"]
        assert [(lvl.code, lvl.label) for lvl in rubric.levels] == [
            ("tot", "Tốt"),
            ("kha", "Khá"),
            ("trung_binh", "Trung bình"),
            ("kem", "Kém"),
        ]


def test_a_cell_gets_the_regular_or_thematic_rubric_of_the_province(demo):
    cell = Organization.objects.get(code="P-NTH-TDP1")
    assert applicable_framework(cell, "meeting", 2025, meeting_kind="regular").code == "SH-TK-2024"
    assert applicable_framework(cell, "meeting", 2025, meeting_kind="thematic").code == "SH-CD-2024"


def test_four_good_has_seed_003_items_for_cells_and_for_grassroots_organisations(demo):
    rubric = load_rubric(Framework.objects.get(code="4T-2023"))
    codes = rubric.by_code()
    assert len(codes["2.2.1"].children) == 6
    assert len(codes["2.2.2"].children) == 5
    cell = score(rubric, {}, org_level="cell")
    grassroots = score(rubric, {}, org_level="grassroots")
    assert "2.1" in cell.applicable and "2.2" not in cell.applicable
    assert "2.2.1.6" in grassroots.applicable and "2.1.1" not in grassroots.applicable


def test_the_school_cell_framework_derives_from_four_good_with_seed_004_indicators(demo):
    school = Organization.objects.get(code="P-NTH-THCSBT")
    framework = applicable_framework(school, "four_good", 2024)
    assert framework.code == "4T-THCSBT-2024"
    assert framework.parent.code == "4T-2023"
    rubric = load_rubric(framework)
    indicators = {c.code: (c.comparator, c.target) for c in rubric.criteria if c.is_indicator}
    assert indicators == {
        "1.3.1": ("<", Decimal("1.0")),
        "1.3.2": ("<", Decimal("0.4")),
        "1.3.3": (">=", Decimal("98.0")),
        "1.3.4": ("=", Decimal("100.0")),
        "1.3.5": (">=", Decimal("91.0")),
        "1.3.6": (">", Decimal("68.0")),
        "1.3.7": (">=", Decimal("55.0")),
        "1.4.1": (">=", Decimal("98.0")),
        "1.4.2": (">=", Decimal("6")),
        "1.4.5": (">=", Decimal("100.0")),
    }
    assert rubric.by_code()["1"].inherited and not rubric.by_code()["1.3"].inherited
    assert [lvl.code for lvl in rubric.levels] == ["dat", "khong_dat"]
    actuals = {
        "1.3.1": "0.8",
        "1.3.2": "0.3",
        "1.3.3": "98.5",
        "1.3.4": "100",
        "1.3.5": "92",
        "1.3.6": "70",
        "1.3.7": "60",
        "1.4.1": "99",
        "1.4.2": "6",
        "1.4.5": "100",
    }
    answers = {c.code: Answer(achieved=True) for c in rubric.leaves() if not c.is_indicator}
    answers.update({code: Answer(actual=value) for code, value in actuals.items()})
    assert score(rubric, answers, cell_type="public_service", org_level="cell").level.code == "dat"
    answers["1.3.6"] = Answer(actual="68.0")  # "trên 68.0%": exactly 68 is not enough
    result = score(rubric, answers, cell_type="public_service", org_level="cell")
    assert result.failed_groups == ("1",)
    assert result.level.code == "khong_dat"


def test_five_good_has_two_cell_criteria_and_three_member_criteria_one_per_cell_type(demo):
    rubric = load_rubric(Framework.objects.get(code="5T-DHYD-2022"))
    assert len(rubric.roots()) == 5
    faculty = score(rubric, {}, cell_type="public_service")
    students = score(rubric, {}, cell_type="other")
    assert "5.1" in faculty.applicable and "5.3" not in faculty.applicable
    assert "5.3" in students.applicable and "5.1" not in students.applicable


def test_model_cell_is_scored_out_of_100_with_a_pass_mark_and_the_city_adds_conditions(demo):
    province = load_rubric(Framework.objects.get(code="KM-07-2022"))
    assert province.max_total == Decimal(100)
    full = {c.code: Answer(points=c.max_points) for c in province.leaves()}
    assert score(province, full).level.code == "dat"
    city = load_rubric(Framework.objects.get(code="KM-TPYB-2024"))
    assert city.max_total == Decimal(100)
    assert score(city, full, cell_type="residential").level.code == "khong_dat"
    full.update({"6.1": Answer(achieved=True), "6.2": Answer(achieved=True)})
    assert score(city, full, cell_type="residential").level.code == "dat"
    assert score(city, full | {"1.1": Answer(points=14)}, cell_type="residential").level.code == "khong_dat"


def test_added_criteria_come_after_the_inherited_ones_beside_them(demo):
    school = load_rubric(Framework.objects.get(code="4T-THCSBT-2024"))
    assert school.by_code()["1"].children == ("1.1", "1.2", "1.3", "1.4")
    city = load_rubric(Framework.objects.get(code="KM-TPYB-2024"))
    assert [c.code for c in city.roots()] == ["1", "2", "3", "4", "5", "6"]


def test_numbers_read_without_trailing_zeros():
    from django.utils import translation

    from criteria.templatetags.criteria_tags import num

    with translation.override("vi"):
        assert num(Decimal("0.400")) == "0,4"
        assert num(Decimal("100.000")) == "100"
        assert num(Decimal("68.5")) == "68,5"
