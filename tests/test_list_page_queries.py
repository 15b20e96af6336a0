"""Every list page runs a fixed number of queries: the same with three times the rows, and the number
pinned here (a page that starts to grow per row, or gains a query, fails). Counted for staff of the
district (alice) after a first request, as a browser asks a page again; the notification bell included.
bench/bench_pages.py measures what these pages serve per second under gunicorn."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cells.models import Level
from cells.services import notify
from criteria.models import Framework
from evaluations.campaigns.models import Campaign
from reports.models import ReportRun
from tests.evaluations.campaigns import builders
from tests.evaluations.meetings.helpers import assign_supervisor, make_framework, scored_meeting
from tests.factories import make_org

pytestmark = pytest.mark.django_db


def _rows(tree, people, batch: int) -> None:
    """One batch of everything the list pages show: cells with a submitted meeting and a supervisor, report
    runs, a notification, a framework, a campaign with registrations."""
    grassroots = make_org(f"Đảng ủy phường Lô {batch}", Level.GRASSROOTS, tree.district, code=f"GL{batch}")
    for n in range(3):
        cell = make_org(f"Chi bộ Lô {batch}.{n}", Level.CELL, grassroots, "residential", code=f"CL{batch}{n}")
        scored_meeting(cell, date=datetime.date(2024, 3, 5))
        assign_supervisor(cell, people.sam)
        ReportRun.objects.create(kind="quarterly", organization=tree.district, period=f"2024-Q{n + 1}")
    notify(users=[people.alice], kind="info", title=f"Thông báo {batch}", key=f"list-pages-{batch}")
    make_framework(tree.district, code=f"SH-L{batch}")
    campaign = builders.campaign(
        tree, builders.four_good_framework(tree.district, code=f"4T-L{batch}"), code=f"KH-L{batch}"
    )
    for cell in (tree.cell, tree.school):
        builders.participant(campaign, cell)


PAGES = {
    # name: (url, queries)
    # The meeting list reads its levels' labels ("Khá", never "kha") for the page's frameworks (issue 26).
    "evaluations:meetings:list": (lambda: reverse("evaluations:meetings:list") + "?year=2024", 9),
    "evaluations:meetings:queue": (
        lambda: reverse("evaluations:meetings:queue"),
        # + the cell filter: the size of the scope (one read) and, when small, its cells (one read); the rows'
        # frameworks, to name their levels (one read)
        9,
    ),
    "evaluations:campaign_list": (lambda: reverse("evaluations:campaign_list"), 7),
    "evaluations:campaign_detail": (
        lambda: reverse("evaluations:campaign_detail", args=[Campaign.objects.order_by("pk").first().pk]),
        # the participants counted in one grouped read with their levels as they stood on the campaign year's
        # last day (the campaign's kept standings, after the summary's and the tree's stamps); the grassroots
        # committees' registration lists and whether the user may propose one (Y9): two. Was 20: the figures
        # are kept since they were last worked out, under one stamp query (evaluations/campaigns/page_cache.py;
        # working them out is six more, tests/evaluations/campaigns/test_views.py)
        15,
    ),
    "cells:organization_tree": (lambda: reverse("cells:organization_tree"), 6),
    "criteria:framework_list": (lambda: reverse("criteria:framework_list"), 8),
    "reports:run_list": (lambda: reverse("reports:run_list"), 8),
    "cells:notification_list": (lambda: reverse("cells:notification_list"), 7),
    "workbook:index": (lambda: reverse("workbook:index"), 10),
    # + the rating levels' labels, read once for the page, so a meeting's level reads "Khá" (issue 26).
    "cells:audit_trail": (lambda: reverse("cells:audit_trail"), 13),
    # The ranking as a browser asks it again: kept since the first request (evaluations/meetings/ranking_cache.py;
    # computing it is five more, tests/evaluations/meetings/test_ranking_cache.py).
    "evaluations:meetings:ranking": (lambda: reverse("evaluations:meetings:ranking") + "?period=2024", 10),
    "evaluations:meetings:supervision_summary": (
        lambda: reverse("evaluations:meetings:supervision_summary") + "?period=2024-Q1",
        # the root's states, the assignments with their teams' members, the meetings per cell, the names
        10,
    ),
}


def _count(client, url: str) -> int:
    # Asked twice before counting: a page that keeps what it read (the campaign page) may rebuild on the first
    # request what its stamp covers (the campaign's standings, after the tree changed), and keep on the second.
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_a_list_page_runs_the_same_pinned_queries_whatever_its_rows(name, client, tree, people):
    url_of, pinned = PAGES[name]
    make_framework(tree.province)  # the rubric the meetings are scored on
    _rows(tree, people, 1)
    client.force_login(people.alice)
    few = _count(client, url_of())
    _rows(tree, people, 2)
    _rows(tree, people, 3)
    assert Framework.objects.count() >= 3 and ReportRun.objects.count() == 9
    many = _count(client, url_of())
    assert (few, many) == (pinned, pinned)
