"""At a desk (1280 px), a province leader: the briefing with this year's targets, the reports list with
last quarter's report built by a real worker, its PDF downloaded, and a six-month review asked for and
built by the worker. A registration's history reads in Vietnamese."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cells.periods import Period, last_ended
from evaluations.campaigns.models import Campaign, CampaignTarget
from reports import services
from reports.models import ReportRun
from tests.browser import login, wait_for_script
from tests.evaluations.campaigns import builders
from tests.evaluations.meetings.helpers import make_framework, scored_meeting
from tests.reports.pdftext import pdf_text
from tests.worker import wait_until

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_a_leader_reads_the_briefing_downloads_last_quarters_report_and_asks_for_a_review(
    desktop_page, live_server, celery_worker_process, tree, people, officers
):
    from cells import services as cell_services

    cell_services.organization_update(
        organization=tree.district, sign="TU", place="Lào Cai", signer_name="Lê Quang Việt", acting_user=None
    )
    today = timezone.localdate()
    make_framework(tree.province)
    for year in (today.year - 1, today.year):
        scored_meeting(tree.cell, date=datetime.date(year, 3, 10))
    campaign = builders.campaign(tree)
    Campaign.objects.filter(pk=campaign.pk).update(year=today.year, name=f"Kế hoạch chi bộ kiểu mẫu năm {today.year}")
    CampaignTarget.objects.create(campaign=campaign, metric="recognized_new", value=4)
    quarter = last_ended("quarter", today).code
    [scheduled] = [
        run
        for run in services.report_runs_schedule(kind="quarterly", period=quarter, root=tree.district)
        if run.organization_id == tree.district.pk
    ]
    wait_until(
        lambda: ReportRun.objects.get(pk=scheduled.pk).status == "done", timeout=120, worker=celery_worker_process
    )

    page = desktop_page
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    login(page, live_server, "lena")
    briefing = page.locator("#briefing")
    briefing.wait_for()
    assert f"Thành ủy Một · {today.year}" in briefing.inner_text()
    targets = page.locator(".briefing-targets").inner_text()
    assert f"Kế hoạch chi bộ kiểu mẫu năm {today.year}" in targets and "Chi bộ được công nhận mới" in targets
    assert page.locator(".briefing-targets .progress").count() == 1
    wait_for_script(page, "() => window.Chart && Chart.getChart('chart-compare')")

    page.locator('[data-nav-group="reports"] > a.dropdown-toggle').click()
    page.locator('[data-nav-group="reports"] a.dropdown-item[href="/reports/"]').click()
    page.wait_for_url("**/reports/")
    row = (
        page.locator("tr", has_text="Báo cáo quý về sinh hoạt chi bộ")
        .filter(has_text=Period.parse(quarter).display)  # "Quý III/2026", as the list writes it
        .filter(has_text="Thành ủy Một")
    )
    with page.expect_download() as info:
        row.locator("a", has_text="Tải về").click()
    text = pdf_text(open(info.value.path(), "rb").read())
    assert "-BC/TU" in text and "Lào Cai, ngày" in text and "Lê Quang Việt" in text and "DỰ THẢO" in text

    page.locator("main a.btn", has_text="Yêu cầu báo cáo").click()
    page.wait_for_url("**/reports/new/**")
    page.select_option("select[name=kind]", "six_month")
    page.select_option("select[name=organization]", str(tree.district.pk))
    page.select_option("select[name=period]", f"{today.year}-H1")
    page.click("main input[type=submit], main button[type=submit]")
    page.wait_for_url("**/reports/*/")
    download = page.locator("#run-status a.btn-success")
    download.wait_for(timeout=120_000)  # htmx polls until the worker has built it
    run = ReportRun.objects.filter(kind="six_month").get()
    assert run.requested_by == people.lena and run.status == "done" and run.pages >= 1
    assert not errors


def test_a_registrations_history_reads_in_vietnamese(desktop_page, live_server, tree, people):
    from evaluations.campaigns.services.registration import registration_decide

    campaign = builders.campaign(tree)
    registration = builders.participant(campaign, tree.cell, status="submitted")
    registration_decide(registration=registration, decision="return", reason="Thiếu biên bản", acting_user=people.alice)
    page = desktop_page
    login(page, live_server, "alice")
    page.goto(live_server.url + reverse("evaluations:registration_detail", args=[registration.pk]))
    history = page.locator("#registration-history").inner_text()
    name = people.alice.get_full_name()
    assert f"{name}: Trả lại đăng ký để bổ sung — trạng thái từ “Đã đăng ký” thành “Trả lại để bổ sung”" in " ".join(
        history.split()
    )
    assert "lý do: Thiếu biên bản" in history and "registration." not in history
    assert timezone.localdate().strftime("%d/%m/%Y") in history
