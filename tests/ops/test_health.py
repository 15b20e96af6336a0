"""/healthz (no login; ok or failing only) and `manage.py status`, against the real database and broker."""

import datetime
import io
import socket

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ops import tasks
from ops.models import TaskFailure, WorkerHeartbeat
from reports.models import ReportRun, RunStatus
from tests.worker import wait_until

pytestmark = pytest.mark.django_db


def _beat(seconds_ago: float, hostname="celery@web1"):
    return WorkerHeartbeat.objects.update_or_create(
        hostname=hostname, defaults={"seen_at": timezone.now() - datetime.timedelta(seconds=seconds_ago)}
    )[0]


def test_healthz_is_ok_without_login_when_database_broker_and_a_worker_answer(client):
    _beat(5)
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


def test_healthz_fails_when_the_last_heartbeat_is_older_than_a_minute(client):
    _beat(75)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"failing\n"  # the reason goes to the log, not to the public page


def test_healthz_fails_when_no_worker_ever_answered(client):
    assert client.get("/healthz").status_code == 503


def test_healthz_fails_when_the_broker_does_not_answer(client, settings):
    from config.celery import app

    _beat(1)
    previous = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = previous
    assert response.status_code == 503


def test_the_heartbeat_task_records_the_worker_that_ran_it():
    _beat(500, hostname=socket.gethostname())  # eager tasks run with this machine's name
    tasks.heartbeat.apply()
    beat = WorkerHeartbeat.objects.get()
    assert (timezone.now() - beat.seen_at).total_seconds() < 10


def _status() -> tuple[str, int]:
    out = io.StringIO()
    try:
        call_command("status", stdout=out)
    except SystemExit as exc:
        return out.getvalue(), exc.code
    return out.getvalue(), 0


def test_status_prints_queues_heartbeat_and_running_and_failed_jobs(tree, people):
    _beat(3, "celery@reports-host")
    ReportRun.objects.create(kind="quarterly", organization=tree.district, period="2024-Q1", status=RunStatus.RUNNING)
    ReportRun.objects.create(
        kind="quarterly", organization=tree.district, period="2024-Q2", status=RunStatus.FAILED, error="Hết bộ nhớ"
    )
    TaskFailure.objects.create(task_name="ops.tasks.scheduled_backup", error_type="BackupError", error="pg_dump failed")
    text, code = _status()
    assert code == 0
    assert "queue celery 0 waiting" in text
    assert "celery@reports-host" in text and "s ago" in text
    assert "report runs: 0 waiting, 1 running, 1 failed in the last 7 days" in text
    assert "Hết bộ nhớ" in text
    assert "failed tasks in the last 7 days: 1" in text and "pg_dump failed" in text
    assert text.rstrip().endswith("health: ok")


def test_status_says_failing_and_exits_1_without_a_recent_heartbeat():
    _beat(600)
    text, code = _status()
    assert code == 1
    assert "worker       FAILING" in text
    assert text.rstrip().endswith("health: failing")


@pytest.mark.integration
def test_a_real_worker_answers_the_heartbeat_and_healthz_turns_ok(client, celery_worker_process):
    assert client.get("/healthz").status_code == 503
    tasks.heartbeat.delay()
    wait_until(lambda: WorkerHeartbeat.objects.exists(), worker=celery_worker_process)
    assert client.get("/healthz").status_code == 200
