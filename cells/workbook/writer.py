"""Writing workbooks that re-import: openpyxl write-only, keys in row 1, text never a formula."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from .registry import Column, import_sheet

# Excel (and LibreOffice) would read these as the start of a formula if typed; they stay text.
FORMULA_STARTS = ("=", "+", "-", "@")
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="FDECEA")


def column_note(column: Column) -> str:
    """The comment on a header cell: the Vietnamese label, whether required, the allowed values."""
    lines = [column.label]
    if column.required:
        lines.append("(bắt buộc)")
    if column.help:
        lines.append(column.help)
    allowed = column.allowed()
    if allowed:
        lines.append("Giá trị: " + "; ".join(f"{value} = {label}" for value, label in allowed))
    elif column.type == Column.DATE:
        lines.append("Ngày: dd/mm/yyyy")
    elif column.type == Column.BOOL:
        lines.append("có/không, x hoặc để trống")
    elif column.type == Column.ANSWER:
        lines.append("có/không, x; để trống: chưa trả lời")
    return "\n".join(lines)


def plain(value: Any) -> Any:
    """A value openpyxl writes as it is: text, number, date or bool; None stays empty."""
    if value is None or isinstance(value, bool | int | float | Decimal | datetime.date):
        return float(value) if isinstance(value, Decimal) else value
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def safe_cell(worksheet, value: Any, *, font=None, alignment=None, number_format: str | None = None) -> WriteOnlyCell:
    """The one way the product writes a cell: text that starts like a formula (=, +, -, @) is written
    as text and never evaluated by Excel; characters XML cannot hold are dropped. Every workbook
    (import templates, exports, report workbooks) goes through here."""
    value = plain(value)
    cell = WriteOnlyCell(worksheet, value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
    if font is not None:
        cell.font = font
    if alignment is not None:
        cell.alignment = alignment
    if number_format:
        cell.number_format = number_format
    return cell


class SheetWriter:
    """One sheet being written: the header row is written when the sheet is opened."""

    def __init__(self, book: WorkbookWriter, worksheet, columns: list[Column]):
        self.book = book
        self.worksheet = worksheet
        self.columns = columns
        self.keys = [column.key for column in columns]
        self.rows = 0

    def _cell(self, value: Any):
        return safe_cell(self.worksheet, value)

    def append(self, values: Sequence[Any] | dict[str, Any]) -> None:
        if isinstance(values, dict):
            values = [values.get(key) for key in self.keys]
        self.worksheet.append([self._cell(value) for value in values])
        self.rows += 1

    def extend(self, rows: Iterable[Sequence[Any] | dict[str, Any]]) -> None:
        for row in rows:
            self.append(row)


class WorkbookWriter:
    """A write-only workbook: ``sheet(name, columns)`` then ``append`` rows, then ``save``."""

    def __init__(self):
        self.workbook = Workbook(write_only=True)
        self.sheets: dict[str, SheetWriter] = {}

    def sheet(self, name: str, columns: Sequence[Column | str] | None = None, *, notes: bool = True) -> SheetWriter:
        registered = import_sheet(name)
        resolved: list[Column] = []
        if columns is None:
            if registered is None:
                raise ValueError(f"no columns given and no import sheet named {name!r}")
            resolved = list(registered.columns)
        else:
            for column in columns:
                if isinstance(column, Column):
                    resolved.append(column)
                else:
                    known = registered.column(column) if registered else None
                    resolved.append(known or Column(column, column))
        worksheet = self.workbook.create_sheet(title=name[:31])
        worksheet.freeze_panes = "A2"
        for index, column in enumerate(resolved):
            letter = _letter(index)
            worksheet.column_dimensions[letter].width = max(12, min(40, len(column.label) + 4))
        header = []
        for column in resolved:
            cell = WriteOnlyCell(worksheet, column.key)
            cell.font = HEADER_FONT
            cell.fill = HEADER_FILL
            if notes:
                cell.comment = Comment(column_note(column), "chibo", width=260, height=140)
            header.append(cell)
        worksheet.append(header)
        writer = SheetWriter(self, worksheet, resolved)
        self.sheets[name] = writer
        return writer

    def save(self, target) -> None:
        if not self.sheets:
            self.workbook.create_sheet(title="empty")
        self.workbook.save(target)


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def template_workbook(sheet) -> bytes:
    """An empty workbook for one import sheet: the keys in row 1 (frozen), each with its Vietnamese
    label, whether it is required and its allowed values as a comment, and a drop-down list on the
    choice columns. It re-imports as it is (empty) and once filled in."""
    import io

    from openpyxl import Workbook as NormalWorkbook
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = NormalWorkbook()
    worksheet = workbook.active
    worksheet.title = sheet.name
    for index, column in enumerate(sheet.columns, start=1):
        cell = worksheet.cell(row=1, column=index, value=column.key)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.comment = Comment(column_note(column), "chibo", width=260, height=160)
        letter = _letter(index - 1)
        worksheet.column_dimensions[letter].width = max(14, min(40, len(column.label) + 6))
        allowed = [value for value, _label in column.allowed()]
        formula = '"' + ",".join(allowed) + '"'
        if allowed and len(formula) <= 255:
            validation = DataValidation(type="list", formula1=formula, allow_blank=not column.required)
            validation.add(f"{letter}2:{letter}5000")
            worksheet.add_data_validation(validation)
    worksheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
