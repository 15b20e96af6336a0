"""Meeting figures kept on write (evaluations/meetings/services/summaries.py): each service keeps them equal to
a recomputation from the meetings; a move of the tree moves them; the version moves with them."""

import datetime

from cells import services as cell_services
from cells.summaries import rebuild_all
from evaluations.meetings import services
from evaluations.meetings.services.recording import AppraisalChange
from evaluations.meetings.services.summaries import figures_version
from evaluations.meetings.summary_models import MeetingMonthFigures, SubtreeMonthFigures

from .helpers import make_meeting, scored_meeting
from .summary_check import assert_summaries_match, stored_rows


def test_each_service_keeps_the_figures(tree, people, framework):
    meeting = make_meeting(tree.cell, date=datetime.date(2024, 3, 10))
    assert_summaries_match()
    meeting = services.recording.meeting_self_assess(
        meeting=meeting, values={"1.1": 10, "2.1": 12}, submit=False, acting_user=None
    )
    assert_summaries_match()
    meeting = services.recording.meeting_self_assess(meeting=meeting, values={"3.1": 25}, submit=True, acting_user=None)
    assert_summaries_match()
    meeting = services.recording.meeting_appraise(
        meeting=meeting, changes={"2.1": AppraisalChange(5, "too few")}, acting_user=people.alice
    )
    assert_summaries_match()
    services.recording.meeting_reopen(meeting=meeting, reason="again", acting_user=people.alice)
    assert_summaries_match()
    scored_meeting(tree.school, date=datetime.date(2024, 4, 2))
    services.recording.meeting_update(
        meeting=make_meeting(tree.other_cell), date=datetime.date(2024, 5, 3), acting_user=None
    )
    assert_summaries_match()
    assert MeetingMonthFigures.objects.exists() and SubtreeMonthFigures.objects.filter(committee=tree.province).exists()


def test_a_move_moves_the_figures_and_the_versions(tree, people, framework):
    scored_meeting(tree.cell, date=datetime.date(2024, 3, 10))
    scored_meeting(tree.cell, date=datetime.date(2024, 9, 10))
    district, other = figures_version(tree.district, 2024), figures_version(tree.other_district, 2024)
    cell_services.organization_move(
        organization=tree.cell,
        new_parent=tree.other_grassroots,
        effective_on=datetime.date(2024, 7, 1),
        acting_user=None,
    )
    assert_summaries_match()
    assert figures_version(tree.district, 2024) != district and figures_version(tree.other_district, 2024) != other


def test_the_rebuild_gives_the_same_rows(tree, people, framework):
    scored_meeting(tree.cell, date=datetime.date(2024, 3, 10))
    scored_meeting(tree.school, date=datetime.date(2024, 3, 11), submit=False)
    kept = stored_rows()
    before = figures_version(tree.province, 2024)
    rebuild_all()
    assert stored_rows() == kept
    assert figures_version(tree.province, 2024) != before
