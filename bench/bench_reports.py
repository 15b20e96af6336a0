"""Benchmark: build time and peak memory of the biggest reports of a 5,000-cell province, PDF and Excel.

    .venv/bin/python bench/bench_reports.py                 # SQLite in a scratch CHIBO_VAR_DIR
    .venv/bin/python bench/bench_reports.py --cells 1000

Builds the province with `make_demo --cells N` (tree, rosters, officers and the demo extensions:
a year of scored meetings, supervision, campaigns) on a scratch SQLite database, then builds each
report with `build_report` in a fresh process (the way a recycled Celery worker process builds one)
and prints the wall time and the process's peak resident memory (ru_maxrss; the Django baseline is
printed beside it). A benchmark, not a test: nothing here asserts a time.

Results on the development machine (2 cores, SQLite, `make_demo --cells 5000`: 5,421 organisations,
98,921 members, a year of meetings; WeasyPrint 70, openpyxl 3.1.5 write-only), 22/11/2026:

    report                  period    format   seconds  peak MB  base MB      KB  queries
    quarterly               2026-Q3   pdf         26.1      290       69     288       31
    quarterly               2026-Q3   xlsx         5.6      123       69     309       31
    organization_overview   2026-Q3   pdf         15.9      218       69     291       13
    organization_overview   2026-Q3   xlsx         2.4      124       69     217       13
    ranking                 2026      pdf         17.0      214       69     239       14

Issue 29 (07/12/2026, the same province now prints 348 pages for 2026-Q3, its attention list longer):
the quarterly PDF took 25.1 s of CPU and 368 MB before, about 19 s and 153 MB after (CPU of the
building process, measured in the same conditions at load average 5-9, where the wall clock was 2-6x
the CPU): the document laid out in parts of reports.render_pdf.PART_LINES lines and joined, read by
expat, with a user-agent stylesheet of its own elements, the garbage collector paused per part. The
"CPU s" column is the process's own time: on this shared machine it is the figure that compares.

The quarterly PDF of the whole province was 196 pages: two 5,000-row lists (cells needing attention, the
annex) printed as one block per row (reports.render_pdf.LONG_TABLE_ROWS). Measured separately, one
5-column <table> of 5,000 rows took WeasyPrint 26 s and 545 MB by itself, and 3,000 rows as blocks
3.3 s and 108 MB. Building the document model takes 1.8 s of the quarterly report's time.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, os, resource, sys, time
sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
import django
django.setup()
from django.core.management import call_command
from django.db import connection
from django.conf import settings
kind, org, period, fmt, out = sys.argv[1:6]
baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
settings.DEBUG = True
started, cpu = time.perf_counter(), time.process_time()
call_command("build_report", kind, "--org", org, "--period", period, "--format", fmt, "-o", out,
             stdout=open(os.devnull, "w"))
elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
print(json.dumps({"seconds": elapsed, "cpu": cpu, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
                  "baseline_mb": baseline, "bytes": os.path.getsize(out), "queries": len(connection.queries),
                  "load": os.getloadavg()[0]}))
"""


def run(cmd: list[str], env: dict) -> str:
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(result.returncode)
    return result.stdout


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cells", type=int, default=5000)
    parser.add_argument("--var", default="", help="Reuse this scratch folder (built already) instead of a new one.")
    parser.add_argument("--only", default="", help="Build only the reports of this kind (e.g. quarterly).")
    args = parser.parse_args()
    scratch = Path(args.var or tempfile.mkdtemp(prefix="chibo-bench-reports-"))
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")},
        "CHIBO_VAR_DIR": str(scratch),
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DJANGO_SECRET_KEY": "bench-only",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    python = sys.executable
    if not (scratch / "chibo.sqlite3").exists() or not args.var:
        run([python, "manage.py", "migrate", "-v", "0"], env)
        started = time.perf_counter()
        print(run([python, "manage.py", "make_demo", "--cells", str(args.cells), "--code", "BM"], env).strip())
        print(f"province built in {time.perf_counter() - started:.1f} s ({scratch})")
    from datetime import date

    sys.path.insert(0, str(ROOT))
    from cells.periods import last_ended

    quarter = last_ended("quarter", date.today()).code
    plan = [
        ("quarterly", quarter, "pdf"),
        ("quarterly", quarter, "xlsx"),
        ("organization_overview", quarter, "pdf"),
        ("organization_overview", quarter, "xlsx"),
        ("ranking", str(date.today().year), "pdf"),
    ]
    plan = [step for step in plan if not args.only or step[0] == args.only]
    print(
        f"{'report':<24}{'period':<10}{'format':<7}{'seconds':>9}{'CPU s':>7}{'peak MB':>9}{'base MB':>9}{'KB':>8}"
        f"{'queries':>9}{'load':>6}"
    )
    for kind, period, fmt in plan:
        out = scratch / f"{kind}-{period}.{fmt}"
        figures = json.loads(
            run([python, "-c", CHILD, kind, "BM", period, fmt, str(out)], env).strip().splitlines()[-1]
        )
        print(
            f"{kind:<24}{period:<10}{fmt:<7}{figures['seconds']:>9.1f}{figures['cpu']:>7.1f}{figures['peak_mb']:>9}"
            f"{figures['baseline_mb']:>9}{figures['bytes'] // 1024:>8}{figures['queries']:>9}{figures['load']:>6.1f}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
