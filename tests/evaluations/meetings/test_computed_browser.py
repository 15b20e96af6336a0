"""A 2025 rubric in a real browser at 390 px: the secretary records the meeting and sees the items computed
from the record as she types, scores the rest and submits; the supervisor corrects the attendance with a
reason and the total follows."""

import datetime
import re

import pytest

from evaluations.meetings.models import Meeting, MeetingStatus
from tests.browser import login, wait_for_script

from .helpers import make_rubric_2025

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _points(page, code: str, text: str) -> None:
    page.locator(f"[data-computed='{code}'] [data-testid=computed-points]").filter(
        has_text=re.compile(rf"^\s*{re.escape(text)}\s*$")
    ).wait_for()


def test_computed_items_from_the_record_to_the_appraisal(
    phone_page, new_page, live_server, tree, people, roster, sam_assigned
):
    make_rubric_2025(tree.province)
    day = datetime.date.today() - datetime.timedelta(days=1)
    page = phone_page
    login(page, live_server, "sue")
    page.goto(f"{live_server.url}/evaluations/meetings/record/{tree.cell.pk}/")
    wait_for_script(page, "() => window.htmx !== undefined")
    page.fill("input[name=date]", day.isoformat())
    page.fill("input[name=duration_minutes]", "70")
    _points(page, "1.2", "3 / 5")  # 70 minutes: the second band
    page.fill("input[name=duration_minutes]", "95")
    page.fill("input[name=documents_sent_on]", (day - datetime.timedelta(days=2)).isoformat())
    _points(page, "1.2", "5 / 5")
    _points(page, "1.4", "5 / 5")
    page.locator("[data-steps-next-button]").click()
    page.locator(f"label[for=p{roster.cell[0].pk}excused]").click()  # 4 of 5 present: 80% → 3
    _points(page, "1.1", "3 / 5")
    page.fill("input[name=members_spoke]", "3")  # 3 of 4 spoke: over half → 5
    _points(page, "1.3", "5 / 5")
    page.locator("[data-steps-next-button]").click()
    page.locator("[data-steps-next-button]").click()
    _points(page, "1.5", "0 / 5")  # minutes not filed yet
    page.fill("input[name=minutes_filed_on]", day.isoformat())
    _points(page, "1.5", "5 / 5")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("#meeting-form button[type=submit]").click()
    page.wait_for_url("**/assess/")
    meeting = Meeting.objects.get()
    assert (meeting.members_present, meeting.members_spoke, meeting.self_total) == (4, 3, 33)

    # Only the typed item has a field; the computed ones are listed with their points.
    assert page.locator("input[name=c_1_1]").count() == 0
    _points(page, "1.1", "3 / 5")
    page.fill("input[name=c_2_2]", "60")
    # 3 + 5 + 5 + 5 + 5 computed, 10 for the thematic item (counted full at a regular meeting), 60 typed.
    page.locator("[data-testid=running-total]").filter(has_text=re.compile(r"^93$")).wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("button[name=submit]").click()
    page.wait_for_url(f"**/meetings/{meeting.pk}/")
    meeting.refresh_from_db()
    assert (meeting.status, meeting.self_total, meeting.final_level) == (MeetingStatus.SUBMITTED, 93, "kha")

    supervisor = new_page(phone=True)
    login(supervisor, live_server, "sam")
    supervisor.goto(f"{live_server.url}/evaluations/meetings/{meeting.pk}/appraise/")
    wait_for_script(supervisor, "() => window.htmx !== undefined")
    supervisor.fill("input[name=f_members_present]", "3")  # the minutes name 3 present: 60% → 0
    supervisor.locator("[data-testid=running-total]").filter(has_text=re.compile(r"^90$")).wait_for()
    _points(supervisor, "1.1", "0 / 5")
    supervisor.locator("button[name=confirm]").click()
    supervisor.get_by_text("Hãy nêu lý do điều chỉnh số liệu này.").wait_for()  # no reason: refused
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SUBMITTED
    supervisor.fill("input[name=fr_members_present]", "Biên bản ghi 3 đồng chí có mặt")
    supervisor.fill("input[name=f_members_present]", "3")
    assert supervisor.evaluate("document.documentElement.scrollWidth") <= 390
    supervisor.locator("button[name=confirm]").click()
    supervisor.wait_for_url("**/queue/")
    meeting.refresh_from_db()
    assert (meeting.status, meeting.self_total, meeting.final_total) == (MeetingStatus.APPRAISED, 93, 90)
    assert meeting.fact_corrections["members_present"]["value"] == 3
