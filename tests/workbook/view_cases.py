from django.core.files.base import ContentFile

from cells.workbook.models import ImportJob
from tests.view_scope import ViewCase


def _job(tree, people):
    job = ImportJob(user=people.alice, original_name="to-chuc.xlsx", status=ImportJob.Status.INVALID)
    job.file.save("upload.xlsx", ContentFile(b"not a workbook"), save=False)
    job.save()
    return job


CASES = [
    ViewCase("workbook:index", object_view=False),
    ViewCase("workbook:guide", object_view=False, owner_sees_hidden=False),  # the guide shows no one's data
    ViewCase("workbook:job_detail", lambda t, p, d: {"pk": d.pk}, setup=_job),
    ViewCase("workbook:job_progress", lambda t, p, d: {"pk": d.pk}, setup=_job),
    ViewCase("workbook:job_confirm", lambda t, p, d: {"pk": d.pk}, setup=_job, method="post"),
    ViewCase("workbook:job_cancel", lambda t, p, d: {"pk": d.pk}, setup=_job, method="post"),
    ViewCase("workbook:export", lambda t, p, d: {"name": "members", "org_pk": t.grassroots.pk}),
]
