"""An import, all or nothing: read every sheet, plan and apply them in one transaction, keep it only if clean.

Every sheet is planned and applied in the order of WORKBOOK.md inside one transaction, so a row can
use what an earlier sheet created. When any row of any sheet is wrong, or on a dry run, the
transaction is rolled back: nothing is written, and every problem is reported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from .reader import WorkbookRejected, read_workbook
from .registry import Change, ImportContext, RowError, import_sheets

# How many changed rows per sheet the result keeps for the dry-run table (the counts are complete).
MAX_LISTED_CHANGES = 500


@dataclass
class SheetResult:
    name: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    changes: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "changes": self.changes,
        }


@dataclass
class ImportResult:
    """What an import did (or, on a dry run or with errors, would have done)."""

    dry_run: bool
    sheets: list[SheetResult] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    def as_dict(self) -> dict:
        return {
            "dry_run": self.dry_run,
            "ok": self.ok,
            "rows": self.rows,
            "sheets": [s.as_dict() for s in self.sheets],
            "errors": [e.as_dict() for e in self.errors],
        }


# A broken file of 100,000 rows would otherwise list a million problems: the first ones say enough.
MAX_REPORTED_ERRORS = 500


def _capped(errors: list[RowError]) -> list[RowError]:
    """At most MAX_REPORTED_ERRORS problems, then one line saying how many more there are."""
    if len(errors) <= MAX_REPORTED_ERRORS:
        return errors
    more = len(errors) - MAX_REPORTED_ERRORS
    return [*errors[:MAX_REPORTED_ERRORS], RowError("", 0, "", _("… and %(n)s more problems.") % {"n": more})]


def _sort_errors(errors: list[RowError]) -> list[RowError]:
    order = {sheet.name: (index, [c.key for c in sheet.columns]) for index, sheet in enumerate(import_sheets())}

    def key(error: RowError):
        index, columns = order.get(error.sheet, (len(order), []))
        column = columns.index(error.column) if error.column in columns else len(columns)
        return (index, error.sheet, error.row, column, error.column)

    return sorted(errors, key=key)


def run_import(
    path: str | Path,
    *,
    user,
    dry_run: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
) -> ImportResult:
    """Import the workbook at ``path`` as ``user``. ``progress(phase, done, total)`` is told how far it is.

    A file that cannot be read at all gives one error on row 0 (the whole file).
    """
    result = ImportResult(dry_run=dry_run)
    try:
        data = read_workbook(path, progress=(lambda n: progress("read", n, 0)) if progress else None)
    except WorkbookRejected as exc:
        result.errors = [RowError("", 0, "", str(exc))]
        return result
    result.rows = data.total_rows
    context = ImportContext(user=user, dry_run=dry_run)
    context.errors.extend(data.errors)
    if progress:
        progress("write", 0, result.rows)
    done = 0
    with transaction.atomic():
        for sheet_data in data.sheets:
            sheet = sheet_data.sheet
            context.sheet = sheet
            context.columns_present = set(sheet_data.columns)
            # Rows that could not be read are failed rows too: what refers to them says no more.
            for key in sheet_data.failed_keys:
                context.mark_failed(sheet.name, key)
            changes = sheet.plan(context, sheet_data.rows) if sheet_data.rows else []
            sheet_data.rows = []  # planned: the rows' memory can go before the next sheet is planned
            bad_rows = context.rows_with_errors(sheet.name)
            good = sorted((c for c in changes if c.row not in bad_rows), key=lambda c: c.row)
            if good:
                sheet.apply(context, good)
            result.sheets.append(_summarize(sheet.name, good))
            done += sheet_data.rows_read
            if progress:
                progress("write", done, result.rows)
        context.sheet = None
        result.errors = _capped(_sort_errors(context.errors))
        if result.errors or dry_run:
            transaction.set_rollback(True)
    return result


def _summarize(name: str, changes: list[Change]) -> SheetResult:
    summary = SheetResult(name=name)
    for change in changes:
        if change.action == Change.CREATE:
            summary.created += 1
        elif change.action == Change.UPDATE:
            summary.updated += 1
        else:
            summary.unchanged += 1
            continue
        if len(summary.changes) < MAX_LISTED_CHANGES:
            summary.changes.append(
                {"row": change.row, "action": change.action, "key": change.key, "details": _shown(change)}
            )
    return summary


def _shown(change: Change) -> dict:
    """The change's details as the dry-run table prints them: for an update each field as the pair
    ``[before, after]`` (a sheet giving only the new value shows no "before"; never a bare string,
    whose first two letters the table would print as "N → o"), for a creation each field's text.
    Texts are the contract's words: numbers without trailing zeros, booleans as yes/no, nothing as ""
    (the table prints a dash)."""

    def text(value) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "yes" if value else "no"  # the contract's words, shown as they would be typed
        if isinstance(value, Decimal):
            return format(value.normalize(), "f")
        if isinstance(value, list | tuple):
            return ", ".join(text(v) for v in value)
        return str(value)

    shown = {}
    for key, value in change.details.items():
        if change.action == Change.UPDATE:
            before, after = value if isinstance(value, list | tuple) and len(value) == 2 else (None, value)
            shown[str(key)] = [text(before), text(after)]
        else:
            shown[str(key)] = text(value)
    return shown
