"""A large import runs in a real Celery worker process: check, confirm, import, progress in the job row."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cells.models import Organization
from cells.workbook import services
from cells.workbook.models import ImportJob
from tests.workbook.files import valid_bytes
from tests.worker import wait_until

pytestmark = pytest.mark.integration


def test_a_worker_checks_then_imports_a_large_workbook(tree, people, celery_worker_process, monkeypatch):
    monkeypatch.setattr(services, "LARGE_IMPORT_ROWS", 0)
    job = services.import_job_create(upload=SimpleUploadedFile("lon.xlsx", valid_bytes()), acting_user=people.alice)
    assert job.run_in_background
    services.import_job_start(job)
    wait_until(lambda: ImportJob.objects.get(pk=job.pk).is_finished, worker=celery_worker_process)
    job.refresh_from_db()
    assert job.status == "checked", job.message
    assert not Organization.objects.filter(code="N1").exists()
    assert services.import_job_confirm(job=job, acting_user=people.alice)
    services.import_job_start(job)
    wait_until(lambda: ImportJob.objects.get(pk=job.pk).is_finished, worker=celery_worker_process)
    job.refresh_from_db()
    assert (job.status, job.progress_step) == ("done", "done")
    assert Organization.objects.get(code="N1").parent == tree.district
