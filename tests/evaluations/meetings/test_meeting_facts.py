"""The meeting facts a 2025 rubric scores from (WORKBOOK v3): who spoke, documents sent, minutes filed, and
attendance counted from the roster with the exempt members left out."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from evaluations.meetings import services
from evaluations.meetings.forms import MeetingForm
from evaluations.meetings.models import Presence
from tests.factories import MemberFactory

from .helpers import make_meeting

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 3, 10)


def test_exempt_members_are_left_out_of_every_count(tree, framework, people):
    members = [MemberFactory(organization=tree.cell) for _ in range(4)]
    exempt = [MemberFactory(organization=tree.cell, exempt=True) for _ in range(2)]
    presence = {m.pk: Presence.PRESENT for m in members}
    presence[members[0].pk] = Presence.UNEXCUSED
    presence[exempt[0].pk] = Presence.EXCUSED
    presence[exempt[1].pk] = Presence.PRESENT
    meeting = services.recording.meeting_create(
        organization=tree.cell, kind="regular", date=DAY, attendance=presence, members_spoke=2, acting_user=people.sue
    )
    # 4 expected (2 exempt left out), 3 present, 1 absent without leave; every row is kept for the minutes.
    assert (meeting.members_total, meeting.members_present, meeting.members_excused, meeting.members_unexcused) == (
        4,
        3,
        0,
        1,
    )
    assert meeting.attendance.count() == 6
    assert meeting.members_spoke == 2


def test_the_facts_are_kept_and_changed_with_the_record(tree, framework, people):
    meeting = make_meeting(
        tree.cell,
        date=DAY,
        members_total=10,
        members_present=9,
        members_spoke=5,
        documents_sent_on=DAY - datetime.timedelta(days=2),
        minutes_filed_on=DAY + datetime.timedelta(days=1),
    )
    meeting.refresh_from_db()
    assert (meeting.members_spoke, meeting.documents_sent_on, meeting.minutes_filed_on) == (
        5,
        datetime.date(2024, 3, 8),
        datetime.date(2024, 3, 11),
    )
    services.recording.meeting_update(meeting=meeting, acting_user=people.sue, members_spoke=6)
    meeting.refresh_from_db()
    assert meeting.members_spoke == 6


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"members_present": 4, "members_spoke": 5}, "members_spoke"),
        ({"documents_sent_on": DAY + datetime.timedelta(days=1)}, "documents_sent_on"),
        ({"minutes_filed_on": DAY - datetime.timedelta(days=1)}, "minutes_filed_on"),
    ],
)
def test_impossible_facts_are_refused_with_their_field(tree, framework, fields, field):
    with pytest.raises(ValidationError) as exc:
        make_meeting(tree.cell, date=DAY, members_total=10, **fields)
    assert field in exc.value.message_dict


def test_facts_on_the_day_itself_are_accepted(tree, framework):
    meeting = make_meeting(
        tree.cell,
        date=DAY,
        members_total=5,
        members_present=5,
        members_spoke=5,
        documents_sent_on=DAY,
        minutes_filed_on=DAY,
    )
    assert meeting.pk


def test_the_form_refuses_documents_sent_after_the_meeting(tree, framework):
    form = MeetingForm(
        {
            "kind": "regular",
            "date": "10/03/2024",
            "documents_sent_on": "11/03/2024",
            "minutes_filed_on": "09/03/2024",
            "members_spoke": "3",
        },
        cell=tree.cell,
        supervisors=get_user_model().objects.none(),
    )
    assert not form.is_valid()
    assert "documents_sent_on" in form.errors
    assert "minutes_filed_on" in form.errors
