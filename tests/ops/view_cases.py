from ops.models import TaskFailure
from tests.view_scope import ViewCase


def _failure(tree, people):
    """A report build that failed for Thành ủy Một: alice (staff there) sees it, charlie does not."""
    return TaskFailure.objects.create(
        task_name="reports.tasks.build_report_run",
        error_type="OSError",
        error="No space left on device",
        organization=tree.district,
        subject="Báo cáo quý · Thành ủy Một",
    )


CASES = [
    ViewCase("ops:task_failures", object_view=False, setup=_failure),
    ViewCase("ops:task_failure_detail", lambda t, p, d: {"pk": d.pk}, setup=_failure),
]
