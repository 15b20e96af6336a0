"""Writes: lifecycle, derivation, versions, and the freeze rule (here, in the one place it lives)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cells.models import AuditEntry, CellType
from criteria import services
from criteria.models import (
    Criterion,
    FrameworkStatus,
    RatingLevel,
    RollupLevel,
    register_usage_check,
    unregister_usage_check,
)
from criteria.selectors import load_rubric

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(tree, people):
    framework = services.framework_create(
        owner=tree.district, code="SH-D1", name="Sinh hoạt chi bộ", kind="meeting", acting_user=people.alice
    )
    group = services.criterion_create(framework=framework, code="1", title="Chuẩn bị", acting_user=people.alice)
    services.criterion_create(
        framework=framework, parent=group, code="1.1", title="Dự thảo", max_points=Decimal(60), acting_user=people.alice
    )
    services.criterion_create(
        framework=framework,
        parent=group,
        code="1.2",
        title="Nguyên tắc",
        max_points=Decimal(40),
        is_key=True,
        acting_user=people.alice,
    )
    for rank, (code, minimum) in enumerate([("tot", 90), ("kem", None)], 1):
        services.rating_level_save(
            level=RatingLevel(framework=framework, code=code, rank=rank, min_points=minimum), acting_user=people.alice
        )
    return framework


@pytest.fixture
def in_use():
    used: set[int] = set()

    def check(framework):
        return framework.pk in used

    register_usage_check(check)
    yield used
    unregister_usage_check(check)


def test_a_draft_is_built_and_audited(draft):
    assert [c.code for c in load_rubric(draft).criteria] == ["1", "1.1", "1.2"]
    assert AuditEntry.objects.filter(action="criterion.create").count() == 3


def test_publishing_needs_criteria_and_levels(tree, people):
    empty = services.framework_create(owner=tree.district, code="E", name="E", kind="custom", acting_user=people.alice)
    with pytest.raises(ValidationError) as excinfo:
        services.framework_publish(framework=empty, acting_user=people.alice)
    assert len(excinfo.value.messages) == 2


def test_a_published_framework_refuses_any_change_to_its_criteria(draft, people):
    services.framework_publish(framework=draft, acting_user=people.alice)
    criterion = Criterion.objects.get(framework=draft, code="1.1")
    with pytest.raises(ValidationError, match="new version"):
        services.criterion_create(framework=draft, code="2", title="Thêm", acting_user=people.alice)
    criterion.max_points = Decimal(50)
    with pytest.raises(ValidationError):
        services.criterion_save(criterion=criterion, acting_user=people.alice)
    with pytest.raises(ValidationError):
        services.criterion_delete(criterion=criterion, acting_user=people.alice)
    with pytest.raises(ValidationError):
        services.criterion_move(criterion=criterion, direction="down", acting_user=people.alice)
    with pytest.raises(ValidationError):
        services.rating_level_delete(level=draft.levels.first(), acting_user=people.alice)
    assert Criterion.objects.get(pk=criterion.pk).max_points == Decimal(60)


def test_a_published_framework_nothing_uses_may_still_be_renamed_but_not_restructured(draft, people):
    services.framework_publish(framework=draft, acting_user=people.alice)
    services.framework_update(framework=draft, name="Tên mới", valid_from_year=2025, acting_user=people.alice)
    with pytest.raises(ValidationError):
        services.framework_update(framework=draft, kind="custom", acting_user=people.alice)


def test_a_framework_in_use_refuses_every_edit_but_may_be_retired(draft, people, in_use):
    services.framework_publish(framework=draft, acting_user=people.alice)
    in_use.add(draft.pk)
    assert draft.is_in_use()
    with pytest.raises(ValidationError, match="in use"):
        services.framework_update(framework=draft, name="Tên mới", acting_user=people.alice)
    services.framework_retire(framework=draft, acting_user=people.alice)
    draft.refresh_from_db()
    assert draft.status == FrameworkStatus.RETIRED
    assert draft.name == "Sinh hoạt chi bộ"


def test_only_drafts_are_deleted(draft, people):
    services.framework_publish(framework=draft, acting_user=people.alice)
    with pytest.raises(ValidationError):
        services.framework_delete(framework=draft, acting_user=people.alice)


def test_a_new_version_copies_into_a_draft_with_the_next_version(draft, people):
    services.rollup_level_save(
        rollup=RollupLevel(framework=draft, period="year", code="tot", rank=1, min_meetings=12), acting_user=None
    )
    services.framework_publish(framework=draft, acting_user=people.alice)
    copy = services.framework_new_version(framework=draft, acting_user=people.alice)
    assert copy.code == "SH-D1-V2"
    assert (copy.version, copy.status, copy.previous_version) == (2, FrameworkStatus.DRAFT, draft)
    assert [c.code for c in load_rubric(copy).criteria] == ["1", "1.1", "1.2"]
    assert load_rubric(copy).by_code()["1.2"].is_key
    assert [lvl.code for lvl in load_rubric(copy).levels] == ["tot", "kem"]
    assert list(copy.rollup_levels.values_list("period", "code", "rank", "min_meetings")) == [("year", "tot", 1, 12)]
    services.criterion_create(framework=copy, code="2", title="Mới", max_points=Decimal(5), acting_user=people.alice)
    assert "2" not in load_rubric(draft).by_code()
    again = services.framework_new_version(framework=copy, acting_user=people.alice)
    assert again.code == "SH-D1-V3"


def test_a_derived_framework_inherits_and_adds_and_is_not_touched_by_the_parents_next_draft(draft, tree, people):
    services.framework_publish(framework=draft, acting_user=people.alice)
    child = services.framework_derive(
        parent=draft, owner=tree.cell, code="SH-C1", name="Của chi bộ", acting_user=people.alice
    )
    inherited_group = Criterion.objects.get(framework=draft, code="1")
    services.criterion_create(
        framework=child, parent=inherited_group, code="1.3", title="Thêm", max_points=5, acting_user=people.alice
    )
    with pytest.raises(ValidationError):
        services.criterion_create(framework=child, code="1.1", title="Trùng mã", acting_user=people.alice)
    rubric = load_rubric(child)
    assert [(c.code, c.inherited) for c in rubric.criteria] == [
        ("1", True),
        ("1.1", True),
        ("1.2", True),
        ("1.3", False),
    ]
    services.framework_publish(framework=child, acting_user=people.alice)
    next_draft = services.framework_new_version(framework=draft, acting_user=people.alice)
    services.criterion_create(framework=next_draft, code="9", title="Chỉ ở bản mới", acting_user=people.alice)
    assert "9" not in load_rubric(child).by_code()
    assert draft.is_in_use()  # a published framework derives from it


def test_deriving_needs_a_published_parent_owned_above(draft, tree, people):
    with pytest.raises(ValidationError):
        services.framework_derive(parent=draft, owner=tree.cell, code="X", name="X", acting_user=people.alice)
    services.framework_publish(framework=draft, acting_user=people.alice)
    with pytest.raises(ValidationError):
        services.framework_derive(parent=draft, owner=tree.other_cell, code="X", name="X", acting_user=people.alice)


def test_criteria_move_up_and_down_and_reparent_within_a_draft(draft, people):
    first, second = (
        Criterion.objects.get(framework=draft, code="1.1"),
        Criterion.objects.get(framework=draft, code="1.2"),
    )
    services.criterion_move(criterion=second, direction="up", acting_user=people.alice)
    assert [c.code for c in load_rubric(draft).criteria] == ["1", "1.2", "1.1"]
    services.criterion_reparent(criterion=first, new_parent=None, acting_user=people.alice)
    assert [c.code for c in load_rubric(draft).roots()] == ["1", "1.1"]
    group = Criterion.objects.get(framework=draft, code="1")
    with pytest.raises(ValidationError):
        services.criterion_reparent(criterion=group, new_parent=second, acting_user=people.alice)


def test_cell_types_are_saved_with_the_criterion(draft, people):
    criterion = services.criterion_create(
        framework=draft,
        code="3",
        title="Chỉ cho trường học",
        cell_types=[CellType.objects.get(code="public_service")],
        acting_user=people.alice,
    )
    assert list(criterion.cell_types.values_list("code", flat=True)) == ["public_service"]


def test_a_derived_level_may_replace_an_inherited_one_but_not_take_another_ones_rank(draft, tree, people):
    services.framework_publish(framework=draft, acting_user=people.alice)
    child = services.framework_derive(parent=draft, owner=tree.cell, code="SH-C1", name="Con", acting_user=people.alice)
    services.rating_level_save(
        level=RatingLevel(framework=child, code="tot", rank=1, min_points=95), acting_user=people.alice
    )
    assert [(lvl.code, lvl.min_points) for lvl in load_rubric(child).levels] == [("tot", Decimal(95)), ("kem", None)]
    with pytest.raises(ValidationError):
        services.rating_level_save(level=RatingLevel(framework=child, code="kha", rank=2), acting_user=people.alice)


def test_export_workbook_command_writes_a_framework(draft, tmp_path):
    from django.core.management import call_command
    from openpyxl import load_workbook

    target = tmp_path / "fw.xlsx"
    call_command("export_workbook", "--framework", "SH-D1", "-o", str(target))
    assert load_workbook(target).sheetnames == ["frameworks", "criteria", "rating_levels", "rollup_levels"]
