"""A failed Celery task is kept as a row with its error and shown to the staff it concerns."""

import pytest
from django.urls import reverse

from cells.scoping import Action
from ops.failures import record_failure
from ops.models import TaskFailure
from reports.models import ReportRun
from tests.worker import wait_until

pytestmark = pytest.mark.django_db


def _run(tree, people):
    return ReportRun.objects.create(
        kind="quarterly", organization=tree.district, period="2024-Q1", requested_by=people.alice
    )


def test_a_failure_of_a_report_task_is_about_its_run_and_its_committee(tree, people):
    run = _run(tree, people)
    failure = record_failure(
        task_name="reports.tasks.build_report_run", task_id="abc", args=[run.pk], kwargs={},
        exception=MemoryError("WeasyPrint ran out of memory"),
    )  # fmt: skip
    assert failure.organization == tree.district
    assert failure.user == people.alice
    assert failure.error == "WeasyPrint ran out of memory" and failure.error_type == "MemoryError"
    assert "MemoryError" in failure.traceback or failure.traceback == "MemoryError: WeasyPrint ran out of memory\n"


def test_staff_see_the_failures_of_their_subtree_with_the_error_and_nobody_else_does(client, tree, people):
    run = _run(tree, people)
    record_failure(
        task_name="reports.tasks.build_report_run", task_id="x", args=[run.pk], kwargs={},
        exception=OSError("No space left on device"),
    )  # fmt: skip
    record_failure(task_name="ops.tasks.scheduled_backup", task_id="y", args=[], kwargs={}, exception=OSError("disk"))
    client.force_login(people.alice)
    page = client.get(reverse("ops:task_failures")).content.decode()
    assert "Lập báo cáo" in page and "No space left on device" in page
    assert "disk" not in page  # a system task's failure is for superusers
    assert TaskFailure.objects.for_user(people.charlie, Action.VIEW).count() == 0
    assert TaskFailure.objects.for_user(people.sue).count() == 0


def test_a_superuser_sees_system_task_failures(client, tree, people):
    from tests.factories import UserFactory

    record_failure(task_name="ops.tasks.scheduled_backup", task_id="y", args=[], kwargs={}, exception=OSError("disk"))
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(admin)
    failure = TaskFailure.objects.get()
    page = client.get(reverse("ops:task_failure_detail", args=[failure.pk])).content.decode()
    assert "OSError: disk" in page and "ops.tasks.scheduled_backup" in page


@pytest.mark.integration
def test_a_task_that_raises_in_a_real_worker_is_recorded(celery_worker_process, tree, people):
    """The worker's task_failure signal writes the row."""
    from ops.tasks import scheduled_backup

    scheduled_backup.delay()  # CHIBO_BACKUP_DIR is empty in tests: the backup cannot be written
    wait_until(lambda: TaskFailure.objects.filter(task_name="ops.tasks.scheduled_backup").exists(),
               worker=celery_worker_process)  # fmt: skip
    failure = TaskFailure.objects.get(task_name="ops.tasks.scheduled_backup")
    assert failure.error and failure.hostname.startswith("celery@")
