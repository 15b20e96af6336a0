from tests.reports.conftest import request_run
from tests.view_scope import ViewCase

# A finished run's file as stored: the scope cases ask who may see and download it, not how it is drawn
# (the PDF itself is tested in test_pdf.py), so none of them renders one.
STORED_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _run(tree, people):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.utils import timezone

    run = request_run(tree, people)
    name = default_storage.save(run.storage_name(), ContentFile(STORED_PDF))
    run.status, run.progress, run.pages = "done", 100, 1
    run.file.name, run.file_size, run.finished_at = name, len(STORED_PDF), timezone.now()
    run.save(update_fields=["status", "progress", "pages", "file", "file_size", "finished_at"])
    return run


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
