"""Benchmark: what each page a cell secretary uses costs on a weak signal, in Chromium.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/chibo_secretary REDIS_URL=redis://127.0.0.1:6379/9 \\
        .venv/bin/python bench/bench_secretary_pages.py            # the demo province (load_demo)
    ... bench/bench_secretary_pages.py --reuse                      # keep the database of the last run

gunicorn serves the production settings (static files compressed by WhiteNoise) behind a small proxy
that gzips pages as deploy/'s nginx does (``gzip on``) and counts the bytes it sends: the transferred
bytes are what went over the wire, headers included, whoever asked (the page or its service worker).
Chromium (Debian's, through Playwright) at 390x800 is throttled with the DevTools "Slow 3G" profile
through CDP Network.emulateNetworkConditions (2,000 ms latency, 50,000 bytes/s each way).

For each page, logged in as the demo secretary ``bithu.tdp1``:
- first load: a fresh browser profile (empty cache, no service worker), the page opened once; the bytes
  include what the service worker keeps at install for later visits;
- repeat: the same page opened again (static files now come from the phone).
"Time until usable" is the time from navigation to the page's load event (its styles and scripts run).
On a repeat visit the page itself is fetched by the service worker, and Chromium applies the page's
network emulation to the page's requests only: the measured repeat time is then unthrottled, so the
benchmark also prints an estimate under Slow 3G (one round trip plus the bytes at 50,000 B/s).
Budgets (issue 25): first load under 150 KB, repeat under 30 KB. Prints the load average too.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import http.server
import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from httpbench import BENCH_PASSWORD, Server, build_database, loadavg, manage, require_postgres  # noqa: E402

SECRETARY = "bithu.tdp1"
SLOW_3G = {"offline": False, "latency": 2000, "downloadThroughput": 50_000, "uploadThroughput": 50_000}
FIRST_BUDGET, REPEAT_BUDGET = 150 * 1024, 30 * 1024
GZIP_TYPES = ("text/html", "text/plain", "text/css", "application/javascript", "application/json")


class CountingGzipProxy(http.server.ThreadingHTTPServer):
    """Forwards to gunicorn, gzips text as nginx's ``gzip on`` does, and counts the bytes sent back."""

    daemon_threads = True

    def __init__(self, port: int, upstream: int):
        self.upstream = upstream
        self.sent = 0
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", port), ProxyHandler)

    def take(self) -> int:
        with self.lock:
            sent, self.sent = self.sent, 0
        return sent


class ProxyHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet
        pass

    def _forward(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        upstream = http.client.HTTPConnection("127.0.0.1", self.server.upstream, timeout=120)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("connection", "keep-alive")}
        upstream.request(self.command, self.path, body=body, headers=headers)
        answer = upstream.getresponse()
        content = answer.read()
        out_headers = [(k, v) for k, v in answer.getheaders() if k.lower() not in ("connection", "transfer-encoding")]
        kind = answer.getheader("Content-Type", "")
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if accepts and content and not answer.getheader("Content-Encoding") and kind.startswith(GZIP_TYPES):
            content = gzip.compress(content, compresslevel=1)  # nginx's default gzip_comp_level
            out_headers = [(k, v) for k, v in out_headers if k.lower() != "content-length"]
            out_headers += [("Content-Encoding", "gzip"), ("Vary", "Accept-Encoding")]
        out_headers = [(k, v) for k, v in out_headers if k.lower() != "content-length"]
        out_headers.append(("Content-Length", str(len(content))))
        head = f"HTTP/1.1 {answer.status} {answer.reason}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in out_headers)
        self.send_response_only(answer.status, answer.reason)
        for key, value in out_headers:
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(content)
        with self.server.lock:
            self.server.sent += len(head) + 2 + len(content)
        upstream.close()

    def _answer(self):
        try:
            self._forward()
        except (BrokenPipeError, ConnectionResetError):  # the browser gave up on a request (navigated on)
            pass

    do_GET = do_POST = do_HEAD = _answer


def secretary_urls() -> list[tuple[str, str]]:
    manage(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model; "
        f"u = get_user_model().objects.get(username='{SECRETARY}'); u.set_password('{BENCH_PASSWORD}'); u.save()",
    )
    done = manage(
        "shell",
        "-c",
        "from cells.models import RoleAssignment; from evaluations.meetings.models import Meeting; "
        f"cell = RoleAssignment.objects.get(user__username='{SECRETARY}', role='secretary').organization; "
        "m = Meeting.objects.filter(organization=cell).order_by('-date').first(); "
        "o = Meeting.objects.filter(organization=cell).exclude(status='appraised').order_by('-date').first(); "
        "print(cell.pk, m.pk if m else 0, o.pk if o else 0)",
    )
    cell, meeting, open_meeting = (int(x) for x in done.stdout.split()[-3:])
    pages = [
        ("home", "/"),
        ("record a meeting", f"/evaluations/meetings/record/{cell}/"),
        ("meetings", "/evaluations/meetings/"),
        ("notifications", "/orgs/notifications/"),
        ("campaigns", "/evaluations/campaigns/"),
    ]
    if meeting:
        pages.insert(3, ("a meeting", f"/evaluations/meetings/{meeting}/"))
    if open_meeting:
        pages.insert(3, ("score a meeting", f"/evaluations/meetings/{open_meeting}/assess/"))
    return pages


def log_in(page, cdp, base: str) -> None:
    """Through the login page, then the browser's cache, kept pages and service worker are emptied
    (the session cookie stays): the measured page is opened as on a phone that never saw the app."""
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", SECRETARY)
    page.fill("input[name=password]", BENCH_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)
    page.evaluate(
        "navigator.serviceWorker.getRegistrations().then(rs => Promise.all(rs.map(r => r.unregister())))"
        ".then(() => caches.keys()).then(ks => Promise.all(ks.map(k => caches.delete(k))))"
    )
    page.goto("about:blank")
    cdp.send("Network.clearBrowserCache")


def measure(browser, proxy: CountingGzipProxy, base: str, path: str) -> dict:
    context = browser.new_context(viewport={"width": 390, "height": 800}, is_mobile=True, locale="vi-VN")
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        log_in(page, cdp, base)
        cdp.send("Network.emulateNetworkConditions", SLOW_3G)
        figures = {}
        for visit in ("first", "repeat"):
            proxy.take()
            started = time.perf_counter()
            page.goto(base + path, wait_until="load", timeout=180_000)
            figures[f"{visit}_ms"] = (time.perf_counter() - started) * 1000
            if visit == "first":  # the service worker keeps the static files for the next visits
                page.evaluate("navigator.serviceWorker.ready.then(() => true)")
                page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=180_000)
            page.wait_for_timeout(1500)  # let the worker finish keeping the page
            figures[f"{visit}_bytes"] = proxy.take()
        return figures
    finally:
        context.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reuse", action="store_true", help="keep the database of the last run")
    args = parser.parse_args()
    url = require_postgres()
    if not args.reuse:
        print(f"building the demo province ... {build_database(url, cells=0, small_demo=True):.0f} s", flush=True)
    pages = secretary_urls()
    # Plain http on localhost (a secure context for Chromium, so the service worker and the secure
    # cookies work): no redirect to https, and no proxy claiming https (its Referer check would refuse
    # the http login).
    server = Server(port=18431, workers=max(2, os.cpu_count() or 2)).start(
        {"DJANGO_SECURE_SSL_REDIRECT": "0", "DJANGO_SECURE_PROXY_SSL_HEADER": ""}
    )
    proxy = CountingGzipProxy(18432, 18431)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    base = "http://localhost:18432"
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tests.browser import CHROMIUM, CHROMIUM_ARGS

    failures = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            print(f"load average before: {loadavg()}")
            print("Slow 3G (2,000 ms latency, 50,000 B/s), 390x800 Chromium, secretary bithu.tdp1")
            columns = ("first KB", 9), ("first s", 8), ("repeat KB", 10), ("repeat s", 9), ("(slow 3G est.)", 15)
            print(f"{'page':<18} " + " ".join(f"{title:>{width}}" for title, width in columns))
            for name, path in pages:
                f = measure(browser, proxy, base, path)
                print(
                    f"{name:<18} {f['first_bytes'] / 1024:>9.1f} {f['first_ms'] / 1000:>8.1f} "
                    f"{f['repeat_bytes'] / 1024:>10.1f} {f['repeat_ms'] / 1000:>9.1f} "
                    f"{(SLOW_3G['latency'] / 1000 + f['repeat_bytes'] / SLOW_3G['downloadThroughput']):>15.1f}",
                    flush=True,
                )
                if f["first_bytes"] >= FIRST_BUDGET or f["repeat_bytes"] >= REPEAT_BUDGET:
                    failures.append(name)
            browser.close()
            print(f"load average after: {loadavg()}")
    finally:
        proxy.shutdown()
        server.stop()
    if failures:
        print(f"over budget (first < 150 KB, repeat < 30 KB): {', '.join(failures)}")
        return 1
    print("every page within budget: first load < 150 KB, repeat < 30 KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
