"""The frameworks, criteria and rating_levels sheets, and the --framework export (WORKBOOK.md)."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook

from cells.demo import build_small_province
from cells.workbook.exporter import run_export
from cells.workbook.importer import run_import
from cells.workbook.registry import ExportRequest
from criteria.demo import build_demo_frameworks
from criteria.models import Criterion, Framework, FrameworkStatus, RatingLevel
from criteria.selectors import load_rubric
from tests.workbook.conftest import make_book

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(db):
    return get_user_model().objects.create_superuser("root", "root@example.invalid", "pw-for-tests")


@pytest.fixture
def demo():
    context = build_small_province()
    build_demo_frameworks(context)
    return context


def snapshot(framework: Framework):
    """Everything that makes a framework what it is, ids left out."""
    rubric = load_rubric(framework)
    attrs = {
        k: getattr(framework, k)
        for k in ("code", "name", "kind", "basis", "description", "valid_from_year", "valid_to_year", "status")
    }
    attrs.update(
        owner=framework.owner.code,
        parent=framework.parent.code if framework.parent_id else None,
        org_levels=framework.org_levels,
        meeting_kind=framework.meeting_kind,
    )
    criteria = [
        (c.code, c.parent_code, c.title, c.max_points, c.is_key, c.cell_types, c.org_levels, c.comparator, c.target)
        + (c.unit, c.evidence_required, c.target_settable_by_cell, c.inherited, c.order, c.guidance)
        for c in rubric.criteria
    ]
    return attrs, criteria, rubric.levels


def export(tmp_path, user, code):
    path = tmp_path / f"{code}.xlsx"
    run_export(ExportRequest(user=user, framework=code), path)
    return path


def test_export_writes_the_three_sheets_with_keys_in_row_1(demo, root, tmp_path):
    path = export(tmp_path, root, "SH-TK-2024")
    wb = load_workbook(path)
    assert wb.sheetnames == ["frameworks", "criteria", "rating_levels", "rollup_levels"]
    assert [c.value for c in wb["frameworks"][1]][:6] == ["code", "name", "kind", "owner_code", "basis", "parent_code"]
    header = [c.value for c in wb["criteria"][1]]
    assert header[:10] == [
        "framework_code",
        "code",
        "parent_code",
        "title",
        "max_points",
        "key",
        "cell_types",
        "unit",
        "comparator",
        "target",
    ]
    assert wb["criteria"].max_row == 1 + len(load_rubric(Framework.objects.get(code="SH-TK-2024")).criteria)


def test_a_derived_export_carries_its_inherited_criteria_and_the_parent(demo, root, tmp_path):
    wb = load_workbook(export(tmp_path, root, "4T-THCSBT-2024"))
    assert [row[0].value for row in wb["frameworks"].iter_rows(min_row=2)] == ["4T-2023", "4T-THCSBT-2024"]
    codes = {(row[0].value, row[1].value) for row in wb["criteria"].iter_rows(min_row=2)}
    assert ("4T-2023", "2.2.1.6") in codes
    assert ("4T-THCSBT-2024", "1.3.6") in codes


@pytest.mark.parametrize("code", ["SH-TK-2024", "4T-THCSBT-2024", "5T-DHYD-2022", "KM-TPYB-2024"])
def test_export_then_reimport_gives_the_same_framework(demo, root, tmp_path, code):
    framework = Framework.objects.get(code=code)
    chain = framework.lineage()
    before = [snapshot(f) for f in chain]
    path = export(tmp_path, root, code)
    again = run_import(path, user=root)
    assert again.ok, again.errors
    assert all(s.created == s.updated == 0 for s in again.sheets)  # matched on natural keys: nothing changes
    for fw in chain:  # children first; the parent goes once nothing derives from it any more
        Framework.objects.filter(pk=fw.pk).delete()
    result = run_import(path, user=root)
    assert result.ok, result.errors
    after = [snapshot(Framework.objects.get(code=f.code)) for f in chain]
    assert after == before
    assert Framework.objects.get(code=code).status == FrameworkStatus.PUBLISHED


def test_a_bad_workbook_lists_every_error_and_writes_nothing(tree, root, tmp_path):
    path = make_book(
        tmp_path / "bad.xlsx",
        {
            "frameworks": [
                ["code", "name", "kind", "owner_code"],
                ["OK-1", "Tốt", "meeting", "D1"],
                ["BAD-KIND", "Sai loại", "banana", "D1"],
                ["BAD-OWNER", "Sai cấp ủy", "meeting", "NOPE"],
            ],
            "criteria": [
                ["framework_code", "code", "parent_code", "title", "max_points", "comparator", "target"],
                ["OK-1", "1", None, "Nhóm", None, None, None],
                ["OK-1", "1.1", "9", "Cha không có", 10, None, None],
                ["OK-1", "1.2", "1", "Chỉ tiêu thiếu mục tiêu", None, ">=", None],
                ["OK-1", "1.3", "1", "Điểm âm", -5, None, None],
                ["NOPE", "1", None, "Bộ không có", None, None, None],
            ],
            "rating_levels": [
                ["framework_code", "level", "rank", "min_points"],
                ["OK-1", "tot", 1, 90],
                ["OK-1", "kha", 1, 70],
            ],
        },
    )
    result = run_import(path, user=root)
    where = {(e.sheet, e.row, e.column) for e in result.errors}
    assert ("frameworks", 3, "kind") in where
    assert ("frameworks", 4, "owner_code") in where
    assert ("criteria", 3, "parent_code") in where
    assert ("criteria", 4, "target") in where
    assert ("criteria", 5, "max_points") in where
    assert ("criteria", 6, "framework_code") in where
    assert any(e.sheet == "rating_levels" and e.column == "rank" for e in result.errors)
    assert not Framework.objects.exists()
    assert not Criterion.objects.exists()


def test_importing_changes_to_a_published_framework_is_refused(demo, root, tmp_path):
    path = make_book(
        tmp_path / "change.xlsx",
        {
            "criteria": [
                ["framework_code", "code", "parent_code", "title", "max_points"],
                ["SH-TK-2024", "1.1", "1", "Sửa điểm", 7],
            ],
        },
    )
    result = run_import(path, user=root)
    assert [(e.sheet, e.row, e.column) for e in result.errors] == [("criteria", 2, "framework_code")]
    assert "new version" in result.errors[0].message
    assert Criterion.objects.get(framework__code="SH-TK-2024", code="1.1").max_points == Decimal(5)


def test_a_new_framework_is_imported_as_a_draft_or_published_when_asked(tree, root, tmp_path):
    path = make_book(
        tmp_path / "new.xlsx",
        {
            "frameworks": [
                ["code", "name", "kind", "owner_code", "status"],
                ["NEW-1", "Mới", "meeting", "D1", "published"],
                ["NEW-2", "Nháp", "custom", "D1", None],
            ],
            "criteria": [["framework_code", "code", "title", "max_points"], ["NEW-1", "1", "Một", "100"]],
            "rating_levels": [["framework_code", "level", "label", "rank"], ["NEW-1", "dat", "Đạt", 1]],
        },
    )
    result = run_import(path, user=root)
    assert result.ok, result.errors
    assert Framework.objects.get(code="NEW-1").status == FrameworkStatus.PUBLISHED
    assert Framework.objects.get(code="NEW-2").status == FrameworkStatus.DRAFT
    assert RatingLevel.objects.get(framework__code="NEW-1").label == "Đạt"


def test_an_import_outside_the_users_scope_is_refused(tree, people, tmp_path):
    path = make_book(
        tmp_path / "scope.xlsx",
        {"frameworks": [["code", "name", "kind", "owner_code"], ["X", "X", "meeting", "D1"]]},
    )
    result = run_import(path, user=people.charlie)
    assert [(e.sheet, e.column) for e in result.errors] == [("frameworks", "owner_code")]
    assert not Framework.objects.exists()
