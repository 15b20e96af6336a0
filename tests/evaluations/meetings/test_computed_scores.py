"""A 2025 rubric scored from the meeting's facts (WORKBOOK v3), through the services and the sheets: the
computed items follow the record, nobody types their points (page service or workbook), the appraiser
corrects a fact with a reason (audited) and the final total follows, and the ranking export reads it."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from openpyxl import load_workbook

from cells.models import AuditEntry
from cells.workbook.importer import run_import
from evaluations.meetings import services
from evaluations.meetings.models import Meeting, MeetingStatus
from evaluations.meetings.services.recording import AppraisalChange
from tests.workbook.conftest import make_book

from .helpers import GOOD_FACTS, make_meeting, make_rubric_2025

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 3, 10)


@pytest.fixture
def rubric_2025(tree):
    return make_rubric_2025(tree.province)


def _submitted(cell, points=60, **facts):
    meeting = make_meeting(cell, date=DAY, **{**GOOD_FACTS, **facts})
    return services.recording.meeting_self_assess(
        meeting=meeting, values={"2.2": points}, submit=True, acting_user=None
    )


def test_the_computed_items_are_scored_from_the_record(tree, rubric_2025):
    meeting = _submitted(tree.cell)
    # 25 computed + 10 (2.1 is for thematic meetings: a regular one counts it full) + 60 typed.
    assert (meeting.self_total, meeting.final_total, meeting.self_level, meeting.final_key_full) == (
        Decimal(95),
        Decimal(95),
        "tot",
        True,
    )


def test_a_thematic_meeting_scores_the_thematic_item_as_typed(tree, rubric_2025):
    from evaluations.meetings.models import ThematicTopic

    meeting = make_meeting(tree.cell, date=DAY, kind="thematic", topic=ThematicTopic.objects.first(), **GOOD_FACTS)
    meeting = services.recording.meeting_self_assess(
        meeting=meeting, values={"2.1": 4, "2.2": 60}, submit=False, acting_user=None
    )
    assert meeting.self_total == Decimal(89)


def test_nobody_types_the_points_of_a_computed_item(tree, rubric_2025, people):
    meeting = make_meeting(tree.cell, date=DAY, members_total=20, members_present=10)
    with pytest.raises(ValidationError) as exc:
        services.recording.meeting_self_assess(meeting=meeting, values={"1.1": 5}, acting_user=people.sue)
    assert "1.1" in exc.value.message_dict
    meeting.refresh_from_db()
    assert not meeting.scores.exists()


def test_a_fact_changed_on_the_record_moves_the_total(tree, rubric_2025, people):
    meeting = make_meeting(tree.cell, date=DAY, **GOOD_FACTS)
    services.recording.meeting_self_assess(meeting=meeting, values={"2.2": 60}, acting_user=people.sue)
    meeting.refresh_from_db()
    assert meeting.self_total == Decimal(95)
    # 5 of 19 spoke: 26.3%, below every band; the documents were never sent: 0 too.
    services.recording.meeting_update(meeting=meeting, acting_user=people.sue, members_spoke=5, documents_sent_on=None)
    meeting.refresh_from_db()
    assert (meeting.self_total, meeting.final_total) == (Decimal(85), Decimal(85))


def test_the_appraiser_corrects_a_fact_with_a_reason_and_the_final_total_follows(
    tree, rubric_2025, people, sam_assigned
):
    meeting = _submitted(tree.cell)
    with pytest.raises(ValidationError) as exc:
        services.recording.meeting_appraise(
            meeting=meeting, changes={}, facts={"members_present": AppraisalChange(17)}, acting_user=people.sam
        )
    assert "members_present" in exc.value.message_dict
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SUBMITTED and meeting.fact_corrections == {}

    reason = "Biên bản ghi 17 đồng chí có mặt"
    services.recording.meeting_appraise(
        meeting=meeting,
        changes={},
        facts={"members_present": AppraisalChange(17, reason), "duration_minutes": AppraisalChange(95, "")},
        acting_user=people.sam,
    )
    meeting.refresh_from_db()
    # 17 of 20 = 85%: 3 of 5 on the key attendance item; 10 of 17 spoke is still over half.
    assert (meeting.self_total, meeting.final_total) == (Decimal(95), Decimal(93))
    assert (meeting.final_level, meeting.final_key_full) == ("kha", False)
    assert meeting.members_present == 19  # the record stays as the cell made it
    assert meeting.fact_corrections == {"members_present": {"value": 17, "reason": reason}}
    entry = AuditEntry.objects.filter(action="meeting.appraise").latest("pk")
    assert (entry.before["members_present"], entry.after["members_present"]) == (19, 17)
    assert "duration_minutes" not in entry.after  # typed again as recorded: no change
    assert entry.after["fact_reasons"].endswith(f": {reason}")
    assert entry.actor_id == people.sam.pk


def test_an_impossible_correction_is_refused(tree, rubric_2025, people, sam_assigned):
    meeting = _submitted(tree.cell)
    with pytest.raises(ValidationError) as exc:
        services.recording.meeting_appraise(
            meeting=meeting,
            changes={},
            facts={
                "members_present": AppraisalChange(21, "x"),
                "minutes_filed_on": AppraisalChange(datetime.date(2024, 3, 9), "x"),
                "duration_minutes": AppraisalChange("chín mươi", "x"),
            },
            acting_user=people.sam,
        )
    assert set(exc.value.message_dict) == {"members_present", "minutes_filed_on", "duration_minutes"}


def test_a_reopened_meeting_appraised_back_to_the_record_drops_the_correction(tree, rubric_2025, people, sam_assigned):
    meeting = _submitted(tree.cell)
    services.recording.meeting_appraise(
        meeting=meeting,
        changes={},
        facts={"duration_minutes": AppraisalChange(70, "Chỉ 70 phút")},
        acting_user=people.sam,
    )
    meeting.refresh_from_db()
    assert meeting.final_total == Decimal(93)  # 70 minutes: 3 of 5
    services.recording.meeting_reopen(meeting=meeting, reason="Xem lại", acting_user=people.alice)
    services.recording.meeting_appraise(
        meeting=meeting, changes={}, facts={"duration_minutes": AppraisalChange(95)}, acting_user=people.sam
    )
    meeting.refresh_from_db()
    assert (meeting.fact_corrections, meeting.final_total) == ({}, Decimal(95))


# --- Workbooks ------------------------------------------------------------------------------------

MEETINGS_V3 = [
    [
        "org_code",
        "date",
        "kind",
        "framework_code",
        "members_total",
        "members_present",
        "duration_minutes",
        "members_spoke",
        "documents_sent_on",
        "minutes_filed_on",
    ],  # fmt: skip
    ["C1", "10/03/2024", "regular", "SH-2025", 20, 17, 95, 10, "08/03/2024", "2024-03-15"],
]


def test_a_v3_meetings_sheet_brings_the_facts_and_the_ranking_reads_the_computed_total(
    tmp_path, tree, people, rubric_2025
):
    scores = [
        ["org_code", "date", "kind", "criterion_code", "self_points"],
        ["C1", "10/03/2024", "regular", "2.2", 60],
    ]
    path = make_book(tmp_path / "v3.xlsx", {"meetings": MEETINGS_V3, "meeting_scores": scores})
    result = run_import(path, user=people.alice)
    assert result.ok, result.errors
    meeting = Meeting.objects.get(organization=tree.cell)
    assert (meeting.members_spoke, meeting.documents_sent_on, meeting.minutes_filed_on) == (
        10,
        datetime.date(2024, 3, 8),
        datetime.date(2024, 3, 15),
    )
    # 85% present → 3; 95 min → 5; 10/17 spoke → 5; 2 days before → 5; 5 days after → 3: 21 + 10 + 60 = 91,
    # but the key attendance item is short: Khá.
    assert (meeting.self_total, meeting.final_total, meeting.final_level, meeting.status) == (
        Decimal(91),
        Decimal(91),
        "kha",
        MeetingStatus.SUBMITTED,
    )
    target = tmp_path / "ranking.xlsx"
    call_command("export_workbook", "--sheet", "ranking", "--org", "D1", "--period", "2024-03", "-o", str(target))
    rows = list(load_workbook(target)["ranking"].values)
    assert rows[1][0] == "C1" and rows[1][6:] == (91, "kha", 1)
    again = run_import(path, user=people.alice)
    assert again.ok and all(s.created == s.updated == 0 for s in again.sheets)


def test_a_score_row_for_a_computed_item_is_an_error_and_nothing_is_written(tmp_path, tree, people, rubric_2025):
    scores = [
        ["org_code", "date", "kind", "criterion_code", "self_points"],
        ["C1", "10/03/2024", "regular", "2.2", 60],
        ["C1", "10/03/2024", "regular", "1.1", 5],
    ]
    path = make_book(tmp_path / "v3.xlsx", {"meetings": MEETINGS_V3, "meeting_scores": scores})
    result = run_import(path, user=people.alice)
    assert not result.ok
    [error] = result.errors
    assert (error.sheet, error.row, error.column) == ("meeting_scores", 3, "criterion_code")
    assert "1.1" in error.message
    assert not Meeting.objects.exists()


def test_a_v3_meetings_sheet_refuses_impossible_facts(tmp_path, tree, people, rubric_2025):
    rows = [MEETINGS_V3[0], ["C1", "10/03/2024", "regular", "SH-2025", 20, 17, 95, 18, "11/03/2024", "2024-03-09"]]
    result = run_import(make_book(tmp_path / "bad.xlsx", {"meetings": rows}), user=people.alice)
    assert not result.ok
    assert {e.column for e in result.errors} == {"members_spoke", "documents_sent_on", "minutes_filed_on"}
    assert not Meeting.objects.exists()


def test_the_checklist_and_the_signed_minutes_move_the_computed_items(tree, rubric_2025):
    from django.core.files.base import ContentFile

    step = services.minutes.preparation_step_save(
        framework=rubric_2025, title="Gửi tài liệu", fact="documents_sent_on", days_before=1, acting_user=None
    )
    facts = {**GOOD_FACTS, "documents_sent_on": None, "minutes_filed_on": None}
    meeting = make_meeting(tree.cell, date=DAY, **facts)
    meeting = services.recording.meeting_self_assess(meeting=meeting, values={"2.2": 60}, acting_user=None)
    assert meeting.self_total == Decimal(85)  # neither documents (1.4) nor minutes (1.5) recorded: 0 each
    services.minutes.meeting_preparation_save(
        meeting=meeting, done={step.pk: datetime.date(2024, 3, 9)}, acting_user=None
    )
    meeting.refresh_from_db()
    assert (meeting.self_total, meeting.final_total) == (Decimal(90), Decimal(90))
    services.minutes.meeting_signed_minutes_attach(
        meeting=meeting,
        upload=ContentFile(b"%PDF-1.4\n% bien ban\n", name="bien-ban.pdf"),
        filed_on=datetime.date(2024, 3, 14),  # 4 days after: the second band, 3 points
        acting_user=None,
    )
    meeting.refresh_from_db()
    assert (meeting.self_total, meeting.final_total) == (Decimal(93), Decimal(93))
