"""Supervision summary, guidance up and down the tree, model meetings and thematic plans."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cells.periods import Period
from evaluations.meetings import services
from evaluations.meetings.models import ThematicTopic
from evaluations.meetings.selectors import (
    guidance_consolidated,
    guidance_for_cell,
    supervision_summary,
    thematic_compliance,
)

from .helpers import make_meeting, scored_meeting

pytestmark = pytest.mark.django_db


def test_the_quarter_supervision_summary_counts_attended_appraised_and_waiting(
    tree, people, framework, sam_assigned, django_assert_num_queries
):
    services.recording.meeting_appraise(
        meeting=scored_meeting(tree.cell, date=datetime.date(2024, 1, 5), attending_supervisor=people.sam),
        changes={},
        acting_user=people.sam,
    )
    scored_meeting(tree.cell, date=datetime.date(2024, 2, 5))
    # The root's intervals, the assignments, the meetings per cell, the cells' names (and a team's members
    # when an assignment is a team's: none here).
    with django_assert_num_queries(4):
        rows = supervision_summary(tree.district, Period.parse("2024-Q1"))
    [row] = rows
    assert (row.cell_name, row.meetings, row.attended, row.appraised, row.waiting) == (tree.cell.name, 2, 1, 1, 1)
    assert supervision_summary(tree.other_district, Period.parse("2024-Q1")) == []


def test_a_team_must_belong_to_a_committee_above_the_cell(tree, people):
    team = services.planning.supervision_team_create(
        owner=tree.other_district, name="Tổ huyện", members=[people.charlie], acting_user=people.charlie
    )
    with pytest.raises(PermissionDenied):
        services.planning.supervision_assign(
            organization=tree.cell, team=team, valid_from=datetime.date(2024, 1, 1), acting_user=people.charlie
        )


def test_guidance_goes_down_to_the_cells_and_up_to_the_committee_above(tree, people):
    services.planning.guidance_issue(
        organization=tree.grassroots, year=2024, month=3, title="Tháng 3", body="Nội dung", acting_user=people.alice
    )
    services.planning.guidance_issue(
        organization=tree.other_grassroots, year=2024, month=3, title="Xã Hai", body="...", acting_user=people.charlie
    )
    assert [g.title for g in guidance_for_cell(tree.cell, 2024, 3)] == ["Tháng 3"]
    assert [g.title for g in guidance_consolidated(people.alice, tree.district, 2024)] == ["Tháng 3"]
    assert [g.title for g in guidance_consolidated(people.charlie, tree.province, 2024)] == ["Xã Hai"]
    with pytest.raises(ValidationError):
        services.planning.guidance_issue(
            organization=tree.cell, year=2024, month=3, title="x", body="x", acting_user=people.alice
        )


def test_a_model_meeting_is_designated_held_and_rated_on_its_kinds_rubric(tree, people, framework):
    designation = services.planning.designation_create(
        organization=tree.cell,
        designated_by=tree.grassroots,
        year=2024,
        quarter=1,
        kind="thematic",
        invitees="Bí thư các chi bộ",
        acting_user=people.alice,
    )
    meeting = make_meeting(
        tree.cell, kind="model", designation=designation, lessons_learned="Chuẩn bị kỹ", date=datetime.date(2024, 2, 1)
    )
    assert meeting.framework == framework and meeting.designation == designation


def test_thematic_compliance_shows_quarters_without_a_thematic_meeting(tree, people, framework):
    topic = ThematicTopic.objects.first()
    make_meeting(tree.cell, kind="thematic", topic=topic, date=datetime.date(2024, 2, 10))
    services.planning.thematic_plan_add(
        organization=tree.cell, year=2024, quarter=2, topic=topic, acting_user=people.sue
    )
    rows = {r.code: r for r in thematic_compliance(tree.grassroots, 2024, today=datetime.date(2024, 8, 1))}
    assert rows[tree.cell.code].held == [1, 0, 0, 0]
    assert rows[tree.cell.code].planned == [0, 1, 0, 0]
    assert rows[tree.cell.code].missing == [2, 3]
    assert rows[tree.school.code].missing == [1, 2, 3]
