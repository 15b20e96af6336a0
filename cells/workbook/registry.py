"""The registry of workbook sheets: what an import reads and what an export writes (WORKBOOK.md).

Every app registers its own sheets and exports: its ``AppConfig.ready()`` imports the modules that
call :func:`register_import_sheet` and :func:`register_export` (``cells/sheets.py`` and
``cells/reorganization_sheet.py``, ``criteria/sheets.py``, the evaluations app's ``campaigns/sheets.py``
and ``meetings/sheets.py``). The registry imports none of them (no app above cells is imported by it).

(a) An import sheet
-------------------
::

    from cells.workbook.registry import Change, Column, ImportSheet, register_import_sheet

    def plan_frameworks(ctx, rows):
        # Parse: what each row names (loaded in bulk: one query for the existing objects, none per
        # row), in the user's scope, and what would change. No rule of the product is checked here.
        existing = {f.code: f for f in Framework.objects.filter(code__in=[r["code"] for r in rows])}
        changes = []
        for row in rows:
            owner = owners.get(row["owner_code"])
            if owner is None or not ctx.can_manage(owner.path):
                ctx.error(row, "owner_code", _("No organisation with code %(code)s in your scope.") % ...)
                continue
            values = {"name": row["name"], "kind": row["kind"], ...}
            framework = existing.get(row["code"])
            changes.append(Change.for_row(row, Change.CREATE if framework is None else Change.UPDATE,
                                          payload={"framework": framework, "owner": owner, "values": values}))
        return changes

    def apply_frameworks(ctx, changes):
        # Decide: the very services the pages call (ENGINEERING.md, "Sheets parse, services decide"):
        # they check the values (full_clean, the state rules), write, and audit; a sheet never saves a
        # model itself (tests/test_writes_in_services.py). Big sheets call a bulk service, which
        # raises cells.services.ItemsRefused naming each refused item's position. The import runs in
        # ONE transaction, rolled back at the end when any row of any sheet was wrong or when it is a
        # dry run, so apply runs on dry runs too: refusals are reported, and later sheets can use rows.
        for change in changes:
            try:
                framework_create(owner=change.payload["owner"], code=change.key, acting_user=ctx.user,
                                 **change.payload["values"])
            except ValidationError as exc:
                ctx.add_validation_error(change.row, exc, field_map={"owner": "owner_code"})

    register_import_sheet(ImportSheet(
        name="frameworks",                       # the sheet name of WORKBOOK.md
        label="Bộ tiêu chí",                     # Vietnamese; a sheet may also be named by it
        columns=(
            Column("code", "Mã bộ tiêu chí", required=True),
            Column("name", "Tên", required=True),
            Column("kind", "Loại", required=True, type=Column.CHOICE,
                   choices=(("meeting", "Sinh hoạt chi bộ"), ("model", "Kiểu mẫu"), ...)),
            Column("owner_code", "Mã cấp ủy ban hành"),
            ...
        ),
        key=("code",),                           # the natural key (the * columns): duplicates are refused
        plan=plan_frameworks,
        apply=apply_frameworks,
    ))

What the machinery does before ``plan`` is called, for every sheet:

- finds the columns by key or Vietnamese label (ignoring case, spaces and diacritics); unknown,
  duplicated and missing required columns are errors;
- parses each cell by its column's ``type``: ``text`` (stripped, NFC; numbers become text, so a code
  typed as 123 reads "123"), ``int``, ``decimal`` (Excel numbers or text with ``.`` or ``,``),
  ``date`` (Excel dates, YYYY-MM-DD, DD/MM/YYYY), ``bool`` (yes/no, có/không, true/false, 1/0, x/empty),
  ``choice`` (the value or its Vietnamese label, folded; ``choices`` may be a callable, for tables
  such as cell types), ``list`` (comma-separated, each checked against ``choices`` when given);
  an empty cell is ``None``. Formulas, error cells and wrong types are errors;
- checks ``required`` columns and duplicate natural keys within the file;
- skips fully empty rows. Rows with a reading error are NOT handed to ``plan``.

``plan(ctx, rows) -> list[Change]`` gets the rows (``row["key"]``, ``row.number`` is the Excel row
number) of its sheet. It reports what a row names wrongly with ``ctx.error(row, "column_key",
message)`` (message through gettext: English msgid, Vietnamese translation) and returns a
:class:`Change` only for the rows that passed. ``apply(ctx, changes)`` hands them to the services,
and reports their refusals with ``ctx.add_validation_error(row, exc, field_map)``. Sheets are
processed in the order of WORKBOOK.md (:data:`SHEET_ORDER`): organizations, members, frameworks,
criteria, rating_levels, campaigns, campaign_targets, year_ratings, registrations, meetings,
meeting_scores, annual_results, rollup_levels, reorganizations; a row may therefore refer to what
an earlier sheet of the same workbook created.

``ctx.columns_present`` holds the keys of the columns the sheet has: an absent optional column
should leave existing values alone (an empty boolean cell, in a column that is there, reads False).

Speed (a 100,000-row sheet is expected): load what the rows refer to in a few queries
(``cells.sheets.in_chunks`` splits long ``__in`` lists for SQLite); never read model instances with
deferred fields (``only``/``defer``: ``full_clean`` then loads them one query per row); pass
``validate_constraints=False`` (a ``CheckConstraint`` is checked by a query per row) and
``validate_unique=False`` when the same rules are checked in bulk or in ``clean()`` (the bulk
services do); keep big payloads small (tuples, not instances) until ``apply``.

Scope: ``ctx.user`` is the importing user (a superuser for the command line without ``--user``);
``ctx.can(Action.MANAGE, path)`` says whether an organisation path is inside the user's scope.
A row outside the scope is an error. ``ctx.row_failed(sheet, key)`` tells a row that refers to a
row of an earlier sheet which had errors, so it need not report a second, confusing error
(``key`` is the tuple of the natural key values, or the single value for one-column keys).
``ctx.shared`` is a dict where sheets may leave things for later sheets (e.g. objects by code).

(b) An export
-------------
::

    from cells.workbook.registry import Export, ExportError, register_export

    def write_ranking(request, book):
        committee = request.organization()      # --org CODE, inside the user's VIEW scope, or ExportError
        period = parse_period(request.period)   # raise ExportError(_("...")) for a bad argument
        sheet = book.sheet("ranking", ["org_code", "name", ...])   # row 1: the keys
        for row in ranking_rows(committee, period):
            sheet.append([row.code, row.name, ...])

    register_export(Export(name="ranking", label="Xếp hạng chi bộ", requires=("org", "period"),
                           write=write_ranking))

``python manage.py export_workbook --sheet NAME ...`` runs the export registered as ``NAME``;
``--framework CODE`` without ``--sheet`` runs the export registered as ``"framework"`` (it writes the
frameworks, criteria and rating_levels sheets). ``requires`` names the arguments the export needs
among ``org``, ``period``, ``campaign`` and ``framework``; they reach ``write`` as the attributes of
:class:`ExportRequest` (raw strings), with ``request.user``. ``book`` is a
:class:`cells.workbook.writer.WorkbookWriter`: ``book.sheet(name, columns)`` opens a sheet whose
row 1 holds the keys (``columns`` may be keys, :class:`Column` objects, or omitted to take the
columns of the import sheet of the same name) and ``append(values)`` writes a row (a list in column
order, or a dict by key). Text starting with = + - @ is written as text, never as a formula.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cells.models import Organization
from cells.scoping import Action, user_scope

# The order of WORKBOOK.md: a workbook can create an organisation and use it further down.
SHEET_ORDER: tuple[str, ...] = (
    "organizations",
    "members",
    "frameworks",
    "criteria",
    "rating_levels",
    "campaigns",
    "campaign_targets",
    "year_ratings",
    "registrations",
    "meetings",
    "meeting_scores",
    "annual_results",
    "rollup_levels",
    "reorganizations",
)


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its key (row 1), Vietnamese label, type, and allowed values."""

    TEXT: ClassVar[str] = "text"
    INT: ClassVar[str] = "int"
    DECIMAL: ClassVar[str] = "decimal"
    DATE: ClassVar[str] = "date"
    # An organisation or member code: NFKC, upper case, only A-Z 0-9 . _ - (cells.text.normalize_code).
    CODE: ClassVar[str] = "code"
    BOOL: ClassVar[str] = "bool"
    # A yes/no answer where an empty cell is no answer (None), not "no" (WORKBOOK.md version 2).
    ANSWER: ClassVar[str] = "answer"
    CHOICE: ClassVar[str] = "choice"
    LIST: ClassVar[str] = "list"

    key: str
    # Vietnamese, plain text: headers are matched against it whatever the interface language.
    label: str
    type: str = "text"
    required: bool = False
    # ((value, Vietnamese label), ...) or a callable returning them (read at import time).
    choices: Sequence[tuple[str, str]] | Callable[[], Iterable[tuple[str, str]]] = ()
    # A short Vietnamese hint for the template (e.g. "bắt buộc với chi bộ").
    help: str = ""

    def allowed(self) -> list[tuple[str, str]]:
        choices = self.choices() if callable(self.choices) else self.choices
        return [(str(value), str(label)) for value, label in choices]


class Row:
    """One data row of a sheet: its Excel row number and its parsed values by column key."""

    __slots__ = ("number", "values")

    def __init__(self, number: int, values: dict[str, Any]):
        self.number = number
        self.values = values

    def __getitem__(self, key: str) -> Any:
        return self.values.get(key)

    def get(self, key: str, default: Any = None) -> Any:
        value = self.values.get(key)
        return default if value is None else value

    def __repr__(self) -> str:
        return f"Row({self.number}, {self.values!r})"


@dataclass(slots=True)
class Change:
    """What importing one row does: create, update, or nothing (unchanged)."""

    CREATE: ClassVar[str] = "create"
    UPDATE: ClassVar[str] = "update"
    UNCHANGED: ClassVar[str] = "unchanged"

    row: int
    action: str
    key: str
    # Shown in the dry-run table: for updates {"field": [old, new]}, for creates {"field": value}.
    details: dict[str, Any] = field(default_factory=dict)
    # Whatever apply needs (an unsaved model instance, a dict of values...). Never stored.
    payload: Any = None

    @classmethod
    def for_row(cls, row: Row, action: str, *, key: str | None = None, details=None, payload=None) -> Change:
        return cls(row=row.number, action=action, key=key or "", details=details or {}, payload=payload)


@dataclass(frozen=True)
class RowError:
    """One problem: sheet, Excel row number (1 is the header; 0 for the whole file), column key, message."""

    sheet: str
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message}


PlanFn = Callable[["ImportContext", list[Row]], list[Change]]
ApplyFn = Callable[["ImportContext", list[Change]], None]


@dataclass(frozen=True)
class ImportSheet:
    """A sheet an import reads: see the module docstring."""

    name: str
    label: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    plan: PlanFn
    apply: ApplyFn
    # A sentence (Vietnamese) for the template and the staff page.
    description: str = ""

    def column(self, key: str) -> Column | None:
        for column in self.columns:
            if column.key == key:
                return column
        return None

    @property
    def order(self) -> int:
        return SHEET_ORDER.index(self.name) if self.name in SHEET_ORDER else len(SHEET_ORDER)

    def key_of(self, row: Row) -> Any:
        values = tuple(row[k] for k in self.key)
        return values[0] if len(values) == 1 else values


class ImportContext:
    """What a sheet's plan and apply steps get: the user, the errors, and room to share objects."""

    def __init__(self, *, user, dry_run: bool, progress: Callable[[str, int], None] | None = None):
        self.user = user
        self.dry_run = dry_run
        self.errors: list[RowError] = []
        self.shared: dict[str, Any] = {}
        self.sheet: ImportSheet | None = None  # the sheet being processed
        # The column keys the sheet being processed has: an absent column leaves values as they are.
        self.columns_present: set[str] = set()
        self._failed: dict[str, set] = {}
        self._progress = progress

    # --- scope
    def can(self, action: str, path: str) -> bool:
        return user_scope(self.user, action).covers(path)

    def can_manage(self, path: str) -> bool:
        return self.can(Action.MANAGE, path)

    @property
    def is_unrestricted(self) -> bool:
        return user_scope(self.user, Action.MANAGE).everything

    # --- errors
    def error(self, row: Row | int, column: str, message: str, *, sheet: str | None = None) -> None:
        number = row.number if isinstance(row, Row) else int(row)
        sheet_name = sheet or (self.sheet.name if self.sheet else "")
        self.errors.append(RowError(sheet_name, number, column, str(message)))
        if isinstance(row, Row) and self.sheet is not None and sheet is None:
            self._failed.setdefault(sheet_name, set()).add(self.sheet.key_of(row))

    def add_validation_error(
        self, row: Row | int, exc: ValidationError, field_map: dict[str, str] | None = None, default_column: str = ""
    ) -> None:
        """Report a model's or form's ValidationError, each field's messages under its column key."""
        field_map = field_map or {}
        columns = {c.key for c in self.sheet.columns} if self.sheet else set()
        if hasattr(exc, "error_dict"):
            for name, errors in exc.error_dict.items():
                column = field_map.get(name, name if name in columns else default_column)
                for error in errors:
                    for message in error.messages if hasattr(error, "messages") else [error]:
                        self.error(row, column, message)
        else:
            for message in exc.messages:
                self.error(row, default_column, message)

    def mark_failed(self, sheet: str, key: Any) -> None:
        self._failed.setdefault(sheet, set()).add(key)

    def row_failed(self, sheet: str, key: Any) -> bool:
        """Whether the row of ``sheet`` with natural key ``key`` had errors in this import."""
        return key in self._failed.get(sheet, ())

    def rows_with_errors(self, sheet: str) -> set[int]:
        return {e.row for e in self.errors if e.sheet == sheet}

    def progress(self, done: int) -> None:
        if self._progress and self.sheet:
            self._progress(self.sheet.name, done)


# --- Exports ---------------------------------------------------------------------------------------


class ExportError(Exception):
    """A bad argument or an object not found (or outside the scope): a message for the user."""


@dataclass
class ExportRequest:
    """The arguments of one export, as given (codes and period as strings), and the requesting user."""

    user: Any
    org: str | None = None
    period: str | None = None
    campaign: str | None = None
    framework: str | None = None
    sheet: str | None = None
    # (WORKBOOK v3) ``--level grassroots``: the ranking of grassroots organisations instead of cells.
    level: str | None = None

    def organization(self, action: str = Action.VIEW):
        """The organisation of ``--org`` inside the user's scope for ``action``, or ExportError."""
        organization = Organization.objects.for_user(self.user, action).filter(code=self.org or "").first()
        if organization is None:
            raise ExportError(_("No organisation with code %(code)s in your scope.") % {"code": self.org or ""})
        return organization


ExportFn = Callable[[ExportRequest, Any], None]
EXPORT_ARGUMENTS = ("org", "period", "campaign", "framework")


@dataclass(frozen=True)
class Export:
    """An export: ``--sheet NAME`` (or ``"framework"`` for ``--framework CODE``) and what it needs."""

    name: str
    label: str
    write: ExportFn
    requires: tuple[str, ...] = ()
    # Whether the staff page offers it for an organisation (exports needing only ``org``).
    description: str = ""

    def missing(self, request: ExportRequest) -> list[str]:
        return [arg for arg in self.requires if not getattr(request, arg)]


# --- The registry itself -------------------------------------------------------------------------

_import_sheets: dict[str, ImportSheet] = {}
_exports: dict[str, Export] = {}


def register_import_sheet(sheet: ImportSheet) -> ImportSheet:
    """Register (or replace, on module reload) the import sheet ``sheet.name``."""
    unknown = [key for key in sheet.key if sheet.column(key) is None]
    if unknown:
        raise ValueError(f"sheet {sheet.name}: key columns {unknown} are not among its columns")
    _import_sheets[sheet.name] = sheet
    return sheet


def register_export(export: Export) -> Export:
    bad = [arg for arg in export.requires if arg not in EXPORT_ARGUMENTS]
    if bad:
        raise ValueError(f"export {export.name}: unknown arguments {bad}")
    _exports[export.name] = export
    return export


def import_sheets() -> list[ImportSheet]:
    """The registered import sheets in the order an import reads them."""
    return sorted(_import_sheets.values(), key=lambda s: (s.order, s.name))


def import_sheet(name: str) -> ImportSheet | None:
    return _import_sheets.get(name)


def exports() -> list[Export]:
    return sorted(_exports.values(), key=lambda e: e.name)


def get_export(name: str) -> Export | None:
    return _exports.get(name)
