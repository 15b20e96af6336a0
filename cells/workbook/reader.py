"""Reading an uploaded workbook safely: the file checks, then rows by column key (openpyxl read-only).

Nothing here writes to the database. A bad file is answered with a :class:`WorkbookRejected` whose
message is for the user; problems in cells are collected as :class:`RowError` so that every one of
them can be reported at once.
"""

from __future__ import annotations

import functools
import logging
import posixpath
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from cells.text import fold

from .registry import Column, ImportSheet, Row, RowError, import_sheets
from .values import BadValue, ColumnParser, is_blank

# Beyond these a file is refused before openpyxl touches it (zip bombs, absurd sheets).
MAX_ZIP_ENTRIES = 2000
MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024
# XML compresses well, about 10–30 times; a ratio far above that is a bomb, not a spreadsheet.
MAX_COMPRESSION_RATIO = 200
RATIO_CHECK_ABOVE_BYTES = 2 * 1024 * 1024
# Rows of data per sheet; reading stops after this many empty rows in a row (a sheet "used" to
# row 1,048,576 by formatting has a huge dimension but nothing in it).
MAX_DATA_ROWS = 250_000
EMPTY_RUN_LIMIT = 1000
# Cells (empty ones between values included) read from a whole workbook: 250,000 rows of 20 columns.
MAX_CELLS = 5_000_000
# Problems collected before reading stops: a file this wrong is not imported anyway, and each problem
# kept costs memory (the report shows the first 500 of them).
MAX_READ_ERRORS = 1000

logger = logging.getLogger(__name__)
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?"')


class WorkbookRejected(Exception):
    """The file as a whole cannot be read; the message says why, for the user."""


def header_name(text: str) -> str:
    """How a header cell is compared: folded, underscores as spaces, a trailing * dropped."""
    return " ".join(fold(str(text)).replace("_", " ").replace("*", " ").split())


def check_file(path: str | Path) -> None:
    """Refuse files that are not xlsx, encrypted, corrupt, too large or that would unpack too large."""
    path = Path(path)
    size = path.stat().st_size
    if size > settings.CHIBO_MAX_UPLOAD_BYTES:
        raise WorkbookRejected(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": round(size / 1048576, 1), "limit": round(settings.CHIBO_MAX_UPLOAD_BYTES / 1048576, 1)}
        )
    if size == 0:
        raise WorkbookRejected(_("The file is empty."))
    with open(path, "rb") as handle:
        head = handle.read(8)
    if head == OLE_SIGNATURE:
        raise WorkbookRejected(
            _(
                "The file is password-protected, or is an old Excel 97–2003 (.xls) file. "
                "Remove the password, or save it as an Excel workbook (.xlsx), and upload it again."
            )
        )
    if not zipfile.is_zipfile(path):
        if head.startswith(b"PK"):
            raise WorkbookRejected(_("The file is damaged and cannot be opened as an Excel workbook."))
        raise WorkbookRejected(_("The file is not an Excel workbook (.xlsx)."))
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise WorkbookRejected(_("The file is damaged and cannot be opened as an Excel workbook.")) from exc
    names = {entry.filename for entry in entries}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/workbook") for n in names):
        raise WorkbookRejected(_("The file is not an Excel workbook (.xlsx)."))
    if len(entries) > MAX_ZIP_ENTRIES:
        raise WorkbookRejected(_("The file holds too many parts to be a spreadsheet."))
    total = 0
    for entry in entries:
        if entry.flag_bits & 0x1:
            raise WorkbookRejected(_("The file is password-protected. Remove the password and upload it again."))
        total += entry.file_size
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > RATIO_CHECK_ABOVE_BYTES and ratio > MAX_COMPRESSION_RATIO:
            raise WorkbookRejected(
                _("The file unpacks to far more data than a spreadsheet holds (a “zip bomb”); it was not read.")
            )
    if total > MAX_UNCOMPRESSED_BYTES:
        raise WorkbookRejected(
            _("The file unpacks to far more data than a spreadsheet holds (a “zip bomb”); it was not read.")
        )


def merged_ranges(path: str | Path, member: str) -> list[tuple[str, int]]:
    """The merged ranges of one sheet ("A1:B2", first row), found by streaming its XML (no parsing)."""
    found: set[tuple[str, int]] = set()
    tail = b""

    def collect(data: bytes, limit: int) -> None:
        for match in _MERGE.finditer(data):
            if match.start() < limit:
                ref = match[1].decode() + match[2].decode()
                if match[3]:
                    ref += ":" + match[3].decode() + match[4].decode()
                found.add((ref, int(match[2])))

    with zipfile.ZipFile(path) as archive, archive.open(member) as stream:
        while chunk := stream.read(1 << 20):
            data = tail + chunk
            # A match starting in the last 200 bytes may be cut: it is looked for again with the next chunk.
            collect(data, len(data) - 200)
            tail = data[-200:]
        collect(tail, len(tail))
    return sorted(found, key=lambda item: (item[1], item[0]))


@dataclass
class SheetData:
    """What was read of one sheet: its registered definition, the good rows, the problems."""

    sheet: ImportSheet
    title: str
    rows: list[Row] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rows_read: int = 0
    cells_read: int = 0
    # Columns without a header already reported (once each, not once per value).
    headerless: set = field(default_factory=set)
    # Natural keys of rows that could not be read: rows of later sheets referring to them stay quiet.
    failed_keys: set = field(default_factory=set)


@dataclass
class WorkbookData:
    sheets: list[SheetData] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def total_rows(self) -> int:
        return sum(len(s.rows) for s in self.sheets)


_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")
_CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s>/]")
_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
# A row of an ordinary sheet has a dozen cells: a sheet of few rows but thousands of columns weighs
# what its cells would fill at this width.
CELLS_PER_ROW = 20


def _relationships(archive: zipfile.ZipFile, part: str) -> list[tuple[str, str]]:
    """(type, target part) of ``part``'s relationships (``_rels/.rels`` for the package), targets resolved
    as the Open Packaging Conventions say: absolute from the package root, or relative to the part's folder."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", f"{name}.rels")
    if rels not in archive.namelist():
        return []
    from defusedxml.ElementTree import fromstring

    found = []
    for element in fromstring(archive.read(rels)).iter(_RELATIONSHIP):
        if element.get("TargetMode") == "External":
            continue
        target = element.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        found.append((element.get("Type", ""), path))
    return found


def sheet_parts(archive: zipfile.ZipFile) -> list[str]:
    """The parts holding the workbook's sheets, found as openpyxl and Excel find them: the package's
    relationships name the workbook part, whose relationships name its sheets, wherever they lie."""
    names = set(archive.namelist())
    workbooks = [target for kind, target in _relationships(archive, "") if kind.endswith("/officeDocument")]
    return [
        target
        for workbook in workbooks
        for kind, target in _relationships(archive, workbook)
        if kind.endswith("/worksheet") and target in names
    ]


def _count_tags(archive: zipfile.ZipFile, part: str) -> tuple[int, int]:
    """(rows, cells) of one sheet part, by streaming its XML."""
    rows = cells = 0
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(1 << 20):
            data = tail + chunk
            # A tag cut by the chunk boundary is found in tail + chunk; one wholly inside the tail
            # was counted with the previous chunk.
            rows += sum(1 for m in _ROW_TAG.finditer(data) if m.end() > len(tail))
            cells += sum(1 for m in _CELL_TAG.finditer(data) if m.end() > len(tail))
            tail = data[-5:]
    return rows, cells


def estimate_rows(path: str | Path) -> int:
    """Rows the sheets hold (header rows included), as rows of a usual width, counted by streaming their
    XML: no parsing, right even when a file declares no dimension (openpyxl's own write-only files do
    not), and whatever folder the sheets lie in. This decides whether an import runs in the background."""
    check_file(path)
    rows = cells = 0
    try:
        with zipfile.ZipFile(path) as archive:
            for part in sheet_parts(archive):
                part_rows, part_cells = _count_tags(archive, part)
                rows += part_rows
                cells += part_cells
    except Exception as exc:  # noqa: BLE001 - a broken zip, and defusedxml's refusals, have many kinds
        raise WorkbookRejected(_("The file is damaged and cannot be opened as an Excel workbook.")) from exc
    return max(rows, -(-cells // CELLS_PER_ROW))


def _inline_text(node) -> str:
    """The text of an inline string (``<is>``) as openpyxl's ``Text.from_tree(node).content`` gives it: its
    plain ``<t>`` (the last one), then each rich-text run's ``<t>``; phonetic runs left out."""
    from openpyxl.xml.functions import localname

    plain = None
    runs = []
    for element in node:
        tag = localname(element)
        if tag == "t":
            plain = element.text
        elif tag == "r":
            run = None
            for part in element:
                if localname(part) == "t":
                    run = part.text
            if run is not None:
                runs.append(run)
    return "".join(runs if plain is None else [plain, *runs])


@functools.cache
def _values_parser():
    """openpyxl's worksheet parser, reading inline strings' text straight from their elements.

    Inline strings are how openpyxl writes every text cell (the product's exports, so the workbooks staff
    fill in), and openpyxl builds a rich-text object for each to take its text: a third of its reading
    time. Every other cell, and an inline string with a formula, is openpyxl's own parse_cell."""
    from openpyxl.utils.cell import coordinate_to_tuple
    from openpyxl.worksheet._reader import FORMULA_TAG, INLINE_STRING, WorkSheetParser

    class ValuesParser(WorkSheetParser):
        def parse_cell(self, element):
            if element.get("t") != "inlineStr" or element.find(FORMULA_TAG) is not None:
                return super().parse_cell(element)
            # WorkSheetParser.parse_cell's steps for an inline string (openpyxl 3.1).
            coordinate = element.get("r")
            style_id = element.get("s", 0)
            if style_id:
                style_id = int(style_id)
            if coordinate:
                row, column = coordinate_to_tuple(coordinate)
                self.col_counter = column
            else:
                self.col_counter += 1
                row, column = self.row_counter, self.col_counter
            value, data_type = None, "inlineStr"
            text = element.find(INLINE_STRING)
            if text is not None:
                value, data_type = _inline_text(text), "s"
            return {"row": row, "column": column, "value": value, "data_type": data_type, "style_id": style_id}

    return ValuesParser


class _Worksheet:
    """One worksheet of the file: its title and the zip part holding its XML."""

    def __init__(self, workbook: _Workbook, title: str, part: str):
        self.workbook = workbook
        self.title = title
        self._worksheet_path = part

    def rows(self):
        """(Excel row number, cells) of every row from row 1 on, as openpyxl's read-only worksheet gives them
        once its dimensions are reset (a row missing from the file comes as a row without cells), each cell
        the dict openpyxl's parser makes of it (``column``, ``value``, ``data_type``): no cell objects.

        openpyxl's ``load_workbook(read_only=True)`` reads each sheet's XML to its end a first time, looking
        for a ``<dimension>`` that openpyxl's own write-only files (the exports) never write, before the
        rows are read; an import reads the rows, once (and resets the dimensions anyway)."""
        book = self.workbook.book
        with self.workbook.archive.open(self._worksheet_path) as source:
            parser = _values_parser()(
                source,
                self.workbook.shared_strings,
                data_only=False,
                epoch=book.epoch,
                date_formats=book._date_formats,
                timedelta_formats=book._timedelta_formats,
            )
            expected = 1
            for number, cells in parser.parse():
                if number < expected:
                    continue  # a row out of order: openpyxl's read-only worksheet drops it too
                while expected < number:
                    yield expected, ()
                    expected += 1
                expected += 1
                yield number, cells


class _Workbook:
    """The workbook as openpyxl's read-only mode opens it (shared strings, styles for the dates, the
    sheets and their parts), without reading any sheet."""

    def __init__(self, reader):
        self.archive = reader.archive
        self.book = reader.wb
        self.shared_strings = reader.shared_strings
        self.worksheets = [
            _Worksheet(self, sheet.name, rel.target)
            for sheet, rel in reader.parser.find_sheets()
            if rel.target in reader.valid_files and "chartsheet" not in rel.Type
        ]

    def close(self) -> None:
        self.archive.close()


def _open(path) -> _Workbook:
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet
    from openpyxl.xml import DEFUSEDXML

    # openpyxl parses the workbook's XML through defusedxml when it is installed (a pinned dependency):
    # no entity expansion ("billion laughs") and no external entities from an uploaded file.
    if not DEFUSEDXML:
        raise RuntimeError("defusedxml must be installed for openpyxl to read uploaded workbooks safely")

    try:
        # What load_workbook(path, read_only=True, data_only=False, keep_links=False) does before it
        # reads the sheets: the rest (properties, theme, defined names) an import never looks at.
        reader = ExcelReader(path, read_only=True, keep_vba=False, data_only=False, keep_links=False)
        try:
            reader.read_manifest()
            reader.read_strings()
            reader.read_workbook()
            apply_stylesheet(reader.archive, reader.wb)
            return _Workbook(reader)
        except BaseException:
            reader.archive.close()
            raise
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for broken files
        raise WorkbookRejected(_("The file is damaged and cannot be opened as an Excel workbook.")) from exc


def _sheet_by_title(title: str) -> ImportSheet | None:
    wanted = header_name(title)
    for sheet in import_sheets():
        if header_name(sheet.name) == wanted or header_name(sheet.label) == wanted:
            return sheet
    return None


def read_workbook(path: str | Path, progress: Callable[[int], None] | None = None) -> WorkbookData:
    """Check the file, then read every registered sheet it holds, in the contract's order."""
    check_file(path)
    workbook = _open(path)
    result = WorkbookData()
    try:
        found: list[tuple[ImportSheet, object]] = []
        seen: dict[str, str] = {}
        for worksheet in workbook.worksheets:
            sheet = _sheet_by_title(worksheet.title)
            if sheet is None:
                known = ", ".join(s.name for s in import_sheets())
                result.errors.append(
                    RowError(
                        worksheet.title,
                        0,
                        "",
                        _("Unknown sheet “%(title)s”; the sheets an import reads are: %(known)s.")
                        % {"title": worksheet.title, "known": known},
                    )
                )
                continue
            if sheet.name in seen:
                result.errors.append(
                    RowError(
                        sheet.name,
                        0,
                        "",
                        _("Sheets “%(a)s” and “%(b)s” are the same sheet; keep one.")
                        % {"a": seen[sheet.name], "b": worksheet.title},
                    )
                )
                continue
            seen[sheet.name] = worksheet.title
            found.append((sheet, worksheet))
        found.sort(key=lambda item: (item[0].order, item[0].name))
        done = cells = 0
        for sheet, worksheet in found:
            data = _read_sheet(path, sheet, worksheet, progress, done, cells, len(result.errors))
            done += data.rows_read
            cells += data.cells_read
            result.sheets.append(data)
            result.errors.extend(data.errors)
    except WorkbookRejected:
        raise
    except Exception as exc:  # noqa: BLE001 - a broken part of the file surfaces as any kind of error
        logger.warning("unreadable workbook %s: %r", path, exc)
        raise WorkbookRejected(_("The file is damaged and cannot be opened as an Excel workbook.")) from exc
    finally:
        workbook.close()
    return result


def _map_header(sheet: ImportSheet, header: tuple, data: SheetData) -> dict[int, Column]:
    """Column positions → columns; unknown, repeated and missing required columns are errors.

    ``header`` holds row 1's values by position (None where a cell is empty)."""
    names: dict[str, Column] = {}
    for column in sheet.columns:
        names[header_name(column.key)] = column
        names.setdefault(header_name(column.label), column)
    mapping: dict[int, Column] = {}
    used: dict[str, int] = {}
    for index, value in enumerate(header):
        if is_blank(value):
            continue
        column = names.get(header_name(value))
        if column is None:
            data.errors.append(
                RowError(
                    sheet.name, 1, str(value).strip(), _("Unknown column “%(name)s”.") % {"name": str(value).strip()}
                )
            )
            continue
        if column.key in used:
            data.errors.append(RowError(sheet.name, 1, column.key, _("The column appears twice.")))
            continue
        used[column.key] = index
        mapping[index] = column
    for column in sheet.columns:
        if column.required and column.key not in used:
            data.errors.append(RowError(sheet.name, 1, column.key, _("The required column is missing.")))
    data.columns = [column.key for column in sheet.columns if column.key in used]
    return mapping


def _read_sheet(
    path, sheet: ImportSheet, worksheet, progress, done_before: int, cells_before: int, errors_before: int
) -> SheetData:
    data = SheetData(sheet=sheet, title=worksheet.title)
    member = getattr(worksheet, "_worksheet_path", None)
    if member:
        for ref, first_row in merged_ranges(path, member):
            data.errors.append(
                RowError(
                    sheet.name,
                    first_row,
                    ref,
                    _("Merged cells (%(ref)s): unmerge them and put a value in every cell.") % {"ref": ref},
                )
            )
    # The dimension a file declares may be wrong (some tools write "A1"): openpyxl would stop there
    # and drop rows silently. Every row there is is read; the empty-run and row limits bound it.
    rows = worksheet.rows()
    first = next(rows, None)
    header = _by_position(first[1]) if first is not None else None
    if header is None or all(is_blank(value) for value in header):
        if next(rows, None) is not None:
            data.errors.append(RowError(sheet.name, 1, "", _("Row 1 must hold the column keys.")))
        return data
    mapping = _map_header(sheet, header, data)
    if any(e.row == 1 for e in data.errors):
        return data  # without sure columns, the rows cannot be read meaningfully
    parsers = {index: ColumnParser(column) for index, column in mapping.items()}
    bools = [column.key for column in mapping.values() if column.type == Column.BOOL]
    empty_run = 0
    seen_keys: dict[object, int] = {}
    required = [sheet.column(key) for key in data.columns]
    required = [column.key for column in required if column.required and column.type != Column.BOOL]
    for number, cells in rows:
        if errors_before + len(data.errors) >= MAX_READ_ERRORS:
            data.errors.append(
                RowError(
                    sheet.name,
                    number,
                    "",
                    _(
                        "Reading stopped at this row: the file has more than %(n)s problems. "
                        "Correct those and upload it again."
                    )
                    % {"n": MAX_READ_ERRORS},
                )
            )
            break
        data.cells_read += cells[-1]["column"] if cells else 0  # the row's width, empty cells included
        if cells_before + data.cells_read > MAX_CELLS:
            raise WorkbookRejected(
                _("The workbook holds more than %(n)s cells; split it into several files.")
                % {"n": f"{MAX_CELLS:,}".replace(",", ".")}
            )
        row, blank = _read_row(sheet, number, cells, parsers, data)
        if blank:
            empty_run += 1
            if empty_run >= EMPTY_RUN_LIMIT:
                break
            continue
        empty_run = 0
        data.rows_read += 1
        if data.rows_read > MAX_DATA_ROWS:
            data.errors.append(
                RowError(
                    sheet.name, number, "", _("The sheet has more than %(n)s rows; split it.") % {"n": MAX_DATA_ROWS}
                )
            )
            break
        if progress and data.rows_read % 2000 == 0:
            progress(done_before + data.rows_read)
        if not isinstance(row, Row):
            if all(row.get(key) not in (None, "") for key in sheet.key):
                data.failed_keys.add(sheet.key_of(Row(number, row)))
            continue
        for key in bools:
            if row.values[key] is None:
                row.values[key] = False  # "x" or empty: an empty box means no
        _check_required_and_key(sheet, row, data, seen_keys, required)
    return data


def _by_position(cells) -> tuple:
    """A row's values by position (column A first), None for the empty cells, as wide as its last cell."""
    if not cells:
        return ()
    values = [None] * cells[-1]["column"]
    for cell in cells:
        if 0 < cell["column"] <= len(values):
            values[cell["column"] - 1] = cell["value"]
    return tuple(values)


def _read_row(sheet: ImportSheet, number: int, cells, parsers, data: SheetData):
    """(Row, or a dict of the values read when the row had errors; whether the row is blank).

    ``cells`` are the row's non-empty cells as openpyxl's parser gives them, by column."""
    values: dict[str, object] = {}
    problems = False
    blank = True
    width = cells[-1]["column"] if cells else 0
    for cell in cells:
        value = cell["value"]
        if is_blank(value):
            continue
        index = cell["column"] - 1
        if not 0 <= index < width:
            continue  # beyond the row's last cell: openpyxl's read-only rows drop it
        blank = False
        parser = parsers.get(index)
        column_key = parser.column.key if parser else _column_letter(index)
        data_type = cell["data_type"]
        if data_type == "f":
            data.errors.append(
                RowError(
                    sheet.name,
                    number,
                    column_key,
                    _("The cell holds a formula; paste its value instead (Paste values)."),
                )
            )
            problems = True
            continue
        if data_type == "e":
            data.errors.append(
                RowError(sheet.name, number, column_key, _("The cell shows an error (%(v)s).") % {"v": value})
            )
            problems = True
            continue
        if parser is None:
            if column_key not in data.headerless:  # once per column: a full column would be a problem per value
                data.headerless.add(column_key)
                data.errors.append(
                    RowError(
                        sheet.name,
                        number,
                        column_key,
                        _("Values in a column without a header (from this row on): give it a header or delete it."),
                    )
                )
            problems = True
            continue
        try:
            values[parser.column.key] = parser(value)
        except BadValue as exc:
            data.errors.append(RowError(sheet.name, number, parser.column.key, str(exc)))
            problems = True
    if blank:
        return None, True
    for parser in parsers.values():
        values.setdefault(parser.column.key, None)
    # A row with problems comes back as its plain values, for its natural key.
    return (values if problems else Row(number, values)), False


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _check_required_and_key(sheet: ImportSheet, row: Row, data: SheetData, seen_keys: dict, required) -> None:
    """``required``: the keys of the sheet's required columns present in the file (a boolean's empty box is no)."""
    missing = False
    for key in required:
        if row.values.get(key) in (None, "", ()):
            data.errors.append(RowError(sheet.name, row.number, key, _("A value is required.")))
            missing = True
    if missing:
        return
    natural = sheet.key_of(row)
    if natural in seen_keys:
        data.errors.append(
            RowError(
                sheet.name,
                row.number,
                sheet.key[-1],
                _("The same key as row %(row)s: each row must be unique in the file.") % {"row": seen_keys[natural]},
            )
        )
        return
    seen_keys[natural] = row.number
    data.rows.append(row)
