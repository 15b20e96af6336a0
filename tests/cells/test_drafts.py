"""The marker a successful save sends so the browser drops the form's draft (cells/drafts.py)."""

import datetime

import pytest

from cells.drafts import SAVED_COOKIE, draft_key
from evaluations.meetings.models import Meeting
from tests.evaluations.meetings.helpers import make_framework

pytestmark = pytest.mark.django_db


def test_recording_a_meeting_marks_its_draft_saved(client, tree, people, roster):
    make_framework(tree.province)
    client.force_login(people.sue)
    day = datetime.date.today() - datetime.timedelta(days=1)
    response = client.post(
        f"/evaluations/meetings/record/{tree.cell.pk}/",
        {"kind": "regular", "date": day.isoformat(), "agenda-TOTAL_FORMS": "0", "agenda-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 302, response.content[:2000]
    assert Meeting.objects.count() == 1
    assert response.cookies[SAVED_COOKIE].value == draft_key(people.sue, "meeting-new", tree.cell)


def test_a_refused_save_keeps_the_draft(client, tree, people, roster):
    client.force_login(people.sue)
    response = client.post(
        f"/evaluations/meetings/record/{tree.cell.pk}/",
        {"kind": "thematic", "date": "not a date", "agenda-TOTAL_FORMS": "0", "agenda-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 200
    assert SAVED_COOKIE not in response.cookies
    assert f'data-draft="{draft_key(people.sue, "meeting-new", tree.cell)}"' in response.content.decode()


def test_keys_name_user_form_and_object(tree, people):
    assert draft_key(people.sue, "score", 7) == f"chibo:draft:{people.sue.pk}:score:7"
    assert draft_key(people.sam, "score", 7) != draft_key(people.sue, "score", 7)


def test_the_same_draft_sent_twice_records_one_meeting(client, tree, people, roster):
    """A resend after the answer was lost (or a double tap) finds the meeting the first send recorded."""
    make_framework(tree.province)
    client.force_login(people.sue)
    day = datetime.date.today() - datetime.timedelta(days=1)
    post = {
        "kind": "thematic",
        "topic": "",
        "date": day.isoformat(),
        "client_key": "draft-7f3a",
        "agenda-TOTAL_FORMS": "0",
        "agenda-INITIAL_FORMS": "0",
    }
    from evaluations.meetings.models import ThematicTopic

    post["topic"] = ThematicTopic.objects.create(code="t1", title="Chủ đề").pk
    first = client.post(f"/evaluations/meetings/record/{tree.cell.pk}/", post)
    second = client.post(f"/evaluations/meetings/record/{tree.cell.pk}/", post)
    meeting = Meeting.objects.get()  # the key finds it before the one-meeting-a-day-and-kind rule refuses
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == f"/evaluations/meetings/{meeting.pk}/assess/"
    assert meeting.client_key == "draft-7f3a"
    # Another draft is another meeting: on another day it is recorded; on the same day (one thematic
    # meeting a day) the form says so.
    same_day = client.post(f"/evaluations/meetings/record/{tree.cell.pk}/", {**post, "client_key": "draft-other"})
    assert same_day.status_code == 200 and f"{day:%d/%m/%Y}" in same_day.content.decode()
    earlier = (day - datetime.timedelta(days=1)).isoformat()
    other = client.post(
        f"/evaluations/meetings/record/{tree.cell.pk}/", {**post, "client_key": "draft-other", "date": earlier}
    )
    assert other.status_code == 302 and Meeting.objects.count() == 2
