"""Recompute every summary kept on write from the raw rows: `python manage.py rebuild_summaries`.

The apps register their summaries in ``cells.summaries`` (the meetings' figures, the campaigns' results);
after a bulk insert that bypassed the services, or to check that nothing drifted, this rebuilds them all.
"""

import time

from django.core.management.base import BaseCommand

from cells.summaries import rebuild_all


class Command(BaseCommand):
    help = "Recompute every summary (meeting figures, campaign results) from the raw rows."

    def handle(self, *args, **options):
        started = time.perf_counter()
        for line in rebuild_all():
            self.stdout.write(line)
        self.stdout.write(f"Rebuilt in {time.perf_counter() - started:.1f} s.")
