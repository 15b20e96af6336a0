from tests.reports.conftest import request_run, store_finished_run
from tests.view_scope import ViewCase


def _run(tree, people):
    # A finished run's file as stored: the scope cases ask who may see and download it, not how it is drawn.
    return store_finished_run(tree, people)


def _failed_run(tree, people):
    run = request_run(tree, people)
    run.status = "failed"
    run.error = "boom"
    run.save()
    return run


def _status(t, p, d):
    return type(d).objects.get(pk=d.pk).status


CASES = [
    ViewCase("reports:run_list", object_view=False, setup=_failed_run),
    ViewCase("reports:run_create", object_view=False),
    ViewCase("reports:run_detail", lambda t, p, d: {"pk": d.pk}, setup=_run),
    ViewCase("reports:run_progress", lambda t, p, d: {"pk": d.pk}, setup=_run),
    ViewCase("reports:run_download", lambda t, p, d: {"pk": d.pk}, setup=_run),
    ViewCase("reports:run_retry", lambda t, p, d: {"pk": d.pk}, setup=_failed_run, method="post", effect=_status),
    ViewCase("reports:run_detail", lambda t, p, d: {"pk": d.pk}, setup=_run, owner="lena"),
    ViewCase("reports:run_download", lambda t, p, d: {"pk": d.pk}, setup=_run, owner="lena"),
]

CASES += [
    ViewCase("reports:dashboard", object_view=False, org_query=True),
    ViewCase("reports:dashboard", lambda t, p, d: {}, owner="lena", object_view=False, org_query=True),
    ViewCase("reports:dashboard_rows", object_view=False, org_query=True, org_query_extra=({"figure": "quality"},)),
]
