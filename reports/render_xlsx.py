"""The Excel renderer: the same :class:`~reports.document.Document` as a workbook, in write-only mode.

The first sheet carries the document's text (header, sections, signature); every table gets a sheet
of its own with a bold, frozen header row, real number types (ints, decimals, percentages as
ratios with a percent format) and column widths from the document model. Write-only mode keeps a
province-sized report in a few tens of MB.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from cells.workbook.writer import safe_cell

from .building import date_line
from .document import ColumnKind, Document, Paragraph, Table

NUMBER_FORMATS = {ColumnKind.INT: "#,##0", ColumnKind.DECIMAL: "#,##0.0", ColumnKind.PERCENT: "0.0%"}
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(name: str, used: set[str]) -> str:
    base = _BAD_SHEET_CHARS.sub(" ", name).strip()[:28] or "Sheet"
    title, n = base, 2
    while title.lower() in used:
        title = f"{base[:25]} ({n})"
        n += 1
    used.add(title.lower())
    return title


def render_xlsx(document: Document, target) -> None:
    """Write the workbook of ``document`` to ``target`` (a path or a binary file)."""
    workbook = Workbook(write_only=True)
    used: set[str] = set()
    tables = document.tables()
    table_sheets = {
        id(table): _sheet_title(table.sheet_name or table.caption or _("Table %(n)s") % {"n": n}, used)
        for n, (_section, table) in enumerate(tables, 1)
    }
    _write_text_sheet(workbook, document, table_sheets, _sheet_title(_("Report"), used))
    for _section, table in tables:
        _write_table_sheet(workbook, table, table_sheets[id(table)])
    workbook.save(target)


def _styled(sheet, value, *, bold=False, italic=False, size=None, wrap=False):
    return safe_cell(
        sheet,
        value,
        font=Font(bold=bold, italic=italic, size=size) if bold or italic or size else None,
        alignment=Alignment(wrap_text=True, vertical="top") if wrap else None,
    )


def _write_text_sheet(workbook, document: Document, table_sheets: dict, title: str) -> None:
    sheet = workbook.create_sheet(title)
    sheet.column_dimensions["A"].width = 110
    header = document.header
    rows = [
        [_styled(sheet, header.parent_body)],
        [_styled(sheet, header.issuing_body, bold=True)],
        [_styled(sheet, _("No. %(number)s") % {"number": header.number})],
        [_styled(sheet, document.party_name, bold=True)],
        [_styled(sheet, date_line(header.place, header.issued_on), italic=True)],
        [],
        [_styled(sheet, header.doc_type, bold=True, size=14)],
        [_styled(sheet, header.title, bold=True, wrap=True)],
        [],
    ]
    for section in document.sections:
        if section.heading:
            rows.append([_styled(sheet, section.heading, bold=True)])
        for block in section.blocks:
            if isinstance(block, Paragraph):
                rows.append([_styled(sheet, block.text, bold=block.style == "bold", wrap=True)])
            elif isinstance(block, Table):
                see = _("(table in the sheet “%(sheet)s”)") % {"sheet": table_sheets[id(block)]}
                rows.append([_styled(sheet, f"{block.caption} {see}".strip(), italic=True)])
    rows += [
        [],
        [_styled(sheet, document.signature.on_behalf, bold=True)],
        [_styled(sheet, document.signature.position, bold=True)],
        [_styled(sheet, document.signature.name, bold=True)],
        [],
        [_styled(sheet, document.recipients_label, bold=True, italic=True)],
        *[[_styled(sheet, f"- {line}")] for line in document.recipients],
    ]
    for row in rows:
        sheet.append(row)


def _write_table_sheet(workbook, table: Table, title: str) -> None:
    sheet = workbook.create_sheet(title)
    for index, column in enumerate(table.columns, 1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    # The caption on row 1, the headings on row 2: both stay in view while scrolling.
    sheet.freeze_panes = "A3"
    sheet.append([_styled(sheet, table.caption, bold=True)])
    sheet.append([_styled(sheet, column.title, bold=True, wrap=True) for column in table.columns])
    formats = [NUMBER_FORMATS.get(column.kind) for column in table.columns]
    for row in table.rows:
        sheet.append(_typed_row(sheet, row, formats))
    if table.total:
        total = _typed_row(sheet, table.total, formats)
        for cell in total:
            cell.font = Font(bold=True)
        sheet.append(total)


def _typed_row(sheet, row: list, formats: list) -> list:
    cells = []
    for value, number_format in zip(row, formats, strict=True):
        numeric = isinstance(value, int | float | Decimal) and not isinstance(value, bool)
        cells.append(safe_cell(sheet, value, number_format=number_format if numeric else None))
    return cells
