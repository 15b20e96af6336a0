"""The beat schedule requests reports for every committee, as the system, once per period."""

import datetime

from django.conf import settings

from reports import services
from reports.models import ReportRun
from reports.tasks import schedule_reports


def test_the_schedules_are_in_the_beat_configuration():
    entries = settings.CELERY_BEAT_SCHEDULE
    assert entries["reports-quarterly"]["kwargs"]["kind"] == "quarterly"
    assert entries["reports-quarterly"]["schedule"].month_of_year == {1, 4, 7, 10}
    assert entries["reports-year-end"]["schedule"].month_of_year == {12}


def test_a_scheduled_report_is_requested_once_for_every_committee(tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        runs = services.report_runs_schedule(kind="committee_completeness", period="2024-Q1")
        again = services.report_runs_schedule(kind="committee_completeness", period="2024-Q1")
    assert again == []
    assert {run.organization for run in runs} == {
        tree.province,
        tree.district,
        tree.grassroots,
        tree.other_district,
        tree.other_grassroots,
    }
    assert all(run.scheduled and run.requested_by is None for run in runs)
    assert ReportRun.objects.get(organization=tree.district).signer_on_behalf == "T/M BAN THƯỜNG VỤ"


def test_the_schedule_task_skips_a_kind_that_is_not_there(db):
    assert schedule_reports("not_a_kind", "quarter") == 0


def test_the_schedule_task_reports_on_the_quarter_just_ended(tree, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: datetime.date(2024, 4, 3))
    with django_capture_on_commit_callbacks(execute=False):
        assert schedule_reports("committee_completeness", "quarter") == 5
    assert set(ReportRun.objects.values_list("period", flat=True)) == {"2024-Q1"}
