"""Benchmark: requests per second of every list page under gunicorn (production settings, PostgreSQL).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/chibo_pages REDIS_URL=redis://127.0.0.1:6379/4 \\
        .venv/bin/python bench/bench_pages.py                  # the demo province of `make run`
    ... bench/bench_pages.py --cells 5000                      # a make_demo province of 5,000 cells
    ... bench/bench_pages.py --reuse                           # keep the database of the last run

The database (its name must start with chibo_) is dropped and built again unless --reuse. gunicorn
runs as deploy/ runs it, with as many workers as the machine has cores; CONCURRENCY clients logged in
as the province's organizing staff ask each page in turn for DURATION seconds. Beside the pages, the
floor: the login page (no database work but the session). Prints requests/s, p50 and p95 per page
and the load average, which moves these figures on a shared machine.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from httpbench import (  # noqa: E402
    BENCH_PASSWORD,
    Client,
    Server,
    build_database,
    loadavg,
    manage,
    percentile,
    require_postgres,
)

PAGES = [
    ("login page (floor)", "/login/"),
    ("home", "/"),
    ("meeting list", "/evaluations/meetings/"),
    ("appraisal queue", "/evaluations/meetings/queue/"),
    ("ranking", "/evaluations/meetings/ranking/"),
    ("campaign list", "/evaluations/campaigns/"),
    ("campaign page", "/evaluations/campaigns/{campaign}/"),
    ("organisation tree", "/orgs/"),
    ("frameworks", "/criteria/"),
    ("report runs", "/reports/"),
    ("dashboard", "/reports/dashboard/"),
    ("workbooks", "/workbooks/"),
    ("notifications", "/orgs/notifications/"),
    ("supervision summary", "/evaluations/meetings/supervision/summary/"),
    ("guidance", "/evaluations/meetings/guidance/"),
]


def staff_user(small: bool) -> str:
    """The province's organizing staff, with the benchmark password (the small demo's are random)."""
    username = "canbo.tinh" if small else "bm.staff"
    manage(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model; "
        f"u = get_user_model().objects.get(username='{username}'); u.set_password('{BENCH_PASSWORD}'); u.save()",
    )
    return username


def biggest_campaign() -> int:
    done = manage(
        "shell",
        "-c",
        "from django.db.models import Count; from evaluations.campaigns.models import Campaign; "
        "print(Campaign.objects.annotate(n=Count('registrations')).order_by('-n').values_list('pk', flat=True)[0])",
    )
    return int(done.stdout.strip().splitlines()[-1])


def login(port: int, username: str) -> Client:
    client = Client(port)
    client.get("/login/")
    response = client.post("/login/", {"username": username, "password": BENCH_PASSWORD})
    if response.status != 302:
        raise RuntimeError(f"login of {username} failed: {response.status}")
    return client


def measure(
    port: int, username: str | None, path: str, *, concurrency: int, duration: float
) -> tuple[float, list, int]:
    """``username`` None: anonymous clients (the login page, the floor)."""
    clients = [login(port, username) if username else Client(port) for _ in range(concurrency)]
    for client in clients:  # warm each worker's caches
        client.get(path)
    times: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + duration

    def loop(client: Client):
        while time.monotonic() < deadline:
            response = client.get(path)
            with lock:
                times.append(response.ms)
                if response.status != 200:
                    errors[0] += 1

    threads = [threading.Thread(target=loop, args=(c,)) for c in clients]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    for client in clients:
        client.close()
    return len(times) / elapsed, times, errors[0]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cells", type=int, default=0, help="a make_demo province of N cells (default: the demo)")
    parser.add_argument("--reuse", action="store_true", help="keep the database built by the last run")
    parser.add_argument("--port", type=int, default=8115)
    parser.add_argument("--workers", type=int, default=os.cpu_count())
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--duration", type=float, default=6.0, help="seconds per page")
    parser.add_argument("--only", help="comma-separated page names to measure")
    args = parser.parse_args()
    url = require_postgres()
    small = not args.cells
    print(f"load average before: {loadavg()}")
    if not args.reuse:
        seconds = build_database(url, cells=args.cells, small_demo=small)
        print(f"built {'the demo province' if small else f'a {args.cells}-cell province'} in {seconds:.0f} s")
    username = staff_user(small)
    campaign = biggest_campaign()
    server = Server(args.port, args.workers).start()
    try:
        print(f"gunicorn: {args.workers} workers; {args.concurrency} clients as {username}, {args.duration:.0f} s/page")
        # "x login": the page's time per request over the login page's in the same run (the floor's rate over
        # the page's); the goal (issue 29) is at least 50 requests/s and at most 10x the login page.
        print(f"{'page':<22} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'errors':>6} {'x login':>8}")
        only = set(args.only.split(",")) if args.only else None
        floor = None
        for name, path in PAGES:
            if only and name not in only:
                continue
            rate, times, errors = measure(
                args.port, None if path == "/login/" else username, path.format(campaign=campaign),
                concurrency=args.concurrency, duration=args.duration,
            )  # fmt: skip
            if path == "/login/":
                floor = rate
            ratio = f"{floor / rate:8.1f}" if floor and rate else f"{'—':>8}"
            print(
                f"{name:<22} {rate:7.1f} {percentile(times, 50):8.1f} {percentile(times, 95):8.1f} {errors:6d} {ratio}"
            )
    finally:
        server.stop()
    print(f"load average after: {loadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
