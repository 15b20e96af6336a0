"""The monthly reminders: cells without last month's meeting, supervisors with appraisals waiting."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from cells.models import Role
from evaluations.meetings.selectors import home_panel
from evaluations.meetings.tasks import send_meeting_reminders

from .helpers import scored_meeting

pytestmark = pytest.mark.django_db


def test_the_beat_schedule_runs_the_reminders_on_the_reminder_day():
    entry = settings.CELERY_BEAT_SCHEDULE["meetings-reminders"]
    assert entry["task"] == send_meeting_reminders.name
    assert settings.CHIBO_MEETING_REMINDER_DAY in entry["schedule"].day_of_month


def test_secretaries_and_supervisors_are_emailed(tree, people, framework, sam_assigned, mailoutbox):
    scored_meeting(tree.school, date=datetime.date(2024, 3, 5))
    scored_meeting(tree.cell, date=datetime.date(2024, 2, 5))  # waiting for sam's appraisal
    result = send_meeting_reminders.delay("2024-04-06").get()
    assert result["secretaries"] == 1 and result["supervisors"] == 1
    to = {message.to[0]: message.body for message in mailoutbox}
    assert tree.cell.name in to[people.sue.email] and "03/2024" in to[people.sue.email]
    assert "1" in to[people.sam.email]


def test_the_home_panel_shows_the_reminders(client, tree, people, framework, sam_assigned):
    scored_meeting(tree.cell, date=datetime.date(2024, 2, 5))
    panel = home_panel(people.sue, today=datetime.date(2024, 4, 6))
    assert [c.pk for c in panel.missing_own] == [tree.cell.pk]
    staff = home_panel(people.alice, today=datetime.date(2024, 4, 6))
    assert staff.missing_count == 2
    assert home_panel(people.sam, today=datetime.date(2024, 4, 6)).queue_count == 1
    client.force_login(people.sam)
    body = client.get(reverse("home")).content.decode()
    assert reverse("evaluations:meetings:queue") in body
    assert Role.SUPERVISOR  # the role alone gives nothing; the assignment does


def test_staff_see_how_many_cells_have_not_recorded_last_month(client, tree, people, framework, settings):
    settings.CHIBO_MEETING_REMINDER_DAY = 1
    client.force_login(people.alice)
    body = client.get(reverse("home")).content.decode()
    assert "2 chi bộ chưa ghi buổi sinh hoạt tháng" in body
    client.force_login(people.sue)
    body = client.get(reverse("home")).content.decode()
    assert (
        "chưa ghi buổi sinh hoạt tháng" in body and reverse("evaluations:meetings:create", args=[tree.cell.pk]) in body
    )
