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


def _chart(page: str) -> dict:
    import json

    found = re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', page, re.S)
    return json.loads(found[1])


def test_the_figures_are_the_meetings_counted_once(client, tree, people, meetings, campaign):
    """Q1 2024 (fixture): the residential cell's three Tốt meetings (Jan, Feb, Mar), the school's one Kém
    (Jan). A draft of April is not counted (drafts are not declared; README, "Rankings")."""
    scored_meeting(tree.cell, submit=False, date=datetime.date(2024, 4, 10))
    client.force_login(people.lena)
    chart = _chart(_dashboard(client, tree).content.decode())
    quality = {series["label"]: series["data"] for series in chart["quality"]["series"]}
    assert quality == {"Tốt": [1, 1, 1] + [0] * 9, "Kém": [1] + [0] * 11}
    assert chart["quality"]["labels"][:2] == ["01/2024", "02/2024"]
    types = dict(
        zip(chart["types"]["labels"], zip(*[s["data"] for s in chart["types"]["series"]], strict=True), strict=True)
    )
    labels = [series["label"] for series in chart["types"]["series"]]
    by_type = {name: dict(zip(labels, counts, strict=True)) for name, counts in types.items()}
    assert sorted(by_type.values(), key=lambda d: d["Tốt"]) == [{"Tốt": 0, "Kém": 1}, {"Tốt": 3, "Kém": 0}]
    # The campaign's target: 2 new recognitions; 1 reached.
    [target, result] = chart["targets"]["series"]
    assert (target["data"], result["data"]) == ([2.0], [1.0])
