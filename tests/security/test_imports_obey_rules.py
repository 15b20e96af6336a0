"""Every sheet goes through the rights and checks of the pages (WORKBOOK.md sheets, cells/rights.py)."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType

from cells.models import AuditEntry
from cells.workbook.importer import run_import
from cells.workbook.writer import WorkbookWriter
from criteria.models import FrameworkStatus
from evaluations.campaigns.models import AnnualAnswer, Campaign, Registration, RegistrationStatus
from evaluations.meetings import services
from evaluations.meetings.models import Meeting, MeetingScore, MeetingStatus
from tests.evaluations.campaigns import builders
from tests.evaluations.meetings.helpers import FULL, assign_supervisor, make_framework

pytestmark = pytest.mark.django_db
SCORE_HEADER = ["org_code", "date", "kind", "criterion_code", "self_points", "appraised_points"]


def _scores_book(path, rows):
    book = WorkbookWriter()
    book.sheet("meeting_scores").extend(rows)
    book.save(path)
    return path


@pytest.fixture
def submitted(tree):
    make_framework(tree.province)
    meeting = services.recording.meeting_create(
        organization=tree.cell, kind="regular", date=datetime.date(2024, 3, 5), acting_user=None
    )
    return services.recording.meeting_self_assess(meeting=meeting, values=FULL, submit=True, acting_user=None)


def test_meeting_scores_may_not_change_an_appraised_meeting(tmp_path, tree, people, submitted):
    services.recording.meeting_appraise(meeting=submitted, changes={}, acting_user=None)
    result = run_import(
        _scores_book(tmp_path / "s.xlsx", [["C1", "05/03/2024", "regular", "1.1", 2, None]]), user=people.alice
    )
    assert [e.column for e in result.errors] == ["self_points"]
    assert "locked" in result.errors[0].message or "khóa" in result.errors[0].message
    assert MeetingScore.objects.get(meeting=submitted, code="1.1").self_points == 10


def test_a_secretary_cannot_import_appraised_values(tmp_path, tree, people, submitted):
    result = run_import(
        _scores_book(tmp_path / "s.xlsx", [["C1", "05/03/2024", "regular", "1.1", 10, 3]]), user=people.sue
    )
    assert [e.column for e in result.errors] == ["appraised_points"]
    assert Meeting.objects.get(pk=submitted.pk).status == MeetingStatus.SUBMITTED


def test_an_imported_appraisal_records_who_appraised_and_audits_before_and_after(tmp_path, tree, people, submitted):
    assign_supervisor(tree.cell, people.sam)
    result = run_import(
        _scores_book(tmp_path / "s.xlsx", [["C1", "05/03/2024", "regular", "1.1", 10, 3]]), user=people.sam
    )
    assert result.ok, result.errors
    meeting = Meeting.objects.get(pk=submitted.pk)
    assert (meeting.status, meeting.appraised_by) == (MeetingStatus.APPRAISED, people.sam)
    # The appraise page's own service wrote it: one audit entry, with the reason the import gives.
    entry = AuditEntry.objects.get(action="meeting.appraise")
    assert entry.before["scores"]["1.1"] == "10" and entry.after["scores"]["1.1"] == "3"
    assert (entry.before["total"], entry.after["total"]) == ("100", "93")
    assert entry.reason and entry.actor == people.sam


def _registrations_book(path, status):
    book = WorkbookWriter()
    book.sheet("registrations").extend([["KH-2024", "C1", None, status]])
    book.save(path)
    return path


def test_registrations_may_not_change_a_decided_registration(tmp_path, tree, people):
    campaign = builders.campaign(tree)
    registration = builders.participant(campaign, tree.cell, status=RegistrationStatus.REJECTED)
    result = run_import(_registrations_book(tmp_path / "r.xlsx", "approved"), user=people.alice)
    assert [e.column for e in result.errors] == ["status"]
    assert Registration.objects.get(pk=registration.pk).status == RegistrationStatus.REJECTED


def _campaign_book(path, framework_code):
    book = WorkbookWriter()
    book.sheet("campaigns").extend([["KH-NEW", "Kế hoạch mới", "D1", framework_code, 2024, "25/02/2024"]])
    book.save(path)
    return path


def test_framework_codes_resolve_only_to_frameworks_the_importer_may_see(tmp_path, tree, people):
    builders.four_good_framework(tree.other_district, code="4T-OTHER")
    result = run_import(_campaign_book(tmp_path / "c.xlsx", "4T-OTHER"), user=people.alice)
    assert [e.column for e in result.errors] == ["framework_code"]
    assert not Campaign.objects.filter(code="KH-NEW").exists()


def test_a_campaign_may_only_use_a_published_framework(tmp_path, tree, people):
    framework = builders.four_good_framework(tree.district, code="4T-DRAFT")
    framework.status = FrameworkStatus.DRAFT
    framework.save()
    result = run_import(_campaign_book(tmp_path / "c.xlsx", "4T-DRAFT"), user=people.alice)
    assert [e.column for e in result.errors] == ["framework_code"]
    assert "published" in result.errors[0].message or "ban hành" in result.errors[0].message


def test_a_meeting_may_only_use_a_published_framework(tmp_path, tree, people):
    framework = make_framework(tree.province, code="SH-DRAFT")
    framework.status = FrameworkStatus.DRAFT
    framework.save()
    book = WorkbookWriter()
    book.sheet("meetings").extend([["C1", "05/03/2024", "regular", "SH-DRAFT"]])
    book.save(tmp_path / "m.xlsx")
    result = run_import(tmp_path / "m.xlsx", user=people.alice)
    assert [e.column for e in result.errors] == ["framework_code"]
    assert not Meeting.objects.exists()


def test_every_imported_annual_answer_is_audited_with_before_and_after(tmp_path, tree, people):
    campaign = builders.campaign(tree)
    builders.participant(campaign, tree.cell)
    book = WorkbookWriter()
    book.sheet("annual_results").extend([["KH-2024", "C1", "1.1", None, "có"], ["KH-2024", "C1", "1.2", None, "có"]])
    book.save(tmp_path / "a.xlsx")
    assert run_import(tmp_path / "a.xlsx", user=people.alice).ok
    # The self-assessment page's own service wrote them: one entry per answer, as a page save would.
    entries = AuditEntry.objects.filter(
        action="annual.self", content_type=ContentType.objects.get_for_model(AnnualAnswer)
    )
    assert entries.count() == 2
    assert {e.after["self_achieved"] for e in entries} == {True}
    assert all(e.before["self_achieved"] is None for e in entries)
    assert all(e.actor == people.alice for e in entries)
