"""The demo of issue 24: the province's 2026 rubric (regular and thematic), the checklists, and meetings with
their facts, ticked checklists, minutes, votes and signed scans (found by role, not by name)."""

import pytest

from cells.demo import build_small_province, run_extensions
from cells.models import AuditEntry
from criteria.models import Criterion, Framework
from evaluations.meetings import minutes
from evaluations.meetings.minutes_models import PreparationStep, PreparationTick
from evaluations.meetings.models import Meeting
from tests.factories import ensure_migration_data
from tests.reports.pdftext import pdf_text


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    from tests.conftest import built_once

    def build():
        ensure_migration_data()  # a transactional test that ran before in this process flushed it
        context = build_small_province()
        run_extensions(context)
        return context

    with built_once(django_db_blocker, build) as context:
        yield context


def test_the_province_has_a_regular_and_a_thematic_2026_rubric_with_a_checklist(demo, db):
    regular, thematic = Framework.objects.get(code="SH-TK-2026"), Framework.objects.get(code="SH-CD-2026")
    assert (regular.meeting_kind, thematic.meeting_kind) == ("regular", "thematic")
    assert regular.owner == demo.province == thematic.owner
    assert regular.criteria.filter(code="3.1").get().title != thematic.criteria.filter(code="3.1").get().title
    assert Criterion.objects.get(framework=regular, code="2.1").measure == "attendance_percent"
    assert Criterion.objects.get(framework=thematic, code="4.3").bands == [["<=", "2", "5"]]
    documents = PreparationStep.objects.get(framework=regular, fact="documents_sent_on")
    assert documents.days_before == 1


def test_demo_meetings_carry_checklists_minutes_votes_and_a_signed_scan(demo, db):
    meetings = list(Meeting.objects.filter(framework__code__in=["SH-TK-2026", "SH-CD-2026"]).exclude(chair=None))
    assert len(meetings) >= 2
    assert {m.kind for m in meetings} == {"regular", "thematic"}
    for meeting in meetings:
        assert meeting.status == "submitted"
        assert PreparationTick.objects.filter(meeting=meeting).count() == 4
        assert meeting.minutes_file and meeting.place
        assert all(item.votes_for == meeting.members_present for item in meeting.agenda.all())
        assert AuditEntry.objects.filter(action="meeting.votes", object_id=str(meeting.pk)).exists()
    # Scored from the facts: documents 2 days before (5), duration 95 (10), speakers 60% (5), minutes a
    # day after (5), attendance 4 at 90% present or more, else 3 (one of 7 or more excused: 85.7% or more);
    # the rest typed full.
    for meeting in meetings:
        attendance = 4 if meeting.members_present * 100 >= 90 * meeting.members_total else 3
        expected = 96 + attendance
        assert meeting.self_total == expected, (meeting, meeting.members_excused, meeting.members_total)
    text = pdf_text(minutes.minutes_pdf(meetings[0]))
    assert "BIÊN BẢN" in text and meetings[0].chair.full_name in text
