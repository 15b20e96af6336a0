"""Exports re-import unchanged; text that looks like a formula stays text; the export command."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from cells.models import Member
from cells.workbook.exporter import run_export
from cells.workbook.importer import run_import
from cells.workbook.registry import ExportError, ExportRequest, import_sheet
from cells.workbook.writer import WorkbookWriter, template_workbook
from tests.factories import MemberFactory


def test_an_export_of_a_subtree_reimports_without_a_change(tree, people, roster, tmp_path):
    orgs, members = tmp_path / "orgs.xlsx", tmp_path / "members.xlsx"
    run_export(ExportRequest(user=people.alice, sheet="organizations", org="D1"), orgs)
    run_export(ExportRequest(user=people.alice, sheet="members", org="D1"), members)
    for path in (orgs, members):
        result = run_import(path, user=people.alice)
        assert result.ok, result.errors
        assert all(s.created == 0 and s.updated == 0 for s in result.sheets)
    sheet = load_workbook(orgs, read_only=True)["organizations"]
    rows = [tuple(c.value for c in row) + (None,) * (7 - len(row)) for row in sheet.iter_rows()]
    assert rows == [
        ("code", "name", "parent_code", "level", "cell_type", "sign", "place"),
        ("D1", "Thành ủy Một", "P", "district", None, None, None),
        ("G1", "Đảng ủy phường Một", "D1", "grassroots", None, None, None),
        ("C1", "Chi bộ Tổ dân phố số 3", "G1", "cell", "residential", None, None),
        ("C2", "Chi bộ Trường Tiểu học", "G1", "cell", "public_service", None, None),
    ]
    sheet = load_workbook(members, read_only=True)["members"]
    assert sum(1 for _ in sheet.iter_rows()) == 1 + len(roster.cell)


def test_an_exported_workbook_recreates_what_it_holds(tree, people, tmp_path, admin_user):
    MemberFactory(organization=tree.cell, code="M1", full_name="Nguyễn Văn An", exempt=True)
    orgs, members = tmp_path / "orgs.xlsx", tmp_path / "members.xlsx"
    run_export(ExportRequest(user=people.alice, sheet="organizations", org="G1"), orgs)
    run_export(ExportRequest(user=people.alice, sheet="members", org="G1"), members)
    Member.objects.filter(code="M1").delete()
    result = run_import(members, user=people.alice)
    assert result.ok and result.sheets[0].created == 1
    member = Member.objects.get(code="M1")
    assert (member.organization, member.full_name, member.exempt) == (tree.cell, "Nguyễn Văn An", True)


def test_text_that_looks_like_a_formula_is_written_as_text(tree, people, tmp_path):
    book = WorkbookWriter()
    sheet = book.sheet("members")
    # Codes hold only A-Z 0-9 . _ - (a code like "@M2" is refused on import): formula-looking text goes
    # in the names.
    sheet.append(["C1", "M1", '=HYPERLINK("x")', None, "no"])
    sheet.append({"org_code": "C1", "member_code": "M2", "full_name": "-Lê", "status": None, "exempt": "yes"})
    sheet.append({"org_code": "C1", "member_code": "M3", "full_name": "=1+1"})
    sheet.append({"org_code": "C1", "member_code": "M4", "full_name": "+84 912 @x"})
    path = tmp_path / "f.xlsx"
    book.save(path)
    rows = list(load_workbook(path)["members"].iter_rows(min_row=2))
    written = [(c.value, c.data_type) for row in rows for c in row[2:3]]
    assert written == [('=HYPERLINK("x")', "s"), ("-Lê", "s"), ("=1+1", "s"), ("+84 912 @x", "s")]
    result = run_import(path, user=people.alice)
    assert result.ok, result.errors
    assert Member.objects.get(code="M1").full_name == '=HYPERLINK("x")'
    assert Member.objects.get(code="M2").full_name == "-Lê"
    assert Member.objects.get(code="M3").full_name == "=1+1"
    assert Member.objects.get(code="M4").full_name == "+84 912 @x"


def test_row_1_holds_the_keys_with_the_vietnamese_labels_as_comments(tmp_path, tree, people):
    path = tmp_path / "m.xlsx"
    run_export(ExportRequest(user=people.alice, sheet="members", org="C1"), path)
    header = list(load_workbook(path)["members"].iter_rows(max_row=1))[0]
    assert [c.value for c in header] == ["org_code", "member_code", "full_name", "status", "exempt"]
    assert header[0].comment.text.startswith("Mã chi bộ\n(bắt buộc)")
    assert "official = Chính thức" in header[3].comment.text


def test_an_empty_template_shows_labels_and_allowed_values_and_reimports(tmp_path, tree, people):
    path = tmp_path / "mau.xlsx"
    path.write_bytes(template_workbook(import_sheet("organizations")))
    workbook = load_workbook(path)
    sheet = workbook["organizations"]
    assert [c.value for c in sheet[1]] == ["code", "name", "parent_code", "level", "cell_type", "sign", "place"]
    assert "Cấp" in sheet["D1"].comment.text and "grassroots = " in sheet["D1"].comment.text
    validations = {str(dv.sqref): dv.formula1 for dv in sheet.data_validations.dataValidation}
    assert validations["D2:D5000"] == '"province,district,grassroots,partial,grassroots_cell,cell"'
    result = run_import(path, user=people.alice)
    assert result.ok and result.sheets[0].created == 0


def test_an_export_outside_the_scope_is_not_found(tree, people, tmp_path):
    with pytest.raises(ExportError, match="Không có tổ chức mã D1 trong phạm vi của bạn."):
        run_export(ExportRequest(user=people.charlie, sheet="members", org="D1"), tmp_path / "x.xlsx")


def test_the_export_command_writes_a_sheet_and_refuses_missing_arguments(tree, roster, tmp_path, capsys):
    path = tmp_path / "members.xlsx"
    call_command("export_workbook", "--sheet", "members", "--org", "D1", "-o", str(path))
    assert f"members: {len(roster.cell)}" in capsys.readouterr().out
    assert path.exists()
    with pytest.raises(CommandError) as raised:
        call_command("export_workbook", "--sheet", "members", "-o", str(path))
    assert raised.value.returncode == 1
    assert "--org" in str(raised.value)
    with pytest.raises(CommandError, match="không có mẫu xuất|Không có mẫu xuất"):
        call_command("export_workbook", "--sheet", "nothing", "-o", str(path))
