"""What the HTTP benchmarks (bench_load.py, bench_pages.py) share: a scratch PostgreSQL database with a
make_demo province, gunicorn started as deploy/ starts it (production settings), and a small browser-like
client (cookies, CSRF, forms) on the standard library.

Every request goes to 127.0.0.1 only; loops are bounded in count and time.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
BENCH_PASSWORD = "demo-benchmark"


# --- The database ----------------------------------------------------------------------------------


def require_postgres() -> str:
    url = os.environ.get("DATABASE_URL", "")
    name = url.rsplit("/", 1)[-1]
    if not url.startswith("postgres") or not name.startswith("chibo_"):
        # bench/run_all.py runs every benchmark on SQLite too: this one is skipped there, not failed.
        print(
            "skipped: set DATABASE_URL to a scratch PostgreSQL database whose name starts with chibo_ "
            "(it is dropped and built again), and REDIS_URL to a Redis database."
        )
        sys.exit(0)
    return url


def manage(*args: str, env: dict | None = None, check: bool = True) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local", **(env or {})}
    return subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=full_env, check=check, capture_output=True, text=True)


def build_database(url: str, *, cells: int, small_demo: bool = False) -> float:
    """Drop and create the database, migrate, then load a province; returns the seconds it took."""
    import psycopg

    started = time.perf_counter()
    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    manage("migrate", "--no-input", "-v", "0")
    if small_demo:
        manage("load_demo")
    else:
        manage("make_demo", "--cells", str(cells), "--years", "1")
    manage("shell", "-c", "from django.db import connection; connection.cursor().execute('ANALYZE')")
    return time.perf_counter() - started


# --- gunicorn --------------------------------------------------------------------------------------


@dataclass
class Server:
    """gunicorn serving config.wsgi with the production settings, as the chibo-web unit does."""

    port: int
    workers: int
    process: subprocess.Popen | None = None
    log_path: Path = field(default_factory=lambda: Path(f"/tmp/chibo-bench-gunicorn-{os.getpid()}.log"))

    def start(self, extra_env: dict | None = None) -> Server:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            # The client says X-Forwarded-Proto: https, as nginx does in front of gunicorn.
            "DJANGO_SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
            "DJANGO_STATIC_ROOT": str(ROOT / "staticfiles"),
            "DATABASE_CONN_MAX_AGE": os.environ.get("DATABASE_CONN_MAX_AGE", "60"),
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "GUNICORN_WORKERS": str(self.workers),
            "GUNICORN_ACCESS_LOG": "0",
            "GUNICORN_LOG_LEVEL": "warning",
            **(extra_env or {}),
        }
        subprocess.run([PY, "manage.py", "collectstatic", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True)
        self.process = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "--config", "deploy/gunicorn.conf.py", "config.wsgi:application"],
            cwd=ROOT,
            env=env,
            stdout=self.log_path.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if Client(self.port).get("/login/").status == 200:
                    return self
            except OSError:
                pass
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.log_path.read_text()}")
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer in 60 s:\n{self.log_path.read_text()}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


# --- The client ------------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: dict
    body: str
    ms: float

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


class FormParser(HTMLParser):
    """The fields of one form (by id, or the first with a csrf token) as a browser would submit them."""

    def __init__(self, form_id: str | None):
        super().__init__()
        self.form_id, self.inside, self.done = form_id, False, False
        self.fields: list[tuple[str, str]] = []
        # The max attribute of number inputs (a score item's full marks).
        self.maxima: dict[str, str] = {}
        self._select: str | None = None
        self._select_value: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and not self.done:
            self.inside = self.form_id is None or a.get("id") == self.form_id
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind in ("submit", "button", "file"):
                return
            if kind == "number" and a.get("max"):
                self.maxima[name] = a["max"]
            self.fields.append((name, a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self._select, self._select_value = name, None
        elif tag == "option" and self._select is not None:
            if self._select_value is None or "selected" in a:
                self._select_value = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields.append((name, ""))

    def handle_data(self, data):
        if self._textarea and self.fields and self.fields[-1][0] == self._textarea:
            self.fields[-1] = (self._textarea, self.fields[-1][1] + data)

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None:
            self.fields.append((self._select, self._select_value or ""))
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form" and self.inside:
            self.inside, self.done = False, True


def form_fields(html: str, form_id: str | None = None) -> dict[str, str]:
    parser = FormParser(form_id)
    parser.feed(html)
    return dict(parser.fields)


class Client:
    """One person's browser: a connection kept open when the server allows, cookies, the CSRF token."""

    def __init__(self, port: int, host: str = "127.0.0.1", timeout: float = 300):
        self.port, self.host, self.timeout = port, host, timeout
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None

    def _request(self, method: str, path: str, body: str | None = None) -> Response:
        headers = {
            "Host": f"{self.host}:{self.port}",
            # As nginx says for an HTTPS request (production settings redirect plain HTTP).
            "X-Forwarded-Proto": "https",
            "Origin": f"https://{self.host}:{self.port}",
            "Referer": f"https://{self.host}:{self.port}{path}",
            "Accept-Language": "vi",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            started = time.perf_counter()
            try:
                self.conn.request(method, path, body=body, headers=headers)
                raw = self.conn.getresponse()
                text = raw.read().decode("utf-8", "replace")
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
                continue
            ms = (time.perf_counter() - started) * 1000
            response_headers = {k.lower(): v for k, v in raw.getheaders()}
            for key, value in raw.getheaders():
                if key.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
            if response_headers.get("connection", "").lower() == "close":
                self.conn.close()
                self.conn = None
            return Response(raw.status, response_headers, text, ms)
        raise RuntimeError("unreachable")

    def get(self, path: str) -> Response:
        return self._request("GET", path)

    def post(self, path: str, data: dict) -> Response:
        data = {**data, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
        return self._request("POST", path, urllib.parse.urlencode(data))

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


# --- Figures ---------------------------------------------------------------------------------------


class Recorder:
    """Times per step and errors, from many threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, list[str]] = defaultdict(list)

    def add(self, step: str, ms: float) -> None:
        with self.lock:
            self.times[step].append(ms)

    def error(self, step: str, detail: str) -> None:
        with self.lock:
            self.errors[step].append(detail[:300])

    @property
    def requests(self) -> int:
        return sum(len(v) for v in self.times.values())

    @property
    def error_count(self) -> int:
        return sum(len(v) for v in self.errors.values())

    def all_times(self) -> list[float]:
        return [t for values in self.times.values() for t in values]


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def loadavg() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
