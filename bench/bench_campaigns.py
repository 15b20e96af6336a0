"""Benchmark: the campaign dashboard and the campaign_results export for a 5,000-cell campaign.

    .venv/bin/python bench/bench_campaigns.py                   # SQLite, in a scratch folder
    .venv/bin/python bench/bench_campaigns.py --cells 1000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/chibo_campaigns .venv/bin/python bench/bench_campaigns.py
        (a PostgreSQL database whose name starts with chibo_ is dropped and created afresh)

Builds the province with `make_demo`'s builder and the demo extensions (the campaign of every cell,
registered, answered and scored, with bulk inserts), then measures, as the province's leadership user:
the dashboard page through the test client (time per request, median of several, and its query
count) and the campaign_results export (time, queries, peak Python memory with tracemalloc on a
separate run, and the process's peak RSS).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def fresh_database(scratch: Path) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        os.environ["CHIBO_VAR_DIR"] = str(scratch)
        return "SQLite"
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    name = config["NAME"]
    if not name.startswith("chibo_"):
        raise SystemExit(f"refusing to recreate database {name!r}: its name must start with chibo_")
    admin = psycopg.connect(
        host=config["HOST"] or "127.0.0.1",
        port=config["PORT"] or 5432,
        user=config["USER"],
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    return f"PostgreSQL ({name})"


def timed(fn, repeat: int = 1):
    from django.db import connection, reset_queries

    times, queries, result = [], 0, None
    for _ in range(repeat):
        reset_queries()
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
        queries = len(connection.queries)
    return statistics.median(times), min(times), queries, result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cells", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="chibo-bench-campaigns-"))
    where = fresh_database(scratch)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    from cells.demo import build_province, run_extensions
    from evaluations.campaigns.models import Campaign
    from evaluations.campaigns.sheets import export_bytes

    started = time.perf_counter()
    year = timezone.localdate().year
    context = build_province(cells=args.cells, years=[year], code_prefix="BC")
    run_extensions(context)
    built = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # what autovacuum does shortly after a bulk load
            cursor.execute("ANALYZE")
    settings.DEBUG = True  # count queries from here on (not while building: the query log would swamp it)
    campaign = Campaign.objects.get(code=f"BC-KM-{year}")
    print(f"database: {where}; {connection.vendor}")
    print(
        f"province of {args.cells} cells with its campaign ({campaign.registrations.count()} registrations, "
        f"{campaign.registrations.first().answers.count()} answers each) built in {built:.1f} s"
    )

    client = Client()
    client.force_login(context.users["bc.leader"])
    url = reverse("evaluations:campaign_detail", args=[campaign.pk])
    client.get(url)  # warm up: session, templates, translations

    def dashboard():
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        return response

    median, best, queries, _ = timed(dashboard, args.repeat)
    print(f"dashboard page: median {median:.0f} ms, best {best:.0f} ms, {queries} queries ({args.repeat} requests)")

    median, best, queries, content = timed(lambda: export_bytes(campaign, ["campaign_results"]), 3)
    print(
        f"campaign_results export: median {median:.0f} ms, best {best:.0f} ms, {queries} queries, "
        f"{len(content) / 1024:.0f} KiB"
    )
    median, best, queries, _ = timed(lambda: export_bytes(campaign, ["targets"]), 3)
    print(f"targets export: median {median:.0f} ms, {queries} queries")

    tracemalloc.start()
    export_bytes(campaign, ["campaign_results"])
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    tracemalloc.start()
    client.get(url)
    _current, dash_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"peak Python memory: export {peak / 1024 / 1024:.1f} MiB, dashboard {dash_peak / 1024 / 1024:.1f} MiB; "
        f"process peak RSS {rss:.0f} MiB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
