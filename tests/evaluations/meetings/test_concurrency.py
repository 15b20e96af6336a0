"""Two people saving the same meeting or score at once: the second save is refused, nothing is lost.

The version check lives in the services (``expected_version``); the pages carry it in a hidden field.
The "one regular meeting per month" rule holds even when two submissions pass the form check together.
"""

import datetime
import threading
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from cells.concurrency import VersionConflict
from evaluations.meetings import services
from evaluations.meetings.models import Meeting, MeetingKind, MeetingStatus

from .helpers import FULL, make_meeting, scored_meeting

CONFLICT = "Người khác đã lưu"


@pytest.mark.django_db
def test_a_save_from_an_older_version_of_the_meeting_is_refused(tree, framework, people):
    meeting = make_meeting(tree.cell, subject="Sinh hoạt tháng 3")
    drawn = meeting.version
    services.recording.meeting_update(meeting=meeting, subject="Bản của người thứ nhất", acting_user=people.sue,
                                      expected_version=drawn)  # fmt: skip
    with pytest.raises(VersionConflict) as exc:
        services.recording.meeting_update(
            meeting=meeting, subject="Bản của người thứ hai", acting_user=people.sue, expected_version=drawn
        )
    assert exc.value.current_version == drawn + 1
    meeting.refresh_from_db()
    assert meeting.subject == "Bản của người thứ nhất"


@pytest.mark.django_db
def test_every_change_to_the_score_moves_the_version_on(tree, framework, people, sam_assigned):
    meeting = make_meeting(tree.cell)
    versions = [meeting.version]
    meeting = services.recording.meeting_self_assess(meeting=meeting, values=FULL, acting_user=people.sue)
    versions.append(meeting.version)
    meeting = services.recording.meeting_self_assess(meeting=meeting, values=FULL, submit=True, acting_user=people.sue)
    versions.append(meeting.version)
    meeting = services.recording.meeting_appraise(meeting=meeting, changes={}, acting_user=people.sam)
    versions.append(meeting.version)
    assert versions == [1, 2, 3, 4]
    assert Meeting.objects.get(pk=meeting.pk).version == 4


@pytest.mark.django_db
def test_an_appraisal_drawn_before_the_cell_changed_its_score_is_refused(tree, framework, people, sam_assigned):
    meeting = scored_meeting(tree.cell)
    drawn = meeting.version
    services.recording.meeting_self_assess(meeting=meeting, values={**FULL, "1.1": 5}, acting_user=people.sue)
    with pytest.raises(VersionConflict):
        services.recording.meeting_appraise(meeting=meeting, changes={}, acting_user=people.sam, expected_version=drawn)
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.SUBMITTED


def _edit_data(meeting, **overrides):
    data = {
        "kind": meeting.kind,
        "date": meeting.date.isoformat(),
        "subject": meeting.subject,
        "version": str(meeting.version),
        "agenda-TOTAL_FORMS": "0",
        "agenda-INITIAL_FORMS": "0",
        "agenda-MIN_NUM_FORMS": "0",
        "agenda-MAX_NUM_FORMS": "30",
    }
    return {**data, **overrides}


@pytest.mark.django_db
def test_the_second_editor_sees_the_message_and_keeps_what_they_typed(client, tree, framework, people):
    meeting = make_meeting(tree.cell, subject="Sinh hoạt tháng 3")
    url = reverse("evaluations:meetings:edit", args=[meeting.pk])
    client.force_login(people.sue)
    page = client.get(url).content.decode()
    assert 'name="version" value="1"' in page
    first = client.post(url, _edit_data(meeting, subject="Người thứ nhất sửa"))
    assert first.status_code == 302
    second = client.post(url, _edit_data(meeting, subject="Người thứ hai gõ rất nhiều chữ"))
    assert second.status_code == 200
    body = second.content.decode()
    assert CONFLICT in body
    assert 'value="Người thứ hai gõ rất nhiều chữ"' in body
    # The hidden field now holds the current version: saving again, knowingly, replaces the other save.
    assert 'name="version" value="2"' in body
    assert Meeting.objects.get(pk=meeting.pk).subject == "Người thứ nhất sửa"
    third = client.post(url, _edit_data(meeting, subject="Người thứ hai gõ rất nhiều chữ", version="2"))
    assert third.status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).subject == "Người thứ hai gõ rất nhiều chữ"


@pytest.mark.django_db
def test_a_score_page_drawn_before_another_save_keeps_the_typed_points(client, tree, framework, people):
    meeting = make_meeting(tree.cell)
    url = reverse("evaluations:meetings:assess", args=[meeting.pk])
    client.force_login(people.sue)
    assert 'name="version" value="1"' in client.get(url).content.decode()
    services.recording.meeting_self_assess(meeting=meeting, values=FULL, acting_user=people.sue)
    response = client.post(url, {"c_1_1": "7", "c_1_2": "4", "c_2_1": "18", "version": "1"})
    body = response.content.decode()
    assert response.status_code == 200 and CONFLICT in body
    assert 'value="7"' in body and 'value="18"' in body
    assert Meeting.objects.get(pk=meeting.pk).self_total == sum(FULL.values())


@pytest.mark.django_db
def test_a_lost_race_for_the_month_reads_as_the_month_message_not_a_server_error(tree, framework, people):
    """Both submissions passed the form check before either was saved: the constraint decides."""
    make_meeting(tree.cell, date=datetime.date(2024, 3, 2))
    # The checks ran before the other row was committed; after the refused insert they see that row.
    answers = iter([lambda *args: None, Meeting.taken_refusal])
    with (
        mock.patch.object(Meeting, "validate_constraints"),
        mock.patch.object(Meeting, "taken_refusal", side_effect=lambda *args: next(answers)(*args)),
        pytest.raises(ValidationError) as exc,
    ):
        make_meeting(tree.cell, date=datetime.date(2024, 3, 25))
    assert "03/2024" in str(exc.value.message_dict["date"])
    assert Meeting.objects.filter(organization=tree.cell, kind=MeetingKind.REGULAR).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_for_the_same_month_record_one_meeting(tree, framework, people):
    """Eight threads record the same cell's March meeting at once, each in its own connection."""
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def record(day: int):
        try:
            barrier.wait(timeout=10)
            make_meeting(tree.cell, date=datetime.date(2024, 3, day))
            outcomes.append("recorded")
        except ValidationError as exc:
            outcomes.append("refused" if "03/2024" in str(exc) else f"other: {exc}")
        except Exception as exc:  # noqa: BLE001 - any other failure is what the test is about
            outcomes.append(f"error: {exc!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=record, args=(day,)) for day in range(1, 9)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["recorded"] + ["refused"] * 7
    assert Meeting.objects.filter(organization=tree.cell, year=2024, month=3, kind=MeetingKind.REGULAR).count() == 1
