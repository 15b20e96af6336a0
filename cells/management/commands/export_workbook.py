"""python manage.py export_workbook --sheet NAME [--org CODE] [--period P] [--campaign CODE] -o FILE
python manage.py export_workbook --sheet ranking --org CODE --period P --level grassroots -o FILE
python manage.py export_workbook --framework CODE -o FILE"""

from django.core.management.base import BaseCommand, CommandError

from cells.workbook.registry import ExportError, ExportRequest
from cells.workbook.users import command_user


class Command(BaseCommand):
    help = "Export sheets of the workbook contract (WORKBOOK.md) to an .xlsx file."

    def add_arguments(self, parser):
        parser.add_argument("--sheet", help="the export: organizations, members, ranking, campaign_results, targets")
        parser.add_argument("--org", help="organisation code (the subtree)")
        parser.add_argument("--period", help="2024-03, 2024-Q1 or 2024")
        parser.add_argument("--campaign", help="campaign code")
        parser.add_argument("--framework", help="framework code")
        parser.add_argument("--level", help="ranking: grassroots for the grassroots organisations instead of cells")
        parser.add_argument("-o", "--output", required=True, help="the .xlsx file to write")
        parser.add_argument("--user", help="export as this user (within their scope); default: everything")

    def handle(self, *args, **options):
        from cells.workbook.exporter import run_export

        request = ExportRequest(
            user=command_user(options.get("user")),
            sheet=options.get("sheet"),
            org=options.get("org"),
            period=options.get("period"),
            campaign=options.get("campaign"),
            framework=options.get("framework"),
            level=options.get("level"),
        )
        try:
            book = run_export(request, options["output"])
        except ExportError as exc:
            raise CommandError(str(exc), returncode=1) from exc
        for name, sheet in book.sheets.items():
            self.stdout.write(f"{name}: {sheet.rows}")
        self.stdout.write(self.style.SUCCESS(options["output"]))
