"""The Excel rendering: one sheet of text, one sheet per table, real numbers, frozen headings, widths."""

import datetime
import io

from django.utils import translation
from openpyxl import load_workbook

from cells.periods import Period
from reports.building import build_document
from reports.render_xlsx import render_xlsx


def _workbook(kind, organization):
    with translation.override("vi"):
        document = build_document(
            kind_code=kind,
            organization=organization,
            period=Period.parse("2024-Q1"),
            fields={"number": "15-BC/TU", "place": "Yên Bái"},
            today=datetime.date(2024, 4, 5),
        )
        buffer = io.BytesIO()
        render_xlsx(document, buffer)
    buffer.seek(0)
    return load_workbook(buffer)


def test_every_table_has_its_sheet_with_real_numbers_and_frozen_headings(tree, officers, roster):
    workbook = _workbook("organization_overview", tree.district)
    assert workbook.sheetnames[0] == "Báo cáo"
    text = [row[0] for row in workbook["Báo cáo"].iter_rows(values_only=True) if row and row[0]]
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "Số 15-BC/TU" in text
    sheet = workbook["Theo loại hình"]
    assert sheet.freeze_panes == "A3"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0].startswith("Loại hình") and rows[1][1:3] == ("Số chi bộ", "Đảng viên")
    total = rows[-1]
    assert total[0] == "Tổng cộng" and total[1] == 2 and total[2] == 7
    assert isinstance(total[2], int)
    assert sheet.column_dimensions["A"].width == 30
    assert sheet.cell(row=3, column=7).number_format == "#,##0.0"


def test_the_cells_sheet_lists_every_cell_with_its_secretary(tree, officers, roster):
    workbook = _workbook("organization_overview", tree.district)
    names = [row[1] for row in workbook["Danh sách chi bộ"].iter_rows(min_row=3, values_only=True)]
    assert names == ["Chi bộ Tổ dân phố số 3", "Chi bộ Trường Tiểu học"]
    secretaries = [row[6] for row in workbook["Danh sách chi bộ"].iter_rows(min_row=3, values_only=True)]
    assert "Nguyễn Thị Hồng Nhung" in secretaries
