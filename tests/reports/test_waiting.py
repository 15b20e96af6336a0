"""Reports waiting for leadership: they ask for any kind of their subtree, the schedule's runs land in
each committee's list with a notification, the demo queues last quarter's and last year's, and a
report's link needs a login and the scope."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cells.models import AuditEntry, Level, Member, Notification, Organization
from reports import services
from reports.models import ReportRun, RunStatus
from tests.reports.conftest import request_run


def _counts():
    return (AuditEntry.objects.count(), Member.objects.count(), Organization.objects.count())


def test_leadership_asks_for_a_six_month_review_of_their_committee(client, tree, people, officers):
    client.force_login(people.lena)
    assert client.get(reverse("reports:run_create")).status_code == 200
    response = client.post(
        reverse("reports:run_create"),
        {
            "kind": "six_month",
            "organization": tree.district.pk,
            "period": "2024-H1",
            "format": "pdf",
            "issued_on": "2024-07-05",
        },
    )
    run = ReportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:run_detail", args=[run.pk])
    assert (run.kind, run.organization, run.requested_by, run.scheduled) == (
        "six_month",
        tree.district,
        people.lena,
        False,
    )
    assert AuditEntry.objects.filter(action="report.request", actor=people.lena).count() == 1


def test_building_a_report_changes_no_record_and_tells_the_requester(tree, people, officers):
    run = request_run(tree, people, acting_user=people.lena, kind="six_month", period="2024-H1")
    before = _counts()
    services.report_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE, run.error
    assert _counts() == before
    note = Notification.objects.get(user=people.lena)
    assert note.url == reverse("reports:run_detail", args=[run.pk])
    assert "Sơ kết 6 tháng" in note.title and "Thành ủy Một" in note.title
    services.report_run_execute(run_id=run.pk)  # delivered twice: told once
    assert Notification.objects.filter(user=people.lena).count() == 1


def test_leadership_cannot_ask_outside_their_subtree(client, tree, people):
    client.force_login(people.lena)
    response = client.post(
        reverse("reports:run_create"),
        {
            "kind": "quarterly",
            "organization": tree.other_district.pk,
            "period": "2024-Q1",
            "format": "pdf",
            "issued_on": "2024-04-05",
        },
    )
    assert response.status_code == 200 and not ReportRun.objects.exists()
    assert client.get(reverse("reports:run_create") + f"?org={tree.other_district.pk}").status_code == 404
    with pytest.raises(PermissionDenied):
        request_run(tree, people, acting_user=people.lena, organization=tree.other_district)
    assert not ReportRun.objects.exists()


def test_a_secretary_asks_for_no_report(client, tree, people):
    client.force_login(people.sue)
    assert client.get(reverse("reports:run_create")).status_code == 404
    with pytest.raises(PermissionDenied):
        request_run(tree, people, acting_user=people.sue)
    with pytest.raises(ValidationError):
        request_run(tree, people, acting_user=people.sue, organization=tree.cell)
    assert not ReportRun.objects.exists()


def test_scheduled_reports_land_in_each_committees_list_with_a_notification(client, tree, people, officers):
    runs = services.report_runs_schedule(kind="quarterly", period="2024-Q1")
    assert {run.organization for run in runs} == {
        tree.province,
        tree.district,
        tree.grassroots,
        tree.other_district,
        tree.other_grassroots,
    }
    district_run = next(run for run in runs if run.organization == tree.district)
    assert district_run.draft  # the system's reports wait for the office to number and sign them
    services.report_run_execute(run_id=district_run.pk)
    told = set(Notification.objects.filter(key=f"report:{district_run.pk}").values_list("user__username", flat=True))
    assert told == {"alice", "lena"}  # the district's staff and leadership; not charlie, not sue
    client.force_login(people.lena)
    page = client.get(reverse("reports:run_list") + f"?org={tree.district.pk}").content.decode()
    assert reverse("reports:run_download", args=[district_run.pk]) in page
    assert page.count(f'href="{reverse("reports:run_detail", args=[district_run.pk])}"') == 1
    other = next(run for run in runs if run.organization == tree.grassroots)
    assert f'href="{reverse("reports:run_detail", args=[other.pk])}"' not in page  # narrowed to the district's own
    assert client.get(reverse("reports:run_list") + f"?org={tree.other_district.pk}").status_code == 404


def test_the_demo_queues_last_quarters_and_last_years_reports_of_its_province(tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        runs = services.report_runs_queue_demo(province=tree.district, today=datetime.date(2026, 12, 1))
    assert sorted((run.kind, run.period, run.organization.code) for run in runs) == [
        ("quarterly", "2026-Q3", "D1"),
        ("quarterly", "2026-Q3", "G1"),
        ("year_end", "2025", "D1"),
        ("year_end", "2025", "G1"),
    ]
    assert len(queued) == 4  # one build task each, sent when the load commits
    assert all(run.scheduled and run.status == RunStatus.QUEUED for run in runs)


def test_a_shared_link_needs_a_login_and_the_scope(client, tree, people, stored_run):
    url = reverse("reports:run_detail", args=[stored_run.pk])
    client.force_login(people.lena)
    page = client.get(url).content.decode()
    assert f'value="http://testserver{url}"' in page
    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.force_login(people.charlie)
    assert client.get(url).status_code == 404
    assert client.get(reverse("reports:run_download", args=[stored_run.pk])).status_code == 404


def test_the_committees_page_links_to_its_reports(client, tree, people):
    client.force_login(people.lena)
    page = client.get(reverse("cells:organization_detail", args=[tree.district.pk])).content.decode()
    assert f"{reverse('reports:run_list')}?org={tree.district.pk}" in page
    assert tree.district.level == Level.DISTRICT
