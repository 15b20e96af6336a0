"""Report runs: request, build, idempotence, failure, retry and the bounded attempts."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage

from cells.models import AuditEntry
from reports import services
from reports.models import ReportRun
from reports.registry import Body, BuildContext, get_kind, register
from tests.reports.conftest import request_run
from tests.reports.pdftext import pdf_text


def _files_of(run: ReportRun) -> list[Path]:
    return sorted(Path(default_storage.path(run.storage_name())).parent.iterdir())


def test_a_requested_report_is_built_after_commit_and_keeps_who_asked(done_run, people):
    assert done_run.requested_by == people.alice
    assert done_run.progress == 100 and done_run.attempts == 1
    assert done_run.pages and done_run.file_size > 1000
    assert done_run.started_at <= done_run.finished_at
    assert "Chi bộ Tổ dân phố số 3" in pdf_text(default_storage.open(done_run.file.name).read())
    assert AuditEntry.objects.filter(action="report.request", object_id=str(done_run.pk)).exists()


def test_nothing_is_queued_when_the_request_is_rolled_back(tree, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        request_run(tree, people)
    assert len(callbacks) == 1  # queued only once the transaction commits


def test_a_redelivered_task_for_a_done_run_does_nothing(done_run):
    before = Path(default_storage.path(done_run.file.name)).stat().st_mtime_ns
    assert services.report_run_execute(run_id=done_run.pk) is None
    done_run.refresh_from_db()
    assert done_run.attempts == 1
    assert Path(default_storage.path(done_run.file.name)).stat().st_mtime_ns == before
    assert ReportRun.objects.count() == 1


def test_a_rebuild_of_an_interrupted_run_overwrites_the_same_file(done_run):
    # As if the worker died after writing the file but before the row said done.
    ReportRun.objects.filter(pk=done_run.pk).update(status="running")
    services.report_run_execute(run_id=done_run.pk)
    done_run.refresh_from_db()
    assert done_run.status == "done" and done_run.attempts == 2
    assert [path.name for path in _files_of(done_run)] == ["report.pdf"]
    assert ReportRun.objects.count() == 1


def test_a_run_started_too_often_without_finishing_fails(tree, people):
    run = request_run(tree, people)
    ReportRun.objects.filter(pk=run.pk).update(status="running", attempts=services.MAX_ATTEMPTS)
    services.report_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == "failed"
    assert "3" in run.error


@pytest.fixture
def broken_kind():
    def build(ctx: BuildContext) -> Body:
        ctx.step(10)
        raise RuntimeError("dữ liệu hỏng")

    kind = get_kind("committee_completeness")
    register(type(kind)(code="broken_for_tests", title="Broken", periods=("quarter",), build=build))
    yield "broken_for_tests"
    from reports import registry

    registry._kinds.pop("broken_for_tests", None)


def test_a_failed_run_says_why_and_can_be_retried(tree, people, broken_kind, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = request_run(tree, people, kind=broken_kind)
    run.refresh_from_db()
    assert run.status == "failed"
    assert "dữ liệu hỏng" in run.error
    with django_capture_on_commit_callbacks(execute=True):
        services.report_run_retry(run=run, acting_user=people.alice)
    run.refresh_from_db()
    assert run.status == "failed" and run.attempts == 1  # still broken, tried once more
    assert AuditEntry.objects.filter(action="report.retry", object_id=str(run.pk)).exists()


def test_only_a_failed_run_can_be_retried(stored_run, people):
    with pytest.raises(ValidationError):
        services.report_run_retry(run=stored_run, acting_user=people.alice)


def test_a_report_must_cover_a_period_it_is_made_for(tree, people):
    with pytest.raises(ValidationError) as error:
        request_run(tree, people, period="2024-99")
    assert "period" in error.value.error_dict


def test_a_committee_report_is_not_requested_for_a_cell(tree, people):
    with pytest.raises(ValidationError) as error:
        request_run(tree, people, organization=tree.cell)
    assert "organization" in error.value.error_dict


def test_an_excel_run_produces_a_workbook(tree, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = request_run(tree, people, format="xlsx")
    run.refresh_from_db()
    assert run.status == "done" and run.pages is None
    assert run.filename == "committee_completeness-D1-2024-Q1.xlsx"
    assert default_storage.open(run.file.name).read(2) == b"PK"
