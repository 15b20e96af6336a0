"""python manage.py import_workbook FILE [--dry-run] [--user USERNAME]

Exit 0 with a per-sheet summary; exit 1 with every problem listed and nothing written."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from cells.workbook.users import command_user


def describe_error(error) -> str:
    """One problem on one line: where (sheet, row, column) and what."""
    if not error.sheet:
        return error.message
    if not error.row:
        return _("%(sheet)s: %(message)s") % {"sheet": error.sheet, "message": error.message}
    return _("%(sheet)s, row %(row)s, column %(column)s: %(message)s") % {
        "sheet": error.sheet,
        "row": error.row,
        "column": error.column or "—",
        "message": error.message,
    }


class Command(BaseCommand):
    help = "Import an .xlsx workbook of the contract (WORKBOOK.md), all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="check and report; write nothing")
        parser.add_argument("--user", help="import as this user (their scope); default: everything")

    def handle(self, *args, **options):
        from cells.workbook.importer import run_import

        translation.activate(settings.LANGUAGE_CODE)
        user = command_user(options.get("user"))
        result = run_import(options["file"], user=user, dry_run=options["dry_run"])
        for error in result.errors:
            self.stderr.write(describe_error(error))
        if result.errors:
            raise CommandError(_("%(n)s problem(s); nothing was written.") % {"n": len(result.errors)}, returncode=1)
        for sheet in result.sheets:
            self.stdout.write(
                _("%(sheet)s: %(created)s created, %(updated)s updated, %(unchanged)s unchanged")
                % {
                    "sheet": sheet.name,
                    "created": sheet.created,
                    "updated": sheet.updated,
                    "unchanged": sheet.unchanged,
                }
            )
            if options["verbosity"] >= 2:  # -v 2: the changed rows too (as many as the report keeps)
                for change in sheet.changes:
                    details = ", ".join(f"{key}={value}" for key, value in change["details"].items())
                    self.stdout.write(f"  {change['row']}\t{change['action']}\t{change['key']}\t{details}")
        if options["dry_run"]:
            self.stdout.write(_("Dry run: nothing was written."))
