"""The campaign cycle in a real browser, each step by the role that does it:
registration (secretary, phone) → approval (staff) → self-assessment with an evidence upload (secretary)
→ appraisal and confirmation (staff) → recognition decision (staff); and seed 004's rule on a school cell."""

import datetime
from decimal import Decimal

import pytest

from cells.models import Role
from criteria.models import Criterion, Framework
from evaluations.campaigns import services
from evaluations.campaigns.models import RecognitionDecision, Registration
from tests.browser import login
from tests.factories import UserFactory, assign

from . import builders

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _campaign(tree):
    campaign = builders.campaign(tree, registration_deadline=datetime.date(2099, 12, 31))
    services.ratings.year_rating_set(organization=tree.cell, year=builders.YEAR, rating="HTTNV", acting_user=None)
    return campaign


def test_registration_self_assessment_appraisal_and_recognition(phone_page, new_page, live_server, tree, people):
    campaign = _campaign(tree)
    url = live_server.url
    # The secretary registers her cell, on a phone.
    login(phone_page, live_server, "sue")
    phone_page.goto(f"{url}/evaluations/campaigns/{campaign.pk}/")
    phone_page.get_by_role("link", name="Đăng ký chi bộ").click()
    phone_page.fill("textarea[name=survey_report]", "Chi bộ có 25 đảng viên, đoàn kết, hoàn thành tốt nhiệm vụ.")
    phone_page.fill("input[name=expected_completion]", "2024-11-30")
    phone_page.get_by_role("button", name="Đăng ký").click()
    assert phone_page.locator("#registration-status").inner_text() == "Đã đăng ký"
    registration = Registration.objects.get()

    # The organizing board approves it.
    staff = new_page()
    login(staff, live_server, "alice")
    staff.goto(f"{url}/evaluations/campaigns/registrations/{registration.pk}/")
    staff.get_by_label("Duyệt", exact=True).check()
    staff.get_by_role("button", name="Ghi quyết định").click()
    assert staff.locator("#registration-status").inner_text() == "Đã duyệt"

    # The secretary self-assesses every criterion and uploads evidence.
    phone_page.goto(f"{url}/evaluations/campaigns/registrations/{registration.pk}/assess/")
    ids = {c.code: c.id for c in Criterion.objects.filter(framework=campaign.framework)}
    phone_page.select_option(f"#a_{ids['1.1']}", "1")
    phone_page.select_option(f"#a_{ids['1.2']}", "1")
    phone_page.fill(f"#target_{ids['2.1']}", "0,8")
    phone_page.fill(f"#actual_{ids['2.1']}", "0,5")
    phone_page.fill(f"#actual_{ids['2.2']}", "99")
    phone_page.set_input_files(
        f"#f_{ids['1.1']}", files=[{"name": "nghi-quyet.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    phone_page.get_by_role("button", name="Lưu và gửi Ban Tổ chức").click()
    phone_page.get_by_role("link", name="📎 nghi-quyet.pdf").first.wait_for()
    assert "Đạt" in phone_page.locator("#current-result").inner_text()

    # The board appraises item by item (a change needs a reason) and confirms.
    staff.goto(f"{url}/evaluations/campaigns/registrations/{registration.pk}/appraise/")
    staff.select_option(f"select[name=aa_{ids['1.2']}]", "0")
    staff.get_by_role("button", name="Lưu kết quả thẩm định").click()
    assert "Nêu lý do điều chỉnh" in staff.content()
    staff.select_option(f"select[name=aa_{ids['1.2']}]", "1")
    staff.fill(f"input[name=r_{ids['1.2']}]", "Đã kiểm tra hồ sơ")
    staff.get_by_role("button", name="Lưu kết quả thẩm định").click()
    staff.get_by_role("button", name="Xác nhận kết quả").click()
    assert staff.locator("#final-result").inner_text() == "Đạt"

    # The committee records its recognition decision.
    staff.goto(f"{url}/evaluations/campaigns/{campaign.pk}/recognition/")
    assert "Chi bộ Tổ dân phố số 3" in staff.locator("#proposal-new").inner_text()
    staff.fill("input[name=number]", "125-QĐ/TU")
    staff.fill("input[name=decided_on]", "2025-03-15")
    staff.fill("input[name=signer]", "Đỗ Văn Nghị")
    staff.get_by_label("Chi bộ Tổ dân phố số 3").check()
    staff.get_by_role("button", name="Ghi quyết định").click()
    staff.get_by_text("125-QĐ/TU").wait_for()
    assert RecognitionDecision.objects.get().registrations.get() == registration


def _school_framework(tree, base):
    """Seed 004: the school cell derives the four-good framework and adds its own indicators."""
    own = Framework.objects.create(
        code="4T-TRUONG",
        name="Bốn tốt Chi bộ Trường",
        kind="four_good",
        owner=tree.school,
        parent=base,
        status="published",
    )
    group = Criterion.objects.get(framework=base, code="2")
    Criterion.objects.create(
        framework=own,
        parent=group,
        code="2.3",
        title="Tỷ lệ học sinh lên lớp thẳng",
        unit="%",
        comparator=">=",
        target=Decimal("98.0"),
        target_settable_by_cell=True,
    )
    Criterion.objects.create(
        framework=own, parent=group, code="2.4", title="Kết nạp đảng viên", comparator=">=", target=Decimal("6")
    )
    return own


def test_seed_004_every_indicator_met_with_htnv_fails_and_with_httnv_passes(
    desktop_page, new_page, live_server, tree, people
):
    base = builders.four_good_framework(tree.district)
    _school_framework(tree, base)
    campaign = builders.campaign(tree, base, registration_deadline=None)
    registration = builders.participant(campaign, tree.school)
    secretary = UserFactory(username="bithu")
    assign(secretary, tree.school, Role.SECRETARY)
    services.ratings.year_rating_set(organization=tree.school, year=builders.YEAR, rating="HTNV", acting_user=None)
    url = live_server.url

    page = new_page(phone=True)
    login(page, live_server, "bithu")
    page.goto(f"{url}/evaluations/campaigns/registrations/{registration.pk}/assess/")
    ids = {c.code: c.id for c in Criterion.objects.filter(framework__in=registration.framework.lineage())}
    page.select_option(f"#a_{ids['1.1']}", "1")
    page.fill(f"#target_{ids['2.1']}", "0.5")
    page.fill(f"#actual_{ids['2.1']}", "0.3")
    page.fill(f"#actual_{ids['2.2']}", "98.5")
    page.fill(f"#target_{ids['2.3']}", "98")
    page.fill(f"#actual_{ids['2.3']}", "99.1")
    page.fill(f"#actual_{ids['2.4']}", "6")
    page.get_by_role("button", name="Lưu và gửi Ban Tổ chức").click()
    page.locator("#current-result").wait_for()
    registration.refresh_from_db()
    assert (registration.level_code, registration.failed) == ("dat", "")  # every indicator met...
    assert page.locator("#current-result").inner_text() == "Không đạt"  # ...but rated HTNV

    login(desktop_page, live_server, "alice")
    desktop_page.goto(f"{url}/evaluations/campaigns/ratings/?year={builders.YEAR}")
    desktop_page.select_option("select[name=organization]", str(tree.school.pk))
    desktop_page.fill("#id_year", str(builders.YEAR))
    desktop_page.select_option("select[name=rating]", "HTTNV")
    desktop_page.get_by_role("button", name="Lưu xếp loại").click()
    desktop_page.get_by_text("Đã lưu xếp loại.").wait_for()
    desktop_page.goto(f"{url}/evaluations/campaigns/registrations/{registration.pk}/")
    assert desktop_page.locator("#current-result").inner_text() == "Đạt"
    desktop_page.get_by_role("button", name="Xác nhận kết quả").click()
    assert desktop_page.locator("#final-result").inner_text() == "Đạt"
