"""Marking a milestone done in a real browser, on a phone-sized window."""

import datetime

import pytest
from django.utils import timezone

from evaluations.campaigns import services
from evaluations.campaigns.models import CampaignMilestone
from tests.browser import login, wait_for_script

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_mark_an_overdue_milestone_done(phone_page, live_server, people, campaign):
    today = timezone.localdate()
    milestone = services.plans.milestone_add(
        campaign=campaign, title="Hội nghị quán triệt", due_on=today - datetime.timedelta(days=4), acting_user=None
    )
    page = phone_page
    login(page, live_server, "alice")
    page.goto(f"{live_server.url}/evaluations/campaigns/{campaign.pk}/")
    row = page.locator(f"[data-milestone='{milestone.pk}']")
    assert "Quá hạn 4 ngày" in row.inner_text()
    day = today - datetime.timedelta(days=2)
    row.locator("input[name=done_on]").fill("")
    row.locator("input[name=done_on]").press_sequentially(f"{day:%d%m%Y}")  # the slashes come by themselves
    assert row.locator("input[name=done_on]").input_value() == f"{day:%d/%m/%Y}"
    row.locator("button[type=submit]").click()
    page.wait_for_url("**#milestones")
    wait_for_script(page, f"() => !document.querySelector(\"[data-milestone='{milestone.pk}'] form\")")
    state = page.locator(f"[data-milestone='{milestone.pk}'] [data-milestone-state]").inner_text()
    assert state == f"Xong ngày {day:%d/%m/%Y}"
    assert CampaignMilestone.objects.get(pk=milestone.pk).done_on == day
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
