"""Benchmark: import a 5,000-cell, 100,000-member workbook with the real importer into a fresh database.

    .venv/bin/python bench/bench_import.py                       # SQLite, in a scratch folder
    .venv/bin/python bench/bench_import.py --cells 500 --members 10000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/chibo_bench_import .venv/bin/python bench/bench_import.py
        (a PostgreSQL database whose name starts with chibo_ is dropped and created afresh)

Prints: the workbook's size; the time openpyxl alone takes to read it (read-only, every cell); the
import's time, query count and peak memory (ru_maxrss of the process; tracemalloc's peak of the
Python heap, measured on a separate dry run because tracemalloc slows everything down); and the
time of importing the same workbook a second time (which changes nothing). ``--profile FILE`` keeps a
cProfile of the (first) import.

Last run (af33c71, 07/12/2026, under flock /tmp/chibo-heavy.lock, load average 5.0–6.7 from other work):
PostgreSQL: openpyxl alone 30.4 s, import 41.6 s (1.4×), 97 queries, peak RSS 210 MB (113 MB before),
the same workbook again 32.5 s, 13 queries; SQLite: openpyxl alone 16.7 s, import 25.3 s (1.5×), 320
queries, peak RSS 210 MB, again 16.7 s. Before (476471a, PostgreSQL, load 1.8–1.3): 14.5 s against
36.0 s (2.5×), 122 queries, 228 MB.
"""

from __future__ import annotations

import argparse
import os
import resource
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
        return f"SQLite ({scratch / 'chibo.sqlite3'})"
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


def build_workbook(path: Path, cells: int, members: int) -> tuple[int, int]:
    """Province → districts (≈ 500 cells each) → grassroots (≈ 12 cells each) → cells; members spread evenly."""
    from cells.workbook.writer import WorkbookWriter

    types = ["residential"] * 11 + ["administrative"] * 2 + ["public_service"] * 4 + ["enterprise", "other"]
    book = WorkbookWriter()
    orgs = book.sheet("organizations")
    orgs.append(["BI", "Đảng bộ tỉnh Thử nghiệm", None, "province", None])
    n_districts = max(1, round(cells / 500))
    n_grassroots = max(1, cells // 12)
    for d in range(1, n_districts + 1):
        orgs.append([f"BI-H{d:02d}", f"Đảng bộ huyện Thử nghiệm {d}", "BI", "district", None])
    for g in range(1, n_grassroots + 1):
        district = f"BI-H{(g - 1) % n_districts + 1:02d}"
        orgs.append([f"BI-X{g:04d}", f"Đảng bộ xã Thử nghiệm {g}", district, "grassroots", None])
    for c in range(1, cells + 1):
        parent = f"BI-X{(c - 1) % n_grassroots + 1:04d}"
        orgs.append([f"BI-C{c:05d}", f"Chi bộ Tổ dân phố số {c}", parent, "cell", types[c % len(types)]])
    roster = book.sheet("members")
    family = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"]
    given = ["Văn An", "Thị Bình", "Đức Cường", "Minh Dũng", "Thu Hà", "Quang Hải", "Ngọc Lan"]
    for m in range(1, members + 1):
        cell = f"BI-C{(m - 1) % cells + 1:05d}"
        name = f"{family[m % len(family)]} {given[m % len(given)]} {m}"
        roster.append(
            [cell, f"BI-DV{m:06d}", name, "probationary" if m % 17 == 0 else "official", "x" if m % 25 == 0 else None]
        )
    book.save(path)
    return orgs.rows, roster.rows


def openpyxl_alone(path: Path) -> tuple[float, int]:
    from openpyxl import load_workbook

    started = time.perf_counter()
    workbook = load_workbook(path, read_only=True)
    cells = 0
    for worksheet in workbook.worksheets:
        worksheet.reset_dimensions()
        for row in worksheet.iter_rows():
            for cell in row:
                cells += cell.value is not None
    workbook.close()
    return time.perf_counter() - started, cells


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed_import(path: Path, user, *, dry_run: bool = False):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cells.workbook.importer import run_import

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = run_import(path, user=user, dry_run=dry_run)
        elapsed = time.perf_counter() - started
    if result.errors:
        raise SystemExit(f"the benchmark workbook did not import: {result.errors[:5]}")
    return result, elapsed, len(queries.captured_queries)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, default=5000)
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--no-tracemalloc", action="store_true", help="skip the (slow) traced dry run")
    parser.add_argument("--profile", metavar="FILE", help="write cProfile statistics of the (first) import to FILE")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="chibo-bench-import-"))
    database = fresh_database(scratch)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from cells.workbook.users import command_user

    user = command_user(None)  # the command line's superuser-equivalent
    path = scratch / "bench.xlsx"
    started = time.perf_counter()
    n_orgs, n_members = build_workbook(path, args.cells, args.members)
    build_time = time.perf_counter() - started
    print(f"database:            {database}")
    print(f"workbook:            {n_orgs:,} organisations, {n_members:,} members, {path.stat().st_size / 1e6:.1f} MB")
    print(f"  written in         {build_time:.1f} s (openpyxl write-only)")
    read_time, values = openpyxl_alone(path)
    print(f"openpyxl alone:      {read_time:.1f} s to read {values:,} values (read-only)")
    rss_before = maxrss_mb()

    if not args.no_tracemalloc:
        tracemalloc.start()
        _result, traced_time, _queries = timed_import(path, user, dry_run=True)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"dry run, traced:     {traced_time:.1f} s under tracemalloc; Python heap peak {peak / 1e6:.0f} MB")

    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    result, elapsed, queries = timed_import(path, user)
    if args.profile:
        profiler.disable()
        profiler.dump_stats(args.profile)
        print(f"  (under cProfile: {args.profile})")
    created = ", ".join(f"{s.name} {s.created:,}" for s in result.sheets)
    print(f"import:              {elapsed:.1f} s, {queries:,} queries; created {created}")
    print(f"  peak RSS           {maxrss_mb():.0f} MB (process; {rss_before:.0f} MB before importing)")
    print(f"  ratio              {elapsed / read_time:.1f} × openpyxl alone")
    result, again, queries = timed_import(path, user)
    unchanged = ", ".join(f"{s.name} {s.unchanged:,}" for s in result.sheets)
    changed = sum(s.created + s.updated for s in result.sheets)
    print(f"same workbook again: {again:.1f} s, {queries:,} queries; {changed} changes; unchanged {unchanged}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
