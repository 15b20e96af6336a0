"""The reorganizations sheet: dated steps imported through the same plan as the page, exported back."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

from cells.models import Organization, OrganizationInterval
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

HEADER = ["date", "org_code", "action", "new_name", "new_parent_code", "into_code"]


def _book(path, rows):
    book = Workbook()
    sheet = book.active
    sheet.title = "reorganizations"
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_the_steps_of_the_reform_import_and_export_back(tree, tmp_path, capsys):
    rows = [
        ["2025-07-01", "G1", "move", None, "P", None],
        ["01/07/2025", "C2", "merge", None, None, "C1"],
        ["2025-07-01", "C1", "rename", "Chi bộ Tổ dân phố Hợp Nhất", None, None],
        ["2025-07-01", "D1", "dissolve", None, None, None],
    ]
    call_command("import_workbook", str(_book(tmp_path / "in.xlsx", rows)))
    assert "reorganizations: thêm mới 0, cập nhật 4, giữ nguyên 0" in capsys.readouterr().out
    assert not Organization.objects.get(code="D1").is_active
    assert Organization.objects.get(code="C1").name == "Chi bộ Tổ dân phố Hợp Nhất"
    call_command("export_workbook", "--sheet", "reorganizations", "--org", "P", "-o", str(tmp_path / "out.xlsx"))
    exported = [row for row in load_workbook(tmp_path / "out.xlsx")["reorganizations"].iter_rows(values_only=True)]
    assert exported[0] == tuple(HEADER)
    assert {(row[1], row[2]) for row in exported[1:]} == {
        ("G1", "move"),
        ("C2", "merge"),
        ("C1", "rename"),
        ("D1", "dissolve"),
    }
    states = OrganizationInterval.objects.count()
    call_command("import_workbook", str(tmp_path / "out.xlsx"))
    assert "giữ nguyên 4" in capsys.readouterr().out
    assert OrganizationInterval.objects.count() == states


def test_a_wrong_row_imports_nothing_and_says_why(tree, tmp_path, capsys):
    MemberFactory(organization=tree.cell)
    rows = [
        ["2025-07-01", "C2", "rename", "Chi bộ Mới", None, None],
        ["2025-07-01", "C1", "dissolve", None, None, None],
        ["2025-07-01", "C3", "move", None, None, None],
    ]
    with pytest.raises(CommandError):
        call_command("import_workbook", str(_book(tmp_path / "bad.xlsx", rows)))
    err = capsys.readouterr().err
    assert "new_parent_code" in err
    assert Organization.objects.get(code="C2").name == "Chi bộ Trường Tiểu học"
    assert (
        OrganizationInterval.objects.filter(organization__code="C2", valid_from=datetime.date(2025, 7, 1)).count() == 0
    )
