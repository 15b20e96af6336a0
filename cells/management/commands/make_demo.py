"""Build a province of any size for benchmarks: `python manage.py make_demo --cells 5000 --years 1`."""

import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from cells.demo import build_province, run_extensions
from cells.models import Member, Organization


class Command(BaseCommand):
    help = "Build a plausible province of N cells (committees, cells of every type, rosters, officers, users)."

    def add_arguments(self, parser):
        parser.add_argument("--cells", type=int, default=5000)
        parser.add_argument("--years", type=int, default=1, help="How many years of activity, ending this year.")
        parser.add_argument("--code", default="BM", help="Code of the province (and prefix of all its codes).")
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, cells: int, years: int, code: str, seed: int, **options):
        if Organization.objects.filter(code=code).exists():
            self.stderr.write(f"A province with code {code} exists already; choose another --code.")
            raise SystemExit(1)
        started = time.perf_counter()
        this_year = timezone.localdate().year
        context = build_province(
            cells=cells, years=list(range(this_year - years + 1, this_year + 1)), seed=seed, code_prefix=code
        )
        run_extensions(context)
        elapsed = time.perf_counter() - started
        subtree = Organization.objects.subtree_of(context.province)
        self.stdout.write(
            f"Province {code}: {subtree.count()} organisations, "
            f"{Member.objects.filter(organization__path__startswith=context.province.path).count()} members, "
            f"built in {elapsed:.1f} s. Users {code.lower()}.staff / {code.lower()}.leader, password demo-benchmark."
        )
