"""The staff page: upload → check → confirm → imported; errors in Vietnamese; templates; exports; jobs."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from cells.models import Organization
from cells.workbook import services
from cells.workbook.models import ImportJob
from tests.workbook.files import ORG_HEADER, valid_bytes


def upload(client, data: bytes, name="to-chuc.xlsx"):
    return client.post(reverse("workbook:index"), {"file": SimpleUploadedFile(name, data)})


@pytest.fixture
def alice_client(client, people):
    client.force_login(people.alice)
    return client


def test_an_upload_is_checked_shown_and_imported_on_confirmation(alice_client, tree, people):
    response = upload(alice_client, valid_bytes())
    job = ImportJob.objects.get()
    assert response.url == reverse("workbook:job_detail", args=[job.pk])
    assert (job.phase, job.status, job.user) == ("check", "checked", people.alice)
    assert not Organization.objects.filter(code="N1").exists()
    page = alice_client.get(response.url).content.decode()
    assert "Tệp hợp lệ." in page and "Đảng bộ mới" in page and "Nhập ngay" in page
    response = alice_client.post(reverse("workbook:job_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert (job.phase, job.status) == ("import", "done")
    assert Organization.objects.get(code="N1").parent == tree.district
    assert "Đã nhập tệp." in alice_client.get(response.url).content.decode()


def test_the_file_is_kept_privately_for_the_confirmation(alice_client, tree, settings):
    upload(alice_client, valid_bytes())
    job = ImportJob.objects.get()
    assert job.file.path.startswith(str(settings.MEDIA_ROOT))
    assert job.file.name.startswith("workbooks/") and "to-chuc" not in job.file.name
    assert job.original_name == "to-chuc.xlsx"


def test_problems_are_listed_in_vietnamese_and_cannot_be_confirmed(alice_client, tree):
    rows = [ORG_HEADER, ["N1", "Đảng bộ mới", "KHONG-CO", "grassroots", None]]
    response = upload(alice_client, valid_bytes(rows))
    job = ImportJob.objects.get()
    assert job.status == "invalid"
    page = alice_client.get(response.url).content.decode()
    assert "Không có tổ chức mã KHONG-CO trong phạm vi của bạn." in page
    assert "Nhập ngay" not in page
    alice_client.post(reverse("workbook:job_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.phase == "check" and not Organization.objects.filter(code="N1").exists()


def test_a_file_that_is_not_a_workbook_gets_a_message_not_an_error_page(alice_client, tree):
    response = upload(alice_client, b"%PDF-1.4 not a spreadsheet", name="bao-cao.pdf")
    page = alice_client.get(response.url).content.decode()
    assert "Tệp không phải là tệp Excel (.xlsx)." in page


def test_an_upload_over_the_limit_is_refused_by_the_form(alice_client, tree, settings):
    settings.CHIBO_MAX_UPLOAD_BYTES = 100
    response = upload(alice_client, valid_bytes())
    assert response.status_code == 200
    assert "Tệp quá lớn" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_large_import_runs_as_a_task_after_commit(
    alice_client, tree, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "LARGE_IMPORT_ROWS", 0)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        upload(alice_client, valid_bytes())
    assert len(callbacks) == 1
    job = ImportJob.objects.get()
    assert job.run_in_background and job.status == "checked"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        alice_client.post(reverse("workbook:job_confirm", args=[job.pk]))
    assert len(callbacks) == 1
    job.refresh_from_db()
    assert job.status == "done" and Organization.objects.filter(code="N1").exists()


def test_the_task_leaves_a_finished_job_alone(tree, people):
    from cells.workbook.tasks import run_import_job

    job = services.import_job_create(upload=SimpleUploadedFile("a.xlsx", valid_bytes()), acting_user=people.alice)
    run_import_job(job.pk)
    run_import_job(job.pk)
    job.refresh_from_db()
    assert job.status == "checked"
    run_import_job(987654)  # a job that no longer exists: nothing happens


def test_progress_is_polled_until_the_job_is_finished(alice_client, tree, people):
    job = ImportJob.objects.create(
        user=people.alice,
        original_name="x.xlsx",
        file="workbooks/x.xlsx",
        progress_step="read",
        progress_done=4000,
        progress_total=10000,
        status="running",
    )
    fragment = alice_client.get(reverse("workbook:job_progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 2s"' in fragment.content.decode() and "4.000" in fragment.content.decode()
    assert "HX-Refresh" not in fragment
    ImportJob.objects.filter(pk=job.pk).update(status="done")
    fragment = alice_client.get(reverse("workbook:job_progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert fragment["HX-Refresh"] == "true"


def test_another_users_job_is_not_found(client, tree, people):
    job = ImportJob.objects.create(user=people.alice, original_name="x.xlsx", file="workbooks/x.xlsx")
    client.force_login(people.lena)  # may look at Thành ủy Một, but is not staff
    assert client.get(reverse("workbook:job_detail", args=[job.pk])).status_code == 404
    client.force_login(people.charlie)
    for name in ("workbook:job_detail", "workbook:job_progress"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    assert client.post(reverse("workbook:job_confirm", args=[job.pk])).status_code == 404


def test_the_page_is_for_staff_only(client, tree, people):
    client.force_login(people.sue)
    assert client.get(reverse("workbook:index")).status_code == 404


def test_the_nav_shows_the_page_to_staff_only(client, tree, people):
    client.force_login(people.alice)
    assert reverse("workbook:index") in client.get(reverse("home")).content.decode()
    client.force_login(people.sue)
    assert reverse("workbook:index") not in client.get(reverse("home")).content.decode()


def test_the_index_lists_sheets_with_labels_and_allowed_values(alice_client, tree):
    page = alice_client.get(reverse("workbook:index")).content.decode()
    assert "Mã tổ chức cấp trên" in page and "<code data-code>grassroots_cell</code>" in page
    assert "?template=members" in page


def test_an_empty_template_downloads(alice_client, tree):
    response = alice_client.get(reverse("workbook:index") + "?template=members")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content))["members"]
    assert [c.value for c in sheet[1]] == ["org_code", "member_code", "full_name", "status", "exempt"]
    assert alice_client.get(reverse("workbook:index") + "?template=nothing").status_code == 404


def test_an_export_of_an_organisation_downloads_and_outside_the_scope_is_not_found(client, tree, people, roster):
    client.force_login(people.alice)
    response = client.get(reverse("workbook:export", args=["members", tree.grassroots.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content))["members"]
    assert sheet.max_row == 1 + len(roster.cell)
    response = client.get(reverse("workbook:index"), {"export": "organizations", "org": "G1"})
    assert response.url == reverse("workbook:export", args=["organizations", tree.grassroots.pk])
    client.force_login(people.charlie)
    assert client.get(reverse("workbook:export", args=["members", tree.grassroots.pk])).status_code == 404
    response = client.get(reverse("workbook:index"), {"export": "members", "org": "G1"})
    assert response.status_code == 200
    assert "Không có tổ chức mã G1 trong phạm vi của bạn." in response.content.decode()


def test_the_upload_is_deleted_once_imported_or_refused(alice_client, tree):
    import os

    upload(alice_client, valid_bytes())
    job = ImportJob.objects.get()
    path = job.file.path
    assert os.path.exists(path)
    alice_client.post(reverse("workbook:job_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "done" and not job.file and not os.path.exists(path)
    upload(alice_client, b"not a workbook")
    assert not ImportJob.objects.latest("pk").file


def test_a_running_job_is_left_to_its_run_unless_its_worker_died_long_ago(tree, people):
    import datetime

    from django.utils import timezone

    job = services.import_job_create(upload=SimpleUploadedFile("a.xlsx", valid_bytes()), acting_user=people.alice)
    ImportJob.objects.filter(pk=job.pk).update(status="running", started_at=timezone.now())
    assert services.import_job_run(job=job).status == "running"
    long_ago = timezone.now() - datetime.timedelta(seconds=services.RUN_TIME_LIMIT + 60)
    ImportJob.objects.filter(pk=job.pk).update(started_at=long_ago)
    assert services.import_job_run(job=job).status == "checked"


def test_a_job_is_confirmed_once(alice_client, tree, people):
    upload(alice_client, valid_bytes())
    job = ImportJob.objects.get()
    assert services.import_job_confirm(job=job, acting_user=people.alice)
    assert not services.import_job_confirm(job=job, acting_user=people.alice)


def test_the_list_of_imports_costs_the_same_queries_for_one_job_or_ten(alice_client, tree, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert alice_client.get(reverse("workbook:index")).status_code == 200
        return len(queries.captured_queries)

    ImportJob.objects.create(user=people.alice, original_name="1.xlsx", file="workbooks/1.xlsx")
    one = count()
    for n in range(9):
        ImportJob.objects.create(user=people.alice, original_name=f"{n}.xlsx", file=f"workbooks/{n}.xlsx")
    assert count() == one
