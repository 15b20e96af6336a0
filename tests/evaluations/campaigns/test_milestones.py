"""Milestones (T9, F5): marked done with the date through the campaign page, audited; overdue ones flagged on
the campaign page and the staff's home; past ones kept; staff reminded three days before each."""

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from cells.models import AuditEntry, Notification
from evaluations.campaigns import notices, services
from evaluations.campaigns.models import CampaignMilestone

pytestmark = pytest.mark.django_db


@pytest.fixture
def milestones(campaign):
    today = timezone.localdate()
    late = services.plans.milestone_add(
        campaign=campaign, title="Hội nghị quán triệt", due_on=today - datetime.timedelta(days=5), acting_user=None
    )
    coming = services.plans.milestone_add(
        campaign=campaign, title="Báo cáo tỉnh trước 30/12", due_on=today + datetime.timedelta(days=3), acting_user=None
    )
    return late, coming


def _text(response) -> str:
    return html.unescape(response.content.decode())


def test_an_overdue_milestone_is_flagged_then_marked_done_with_its_date_and_kept(client, people, campaign, milestones):
    late, coming = milestones
    client.force_login(people.alice)
    page = _text(client.get(reverse("evaluations:campaign_detail", args=[campaign.pk])))
    assert "Quá hạn 5 ngày" in page and "Hội nghị quán triệt" in page and "Báo cáo tỉnh trước 30/12" in page
    home = _text(client.get("/"))
    assert "Các mốc công việc quá hạn" in home and "Hội nghị quán triệt" in home
    assert "Báo cáo tỉnh trước 30/12" not in home  # not late

    day = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(reverse("evaluations:milestone_done", args=[late.pk]), {"done_on": f"{day:%d/%m/%Y}"})
    assert response.status_code == 302
    late.refresh_from_db()
    assert late.done_on == day
    entry = AuditEntry.objects.get(action="campaign.milestone_done")
    assert entry.actor == people.alice and entry.after["done_on"] == day.isoformat()
    assert entry.before == {"done_on": None}
    page = _text(client.get(reverse("evaluations:campaign_detail", args=[campaign.pk])))
    assert f"Xong ngày {day:%d/%m/%Y}" in page and "Quá hạn" not in page  # kept, no longer flagged
    assert "Các mốc công việc quá hạn" not in _text(client.get("/"))


def test_a_milestone_cannot_be_done_tomorrow_nor_by_leadership(client, people, campaign, milestones):
    late, _coming = milestones
    client.force_login(people.alice)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    client.post(reverse("evaluations:milestone_done", args=[late.pk]), {"done_on": f"{tomorrow:%d/%m/%Y}"})
    client.post(reverse("evaluations:milestone_done", args=[late.pk]), {"done_on": "31/02/2024"})
    client.force_login(people.lena)
    assert (
        client.post(reverse("evaluations:milestone_done", args=[late.pk]), {"done_on": "01/03/2024"}).status_code == 404
    )
    assert CampaignMilestone.objects.get(pk=late.pk).done_on is None
    assert not AuditEntry.objects.filter(action="campaign.milestone_done").exists()
    client.force_login(people.lena)
    assert "Quá hạn 5 ngày" in _text(client.get(reverse("evaluations:campaign_detail", args=[campaign.pk])))
    assert "Các mốc công việc quá hạn" not in _text(client.get("/"))  # the staff's home, not leadership's


def test_staff_are_reminded_three_days_before_a_milestone_once(people, campaign, milestones):
    _late, coming = milestones
    notices.campaign_deadlines(timezone.localdate())
    notices.campaign_deadlines(timezone.localdate())
    reminders = Notification.objects.filter(key__startswith=f"deadline:milestone:{coming.pk}:")
    assert [n.user for n in reminders] == [people.alice]
    assert "Báo cáo tỉnh trước 30/12" in reminders.get().title
    services.plans.milestone_done(milestone=coming, done_on=timezone.localdate(), acting_user=people.alice)
    Notification.objects.all().delete()
    notices.campaign_deadlines(timezone.localdate())
    assert not Notification.objects.filter(key__startswith="deadline:milestone:").exists()
