"""A real Celery worker in its own process, for integration tests.

The worker runs ``celery -A config worker`` with the test settings, pointed at the test database
(PostgreSQL or the SQLite test file), the test broker (Redis in CI, a private filesystem-broker folder
otherwise) and the test MEDIA_ROOT. It only sees committed data: use it from tests marked
``@pytest.mark.django_db(transaction=True)``.

    def test_something(celery_worker_process):
        run = ...; some_task.delay(run.pk)
        wait_until(lambda: Run.objects.get(pk=run.pk).status == "done")

One worker serves every test of the run that asks for ``celery_worker_process`` (bin/test runs them
all in its serial run, so a suite starts one worker, not one per test). Its log is the whole run's.
``start_worker_process()`` gives a handle for tests that kill the worker mid-task (``handle.kill()``)
and start another; such a test asks for ``own_workers_only`` first, which stops the shared worker so
that it cannot take the test's tasks (the next test that needs it starts it again).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def broker_is_redis() -> bool:
    return settings.CELERY_BROKER_URL.startswith("redis")


def redis_reachable() -> bool:
    if not broker_is_redis():
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=2).ping())
    except redis.RedisError:
        return False


def _database_url() -> str:
    conf = connection.settings_dict
    if conf["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(conf['NAME']).resolve()}"
    user = conf.get("USER") or ""
    password = f":{conf['PASSWORD']}" if conf.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    return f"postgres://{auth}{conf.get('HOST') or '127.0.0.1'}:{conf.get('PORT') or 5432}/{conf['NAME']}"


class WorkerProcess:
    """A handle on one worker process: its log, and ways to stop or kill it."""

    def __init__(self, process: subprocess.Popen, log_path: Path):
        self.process = process
        self.log_path = log_path

    @property
    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if "ready." in self.log:
                return
            if self.process.poll() is not None:
                raise RuntimeError(f"the Celery worker exited early:\n{self.log}")
            time.sleep(0.2)
        raise RuntimeError(f"the Celery worker was not ready in {timeout} s:\n{self.log}")

    def kill(self) -> None:
        """SIGKILL the whole process group: the worker dies mid-task, as on a crashed machine."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


def start_worker_process(
    *, extra_env: dict[str, str] | None = None, concurrency: int = 1, wait: bool = True
) -> WorkerProcess:
    env = os.environ.copy()
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": _database_url(),
            "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra_env or {})
    log = Path(tempfile.mkstemp(prefix="chibo-worker-", suffix=".log")[1])
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=prefork",
            f"--concurrency={concurrency}",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    handle = WorkerProcess(process, log)
    if wait:
        handle.wait_ready()
    return handle


def wait_until(
    predicate: Callable[[], bool], timeout: float = 60, interval: float = 0.2, worker: WorkerProcess | None = None
) -> None:
    """Poll ``predicate`` until it holds; fail with the worker's log when it does not in time."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    detail = f"\nworker log:\n{worker.log[-4000:]}" if worker else ""
    raise AssertionError(f"condition not met within {timeout} s{detail}")


@pytest.fixture
def real_celery(settings):
    """Send tasks to the real broker instead of running them eagerly in the test process."""
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    settings.CELERY_TASK_ALWAYS_EAGER = False
    yield app
    app.conf.task_always_eager = previous


class SharedWorker:
    """The run's one worker process, started when a test first needs it."""

    def __init__(self):
        self.handle: WorkerProcess | None = None
        self.started = 0

    def get(self) -> WorkerProcess:
        if self.handle is None or self.handle.process.poll() is not None:
            self.handle = start_worker_process()
            self.started += 1
        return self.handle

    def stop(self) -> None:
        if self.handle is not None:
            self.handle.stop()
            self.handle = None


@pytest.fixture(scope="session")
def shared_worker(django_db_setup):
    """Started after the test database exists; stopped when the session ends."""
    worker = SharedWorker()
    yield worker
    worker.stop()


@pytest.fixture
def celery_worker_process(real_celery, transactional_db, shared_worker):
    """The run's real worker process (requires committed data): started by the first test that needs it."""
    return shared_worker.get()


@pytest.fixture
def own_workers_only(real_celery, transactional_db, shared_worker):
    """For a test that starts its own workers (``start_worker_process``): the shared one is stopped."""
    shared_worker.stop()


@pytest.fixture
def redis_required():
    """Skip when Redis is not the broker (a bare `make test`), but fail in CI, where it must be there."""
    if not redis_reachable():
        if os.environ.get("CHIBO_REQUIRE_BROWSER") == "1" and os.environ.get("REDIS_URL"):
            pytest.fail("REDIS_URL is set but Redis does not answer")
        pytest.skip("Redis is not the broker here (set REDIS_URL to run this test)")
