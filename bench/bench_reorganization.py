"""Benchmark: the ranking and the quarterly report of a province before and after a 2025-style reform.

    .venv/bin/python bench/bench_reorganization.py                 # 5,000 cells, SQLite, scratch folder
    .venv/bin/python bench/bench_reorganization.py --cells 300
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/chibo_h12 .venv/bin/python bench/bench_reorganization.py
        (a PostgreSQL database whose name starts with chibo_ is dropped and created afresh)

Builds the province with `make_demo`'s builder and a year of scored meetings (last year), measures
the year's ranking of the province and its Q4 quarterly report, then applies the reform on 1 July of
that year through the tree's services: every district's communes move under the province (the
district level goes) and every second commune merges into its neighbour, so every cell moves once
and half the communes end. The same two reads are measured again: times (median) and query counts,
and the ratio after/before (the history rule keeps both within 1.5x, with the same query counts).
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_campaigns import fresh_database  # noqa: E402
from bench_ranking import timed  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cells", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="chibo-bench-reorg-"))
    where = fresh_database(scratch)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone, translation

    call_command("migrate", verbosity=0)
    from cells import services
    from cells.demo import build_province, run_extensions
    from cells.models import Level, Organization
    from cells.periods import Period
    from evaluations.meetings.selectors import ranking
    from reports.building import build_document

    year = timezone.localdate().year - 1
    started = time.perf_counter()
    context = build_province(cells=args.cells, years=[year], code_prefix="BO")
    run_extensions(context)
    print(f"database: {where}; province of {args.cells} cells built in {time.perf_counter() - started:.1f} s")
    root = context.province
    period, quarter = Period.parse(str(year)), Period.parse(f"{year}-Q4")

    def report():
        with translation.override("vi"):
            return build_document(kind_code="quarterly", organization=root, period=quarter, fields={"number": "1"})

    def measure(label):
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        settings.DEBUG = True
        figures = {}
        for name, fn in (("ranking", lambda: ranking(root, period)), ("quarterly report", report)):
            fn()
            median, best, queries, _result = timed(fn, args.repeat)
            figures[name] = (median, queries)
            print(f"{label}: {name}: median {median:.0f} ms, best {best:.0f} ms, {queries} queries")
        settings.DEBUG = False
        return figures

    before = measure("before the reform")
    started = time.perf_counter()
    reform_day = datetime.date(year, 7, 1)
    communes = list(Organization.objects.filter(level=Level.GRASSROOTS, path__startswith=root.path).order_by("path"))
    for commune in communes:
        services.organization_move(organization=commune, new_parent=root, effective_on=reform_day, acting_user=None)
    for merged, successor in zip(communes[1::2], communes[0::2], strict=False):
        services.organization_merge(source=merged, target=successor, effective_on=reform_day, acting_user=None)
    print(
        f"reform: {len(communes)} communes moved, {len(communes) // 2} merged, in {time.perf_counter() - started:.1f} s"
    )
    after = measure("after the reform")
    if os.environ.get("BENCH_SHOW_QUERIES"):
        settings.DEBUG = True
        from django.db import reset_queries

        reset_queries()
        report()
        for q in connection.queries:
            print(q["sql"][:160])
    for name in before:
        ratio = after[name][0] / before[name][0] if before[name][0] else 0
        same = "same" if after[name][1] == before[name][1] else "DIFFERENT"
        print(f"{name}: after/before {ratio:.2f}x; queries {before[name][1]} -> {after[name][1]} ({same})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
