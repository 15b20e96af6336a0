"""Reads: the effective rubric, which framework applies, what a user may see."""

from decimal import Decimal

import pytest

from cells.models import CellType, Level
from criteria.models import Framework, FrameworkKind, FrameworkStatus
from criteria.scoring import Answer, score
from criteria.selectors import applicable_framework, frameworks_visible_to, load_rubric
from tests.criteria.factories import CriterionFactory, FrameworkFactory, RatingLevelFactory, meeting_framework

pytestmark = pytest.mark.django_db


def test_load_rubric_reads_criteria_and_levels_in_three_queries(tree, django_assert_num_queries):
    framework = meeting_framework(tree.province)
    with django_assert_num_queries(3):
        rubric = load_rubric(framework)
    assert [c.code for c in rubric.criteria] == ["1", "1.1", "2", "2.1", "3", "3.1", "3.2", "4", "4.1", "5", "5.1"]
    assert [lvl.code for lvl in rubric.levels] == ["tot", "kha", "trung_binh", "kem"]
    assert rubric.max_total == Decimal(100)


def test_a_derived_rubric_inherits_criteria_and_levels_and_adds_its_own(tree):
    parent = FrameworkFactory(owner=tree.province, code="4T", kind=FrameworkKind.FOUR_GOOD)
    group = CriterionFactory(framework=parent, code="1")
    CriterionFactory(framework=parent, code="1.1", parent=group)
    RatingLevelFactory(framework=parent, code="dat", rank=1, require_all_achieved=True)
    RatingLevelFactory(framework=parent, code="khong_dat", rank=2)
    child = FrameworkFactory(owner=tree.school, code="4T-SCHOOL", kind=FrameworkKind.FOUR_GOOD, parent=parent)
    CriterionFactory(framework=child, code="1.2", parent=group, comparator="<", target=Decimal("1.0"))
    rubric = load_rubric(child)
    assert [(c.code, c.inherited) for c in rubric.criteria] == [("1", True), ("1.1", True), ("1.2", False)]
    assert [lvl.code for lvl in rubric.levels] == ["dat", "khong_dat"]
    result = score(rubric, {"1.1": Answer(achieved=True), "1.2": Answer(actual="1.2")})
    assert result.failed_groups == ("1",)
    assert load_rubric(parent).by_code().keys() == {"1", "1.1"}


def test_load_rubric_reads_cell_types(tree):
    framework = FrameworkFactory(owner=tree.province)
    criterion = CriterionFactory(framework=framework, code="1")
    criterion.cell_types.add(CellType.objects.get(code="public_service"))
    assert load_rubric(framework).criteria[0].cell_types == frozenset({"public_service"})


def test_applicable_framework_is_the_nearest_published_one_valid_that_year(tree):
    province = FrameworkFactory(owner=tree.province, code="P", kind=FrameworkKind.FOUR_GOOD, valid_from_year=2024)
    assert applicable_framework(tree.cell, FrameworkKind.FOUR_GOOD, 2024) == province
    assert applicable_framework(tree.cell, FrameworkKind.FOUR_GOOD, 2023) is None
    assert applicable_framework(tree.cell, FrameworkKind.MEETING, 2024) is None
    district = FrameworkFactory(owner=tree.district, code="D", kind=FrameworkKind.FOUR_GOOD, parent=province)
    FrameworkFactory(owner=tree.grassroots, code="G", kind=FrameworkKind.FOUR_GOOD, status=FrameworkStatus.DRAFT)
    assert applicable_framework(tree.cell, FrameworkKind.FOUR_GOOD, 2024) == district
    own = FrameworkFactory(owner=tree.cell, code="C", kind=FrameworkKind.FOUR_GOOD, parent=district)
    assert applicable_framework(tree.cell, FrameworkKind.FOUR_GOOD, 2024) == own
    assert applicable_framework(tree.school, FrameworkKind.FOUR_GOOD, 2024) == district
    assert applicable_framework(tree.other_cell, FrameworkKind.FOUR_GOOD, 2030) == province


def test_applicable_framework_honours_org_levels_and_meeting_kind(tree):
    FrameworkFactory(owner=tree.province, code="SH-G", org_levels=[Level.GRASSROOTS])
    regular = FrameworkFactory(owner=tree.province, code="SH-TK", meeting_kind="regular")
    thematic = FrameworkFactory(owner=tree.province, code="SH-CD", meeting_kind="thematic")
    assert applicable_framework(tree.cell, FrameworkKind.MEETING, 2024, meeting_kind="regular") == regular
    assert applicable_framework(tree.cell, FrameworkKind.MEETING, 2024, meeting_kind="thematic") == thematic
    assert applicable_framework(tree.grassroots, FrameworkKind.MEETING, 2024).code in {"SH-G", "SH-TK", "SH-CD"}


def test_a_secretary_sees_published_frameworks_above_her_but_not_their_drafts(tree, people):
    published = FrameworkFactory(owner=tree.province, code="PUB")
    FrameworkFactory(owner=tree.province, code="DRAFT", status=FrameworkStatus.DRAFT)
    district_draft = FrameworkFactory(owner=tree.district, code="D-DRAFT", status=FrameworkStatus.DRAFT)
    other = FrameworkFactory(owner=tree.other_district, code="OTHER")
    assert set(frameworks_visible_to(people.sue)) == {published}
    assert set(frameworks_visible_to(people.alice)) == {published, district_draft}
    assert other not in frameworks_visible_to(people.alice)
    assert set(frameworks_visible_to(people.charlie)) == {published, other}
    assert set(Framework.objects.for_user(people.alice, "manage")) == {district_draft}
