"""In the browser: a report requested on the form is built by a real Celery worker and downloads; the
dashboard draws its charts on a phone and a figure opens its rows."""

import pytest

from tests.browser import login, wait_for_script
from tests.reports.pdftext import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_staff_requests_a_report_a_worker_builds_it_and_it_downloads(
    desktop_page, live_server, celery_worker_process, tree, people, officers
):
    page = desktop_page
    login(page, live_server, "alice")
    page.goto(f"{live_server.url}/reports/new/?org={tree.district.pk}")
    page.select_option("select[name=kind]", "committee_completeness")
    page.select_option("select[name=period]", "2024-Q1")
    page.fill("input[name=number]", "15-BC/TU")
    page.fill("input[name=place]", "Yên Bái")
    page.fill("input[name=signer_name]", "Hoàng Văn Sơn")
    page.click("main input[type=submit], main button[type=submit]")
    page.wait_for_url("**/reports/*/")
    download_link = page.locator("#run-status a.btn-success")
    download_link.wait_for(timeout=90_000)  # htmx polls the status until the worker is done
    with page.expect_download() as info:
        download_link.click()
    download = info.value
    assert download.suggested_filename == "committee_completeness-D1-2024-Q1.pdf"
    text = pdf_text(open(download.path(), "rb").read())
    assert "Hoàng Văn Sơn" in text and "Chi bộ Tổ dân phố số 3" in text


def test_the_dashboard_draws_its_charts_on_a_phone_and_a_figure_opens_its_rows(
    phone_page, live_server, tree, people, meetings, campaign
):
    page = phone_page
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    login(page, live_server, "lena")
    page.goto(f"{live_server.url}/reports/dashboard/?org={tree.district.pk}&year=2024")
    wait_for_script(page, "() => window.Chart && Chart.getChart('chart-quality') && Chart.getChart('chart-targets')")
    assert not errors
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.locator("a[href*='figure=quality'][href*='month=3']").first.click()
    page.wait_for_url("**/dashboard/rows/**")
    assert "Chi bộ Tổ dân phố số 3" in page.content()
