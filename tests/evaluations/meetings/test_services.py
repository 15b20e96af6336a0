"""Recording, self-assessing, appraising and reopening meetings; supervision scope."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cells.models import AuditEntry, Role
from cells.scoping import Action, forget_user_scope
from evaluations.meetings import services
from evaluations.meetings.models import Meeting, MeetingStatus, Presence, ThematicTopic
from evaluations.meetings.services.recording import AgendaLine, AppraisalChange
from tests.factories import UserFactory, assign

from .helpers import FULL, assign_supervisor, make_meeting, scored_meeting

pytestmark = pytest.mark.django_db


def test_ten_topic_groups_come_from_the_seed():
    assert ThematicTopic.objects.count() == 10


def test_a_cell_records_one_regular_meeting_per_month(tree, framework):
    make_meeting(tree.cell, date=datetime.date(2024, 3, 2))
    with pytest.raises(ValidationError) as exc:
        make_meeting(tree.cell, date=datetime.date(2024, 3, 20))
    assert "03/2024" in str(exc.value)
    make_meeting(tree.cell, date=datetime.date(2024, 3, 20), kind="thematic", topic=ThematicTopic.objects.first())


def test_attendance_from_the_roster_gives_the_counts(tree, framework, roster, people):
    presence = {m.pk: Presence.PRESENT for m in roster.cell}
    presence[roster.cell[0].pk] = Presence.EXCUSED
    presence[roster.cell[1].pk] = Presence.UNEXCUSED
    meeting = services.recording.meeting_create(
        organization=tree.cell,
        kind="regular",
        date=datetime.date(2024, 3, 2),
        attendance=presence,
        agenda=[AgendaLine("Nghị quyết tháng 3", 4, 0, 1)],
        acting_user=people.sue,
    )
    assert (meeting.members_total, meeting.members_present, meeting.members_excused, meeting.members_unexcused) == (
        5,
        3,
        1,
        1,
    )
    assert meeting.agenda.get().votes_for == 4
    assert meeting.framework == framework


def test_a_secretary_cannot_record_for_another_cell(tree, framework, people):
    with pytest.raises(PermissionDenied):
        services.recording.meeting_create(
            organization=tree.school, kind="regular", date=datetime.date(2024, 3, 2), acting_user=people.sue
        )


def test_self_assessment_gives_total_and_level(tree, framework, people):
    meeting = make_meeting(tree.cell)
    meeting = services.recording.meeting_self_assess(
        meeting=meeting, values={**FULL, "3.2": 15}, acting_user=people.sue
    )
    assert meeting.self_total == Decimal(95)
    assert meeting.self_level == "tot"
    assert meeting.final_total == Decimal(95)
    assert meeting.status == MeetingStatus.DRAFT


def test_a_key_item_short_of_full_marks_keeps_a_meeting_from_tot(tree, framework, people):
    meeting = scored_meeting(tree.cell, values={**FULL, "1.1": 9})
    assert meeting.final_total == Decimal(99)
    assert meeting.final_level == "kha"
    assert meeting.final_key_full is False


def test_appraisal_changes_an_item_with_a_reason_and_locks_the_meeting(tree, framework, people, sam_assigned):
    meeting = scored_meeting(tree.cell)
    with pytest.raises(ValidationError):
        services.recording.meeting_appraise(
            meeting=meeting, changes={"3.2": AppraisalChange(10, "")}, acting_user=people.sam
        )
    meeting = services.recording.meeting_appraise(
        meeting=meeting,
        changes={"3.2": AppraisalChange(10, "Ít đảng viên phát biểu"), "1.2": AppraisalChange(5, "")},
        acting_user=people.sam,
    )
    assert meeting.status == MeetingStatus.APPRAISED
    assert (meeting.self_total, meeting.final_total) == (Decimal(100), Decimal(90))
    assert meeting.final_level == "tot"
    score = meeting.scores.get(code="3.2")
    assert (score.self_points, score.appraised_points, score.reason) == (
        Decimal(20),
        Decimal(10),
        "Ít đảng viên phát biểu",
    )
    assert meeting.scores.get(code="1.2").appraised_points is None
    entry = AuditEntry.objects.filter(action="meeting.appraise").get()
    assert (
        entry.actor == people.sam and entry.before["scores"] == {"3.2": "20"} and entry.after["scores"] == {"3.2": "10"}
    )
    with pytest.raises(ValidationError):
        services.recording.meeting_self_assess(meeting=meeting, values=FULL, acting_user=people.sue)
    with pytest.raises(ValidationError):
        services.recording.meeting_update(meeting=meeting, subject="x", acting_user=people.sue)


def test_a_supervisor_not_assigned_to_the_cell_cannot_appraise(tree, framework, people, sam_assigned):
    meeting = scored_meeting(tree.school)
    with pytest.raises(PermissionDenied):
        services.recording.meeting_appraise(meeting=meeting, changes={}, acting_user=people.sam)


def test_staff_reopen_an_appraised_meeting_with_a_reason(tree, framework, people):
    meeting = scored_meeting(tree.cell)
    meeting = services.recording.meeting_appraise(meeting=meeting, changes={}, acting_user=people.alice)
    with pytest.raises(ValidationError):
        services.recording.meeting_reopen(meeting=meeting, reason=" ", acting_user=people.alice)
    with pytest.raises(PermissionDenied):
        services.recording.meeting_reopen(meeting=meeting, reason="Sai sót", acting_user=people.sue)
    meeting = services.recording.meeting_reopen(meeting=meeting, reason="Sai sót", acting_user=people.alice)
    assert meeting.status == MeetingStatus.SUBMITTED
    assert AuditEntry.objects.get(action="meeting.reopen").reason == "Sai sót"


def test_a_supervisor_role_alone_grants_nothing(tree, people):
    assert not Meeting.objects.for_user(people.sam, Action.VIEW).exists()
    from cells.models import Organization

    assert not Organization.objects.for_user(people.sam, Action.VIEW).exists()


def test_a_supervisor_sees_only_assigned_cells_directly_or_through_a_team(tree, framework, people):
    scored_meeting(tree.cell)
    scored_meeting(tree.school)
    assign_supervisor(tree.cell, people.sam)
    forget_user_scope(people.sam)
    assert list(Meeting.objects.for_user(people.sam, Action.APPRAISE).values_list("organization", flat=True)) == [
        tree.cell.pk
    ]
    # A team member holds a supervisor's role (leadership is never a supervisor: test_person_pickers.py).
    member = UserFactory(username="giamsat.to1")
    assign(member, tree.district, Role.SUPERVISOR)
    team = services.planning.supervision_team_create(
        owner=tree.district, name="Tổ 1", members=[member], acting_user=people.alice
    )
    services.planning.supervision_assign(
        organization=tree.school, team=team, valid_from=datetime.date(2024, 1, 1), acting_user=people.alice
    )
    forget_user_scope(member)
    assert Meeting.objects.for_user(member, Action.APPRAISE).get().organization == tree.school


def test_an_ended_assignment_no_longer_grants_scope(tree, framework, people):
    assignment = assign_supervisor(tree.cell, people.sam, valid_from=datetime.date(2020, 1, 1))
    services.planning.supervision_end(
        assignment=assignment, valid_to=datetime.date(2021, 1, 1), acting_user=people.alice
    )
    forget_user_scope(people.sam)
    assert not Meeting.objects.for_user(people.sam, Action.VIEW).exists()
    from cells.scoping import user_scope

    assert user_scope(people.sam, Action.VIEW).is_empty


def test_a_reopened_meeting_appraised_again_can_drop_an_earlier_change(tree, framework, people):
    meeting = scored_meeting(tree.cell)
    meeting = services.recording.meeting_appraise(
        meeting=meeting, changes={"3.2": AppraisalChange(10, "Chưa sôi nổi")}, acting_user=people.alice
    )
    meeting = services.recording.meeting_reopen(meeting=meeting, reason="Xem lại", acting_user=people.alice)
    meeting = services.recording.meeting_appraise(
        meeting=meeting, changes={"3.2": AppraisalChange(20)}, acting_user=people.alice
    )
    assert meeting.final_total == Decimal(100)
    assert meeting.scores.get(code="3.2").appraised_points is None
