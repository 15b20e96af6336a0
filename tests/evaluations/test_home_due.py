"""The home page says what is due: for the secretary, this month's meeting in each of its states, the
quarter's thematic meeting, campaign deadlines with the days left, the month's guidance; for the
supervisor, the queue with how long each meeting has waited. Notifications are rows under the bell."""

import datetime

import pytest
from django.utils import timezone

from cells.models import Notification
from evaluations.campaigns import notices
from evaluations.campaigns.models import RegistrationStatus
from evaluations.campaigns.services.registration import registration_decide
from evaluations.meetings import services
from evaluations.meetings.models import ContentGuidance, MeetingStatus
from tests.evaluations.campaigns import builders
from tests.evaluations.meetings.helpers import FULL, assign_supervisor, make_framework, make_meeting, scored_meeting

pytestmark = pytest.mark.django_db
# Session, user, roles, the bell, the existing panels, and what is due (cells, meetings, plan, guidance,
# campaigns, registrations): the same for any number of meetings.
QUERIES_SECRETARY_HOME = 13


@pytest.fixture
def setting(tree, people, roster):
    make_framework(tree.province)
    assign_supervisor(tree.cell, people.sam)
    return tree


def home(client, user) -> str:
    client.force_login(user)
    page = client.get("/")
    assert page.status_code == 200
    return page.content.decode()


def due_state(page: str) -> str:
    return page.split('data-due-meeting="', 1)[1].split('"', 1)[0]


def test_not_recorded_the_secretary_is_asked_to_record_and_the_supervisor_has_nothing(client, setting, people):
    page = home(client, people.sue)
    assert due_state(page) == "not_recorded"
    assert "Chưa ghi biên bản" in page
    assert f"/evaluations/meetings/record/{setting.cell.pk}/" in page
    assert "data-due-queue" not in home(client, people.sam)


def test_recorded_not_submitted_is_a_draft_with_a_link_to_score_it(client, setting, people):
    meeting = make_meeting(setting.cell, date=timezone.localdate())
    page = home(client, people.sue)
    assert due_state(page) == "draft"
    assert f"/evaluations/meetings/{meeting.pk}/assess/" in page
    assert "data-due-queue" not in home(client, people.sam)


def test_submitted_waits_for_appraisal_and_the_supervisor_sees_how_long(client, setting, people):
    meeting = scored_meeting(setting.cell, date=timezone.localdate())
    meeting.submitted_at = timezone.now() - datetime.timedelta(days=4, hours=1)
    meeting.save(update_fields=["submitted_at"])
    assert due_state(home(client, people.sue)) == "submitted"
    queue = home(client, people.sam)
    assert 'data-waited="4"' in queue
    assert "4 ngày" in queue and f"/evaluations/meetings/{meeting.pk}/appraise/" in queue


def test_appraised_shows_the_result_and_the_appraisers_reasons_and_notifies_the_cell(client, setting, people):
    meeting = scored_meeting(setting.cell, date=timezone.localdate())
    services.recording.meeting_appraise(
        meeting=meeting,
        changes={"1.2": services.recording.AppraisalChange(3, "Thông báo muộn hai ngày")},
        note="Cần chuẩn bị nội dung kỹ hơn",
        acting_user=people.sam,
    )
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.APPRAISED and meeting.final_total == sum(FULL.values()) - 2
    page = home(client, people.sue)
    assert due_state(page) == "appraised"
    assert "<strong>Tốt</strong>" in page  # the level's label, from the rubric
    assert "Cần chuẩn bị nội dung kỹ hơn" in page and "1.2. Thông báo: Thông báo muộn hai ngày" in page
    [note] = Notification.objects.filter(user=people.sue)
    assert note.kind == "meeting-appraised" and note.read_at is None and note.url == meeting.get_absolute_url()
    assert 'data-notifications="1"' in page
    assert "data-due-queue" not in home(client, people.sam)


def test_thematic_meeting_of_the_quarter_and_the_months_guidance(client, setting, people):
    today = timezone.localdate()
    ContentGuidance.objects.create(
        organization=setting.grassroots, year=today.year, month=today.month, title="Học tập nghị quyết", body="Nội dung"
    )
    page = home(client, people.sue)
    assert "Học tập nghị quyết" in page
    assert "Chưa tổ chức" in page.split("data-due-thematic", 1)[1].split("</li>", 1)[0]
    from evaluations.meetings.models import ThematicTopic

    topic = ThematicTopic.objects.create(code="t", title="Chủ đề")
    make_meeting(setting.cell, date=today, kind="thematic", topic=topic)
    assert "Đã tổ chức" in home(client, people.sue).split("data-due-thematic", 1)[1].split("</li>", 1)[0]


def test_campaign_deadlines_with_days_left_returned_with_the_reason(client, setting, people):
    today = timezone.localdate()
    campaign = builders.campaign(setting, year=today.year, registration_deadline=today + datetime.timedelta(days=3))
    page = home(client, people.sue)
    deadline = page.split("data-due-deadline", 1)[1].split("</li>", 1)[0]
    assert "3 ngày" in deadline and f"{today + datetime.timedelta(days=3):%d/%m/%Y}" in deadline
    assert "list-group-item-warning" in page.split("data-due-deadline", 1)[0].rsplit("<li", 1)[1]

    registration = builders.participant(campaign, setting.cell, status=RegistrationStatus.SUBMITTED)
    registration_decide(
        registration=registration, decision="return", reason="Thiếu báo cáo khảo sát", acting_user=people.alice
    )
    page = home(client, people.sue)
    assert "Thiếu báo cáo khảo sát" in page.split("data-due-deadline", 1)[1].split("</li>", 1)[0]
    [note] = Notification.objects.filter(user=people.sue)
    assert note.kind == "registration-return" and note.body == "Thiếu báo cáo khảo sát"


def test_approval_notifies_the_cell(setting, people):
    today = timezone.localdate()
    campaign = builders.campaign(setting, year=today.year, registration_deadline=today)
    registration = builders.participant(campaign, setting.cell, status=RegistrationStatus.SUBMITTED)
    registration_decide(registration=registration, decision="approve", acting_user=people.alice)
    assert list(Notification.objects.filter(user=people.sue).values_list("kind", flat=True)) == ["registration-approve"]


def test_the_daily_task_notifies_a_deadline_three_days_ahead_once(setting, people):
    today = timezone.localdate()
    campaign = builders.campaign(setting, year=today.year, registration_deadline=today + datetime.timedelta(days=3))
    later = today + datetime.timedelta(days=4)
    builders.campaign(setting, campaign.framework, code="KH-LATER", year=today.year, registration_deadline=later)
    assert notices.campaign_deadlines(today) == 1
    assert notices.campaign_deadlines(today) == 0  # run twice: told once
    [note] = Notification.objects.filter(user=people.sue)
    assert note.kind == "deadline" and campaign.name in note.title and note.title.startswith("Còn 3 ngày")

    registration = builders.participant(campaign, setting.cell)  # approved: self-assessment is due now
    campaign.self_assessment_deadline = today + datetime.timedelta(days=3)
    campaign.save()
    assert notices.campaign_deadlines(today) == 1
    assert Notification.objects.filter(user=people.sue, url__contains=f"/registrations/{registration.pk}/").exists()


def test_the_secretarys_home_page_reads_a_fixed_number_of_queries(client, setting, people, django_assert_num_queries):
    scored_meeting(setting.cell, date=timezone.localdate())
    client.force_login(people.sue)
    client.get("/")  # warm the rubric cache and the session
    with django_assert_num_queries(QUERIES_SECRETARY_HOME):
        assert client.get("/").status_code == 200
