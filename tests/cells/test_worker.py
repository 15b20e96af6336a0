"""A real Celery worker process runs a task through the broker (Redis in CI, the filesystem broker otherwise)."""

import pytest

from cells.models import Organization
from cells.tasks import rebuild_search_names
from tests.worker import wait_until


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_worker_process_rebuilds_search_names(tree, celery_worker_process):
    Organization.objects.filter(pk=tree.cell.pk).update(name_folded="stale")
    rebuild_search_names.delay()
    wait_until(
        lambda: Organization.objects.get(pk=tree.cell.pk).name_folded == "chi bo to dan pho so 3",
        timeout=90,
        worker=celery_worker_process,
    )
