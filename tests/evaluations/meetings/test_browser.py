"""The meeting path in a real browser on a phone-sized window: record, score live, submit; appraise
with one changed item and a reason; staff see the result in the ranking."""

import datetime
import re

import pytest

from evaluations.meetings.models import Meeting, MeetingStatus
from tests.browser import login

from .helpers import FULL

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretary_records_and_scores_supervisor_appraises_staff_ranks(
    phone_page, new_page, live_server, tree, people, roster, framework, sam_assigned
):
    day = datetime.date.today() - datetime.timedelta(days=1)
    page = phone_page
    login(page, live_server, "sue")
    page.goto(f"{live_server.url}/evaluations/meetings/record/{tree.cell.pk}/")
    page.fill("input[name=date]", day.isoformat())
    page.fill("input[name=duration_minutes]", "90")
    page.locator("[data-steps-next-button]").click()
    page.locator(f"label[for=p{roster.cell[0].pk}excused]").click()
    page.locator("[data-steps-next-button]").click()
    page.fill("input[name=agenda-0-title]", "Nghị quyết tháng")
    page.fill("input[name=agenda-0-votes_for]", "4")
    page.locator("[data-steps-next-button]").click()
    page.locator("#meeting-form button[type=submit]").click()
    page.wait_for_url("**/assess/")
    meeting = Meeting.objects.get()
    assert (meeting.members_present, meeting.members_excused) == (4, 1)

    for group in range(4):  # one group of criteria at a time
        if group:
            page.locator("[data-steps-next-button]").click()
        for code, points in FULL.items():
            if code.startswith(f"{group + 1}."):
                page.fill(f"input[name=c_{code.replace('.', '_')}]", str(points))
    page.locator("[data-testid=running-total]").filter(has_text=re.compile(r"^100$")).wait_for()
    assert "Tốt" in page.locator("[data-testid=running-level]").inner_text()
    page.locator("[data-steps-back-button]").click()
    page.fill("input[name=c_3_2]", "15")
    page.locator("[data-steps-next-button]").click()
    page.locator("[data-testid=running-total]").filter(has_text=re.compile(r"^95$")).wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("button[name=submit]").click()
    page.wait_for_url(f"**/meetings/{meeting.pk}/")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SUBMITTED and meeting.self_total == 95

    supervisor = new_page(phone=True)
    login(supervisor, live_server, "sam")
    supervisor.goto(f"{live_server.url}/evaluations/meetings/queue/")
    supervisor.locator("[data-queue-row]", has_text=tree.cell.name).click()
    supervisor.wait_for_url("**/appraise/")
    supervisor.fill("input[name=a_3_2]", "10")
    supervisor.locator("[data-testid=running-total]").filter(has_text=re.compile(r"^90$")).wait_for()
    supervisor.fill("input[name=r_3_2]", "Ít đảng viên phát biểu")
    supervisor.locator("button[name=confirm]").click()
    supervisor.wait_for_url("**/queue/")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.APPRAISED and meeting.final_total == 90

    staff = new_page(phone=True)
    login(staff, live_server, "alice")
    staff.goto(f"{live_server.url}/evaluations/meetings/ranking/?org={tree.district.pk}&period={day:%Y-%m}")
    row = staff.locator("[data-testid=ranking] tbody tr").first
    assert tree.cell.name in row.inner_text() and "90" in row.inner_text()
