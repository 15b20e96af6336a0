"""A grassroots organisation in a real browser (issue 23): its office records and self-assesses its party
committee's meeting on a phone, the committee above appraises it on a desktop, staff find it in the
grassroots ranking; and the organisation registers for a four-good plan, self-assesses and is recognized."""

import datetime
import re

import pytest

from cells.models import Role
from criteria.models import Criterion, Framework
from evaluations.campaigns import services as campaign_services
from evaluations.campaigns.models import RecognitionDecision, Registration
from evaluations.meetings.models import Meeting, MeetingStatus
from tests.browser import login
from tests.factories import UserFactory, assign

from .helpers import FULL, make_framework

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def office(tree):
    gina = UserFactory(username="gina")
    assign(gina, tree.grassroots, Role.STAFF)
    return gina


def test_the_office_records_on_a_phone_the_committee_above_appraises_staff_rank(
    phone_page, new_page, live_server, tree, people, office
):
    rubric = make_framework(tree.province, "SH-DU")
    Framework.objects.filter(pk=rubric.pk).update(meeting_kind="committee", org_levels=["grassroots", "partial"])
    day = datetime.date.today() - datetime.timedelta(days=1)
    page = phone_page
    login(page, live_server, "gina")
    page.goto(f"{live_server.url}/evaluations/meetings/record/{tree.grassroots.pk}/")
    page.select_option("select[name=kind]", "committee")
    page.fill("input[name=date]", day.isoformat())
    page.fill("input[name=duration_minutes]", "120")
    page.locator("[data-steps-next-button]").click()
    page.fill("input[name=members_total]", "9")
    page.fill("input[name=members_present]", "8")
    page.fill("input[name=members_excused]", "1")
    page.locator("[data-steps-next-button]").click()
    page.fill("input[name=agenda-0-title]", "Nghị quyết tháng của Ban Chấp hành")
    page.fill("input[name=agenda-0-votes_for]", "8")
    page.locator("[data-steps-next-button]").click()
    page.locator("#meeting-form button[type=submit]").click()
    page.wait_for_url("**/assess/")
    meeting = Meeting.objects.get()
    assert (meeting.kind, meeting.framework_id, meeting.members_present) == ("committee", rubric.pk, 8)

    for group in range(4):
        if group:
            page.locator("[data-steps-next-button]").click()
        for code, points in FULL.items():
            if code.startswith(f"{group + 1}."):
                page.fill(f"input[name=c_{code.replace('.', '_')}]", str(points))
    page.locator("[data-testid=running-total]").filter(has_text=re.compile(r"^100$")).wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("button[name=submit]").click()
    page.wait_for_url(f"**/meetings/{meeting.pk}/")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SUBMITTED
    # Not in its own office's queue.
    page.goto(f"{live_server.url}/evaluations/meetings/queue/")
    assert tree.grassroots.name not in page.content()

    desk = new_page()
    login(desk, live_server, "alice")
    desk.goto(f"{live_server.url}/evaluations/meetings/queue/")
    desk.get_by_role("link", name=re.compile(re.escape(tree.grassroots.name))).click()
    desk.wait_for_url("**/appraise/")
    desk.fill("input[name=a_3_2]", "10")
    desk.fill("input[name=r_3_2]", "Thảo luận chưa sâu")
    desk.locator("button[name=confirm]").click()
    desk.wait_for_url("**/queue/")
    meeting.refresh_from_db()
    assert (meeting.status, meeting.final_total, meeting.appraised_by_id) == (
        MeetingStatus.APPRAISED,
        90,
        people.alice.pk,
    )

    desk.goto(f"{live_server.url}/evaluations/meetings/ranking/?org={tree.district.pk}&period={day:%Y-%m}")
    desk.select_option("select[name=level]", "grassroots")
    desk.locator("select[name=level]").locator("xpath=ancestor::form").locator("button[type=submit]").click()
    desk.wait_for_url("**level=grassroots**")
    table = desk.locator("[data-testid=ranking]").inner_text()
    assert tree.grassroots.name in table and "90,00" in table and tree.cell.name not in table


def _four_good(tree) -> Framework:
    from tests.evaluations.campaigns.test_grassroots import grassroots_four_good

    return grassroots_four_good(tree.district)


def test_a_grassroots_organisation_registers_self_assesses_and_is_recognized(
    phone_page, new_page, live_server, tree, people, office
):
    from tests.evaluations.campaigns import builders

    campaign = builders.campaign(tree, _four_good(tree), code="4T-2024", registration_deadline=None)
    campaign_services.ratings.year_rating_set(
        organization=tree.grassroots, year=builders.YEAR, rating="HTTNV", acting_user=None
    )
    url = live_server.url
    login(phone_page, live_server, "gina")
    phone_page.goto(f"{url}/evaluations/campaigns/{campaign.pk}/register/")
    phone_page.select_option("select[name=organization]", str(tree.grassroots.pk))
    phone_page.fill("textarea[name=survey_report]", "Đảng bộ đoàn kết, sinh hoạt cấp ủy đều đặn hằng tháng.")
    phone_page.fill("input[name=expected_completion]", "2024-11-30")
    phone_page.get_by_role("button", name="Đăng ký", exact=True).click()
    phone_page.locator("#registration-status").wait_for()
    registration = Registration.objects.get(organization=tree.grassroots)

    staff = new_page()
    login(staff, live_server, "alice")
    staff.goto(f"{url}/evaluations/campaigns/registrations/{registration.pk}/")
    staff.get_by_label("Duyệt", exact=True).check()
    staff.get_by_role("button", name="Ghi quyết định").click()
    assert staff.locator("#registration-status").inner_text() == "Đã duyệt"

    # Its own office self-assesses the criteria for its level: 2.1 (cells only) is not asked.
    phone_page.goto(f"{url}/evaluations/campaigns/registrations/{registration.pk}/assess/")
    ids = {c.code: c.id for c in Criterion.objects.filter(framework=campaign.framework)}
    assert phone_page.locator(f"#a_{ids['2.1']}").count() == 0
    phone_page.select_option(f"#a_{ids['1.1']}", "1")
    phone_page.select_option(f"#a_{ids['2.2']}", "1")
    phone_page.get_by_role("button", name="Lưu và gửi Ban Tổ chức").click()
    phone_page.locator("#current-result").wait_for()
    assert "Đạt" in phone_page.locator("#current-result").inner_text()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390

    staff.goto(f"{url}/evaluations/campaigns/registrations/{registration.pk}/appraise/")
    staff.get_by_role("button", name="Lưu kết quả thẩm định").click()
    staff.get_by_role("button", name="Xác nhận kết quả").click()
    assert staff.locator("#final-result").inner_text() == "Đạt"

    staff.goto(f"{url}/evaluations/campaigns/{campaign.pk}/recognition/")
    assert tree.grassroots.name in staff.locator("#proposal-new").inner_text()
    staff.fill("input[name=number]", "126-QĐ/TU")
    staff.fill("input[name=decided_on]", "2025-03-15")
    staff.fill("input[name=signer]", "Đỗ Văn Nghị")
    staff.get_by_label(tree.grassroots.name).check()
    staff.get_by_role("button", name="Ghi quyết định").click()
    staff.get_by_text("126-QĐ/TU").wait_for()
    assert RecognitionDecision.objects.get().registrations.get() == registration
