"""Drafts kept in the browser (static/js/drafts.js) on a 390×800 phone: what was typed comes back after
the page is opened again, and is gone once the server saved it."""

import datetime

import pytest

from evaluations.meetings.models import Meeting
from tests.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def next_step(page):
    page.locator("[data-steps-next-button]").click()


def test_typed_meeting_comes_back_after_reload_and_is_dropped_once_saved(
    phone_page, live_server, tree, people, roster, framework
):
    page = phone_page
    page.set_viewport_size({"width": 390, "height": 800})
    login(page, live_server, "sue")
    url = f"{live_server.url}/evaluations/meetings/record/{tree.cell.pk}/"
    page.goto(url)
    day = datetime.date.today() - datetime.timedelta(days=2)
    page.fill("input[name=date]", day.isoformat())
    page.fill("input[name=duration_minutes]", "75")
    next_step(page)
    page.locator(f"label[for=p{roster.cell[1].pk}excused]").click()
    next_step(page)
    page.fill("input[name=agenda-0-title]", "Nghị quyết về đường bản")
    next_step(page)
    page.fill("textarea[name=minutes_text]", "Đồng chí bí thư khai mạc")

    page.goto(url)  # a fresh load: the browser itself restores nothing
    notice = page.locator("[data-draft-notice]")
    assert "chưa lưu" in notice.inner_text()
    assert page.input_value("input[name=duration_minutes]") == "75"
    assert page.input_value("input[name=agenda-0-title]") == "Nghị quyết về đường bản"
    assert page.input_value("textarea[name=minutes_text]") == "Đồng chí bí thư khai mạc"
    assert page.input_value("input[name=date]") == day.isoformat()
    assert page.locator(f"#p{roster.cell[1].pk}excused").is_checked()

    for _ in range(3):
        next_step(page)
    page.locator("#meeting-form button[type=submit]").click()
    page.wait_for_url("**/assess/")
    meeting = Meeting.objects.get()
    assert (meeting.duration_minutes, meeting.members_excused) == (75, 1)
    key = f"chibo:draft:{people.sue.pk}:meeting-new:{tree.cell.pk}"
    assert page.evaluate(f"window.localStorage.getItem('{key}')") is None
    page.goto(url)
    assert page.locator("[data-draft-notice]").count() == 0
    assert page.input_value("input[name=duration_minutes]") == ""


def test_discarding_the_draft_puts_back_what_the_server_sent(phone_page, live_server, tree, people, roster, framework):
    page = phone_page
    login(page, live_server, "sue")
    url = f"{live_server.url}/evaluations/meetings/record/{tree.cell.pk}/"
    page.goto(url)
    page.fill("input[name=duration_minutes]", "75")
    page.goto(url)
    page.locator("[data-draft-notice] button[data-draft-discard]").click()
    assert page.locator("[data-draft-notice]").count() == 0
    assert page.input_value("input[name=duration_minutes]") == ""
    page.goto(url)
    assert page.locator("[data-draft-notice]").count() == 0
