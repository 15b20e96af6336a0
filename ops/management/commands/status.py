"""python manage.py status: the health checks, queue lengths, worker heartbeats, and running or failed jobs.

Exits with status 1 when a health check fails, so a monitoring script can call it."""

import sys

from django.core.management.base import BaseCommand
from django.utils import timezone

from ops import selectors
from ops.failures import task_label
from ops.health import run_checks


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M:%S") if moment else "-"


class Command(BaseCommand):
    help = "Print the product's health: database, broker, workers, queues, report runs, imports and failed tasks."

    def handle(self, *args, **options):
        now = timezone.now()
        checks = run_checks()
        for check in checks:
            self.stdout.write(f"{check.name:<12} {'ok' if check.ok else 'FAILING':<8} {check.detail}")
        self._workers(now)
        for name, length in selectors.queue_lengths().items():
            self.stdout.write(f"queue {name:<6} {'unknown' if length is None else length} waiting")
        database_ok = checks[0].ok
        if database_ok:
            self._jobs("report runs", selectors.report_runs(now), self._run_line)
            self._jobs("imports", selectors.imports(now), self._import_line)
            failures = selectors.recent_failures(now)
            self.stdout.write(f"failed tasks in the last 7 days: {len(failures)}")
            for failure in failures:
                self.stdout.write(
                    f"  {_when(failure.failed_at)}  {task_label(failure.task_name)}  "
                    f"{failure.subject or ''}  {failure.error_type}: {failure.error[:200]}"
                )
        healthy = all(check.ok for check in checks)
        self.stdout.write(f"health: {'ok' if healthy else 'failing'}")
        if not healthy:
            sys.exit(1)

    def _workers(self, now) -> None:
        try:
            beats = selectors.heartbeats()
        except Exception:  # noqa: BLE001 - the database check above already says why
            return
        for beat in beats:
            age = (now - beat.seen_at).total_seconds()
            self.stdout.write(f"heartbeat    {beat.hostname} at {_when(beat.seen_at)} ({age:.0f} s ago)")

    def _jobs(self, title: str, counts, line) -> None:
        self.stdout.write(
            f"{title}: {counts.waiting} waiting, {counts.running} running, "
            f"{len(counts.failed_recently)} failed in the last 7 days"
        )
        for job in counts.failed_recently:
            self.stdout.write(f"  {line(job)}")

    @staticmethod
    def _run_line(run) -> str:
        return f"#{run.pk} {run.kind} {run.period} {run.organization} {_when(run.finished_at)}: {run.error[:200]}"

    @staticmethod
    def _import_line(job) -> str:
        return f"#{job.pk} {job.original_name} {_when(job.finished_at)}: {job.message[:200]}"
