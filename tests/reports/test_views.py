"""The report pages: request, progress, download, retry; scope on every object."""

import datetime

from django.urls import reverse

from reports.models import ReportRun
from tests.reports.pdftext import pdf_text


def test_staff_requests_a_report_and_is_shown_its_progress(
    client, tree, people, officers, django_capture_on_commit_callbacks
):
    client.force_login(people.alice)
    data = {
        "kind": "committee_completeness",
        "organization": tree.district.pk,
        "period": "2024-q1",
        "format": "pdf",
        "number": "15-BC/TU",
        "place": "Yên Bái",
        "issued_on": "2024-04-05",
        "signer_on_behalf": "T/M BAN THƯỜNG VỤ",
        "signer_position": "BÍ THƯ",
        "signer_name": "Hoàng Văn Sơn",
        "recipients": "Ban Tổ chức Tỉnh ủy\nLưu Văn phòng",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:run_create"), data)
    run = ReportRun.objects.get()
    assert response.status_code == 302 and response.url == reverse("reports:run_detail", args=[run.pk])
    assert run.period == "2024-Q1" and run.issued_on == datetime.date(2024, 4, 5)
    page = client.get(response.url).content.decode()
    assert reverse("reports:run_download", args=[run.pk]) in page
    download = client.get(reverse("reports:run_download", args=[run.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert 'filename="committee_completeness-D1-2024-Q1.pdf"' in download["Content-Disposition"]
    assert "Hoàng Văn Sơn" in pdf_text(b"".join(download.streaming_content))


def test_the_form_proposes_the_document_fields_of_the_chosen_committee(client, tree, people):
    from django.utils import timezone

    client.force_login(people.alice)
    page = client.get(reverse("reports:run_create"), {"org": tree.district.pk}).content.decode()
    assert f'value="{timezone.localdate():%d/%m/%Y}"' in page  # dd/mm/yyyy whatever the browser's language
    assert "T/M BAN THƯỜNG VỤ" in page
    # The header's bodies are left empty: the build names them as the tree stood in the chosen period.
    assert 'name="issuing_body"' in page and "THÀNH ỦY MỘT" not in page
    assert "Tỉnh ủy Thử nghiệm (để báo cáo)" in page and "Các tổ chức đảng trực thuộc" in page


def test_the_form_offers_only_committees_in_scope(client, tree, people):
    client.force_login(people.charlie)
    page = client.get(reverse("reports:run_create")).content.decode()
    assert "Huyện ủy Hai" in page and "Thành ủy Một" not in page
    response = client.post(reverse("reports:run_create"), {"organization": tree.district.pk, "kind": "x"})
    assert response.status_code == 200 and not ReportRun.objects.exists()


def test_an_unfinished_run_polls_its_progress(client, tree, people):
    from tests.reports.conftest import request_run

    run = request_run(tree, people)  # never committed in this test: stays queued
    client.force_login(people.lena)
    fragment = client.get(reverse("reports:run_progress", args=[run.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in fragment
    assert client.get(reverse("reports:run_download", args=[run.pk])).status_code == 404


def test_a_finished_run_stops_polling(client, stored_run, people):
    client.force_login(people.lena)
    fragment = client.get(reverse("reports:run_progress", args=[stored_run.pk])).content.decode()
    assert "hx-trigger" not in fragment


def test_leadership_cannot_retry_but_staff_can(client, tree, people, stored_run):
    ReportRun.objects.filter(pk=stored_run.pk).update(status="failed", error="boom")
    client.force_login(people.lena)
    assert client.post(reverse("reports:run_retry", args=[stored_run.pk])).status_code == 404
    client.force_login(people.alice)
    assert client.post(reverse("reports:run_retry", args=[stored_run.pk])).status_code == 302


def test_the_outsider_cannot_download_another_subtrees_report_by_its_url(client, stored_run, people):
    client.force_login(people.charlie)
    assert client.get(reverse("reports:run_download", args=[stored_run.pk])).status_code == 404
    assert client.get(reverse("reports:run_detail", args=[stored_run.pk])).status_code == 404
    assert "Thành ủy Một" not in client.get(reverse("reports:run_list")).content.decode()


def test_the_run_list_does_not_grow_in_queries_with_its_rows(client, tree, people, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.reports.conftest import request_run

    request_run(tree, people, period="2024-Q1")
    client.force_login(people.alice)
    client.get(reverse("reports:run_list"))  # warm the session
    with CaptureQueriesContext(connection) as baseline:
        client.get(reverse("reports:run_list"))
    for period in ("2024-Q2", "2024-Q3", "2024-Q4", "2024"):
        request_run(tree, people, period=period, kind="organization_overview")
    with django_assert_num_queries(len(baseline.captured_queries)):
        response = client.get(reverse("reports:run_list"))
    assert response.content.decode().count(reverse("reports:run_list")) >= 1


def test_leadership_reads_reports_and_may_ask_for_one_but_a_secretary_may_not(client, people):
    client.force_login(people.lena)
    assert client.get(reverse("reports:run_list")).status_code == 200
    assert client.get(reverse("reports:run_create")).status_code == 200
    client.force_login(people.sue)
    assert client.get(reverse("reports:run_list")).status_code == 200
    assert client.get(reverse("reports:run_create")).status_code == 404
