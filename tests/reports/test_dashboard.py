"""The leadership dashboard: figures by month, by cell type and against targets, each linking to its rows."""

import datetime
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.evaluations.meetings.helpers import scored_meeting


def _dashboard(client, tree, year=2024):
    return client.get(reverse("reports:dashboard"), {"org": tree.district.pk, "year": year})


def test_leadership_sees_the_figures_and_each_links_to_its_rows(client, tree, people, meetings, campaign):
    client.force_login(people.lena)
    page = _dashboard(client, tree).content.decode()
    assert 'id="dashboard-data"' in page and "vendor/chartjs/chart.umd.min.js" in page
    links = re.findall(r'href="(/reports/dashboard/rows/\?[^"]+)"', page)
    quality_march = [link for link in links if "figure=quality" in link and "month=3" in link and "level=tot" in link]
    assert quality_march
    rows = client.get(quality_march[0].replace("&amp;", "&")).content.decode()
    assert "Chi bộ Tổ dân phố số 3" in rows and "10/03/2024" in rows
    assert "Chi bộ Trường Tiểu học" not in rows
    target_links = [link for link in links if "figure=target" in link]
    assert target_links  # the campaign's targets, against results


def test_the_type_figure_lists_the_meetings_of_that_cell_type(client, tree, people, meetings):
    client.force_login(people.lena)
    rows = client.get(
        reverse("reports:dashboard_rows"),
        {"org": tree.district.pk, "year": 2024, "figure": "type", "cell_type": "public_service", "level": "kem"},
    ).content.decode()
    assert "Chi bộ Trường Tiểu học" in rows and "Chi bộ Tổ dân phố số 3" not in rows


def test_the_outsider_gets_404_for_another_subtrees_dashboard(client, tree, people, meetings):
    client.force_login(people.charlie)
    assert _dashboard(client, tree).status_code == 404
    rows_url = reverse("reports:dashboard_rows")
    assert client.get(rows_url, {"org": tree.district.pk, "year": 2024, "figure": "quality"}).status_code == 404
    assert "Thành ủy Một" not in client.get(reverse("reports:dashboard")).content.decode()


def test_the_dashboard_does_not_grow_in_queries_with_the_meetings(
    client, tree, people, meetings, campaign, django_assert_num_queries
):
    client.force_login(people.lena)
    _dashboard(client, tree)
    with CaptureQueriesContext(connection) as baseline:
        _dashboard(client, tree)
    for month in (4, 5, 6):
        scored_meeting(tree.school, date=datetime.date(2024, month, 12))
    with django_assert_num_queries(len(baseline.captured_queries)):
        _dashboard(client, tree)


def test_the_home_page_shows_the_leadership_panel(client, tree, people):
    client.force_login(people.lena)
    page = client.get(reverse("home")).content.decode()
    assert reverse("reports:dashboard") in page
