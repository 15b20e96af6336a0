from tests.reports.conftest import request_run
from tests.view_scope import ViewCase


def _run(tree, people):

    from reports.services import report_run_execute

    run = request_run(tree, people)
    report_run_execute(run_id=run.pk)
    return run


def _failed_run(tree, people):
    run = request_run(tree, people)
    run.status = "failed"
    run.error = "boom"
    run.save()
    return run


CASES = [
    ViewCase("reports:run_list", object_view=False),
    ViewCase("reports:run_create", object_view=False),
    ViewCase("reports:run_detail", lambda t, p, d: {"pk": d.pk}, setup=_run),
    ViewCase("reports:run_progress", lambda t, p, d: {"pk": d.pk}, setup=_run),
    ViewCase("reports:run_download", lambda t, p, d: {"pk": d.pk}, setup=_run),
    ViewCase("reports:run_retry", lambda t, p, d: {"pk": d.pk}, setup=_failed_run, method="post"),
    ViewCase("reports:run_detail", lambda t, p, d: {"pk": d.pk}, setup=_run, owner="lena"),
    ViewCase("reports:run_download", lambda t, p, d: {"pk": d.pk}, setup=_run, owner="lena"),
]

CASES += [
    ViewCase("reports:dashboard", object_view=False),
    ViewCase("reports:dashboard", lambda t, p, d: {}, owner="lena", object_view=False),
    ViewCase("reports:dashboard_rows", object_view=False),
]
