"""What one login's password check costs on this machine, for the hashers a production site could choose.

    .venv/bin/python bench/bench_password_hashers.py            # 7 checks of each candidate
    .venv/bin/python bench/bench_password_hashers.py --rounds 3

A login verifies the password once (Django's check_password); its cost is the hasher's, whatever the
rest of the request does (that is measured under gunicorn by bench/bench_load.py). For each candidate it
prints the median CPU time of one check (all threads of the process: Argon2 with p lanes runs p threads),
its wall time, the memory the hash needs, and set against the evening of bench/bench_load.py (5,000
secretaries over four hours, the last hour at its peak) the share of the server's 2 cores the logins take
at the peak. The attacker's side is not measured here (no GPU): README "Logins and sessions" gives the
published GPU figures it is set against.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

from django.contrib.auth import hashers  # noqa: E402

PASSWORD = "demo-benchmark"  # nosec B105 - a benchmark's throwaway password


def candidates() -> list[tuple[str, hashers.BasePasswordHasher, str]]:
    """(label, hasher, memory one check needs) for each candidate."""

    class PBKDF2_600k(hashers.PBKDF2PasswordHasher):
        iterations = 600_000

    def argon2(time_cost: int, memory_kib: int, lanes: int) -> hashers.Argon2PasswordHasher:
        hasher = hashers.Argon2PasswordHasher()
        hasher.time_cost, hasher.memory_cost, hasher.parallelism = time_cost, memory_kib, lanes
        return hasher

    found = [
        ("PBKDF2-SHA256, 1,000,000 iterations (Django 5.2's default)", hashers.PBKDF2PasswordHasher(), "-"),
        ("PBKDF2-SHA256, 600,000 iterations (OWASP's floor)", PBKDF2_600k(), "-"),
        ("scrypt N=2^14 r=8 p=1 (Django's default)", hashers.ScryptPasswordHasher(), "16 MiB"),
    ]
    try:
        import argon2 as _argon2  # noqa: F401
    except ImportError:
        print("argon2-cffi is not installed: the Argon2 candidates are skipped")
        return found
    return found + [
        ("Argon2id t=2 m=19 MiB p=1 (OWASP's floor)", argon2(2, 19 * 1024, 1), "19 MiB"),
        ("Argon2id t=3 m=64 MiB p=1", argon2(3, 64 * 1024, 1), "64 MiB"),
        ("Argon2id t=3 m=64 MiB p=4 (RFC 9106's second choice)", argon2(3, 64 * 1024, 4), "64 MiB"),
        ("Argon2id t=2 m=100 MiB p=8 (Django 5.2's default)", argon2(2, 100 * 1024, 8), "100 MiB"),
    ]


def measure(hasher: hashers.BasePasswordHasher, rounds: int) -> tuple[float, float]:
    """Median CPU and wall seconds of one check of the right password against a stored hash."""
    encoded = hasher.encode(PASSWORD, hasher.salt())
    cpu, wall = [], []
    for _ in range(rounds):
        started_cpu, started_wall = time.process_time(), time.perf_counter()
        assert hasher.verify(PASSWORD, encoded)  # nosec B101 - a benchmark's own check
        cpu.append(time.process_time() - started_cpu)
        wall.append(time.perf_counter() - started_wall)
    return statistics.median(cpu), statistics.median(wall)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--cells", type=int, default=5000, help="secretaries logging in once in the evening")
    parser.add_argument("--hours", type=float, default=4.0)
    parser.add_argument("--peak", type=float, default=5.0, help="the peak arrival rate over the mean")
    parser.add_argument("--cores", type=int, default=os.cpu_count())
    args = parser.parse_args()
    peak_logins = args.cells / (args.hours * 3600) * args.peak
    print(f"load average at the start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        f"the evening: {args.cells} logins over {args.hours:g} h, peak {args.peak:g}x the mean = "
        f"{peak_logins:.2f} logins/s; {args.cores} cores"
    )
    print(f"{'hasher':<56} {'CPU ms':>7} {'wall ms':>8} {'memory':>8} {'peak share':>10} {'logins/s max':>12}")
    for label, hasher, memory in candidates():
        cpu, wall = measure(hasher, args.rounds)
        share = peak_logins * cpu / args.cores
        print(f"{label:<56} {cpu * 1000:7.0f} {wall * 1000:8.0f} {memory:>8} {share:10.1%} {args.cores / cpu:12.1f}")
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
