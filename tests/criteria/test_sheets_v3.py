"""The v3 columns of the criteria sheet (``kinds``, ``not_applicable``, ``measure``, ``bands``): a framework
workbook carrying them imports, exports the same cells, and imports again unchanged; bad values are errors
on their own column, and nothing is written."""

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook

from cells.workbook.exporter import run_export
from cells.workbook.importer import run_import
from cells.workbook.registry import ExportRequest
from criteria.models import Criterion, Framework, FrameworkStatus
from criteria.scoring import parse_bands
from criteria.selectors import load_rubric
from tests.workbook.conftest import make_book

pytestmark = pytest.mark.django_db

FRAMEWORKS = [
    ["code", "name", "kind", "owner_code", "status"],
    ["SH-2026", "Sinh hoạt chi bộ 2026", "meeting", "P", "published"],
]
HEADER = ["framework_code", "code", "parent_code", "title", "max_points", "key", "kinds", "not_applicable", "measure"]
HEADER += ["bands"]
CRITERIA = [
    HEADER,
    ["SH-2026", "1", None, "Tham dự", None, "no", None, "none", None, None],
    [
        "SH-2026",
        "1.1",
        "1",
        "Tỷ lệ đảng viên dự",
        5,
        "yes",
        None,
        "none",
        "attendance_percent",
        ">=90:4; >=80:3; >=70:2",
    ],
    ["SH-2026", "1.2", "1", "Thời lượng", 5, "yes", None, "none", "duration_minutes", ">=90:5; >=60:3"],
    ["SH-2026", "1.3", "1", "Phát biểu", 5, "yes", None, "none", "speakers_percent", ">50:5; >=30:3"],
    ["SH-2026", "1.4", "1", "Tài liệu gửi trước", 5, "no", None, "none", "documents_days_before", ">=1:5"],
    ["SH-2026", "1.5", "1", "Biên bản", 5, "yes", None, "none", "minutes_days_after", "<=2:5; <=5:3; =6:0.5"],
    ["SH-2026", "2", None, "Nội dung", None, "no", None, "none", None, None],
    ["SH-2026", "2.1", "2", "Chuyên đề", 10, "no", "thematic, model", "none", None, None],
    ["SH-2026", "2.2", "2", "Kết quả thực hiện nghị quyết", 10, "no", "regular", "full", None, None],
    ["SH-2026", "2.3", "2", "Chủ trì", 55, "no", None, "none", None, None],
]
LEVELS = [
    ["framework_code", "level", "label", "rank", "min_points", "require_key_full"],
    ["SH-2026", "tot", "Tốt", 1, 90, "yes"],
    ["SH-2026", "kha", "Khá", 2, 70, "no"],
]
V3_KEYS = ("kinds", "not_applicable", "measure", "bands")


@pytest.fixture
def root(db):
    return get_user_model().objects.create_superuser("root", "root@example.invalid", "pw-for-tests")


def _rows(sheet, keys):
    header = [cell.value for cell in sheet[1]]
    return {
        row[header.index("code")]: tuple(row[header.index(k)] for k in keys)
        for row in sheet.iter_rows(min_row=2, values_only=True)
    }


def test_a_v3_framework_workbook_round_trips_exactly(tree, root, tmp_path):
    path = make_book(tmp_path / "v3.xlsx", {"frameworks": FRAMEWORKS, "criteria": CRITERIA, "rating_levels": LEVELS})
    result = run_import(path, user=root)
    assert result.ok, result.errors
    framework = Framework.objects.get(code="SH-2026")
    assert framework.status == FrameworkStatus.PUBLISHED
    stored = Criterion.objects.get(framework=framework, code="1.5")
    assert (stored.measure, stored.bands) == (
        "minutes_days_after",
        [["<=", "2", "5"], ["<=", "5", "3"], ["=", "6", "0.5"]],
    )
    rubric = load_rubric(framework).by_code()
    assert rubric["2.1"].kinds == frozenset({"thematic", "model"})
    assert (rubric["2.2"].kinds, rubric["2.2"].not_applicable) == (frozenset({"regular"}), "full")
    assert rubric["1.1"].bands == parse_bands(">=90:4; >=80:3; >=70:2")

    exported = tmp_path / "out.xlsx"
    run_export(ExportRequest(user=root, framework="SH-2026"), exported)
    sheet = load_workbook(exported)["criteria"]
    keys = ("parent_code", "title", "key", *V3_KEYS)
    written = _rows(sheet, keys)
    expected = {}
    for row in CRITERIA[1:]:
        values = dict(zip(HEADER, row, strict=True))
        expected[values["code"]] = tuple(values[k] if values[k] is not None else "" for k in keys)
    # openpyxl reads an empty string cell back as None.
    assert {code: tuple(v if v is not None else "" for v in values) for code, values in written.items()} == expected

    again = run_import(exported, user=root)
    assert again.ok, again.errors
    assert all(s.created == s.updated == 0 for s in again.sheets)


@pytest.mark.parametrize(
    ("column", "value", "words"),
    [
        ("bands", ">=90:4; 80:3", "80:3"),
        ("bands", ">=90:-1", "âm"),
        ("measure", "members_count", "members_count"),
        ("kinds", "weekly", "weekly"),
        ("not_applicable", "half", "half"),
    ],
)
def test_bad_v3_values_are_errors_on_their_column(tree, root, tmp_path, column, value, words):
    rows = [list(row) for row in CRITERIA]
    rows[2][HEADER.index(column)] = value
    path = make_book(tmp_path / "bad.xlsx", {"frameworks": FRAMEWORKS, "criteria": rows, "rating_levels": LEVELS})
    result = run_import(path, user=root)
    assert not result.ok
    assert [(e.sheet, e.row, e.column) for e in result.errors] == [("criteria", 3, column)]
    assert words in result.errors[0].message
    assert not Framework.objects.filter(code="SH-2026").exists()


@pytest.mark.parametrize(
    ("changes", "column"),
    [
        ({"bands": None}, "bands"),  # a measure needs bands
        ({"measure": None}, "bands"),  # bands need a measure
        ({"max_points": None}, "max_points"),  # a measure is scored
    ],
)
def test_a_measure_and_its_bands_go_together_on_a_scored_criterion(tree, root, tmp_path, changes, column):
    rows = [list(row) for row in CRITERIA]
    for key, value in changes.items():
        rows[2][HEADER.index(key)] = value
    path = make_book(tmp_path / "bad.xlsx", {"frameworks": FRAMEWORKS, "criteria": rows, "rating_levels": LEVELS})
    result = run_import(path, user=root)
    assert [(e.row, e.column) for e in result.errors] == [(3, column)]


def test_kinds_and_measures_belong_to_a_meeting_rubric(tree, root, tmp_path):
    frameworks = [FRAMEWORKS[0], ["4T-2026", "Bốn tốt 2026", "four_good", "P", "draft"]]
    criteria = [HEADER, ["4T-2026", "1", None, "Tốt", 5, "no", "regular", "none", "duration_minutes", ">=90:5"]]
    result = run_import(make_book(tmp_path / "b.xlsx", {"frameworks": frameworks, "criteria": criteria}), user=root)
    assert sorted(e.column for e in result.errors) == ["kinds", "measure"]
