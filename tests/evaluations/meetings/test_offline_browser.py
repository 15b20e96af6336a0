"""Saving with no network on a 390×800 phone (static/js/outbox.js, static/js/sw.js): the app says at once
that the save waits on the phone and how many items wait, a reload without a network still shows it,
and when the network returns the item is sent by itself, saved exactly once, and the answer shown; a
record the server refuses comes back into its form with the server's reason."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cells.models import AuditEntry, ClientWrite
from evaluations.meetings.models import Meeting, MeetingScore
from tests.browser import login, wait_for_script
from tests.evaluations.meetings.helpers import make_meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def phone(page, live_server, username="sue"):
    page.set_viewport_size({"width": 390, "height": 800})
    page.csp_violations = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and page.csp_violations.append(message.text),
    )
    login(page, live_server, username)
    # The service worker installs on the first page and then looks after every page opened. Its
    # clients.claim() takes the pages open when it activates; the page the login's redirect was loading
    # at that instant can miss it, and is looked after from its next load, as a user's next page would be.
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    if not page.evaluate("() => navigator.serviceWorker.controller !== null"):
        page.reload()
    wait_for_script(page, "() => navigator.serviceWorker.controller !== null")
    return page


def assert_waiting(page, text: str) -> None:
    expect(page.locator("[data-outbox-status]:not([hidden]) [data-outbox-count]")).to_have_text(text)


def assert_app_page(page):
    """The app's own page, never the browser's error page."""
    assert not page.url.startswith("chrome-error://")
    assert page.locator("nav.navbar").count() == 1


def record_meeting(page, day: datetime.date, duration: str = "75"):
    page.fill("input[name=date]", f"{day:%d/%m/%Y}")
    page.fill("input[name=duration_minutes]", duration)
    for _ in range(2):
        page.locator("[data-steps-next-button]").click()
    page.fill("input[name=agenda-0-title]", "Nghị quyết về đường bản")
    page.locator("[data-steps-next-button]").click()
    page.fill("textarea[name=minutes_text]", "Đồng chí bí thư khai mạc")
    page.locator("#meeting-form button[type=submit]").click()


def test_a_meeting_saved_offline_waits_on_the_phone_and_is_sent_once(
    phone_page, live_server, tree, people, roster, framework
):
    page = phone(phone_page, live_server)
    url = f"{live_server.url}/evaluations/meetings/record/{tree.cell.pk}/"
    page.goto(url)
    page.context.set_offline(True)
    record_meeting(page, timezone.localdate())

    notice = page.locator("[data-draft-notice]")
    assert "Chưa có mạng" in notice.inner_text()
    assert_waiting(page, "1 biên bản đang chờ gửi")
    assert_app_page(page)
    assert Meeting.objects.count() == 0

    page.reload()  # still offline: the page comes from the phone, the count with it
    assert_app_page(page)
    assert_waiting(page, "1 biên bản đang chờ gửi")
    assert page.input_value("input[name=duration_minutes]") == "75"  # the draft is still in the form

    page.context.set_offline(False)
    saved = page.locator("[data-outbox-answer=saved]")
    saved.wait_for()
    assert "Đã gửi và lưu" in saved.inner_text()
    page.locator("[data-outbox-status]").wait_for(state="hidden")
    meeting = Meeting.objects.get()
    assert (meeting.duration_minutes, meeting.organization_id) == (75, tree.cell.pk)
    assert meeting.client_key

    page.goto(f"{live_server.url}/")  # nothing left to send, and nothing sent twice
    page.wait_for_timeout(500)
    page.locator("[data-outbox-status]").wait_for(state="hidden")
    assert Meeting.objects.count() == 1


def test_a_score_saved_offline_is_sent_once_when_the_network_returns(
    phone_page, live_server, tree, people, roster, framework
):
    meeting = make_meeting(tree.cell, date=timezone.localdate())
    page = phone(phone_page, live_server)
    page.goto(f"{live_server.url}/evaluations/meetings/{meeting.pk}/assess/")
    page.context.set_offline(True)
    for group in range(4):
        if group:
            page.locator("[data-steps-next-button]").click()
        page.locator("fieldset:not([hidden]) [data-fill-max]").click()
    page.locator("#score-form button[name=draft]").click()
    assert "Chưa có mạng" in page.locator("[data-draft-notice]").inner_text()
    assert_waiting(page, "1 phiếu chấm điểm đang chờ gửi")
    assert_app_page(page)

    page.reload()
    assert_app_page(page)
    assert_waiting(page, "1 phiếu chấm điểm đang chờ gửi")

    page.context.set_offline(False)
    page.locator("[data-outbox-answer=saved]").wait_for()
    meeting.refresh_from_db()
    assert meeting.self_total == 100
    assert MeetingScore.objects.filter(meeting=meeting).count() == 6
    assert AuditEntry.objects.filter(action="meeting.self_assess").count() == 1
    assert ClientWrite.objects.filter(kind="meeting-score", object_id=meeting.pk).count() == 1


def test_a_queued_record_the_server_refuses_comes_back_into_the_form_with_the_reason(
    phone_page, live_server, tree, people, roster, framework
):
    page = phone(phone_page, live_server)
    url = f"{live_server.url}/evaluations/meetings/record/{tree.cell.pk}/"
    page.goto(url)
    page.context.set_offline(True)
    day = timezone.localdate()
    record_meeting(page, day, duration="90")
    assert_waiting(page, "1 biên bản đang chờ gửi")
    make_meeting(tree.cell, date=day)  # meanwhile the month's regular meeting was recorded elsewhere

    page.context.set_offline(False)
    refused = page.locator("[data-draft-notice]").filter(has_text="Máy chủ không nhận")
    refused.wait_for()
    assert f"{day:%m/%Y}" in refused.inner_text()  # the server's reason: the month already has its meeting
    page.locator("[data-outbox-status]").wait_for(state="hidden")
    assert Meeting.objects.count() == 1
    page.locator("[data-steps-back-button]").click()
    assert page.input_value("textarea[name=minutes_text]") == "Đồng chí bí thư khai mạc"

    page.goto(url)  # opened again: what was typed is there, with the reason
    assert page.input_value("input[name=duration_minutes]") == "90"
    assert "Máy chủ không nhận" in page.locator("[data-draft-notice]").inner_text()


def test_a_page_never_opened_shows_the_apps_offline_page(phone_page, live_server, tree, people):
    page = phone(phone_page, live_server)
    page.context.set_offline(True)
    page.goto(f"{live_server.url}/evaluations/meetings/ranking/")
    assert page.locator("[data-offline-page]").count() == 1
    assert "Không có mạng" in page.inner_text("h1")


def test_a_save_whose_network_fails_on_the_way_comes_back_to_the_form_and_waits(
    phone_page, live_server, tree, people, roster, framework
):
    """The phone thinks it is online, but the network drops while Save is pressed: no browser error
    page; the form comes back from the phone with the notice, and the record waits in the outbox."""
    page = phone(phone_page, live_server)
    url = f"{live_server.url}/evaluations/meetings/record/{tree.cell.pk}/"
    page.goto(url)
    page.context.route(
        f"**/evaluations/meetings/record/{tree.cell.pk}/",
        lambda route: route.abort("internetdisconnected") if route.request.method == "POST" else route.continue_(),
    )
    record_meeting(page, timezone.localdate(), duration="60")
    page.locator("[data-draft-notice]").filter(has_text="Chưa có mạng").wait_for()  # the form, back
    assert_app_page(page)
    assert page.url == url  # the service worker's redirect mark is gone from the address
    assert_waiting(page, "1 biên bản đang chờ gửi")
    assert page.input_value("input[name=duration_minutes]") == "60"
    assert Meeting.objects.count() == 0

    page.context.unroute(f"**/evaluations/meetings/record/{tree.cell.pk}/")
    page.locator("[data-outbox-send]").click()
    page.locator("[data-outbox-answer=saved]").wait_for()
    assert Meeting.objects.get().duration_minutes == 60
