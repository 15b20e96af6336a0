"""Issue 24 on a phone (390 px): the secretary prepares the next meeting, ticks its checklist with dates,
writes the minutes and records the votes; the meeting page shows them and the minutes download."""

import datetime

import pytest

from cells.models import AuditEntry
from evaluations.meetings import services
from evaluations.meetings.minutes_models import PreparationTick
from evaluations.meetings.models import Meeting
from tests.browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretary_prepares_ticks_writes_the_minutes_and_records_the_votes_on_a_phone(
    phone_page, live_server, tree, people, roster, framework
):
    for title, fact, days in [
        ("Chi ủy họp chuẩn bị", "", None),
        ("Gửi tài liệu trên Sổ tay đảng viên", "documents_sent_on", 1),
    ]:
        services.minutes.preparation_step_save(
            framework=framework, title=title, fact=fact, days_before=days, acting_user=None
        )
    today = datetime.date.today()
    day = today + datetime.timedelta(days=3)
    page = phone_page
    login(page, live_server, "sue")
    page.goto(f"{live_server.url}/evaluations/meetings/prepare/{tree.cell.pk}/")
    page.fill("input[name=date]", day.strftime("%d/%m/%Y"))
    page.locator("input[type=submit], button[type=submit]").last.click()
    page.wait_for_url("**/preparation/")
    meeting = Meeting.objects.get(organization=tree.cell, date=day)
    inputs = page.locator("input[name^=step_]")
    assert inputs.count() == 2
    inputs.nth(0).fill(today.strftime("%d/%m/%Y"))
    inputs.nth(1).fill(today.strftime("%d/%m/%Y"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("input[type=submit], button[type=submit]").last.click()
    page.wait_for_url(f"**/meetings/{meeting.pk}/")
    assert PreparationTick.objects.filter(meeting=meeting).count() == 2
    meeting.refresh_from_db()
    assert meeting.documents_sent_on == today
    assert "Gửi tài liệu trên Sổ tay đảng viên" in page.locator("[data-testid=preparation]").inner_text()

    page.goto(f"{live_server.url}/evaluations/meetings/{meeting.pk}/minutes/edit/")
    page.fill("input[name=place]", "Nhà văn hóa tổ dân phố")
    page.fill("input[name=started_at]", "19:30")
    page.select_option("select[name=chair]", str(roster.cell[0].pk))
    page.fill("textarea[name=conclusions]", "Chi bộ thống nhất.")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("input[type=submit], button[type=submit]").last.click()
    page.wait_for_url(f"**/meetings/{meeting.pk}/")
    meeting.refresh_from_db()
    assert (meeting.place, meeting.chair_id, meeting.conclusions) == (
        "Nhà văn hóa tổ dân phố",
        roster.cell[0].pk,
        "Chi bộ thống nhất.",
    )

    services.minutes.meeting_agenda_add(meeting=meeting, titles=["Nghị quyết tháng"], acting_user=None)
    page.goto(f"{live_server.url}/evaluations/meetings/{meeting.pk}/votes/")
    item = meeting.agenda.get()
    page.fill(f"input[name=item_{item.pk}_for]", "0")
    page.fill(f"input[name=item_{item.pk}_against]", "0")
    page.fill(f"input[name=item_{item.pk}_abstain]", "0")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("button[type=submit]").last.click()
    page.wait_for_url(f"**/meetings/{meeting.pk}/")
    assert AuditEntry.objects.filter(action="meeting.prepare", actor=people.sue).exists()
    assert AuditEntry.objects.filter(action="meeting.minutes", actor=people.sue).exists()
    with page.expect_download() as download:
        page.locator(f"a[href$='/meetings/{meeting.pk}/minutes/pdf/']").click()
    assert download.value.suggested_filename.endswith(".pdf")
