"""Every workbook the product writes keeps text that starts like a formula (=, +, -, @) as text."""

import ast
import datetime
import io
import pathlib

from openpyxl import load_workbook

from cells.workbook.writer import WorkbookWriter
from reports.document import Column, ColumnKind, Document, Header, Paragraph, Section, Signature, Table
from reports.render_xlsx import render_xlsx

DANGEROUS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)"]


def _cells(buffer):
    buffer.seek(0)
    return [cell for ws in load_workbook(buffer).worksheets for row in ws.iter_rows() for cell in row]


def test_a_report_workbook_writes_formula_like_text_as_text():
    document = Document(
        header=Header("CẤP TRÊN", "CẤP BAN HÀNH", "1-BC/TU", "Hà Nội", datetime.date(2024, 1, 2), "BÁO CÁO", "=1+1"),
        sections=[
            Section(
                "@heading",
                [
                    Paragraph("+Đoạn văn"),
                    Table(columns=[Column("Tên"), Column("Số", ColumnKind.INT)], rows=[[t, 1] for t in DANGEROUS]),
                ],
            )
        ],
        signature=Signature("T/M", "BÍ THƯ", "-Trần Văn A"),
        recipients=["Như trên"],
    )
    buffer = io.BytesIO()
    render_xlsx(document, buffer)
    cells = _cells(buffer)
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = {c.value for c in cells if c.data_type == "s"}
    assert set(DANGEROUS) <= texts and "=1+1" in texts and "- Như trên" in texts
    assert any(c.value == 1 and c.data_type == "n" for c in cells)  # numbers stay numbers


def test_an_export_sheet_writes_formula_like_text_as_text():
    book = WorkbookWriter()
    book.sheet("x", ["name"]).extend([[t] for t in DANGEROUS])
    buffer = io.BytesIO()
    book.save(buffer)
    cells = _cells(buffer)
    assert not [c for c in cells if c.data_type == "f"] and set(DANGEROUS) <= {c.value for c in cells}


def test_only_the_one_writer_creates_workbook_cells():
    """openpyxl's Workbook and cells are written only in cells/workbook/writer.py (and the report renderer
    builds its sheets there but writes every cell through safe_cell)."""
    root = pathlib.Path(__file__).resolve().parents[2]
    offenders = []
    for path in root.glob("*/**/*.py"):
        if any(part in (".venv", "tests", "bench", "migrations") for part in path.parts):
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("openpyxl"):
                names = {alias.name for alias in node.names}
                if names & {"WriteOnlyCell", "Cell"} and path.name != "writer.py":
                    offenders.append(str(path.relative_to(root)))
    assert not offenders, offenders
