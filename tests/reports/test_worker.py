"""Report runs built by a real Celery worker process: the normal case, and a worker killed mid-build.

Marked ``integration``: they start ``celery worker`` processes on the test database and broker.
The kill test needs Redis (the filesystem broker has no acknowledgements to lose); it is skipped on a
bare machine and required in CI.
"""

from pathlib import Path

import pytest
from django.core.files.storage import default_storage

from reports.models import ReportRun
from tests.reports.conftest import request_run
from tests.reports.pdftext import pdf_text
from tests.worker import start_worker_process, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _status(run_id):
    return ReportRun.objects.get(pk=run_id)


def test_a_real_worker_builds_the_requested_report(celery_worker_process, tree, people, officers):
    run = request_run(tree, people)  # autocommit: queued to the broker at once
    wait_until(lambda: _status(run.pk).is_finished, timeout=90, worker=celery_worker_process)
    run.refresh_from_db()
    assert run.status == "done", run.error
    assert "Chi bộ Tổ dân phố số 3" in pdf_text(default_storage.open(run.file.name).read())


def test_a_report_survives_its_worker_being_killed_mid_build(own_workers_only, redis_required, tree, people, officers):
    slow = {"DJANGO_SETTINGS_MODULE": "tests.reports.worker_settings", "CHIBO_REPORTS_STEP_DELAY": "2"}
    first = start_worker_process(extra_env=slow)
    second = None
    try:
        run = request_run(tree, people)
        # Wait until the first worker is inside the build (progress moves only there), then kill it.
        wait_until(lambda: _status(run.pk).status == "running" and _status(run.pk).progress > 0, 60, worker=first)
        first.kill()
        assert _status(run.pk).status == "running"
        second = start_worker_process(
            extra_env={**slow, "CHIBO_REPORTS_STEP_DELAY": "0.2"},
        )
        wait_until(lambda: _status(run.pk).status == "done", timeout=120, worker=second)
        # Let a possible redelivery of the same task arrive: it must change nothing.
        wait_until(lambda: "Task reports.tasks.build_report_run" in second.log, timeout=30, worker=second)
    finally:
        first.kill()
        if second:
            second.stop()
    run.refresh_from_db()
    assert run.status == "done" and run.error == ""
    assert run.attempts == 2
    assert ReportRun.objects.count() == 1
    folder = Path(default_storage.path(run.storage_name())).parent
    assert [path.name for path in folder.iterdir()] == ["report.pdf"]
    assert "Chi bộ Tổ dân phố số 3" in pdf_text((folder / "report.pdf").read_bytes())
