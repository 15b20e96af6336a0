"""Files that are not good workbooks get one clear Vietnamese message, and nothing is written."""

import pytest
from openpyxl.comments import Comment

from cells.models import Member, Organization
from cells.workbook import reader
from cells.workbook.importer import run_import
from tests.workbook import files
from tests.workbook.files import ORG_HEADER

DAMAGED = "Tệp bị hỏng, không mở được như một tệp Excel."
NOT_XLSX = "Tệp không phải là tệp Excel (.xlsx)."


def whole_file_errors(result):
    return [(e.sheet, e.row, e.column, e.message) for e in result.errors]


@pytest.fixture
def counts(tree):
    def snapshot():
        return Organization.objects.count(), Member.objects.count()

    return snapshot


def test_a_text_file_is_not_a_workbook(tmp_path, people, counts):
    before = counts()
    path = tmp_path / "danh-sach.xlsx"
    path.write_text("code,name\nN1,Chi bộ\n", encoding="utf-8")
    result = run_import(path, user=people.alice)
    assert whole_file_errors(result) == [("", 0, "", NOT_XLSX)]
    assert counts() == before


def test_a_word_document_is_not_a_workbook(tmp_path, people):
    import zipfile

    path = tmp_path / "van-ban.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    assert whole_file_errors(run_import(path, user=people.alice)) == [("", 0, "", NOT_XLSX)]


def test_a_password_protected_file_is_refused_with_a_hint(tmp_path, people):
    result = run_import(files.encrypted(tmp_path / "mat-khau.xlsx"), user=people.alice)
    assert len(result.errors) == 1
    assert result.errors[0].message.startswith("Tệp được đặt mật khẩu, hoặc là tệp Excel 97–2003 (.xls) cũ.")


def test_a_truncated_file_is_damaged(tmp_path, people):
    assert whole_file_errors(run_import(files.truncated(tmp_path / "cut.xlsx"), user=people.alice)) == [
        ("", 0, "", DAMAGED)
    ]


def test_a_file_with_damaged_contents_is_damaged_and_nothing_is_written(tmp_path, people, counts):
    before = counts()
    result = run_import(files.corrupt(tmp_path / "hong.xlsx"), user=people.alice)
    assert whole_file_errors(result) == [("", 0, "", DAMAGED)]
    assert counts() == before


def test_an_empty_file_is_refused(tmp_path, people):
    path = tmp_path / "rong.xlsx"
    path.write_bytes(b"")
    assert whole_file_errors(run_import(path, user=people.alice)) == [("", 0, "", "Tệp rỗng.")]


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path, people, monkeypatch):
    opened = []
    monkeypatch.setattr(reader, "_open", lambda path: opened.append(path))
    result = run_import(files.zip_bomb(tmp_path / "bom.xlsx"), user=people.alice)
    assert len(result.errors) == 1
    assert "bom zip" in result.errors[0].message
    assert opened == []


def test_a_file_over_the_upload_limit_is_refused(tmp_path, people, settings):
    settings.CHIBO_MAX_UPLOAD_BYTES = 1000
    path = tmp_path / "lon.xlsx"
    path.write_bytes(files.valid_bytes())
    result = run_import(path, user=people.alice)
    assert result.errors[0].message.startswith("Tệp quá lớn")


def test_a_million_empty_rows_are_not_read_to_the_end(tmp_path, people, monkeypatch):
    scanned = []
    original = reader._read_row

    def counting(*args):
        scanned.append(1)
        return original(*args)

    monkeypatch.setattr(reader, "_read_row", counting)
    result = run_import(files.million_empty_rows(tmp_path / "trieu-dong.xlsx"), user=people.alice, dry_run=True)
    assert result.ok, result.errors
    assert result.sheets[0].created == 1
    assert len(scanned) == 1 + reader.EMPTY_RUN_LIMIT


def test_formulas_are_refused_cell_by_cell(book, people, counts):
    before = counts()
    path = book({"organizations": [ORG_HEADER, ["N1", '=CONCAT("Chi bộ ","1")', "D1", "grassroots", None]]})
    result = run_import(path, user=people.alice)
    assert whole_file_errors(result) == [
        (
            "organizations",
            2,
            "name",
            "Ô chứa công thức; hãy dán giá trị thay cho công thức (Dán giá trị).",
        )
    ]
    assert counts() == before


def test_merged_cells_are_refused(book, people):
    rows = [
        ORG_HEADER,
        ["N1", "Đảng bộ mới", "D1", "grassroots", None],
        ["N2", "Đảng bộ hai", "D1", "grassroots", None],
    ]
    path = book({"organizations": rows}, tweak=lambda wb: wb["organizations"].merge_cells("C2:C3"))
    result = run_import(path, user=people.alice)
    assert ("organizations", 2, "C2:C3", "Ô bị gộp (C2:C3): hãy bỏ gộp ô và điền giá trị vào từng ô.") in (
        whole_file_errors(result)
    )
    assert not Organization.objects.filter(code="N1").exists()


def test_wrong_types_are_reported_with_the_allowed_values(book, people):
    rows = [ORG_HEADER, ["N1", "Đảng bộ mới", "D1", "xã", None]]
    result = run_import(book({"organizations": rows}), user=people.alice)
    assert whole_file_errors(result) == [
        (
            "organizations",
            2,
            "level",
            "“xã” không hợp lệ; hãy dùng một trong: province, district, grassroots, partial, grassroots_cell, cell.",
        )
    ]


def test_unknown_and_missing_columns_are_reported_on_row_1(book, people):
    rows = [["code", "ten to chuc", "parent_code", "level", "ghi chú"], ["N1", "Đảng bộ mới", "D1", "grassroots", "x"]]
    result = run_import(book({"organizations": rows}), user=people.alice)
    assert whole_file_errors(result) == [
        ("organizations", 1, "name", "Thiếu cột bắt buộc."),
        ("organizations", 1, "ghi chú", "Cột không xác định “ghi chú”."),
        ("organizations", 1, "ten to chuc", "Cột không xác định “ten to chuc”."),
    ]


def test_a_column_may_be_named_by_its_vietnamese_label_in_any_case_and_without_diacritics(book, people):
    rows = [
        ["MÃ TỔ CHỨC", "ten", " Mã tổ chức cấp trên ", "cap", "Loai hinh chi bo"],
        ["N1", "Đảng bộ mới", "D1", "Đảng bộ cơ sở", None],
    ]
    result = run_import(book({"organizations": rows}), user=people.alice)
    assert result.ok, result.errors
    assert Organization.objects.get(code="N1").level == "grassroots"


def test_duplicate_keys_in_the_file_are_refused(book, people):
    rows = [
        ORG_HEADER,
        ["N1", "Đảng bộ mới", "D1", "grassroots", None],
        ["N1", "Đảng bộ khác", "D1", "grassroots", None],
    ]
    result = run_import(book({"organizations": rows}), user=people.alice)
    assert whole_file_errors(result) == [
        ("organizations", 3, "code", "Trùng khóa với dòng 2: mỗi dòng trong tệp phải là duy nhất.")
    ]
    assert not Organization.objects.filter(code="N1").exists()


def test_an_unknown_sheet_is_refused(book, people):
    result = run_import(book({"Trang tính1": [["a"], [1]]}), user=people.alice)
    assert result.errors[0].sheet == "Trang tính1"
    assert result.errors[0].message.startswith("Trang tính không xác định “Trang tính1”")


def test_a_cell_showing_an_error_is_refused(book, people):
    def tweak(wb):
        cell = wb["organizations"]["B2"]
        cell.value = "#REF!"
        cell.data_type = "e"

    rows = [ORG_HEADER, ["N1", "x", "D1", "grassroots", None]]
    result = run_import(book({"organizations": rows}, tweak=tweak), user=people.alice)
    assert whole_file_errors(result) == [("organizations", 2, "name", "Ô đang báo lỗi (#REF!).")]


def test_required_values_and_values_without_a_header_are_reported(book, people):
    rows = [ORG_HEADER, ["N1", None, "D1", "grassroots", None, "lạc"]]
    result = run_import(book({"organizations": rows}), user=people.alice)
    assert whole_file_errors(result) == [
        (
            "organizations",
            2,
            "F",
            "Có giá trị ở một cột không có tiêu đề (từ dòng này trở đi): hãy đặt tiêu đề cho cột hoặc xóa cột đó.",
        ),
    ]
    rows = [ORG_HEADER, ["N1", None, "D1", "grassroots", None]]
    result = run_import(book({"organizations": rows}), user=people.alice)
    assert whole_file_errors(result) == [("organizations", 2, "name", "Bắt buộc phải có giá trị.")]


def test_comments_on_the_header_do_not_matter(book, people):
    def tweak(wb):
        wb["organizations"]["A1"].comment = Comment("Mã tổ chức", "x")

    rows = [ORG_HEADER, ["N1", "Đảng bộ mới", "D1", "grassroots", None]]
    assert run_import(book({"organizations": rows}, tweak=tweak), user=people.alice).ok


def test_a_sheet_may_be_named_by_its_vietnamese_label(book, people):
    rows = [["org_code", "member_code", "full_name"], ["C1", "M1", "Nguyễn Văn An"]]
    result = run_import(book({"dang vien": rows}), user=people.alice)
    assert result.ok, result.errors
    assert Member.objects.get(code="M1").organization.code == "C1"


def test_the_same_sheet_twice_is_refused(book, people):
    rows = [["org_code", "member_code", "full_name"], ["C1", "M1", "Nguyễn Văn An"]]
    result = run_import(book({"members": rows, "Đảng viên": rows}), user=people.alice)
    assert whole_file_errors(result) == [
        ("members", 0, "", "Trang “members” và “Đảng viên” là cùng một loại; chỉ giữ một trang.")
    ]


def test_rows_are_counted_without_parsing_even_without_a_declared_dimension(tmp_path):
    from cells.workbook.writer import WorkbookWriter

    book = WorkbookWriter()
    sheet = book.sheet("members")
    for n in range(2500):
        sheet.append(["C1", f"M{n}", "Nguyễn Văn An"])
    book.save(tmp_path / "w.xlsx")
    assert reader.estimate_rows(tmp_path / "w.xlsx") == 2501
