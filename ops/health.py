"""The checks behind /healthz and `manage.py status`: the database, the broker, a worker's heartbeat."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

# A worker runs the heartbeat task every HEARTBEAT_SECONDS (beat sends it); older than this is failing.
HEARTBEAT_SECONDS = 20
HEARTBEAT_MAX_AGE = datetime.timedelta(seconds=60)


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "failing"
        return Check("database", False, f"{type(exc).__name__}: {exc}")
    return Check("database", True, connection.vendor)


def check_broker(timeout: float = 2.0) -> Check:
    from config.celery import app

    try:
        with app.connection_for_write(connect_timeout=timeout) as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
    except Exception as exc:  # noqa: BLE001
        return Check("broker", False, f"{type(exc).__name__}: {exc}")
    return Check("broker", True, app.conf.broker_url.split("://")[0])


def last_heartbeat():
    from .models import WorkerHeartbeat

    return WorkerHeartbeat.objects.order_by("-seen_at").first()


def check_worker(now: datetime.datetime | None = None) -> Check:
    now = now or timezone.now()
    try:
        beat = last_heartbeat()
    except Exception as exc:  # noqa: BLE001
        return Check("worker", False, f"{type(exc).__name__}: {exc}")
    if beat is None:
        return Check("worker", False, "no worker has ever answered")
    age = (now - beat.seen_at).total_seconds()
    return Check("worker", age <= HEARTBEAT_MAX_AGE.total_seconds(), f"{beat.hostname} {age:.0f} s ago")


def run_checks() -> list[Check]:
    database = check_database()
    checks = [database, check_broker()]
    # Without a database the heartbeat cannot be read: failing already.
    checks.append(check_worker() if database.ok else Check("worker", False, "database unavailable"))
    return checks
