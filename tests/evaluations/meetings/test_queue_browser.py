"""The appraisal queue's filters in a real browser: choosing a cell, a month and a status applies at once."""

import datetime

import pytest
from django.utils import timezone

from evaluations.meetings.models import Meeting
from tests.browser import login, wait_for_script

from .helpers import scored_meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _submitted(cell, date, days_ago):
    meeting = scored_meeting(cell, date=date)
    Meeting.objects.filter(pk=meeting.pk).update(submitted_at=timezone.now() - datetime.timedelta(days=days_ago))
    return meeting


def _rows(page) -> list[str]:
    return page.locator("[data-queue-row]").all_inner_texts()


def test_staff_filter_the_queue_by_cell_month_and_status(desktop_page, live_server, tree, people, framework):
    _submitted(tree.cell, datetime.date(2024, 3, 10), 30)
    _submitted(tree.school, datetime.date(2024, 4, 8), 2)
    _submitted(tree.cell, datetime.date(2024, 4, 12), 10)
    page = desktop_page
    login(page, live_server, "alice")
    page.goto(f"{live_server.url}/evaluations/meetings/queue/")
    rows = _rows(page)
    assert len(rows) == 3
    assert tree.school.name in rows[0] and "08/04/2024" in rows[0] and "Chờ 2 ngày" in rows[0]
    assert "10/03/2024" in rows[2] and "Chờ 30 ngày" in rows[2]

    page.select_option("#queue-cell", str(tree.cell.pk))
    page.wait_for_url("**cell=*")
    wait_for_script(page, "() => document.querySelectorAll('[data-queue-row]').length === 2")
    assert all(tree.cell.name in row for row in _rows(page))

    page.fill("#queue-month", "2024-04")
    page.locator("#queue-filters button[type=submit]").click()
    page.wait_for_url("**month=2024-04*")
    wait_for_script(page, "() => document.querySelectorAll('[data-queue-row]').length === 1")
    assert "12/04/2024" in _rows(page)[0]

    page.select_option("#queue-status", "appraised")
    page.wait_for_url("**status=appraised*")
    assert _rows(page) == []
    assert "Không có buổi sinh hoạt nào khớp với bộ lọc." in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
