"""Build a report synchronously, for scripting:

    python manage.py build_report quarterly --org TP-YB --period 2024-Q1 --format pdf -o q1.pdf

It runs the same builder and renderers as the Celery task, without a ReportRun row.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from cells.models import Organization
from cells.periods import Period
from reports.building import build_document
from reports.models import ReportFormat
from reports.registry import all_kinds, get_kind
from reports.services import render_document_file


class Command(BaseCommand):
    help = "Build one report (PDF or Excel) of an organisation for a period and write it to a file."

    def add_arguments(self, parser):
        parser.add_argument("kind", help="Report kind: " + ", ".join(kind.code for kind in all_kinds()))
        parser.add_argument("--org", required=True, help="Organisation code")
        parser.add_argument("--period", required=True, help="2024-03, 2024-Q1, 2024-H1 or 2024")
        parser.add_argument("--format", choices=ReportFormat.values, default=ReportFormat.PDF)
        parser.add_argument("-o", "--output", required=True)
        parser.add_argument("--number", default="")
        parser.add_argument("--place", default="")
        parser.add_argument("--signer", default="", help="Signer's name")
        parser.add_argument("--language", default="vi")

    def handle(self, *args, kind, org, period, format, output, number, place, signer, language, **options):
        try:
            report_kind = get_kind(kind)
            period_obj = Period.parse(period)
        except (LookupError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        organization = Organization.objects.filter(code=org).first()
        if organization is None:
            raise CommandError(f"No organisation with code {org}.")
        if period_obj.kind not in report_kind.periods:
            raise CommandError(f"{kind} covers {', '.join(report_kind.periods)}, not a {period_obj.kind}.")
        with translation.override(language):
            document = build_document(
                kind_code=kind,
                organization=organization,
                period=period_obj,
                fields={"number": number, "place": place, "signer_name": signer},
            )
            target = Path(output).resolve()
            pages = render_document_file(document, format, target)
        size = target.stat().st_size
        self.stdout.write(f"{target} ({size:,} bytes{f', {pages} pages' if pages else ''})")
