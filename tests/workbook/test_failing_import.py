"""An import that fails while writing leaves nothing behind: the sheets before the failing one are rolled
back with it, the job says it failed (in Vietnamese), and the upload is deleted. Two confirmations of the
same checked job at the same instant import it once."""

import dataclasses
import os
import threading
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from cells.models import AuditEntry, Member, Organization
from cells.workbook import registry, services
from cells.workbook.models import ImportJob
from tests.workbook.files import ORG_HEADER

MEMBER_HEADER = ["org_code", "member_code", "full_name", "status", "exempt"]


def _upload(book, people):
    path = book(
        {
            "organizations": [ORG_HEADER, ["N1", "Đảng bộ mới", "D1", "grassroots", None]],
            "members": [MEMBER_HEADER, ["C1", "DV-NEW-1", "Phạm Thị Mới", "official", "no"]],
        }
    )
    upload = SimpleUploadedFile("to-chuc.xlsx", path.read_bytes())
    job = services.import_job_create(upload=upload, acting_user=people.alice)
    services.import_job_run(job=job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED, job.report
    return job


def test_a_sheet_failing_after_an_earlier_sheet_wrote_rolls_everything_back(book, tree, people, monkeypatch):
    job = _upload(book, people)
    stored = job.file.path
    members = registry.import_sheet("members")
    wrote = []

    def apply_then_fail(context, changes):
        members.apply(context, changes)  # the members are written, and the organisations before them
        wrote.append(
            Organization.objects.filter(code="N1").exists() and Member.objects.filter(code="DV-NEW-1").exists()
        )
        raise RuntimeError("disk full")

    monkeypatch.setitem(registry._import_sheets, "members", dataclasses.replace(members, apply=apply_then_fail))
    audits_before = AuditEntry.objects.count()
    assert services.import_job_confirm(job=job, acting_user=people.alice)
    services.import_job_run(job=job)

    assert wrote == [True]  # the failure really came after both sheets had written
    assert not Organization.objects.filter(code="N1").exists()
    assert not Member.objects.filter(code="DV-NEW-1").exists()
    assert AuditEntry.objects.count() == audits_before
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.message == "Việc nhập dừng lại do một lỗi không lường trước; không có gì được ghi. (RuntimeError)"
    assert not job.file and not os.path.exists(stored)
    assert not job.can_confirm


def test_the_same_job_imported_without_failure_writes_both_sheets(book, tree, people):
    job = _upload(book, people)
    assert services.import_job_confirm(job=job, acting_user=people.alice)
    services.import_job_run(job=job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert Organization.objects.get(code="N1").parent == tree.district
    assert Member.objects.get(code="DV-NEW-1").organization == tree.cell


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two transactions racing need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_confirmations_at_the_same_instant_import_once(book, tree, people, monkeypatch):
    from django.db import connections

    job = _upload(book, people)
    real = ImportJob.can_confirm

    def slow(self):
        answer = real.fget(self)
        time.sleep(0.5)  # both requests are inside the confirmation at once
        return answer

    monkeypatch.setattr(ImportJob, "can_confirm", property(slow))
    answers = []

    def confirm():
        try:
            answers.append(services.import_job_confirm(job=ImportJob.objects.get(pk=job.pk), acting_user=people.alice))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(answers) == [False, True]
