"""The meeting pages through the test client: record, score live, submit, appraise, rank."""

import datetime

import pytest
from django.urls import reverse

from evaluations.meetings.models import Meeting, MeetingStatus, Presence

from .helpers import FULL, scored_meeting

pytestmark = pytest.mark.django_db


def _score_post(prefix, values, **extra):
    return {f"{prefix}_{code.replace('.', '_')}": value for code, value in values.items()} | extra


def test_secretary_records_scores_and_submits_a_meeting(client, tree, people, roster, framework):
    client.force_login(people.sue)
    url = reverse("evaluations:meetings:create", args=[tree.cell.pk])
    page = client.get(url)
    assert roster.cell[0].full_name in page.content.decode()
    data = {
        "kind": "regular",
        "date": "2024-03-05",
        "duration_minutes": "90",
        "agenda-TOTAL_FORMS": "2",
        "agenda-INITIAL_FORMS": "0",
        "agenda-0-title": "Nghị quyết tháng 3",
        "agenda-0-votes_for": "4",
        "agenda-0-votes_against": "0",
        "agenda-0-votes_abstain": "0",
        f"presence_{roster.cell[0].pk}": Presence.EXCUSED,
    }
    response = client.post(url, data)
    meeting = Meeting.objects.get()
    assert response.url == reverse("evaluations:meetings:assess", args=[meeting.pk])
    assert (meeting.members_total, meeting.members_present, meeting.members_excused) == (5, 4, 1)
    again = client.post(url, data)
    assert "03/2024" in again.content.decode() and Meeting.objects.count() == 1

    preview = client.post(reverse("evaluations:meetings:preview", args=[meeting.pk, "c"]), _score_post("c", FULL))
    assert "100" in preview.content.decode() and "Tốt" in preview.content.decode()

    assess = reverse("evaluations:meetings:assess", args=[meeting.pk])
    client.post(assess, _score_post("c", {**FULL, "3.2": 15}, submit="1"))
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SUBMITTED and meeting.self_total == 95


def test_supervisor_appraises_with_a_reason_and_the_ranking_shows_it(client, tree, people, framework, sam_assigned):
    meeting = scored_meeting(tree.cell, date=datetime.date(2024, 3, 5))
    client.force_login(people.sam)
    queue = client.get(reverse("evaluations:meetings:queue"))
    assert tree.cell.name in queue.content.decode()
    url = reverse("evaluations:meetings:appraise", args=[meeting.pk])
    refused = client.post(url, _score_post("a", {**FULL, "3.2": 10}))
    assert refused.status_code == 200
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SUBMITTED
    client.post(url, _score_post("a", {**FULL, "3.2": 10}, r_3_2="Thảo luận chưa sôi nổi"))
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.APPRAISED and meeting.final_total == 90

    client.force_login(people.alice)
    page = client.get(reverse("evaluations:meetings:ranking"), {"org": tree.district.pk, "period": "2024-03"})
    body = page.content.decode()
    assert tree.cell.name in body and "90,00" in body
    export = client.get(
        reverse("evaluations:meetings:ranking"), {"org": tree.district.pk, "period": "2024-03", "export": "xlsx"}
    )
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_supervisor_gets_404_on_a_cell_not_assigned(client, tree, people, framework, sam_assigned):
    meeting = scored_meeting(tree.school)
    client.force_login(people.sam)
    assert client.get(reverse("evaluations:meetings:appraise", args=[meeting.pk])).status_code == 404
    assert client.get(reverse("evaluations:meetings:detail", args=[meeting.pk])).status_code == 404


def test_a_secretary_cannot_appraise_her_own_meeting(client, tree, people, framework):
    meeting = scored_meeting(tree.cell)
    client.force_login(people.sue)
    assert client.get(reverse("evaluations:meetings:appraise", args=[meeting.pk])).status_code == 404


def test_the_meeting_form_shows_the_months_guidance(client, tree, people, framework):
    from evaluations.meetings import services

    today = datetime.date.today()
    services.planning.guidance_issue(
        organization=tree.grassroots,
        year=today.year,
        month=today.month,
        title="Định hướng",
        body="Nội dung",
        acting_user=people.alice,
    )
    client.force_login(people.sue)
    page = client.get(reverse("evaluations:meetings:create", args=[tree.cell.pk]))
    assert "Định hướng" in page.content.decode()


def test_meeting_list_takes_a_fixed_number_of_queries(client, tree, people, framework, django_assert_max_num_queries):
    for month in range(1, 7):
        scored_meeting(tree.cell, date=datetime.date(2024, month, 5))
    client.force_login(people.alice)
    with django_assert_max_num_queries(13):  # 12 for the list, 1 for the notification bell
        client.get(reverse("evaluations:meetings:list"), {"year": 2024})


def test_minutes_files_are_private_and_served_only_in_scope(client, tree, people, framework, sam_assigned):
    from django.core.files.base import ContentFile

    from .helpers import make_meeting

    meeting = make_meeting(
        tree.cell, minutes_file=ContentFile(b"%PDF-1.4\n" + "Biên bản".encode(), name="bien-ban.pdf")
    )
    assert meeting.minutes_file.url is None or "private-not-served" in str(meeting.minutes_file.storage.base_url)
    url = reverse("evaluations:meetings:minutes", args=[meeting.pk])
    client.force_login(people.sam)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4\n" + "Biên bản".encode()
    client.force_login(people.charlie)
    assert client.get(url).status_code == 404


def test_staff_reopen_a_meeting_through_the_page(client, tree, people, framework):
    from evaluations.meetings import services

    meeting = services.recording.meeting_appraise(meeting=scored_meeting(tree.cell), changes={}, acting_user=None)
    client.force_login(people.alice)
    url = reverse("evaluations:meetings:reopen", args=[meeting.pk])
    assert client.post(url, {"reason": ""}).status_code == 200
    client.post(url, {"reason": "Chi bộ đề nghị xem lại"})
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SUBMITTED
    client.force_login(people.sue)
    assert client.get(url).status_code == 404
