"""Benchmark: the report queue drained by one Celery worker process, then by two (PostgreSQL, Redis).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/chibo_queue REDIS_URL=redis://127.0.0.1:6379/5 \\
        .venv/bin/python bench/bench_report_queue.py                # a make_demo province of 1,000 cells
    ... bench/bench_report_queue.py --cells 5000 --reuse           # keep the database of the last run

The database (its name must start with chibo_) is dropped and built again unless --reuse, and the
Redis database given is emptied: use scratch ones. Each round starts its own `celery -A config
worker` processes as deploy/'s chibo-worker unit does (prefork pool, one process each:
`--concurrency 1`), queues the quarterly PDF of every committee of the province (the beat's quarterly
run: province, districts and grassroots committees) through reports.services.report_run_request, and
waits until every run is done. Round one has one worker, round two two workers sharing the same Redis
broker, as two hosts would. Prints each round's drain time, the reports per minute, the sum of the
runs' own build times over the drain time (how many builds ran at once, on average) and the load
average before and after; then the speed-up. The workers are stopped by their process group (only
the processes this script started).

Runs of 07/12/2026 (1,000 cells, 85 committees, 627 pages; other helpers' work on the machine):
one worker 248 s, two 125 s: 1.99x (load 3.9-5.1 in the second round); with --reuse, one worker 229 s,
two 194 s: 1.18x (load 6.6 → 9.9). Both times 1.94 builds at once with two workers.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from httpbench import PY, ROOT, build_database, loadavg, require_postgres  # noqa: E402


def start_worker(name: str, log: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            PY,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=prefork",
            "--concurrency=1",
            f"--hostname={name}@%h",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while "ready." not in log.read_text(errors="replace"):
        if process.poll() is not None or time.monotonic() > deadline:
            stop_worker(process)
            raise SystemExit(f"the worker {name} did not start:\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.2)
    return process


def stop_worker(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def queue_quarterly(committees, period: str) -> list[int]:
    from django.db import transaction
    from django.utils import translation

    from reports.building import document_defaults
    from reports.services import DOCUMENT_FIELDS, report_run_request

    with translation.override("vi"), transaction.atomic():
        runs = []
        for organization in committees:
            defaults = document_defaults(organization)
            runs.append(
                report_run_request(
                    kind="quarterly",
                    organization=organization,
                    period=period,
                    acting_user=None,
                    scheduled=True,
                    language="vi",
                    draft=True,
                    **{key: defaults[key] for key in DOCUMENT_FIELDS if key in defaults},
                )
            )
    return [run.pk for run in runs]


def drain(workers: int, committees, period: str, logs: Path) -> dict:
    from reports.models import ReportRun, RunStatus

    processes = [start_worker(f"bench{n}", logs / f"worker-{workers}-{n}.log") for n in range(1, workers + 1)]
    try:
        load_before = loadavg()
        started = time.perf_counter()
        ids = queue_quarterly(committees, period)
        while ReportRun.objects.filter(pk__in=ids, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]).exists():
            if time.perf_counter() - started > 3600:
                raise SystemExit("the queue did not drain within an hour")
            time.sleep(0.2)
        seconds = time.perf_counter() - started
        runs = list(ReportRun.objects.filter(pk__in=ids))
    finally:
        for process in processes:
            stop_worker(process)
    build = sum(
        (run.finished_at - run.started_at).total_seconds() for run in runs if run.started_at and run.finished_at
    )
    return {
        "workers": workers,
        "runs": len(runs),
        "failed": sum(1 for run in runs if run.status != RunStatus.DONE),
        "pages": sum(run.pages or 0 for run in runs),
        "seconds": seconds,
        "per_minute": 60 * len(runs) / seconds,
        "parallel": build / seconds,
        "load_before": load_before,
        "load_after": loadavg(),
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cells", type=int, default=1000)
    parser.add_argument("--reuse", action="store_true", help="keep the database built by the last run")
    args = parser.parse_args()
    url = require_postgres()
    if not os.environ.get("REDIS_URL", "").startswith("redis"):
        print("skipped: set REDIS_URL to a scratch Redis database (the workers' broker; it is emptied).")
        return 0
    os.environ.setdefault("CHIBO_VAR_DIR", tempfile.mkdtemp(prefix="chibo-bench-queue-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    if not args.reuse:
        print(f"built a {args.cells}-cell province in {build_database(url, cells=args.cells):.0f} s", flush=True)

    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    import redis
    from django.utils import timezone

    from cells.models import Organization
    from cells.periods import last_ended
    from reports.services import SCHEDULED_LEVELS

    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()
    province = Organization.objects.filter(parent__isnull=True).order_by("pk").first()
    committees = list(
        Organization.objects.filter(level__in=SCHEDULED_LEVELS, is_active=True)
        .subtree_of(province)
        .select_related("parent")
        .order_by("path")
    )
    period = last_ended("quarter", timezone.localdate()).code
    logs = Path(tempfile.mkdtemp(prefix="chibo-bench-queue-logs-"))
    print(f"the quarterly report ({period}, PDF) of {len(committees)} committees of {province.name}; logs in {logs}")
    print(
        f"{'workers':<9}{'runs':>6}{'failed':>8}{'pages':>7}{'drain s':>9}{'per min':>9}{'at once':>9}"
        "  load before → after"
    )
    rounds = []
    for workers in (1, 2):
        figures = drain(workers, committees, period, logs)
        rounds.append(figures)
        print(
            f"{workers:<9}{figures['runs']:>6}{figures['failed']:>8}{figures['pages']:>7}{figures['seconds']:>9.1f}"
            f"{figures['per_minute']:>9.1f}{figures['parallel']:>9.2f}"
            f"  {figures['load_before']} → {figures['load_after']}",
            flush=True,
        )
    print(f"speed-up with two workers: {rounds[0]['seconds'] / rounds[1]['seconds']:.2f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
