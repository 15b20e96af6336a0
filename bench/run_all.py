"""Run every benchmark in this folder, one process each, and print what they print.

.venv/bin/python bench/run_all.py            # on SQLite (each benchmark makes its own scratch database)
DATABASE_URL=postgres://... bench/run_all.py # where a benchmark supports PostgreSQL
"""

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    failures = 0
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"== {script.name}", flush=True)
        started = time.perf_counter()
        result = subprocess.run([sys.executable, str(script), *sys.argv[1:]], cwd=HERE.parent)
        print(f"   ({script.name} took {time.perf_counter() - started:.1f} s, exit {result.returncode})", flush=True)
        failures += result.returncode != 0
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
