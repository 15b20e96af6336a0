"""The staff home (the briefing) and the dashboard run a pinned number of queries whatever the size of the
subtree: more cells, meetings of every kind and level over more months, drafts, a cell moved. They read the
meeting figures kept on write (evaluations/meetings/services/summaries.py), one grouped read each, and the
briefing's attention list is cached under the figures' version. (Each campaign of the committee's year adds
its targets' read and its kept figures' stamp: campaigns are few per committee and year.)"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cells import services as cell_services
from cells.models import Level
from evaluations.meetings.models import ThematicTopic
from tests.evaluations.meetings.helpers import make_framework, make_meeting, scored_meeting
from tests.factories import make_org

pytestmark = pytest.mark.django_db

# 21 and 18 before the targets read the campaign page's kept figures (evaluations/campaigns/page_cache.py):
# one stamp query then stands for the grouped counts of the registrations and the subtree.
PINNED = {"home": 17, "reports:dashboard": 14}


def _url(name: str, tree) -> str:
    if name == "home":
        return reverse("home") + "?year=2024"
    return reverse("reports:dashboard") + f"?org={tree.district.pk}&year=2024"


def _count(client, url: str) -> int:
    # Twice before counting: after a change of the tree, the first visit rebuilds a campaign's standings and
    # the second works out its figures again under the new stamp; from then on they are kept.
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _more(tree, batch: int) -> None:
    """Cells with regular, thematic and draft meetings over several months; a grassroots organisation's
    committee meeting; a cell moved to the sibling district in the year."""
    grassroots = make_org(f"Đảng ủy phường Lô {batch}", Level.GRASSROOTS, tree.district, code=f"GQ{batch}")
    topic = ThematicTopic.objects.first() or ThematicTopic.objects.create(code="t", title="Chuyên đề")
    for n in range(3):
        cell = make_org(f"Chi bộ Lô {batch}.{n}", Level.CELL, grassroots, "public_service", code=f"CQ{batch}{n}")
        for month in (2, 5, 11):
            scored_meeting(cell, values={"1.1": 10, "2.1": 5 * n}, date=datetime.date(2024, month, 5))
        scored_meeting(cell, submit=False, date=datetime.date(2024, 12, 5))
        make_meeting(cell, kind="thematic", topic=topic, date=datetime.date(2024, 6, 9))
    make_meeting(grassroots, kind="committee", date=datetime.date(2024, 3, 3))
    cell_services.organization_move(
        organization=cell, new_parent=tree.other_grassroots, effective_on=datetime.date(2024, 9, 1), acting_user=None
    )


@pytest.mark.parametrize("name", sorted(PINNED))
def test_the_page_runs_the_same_pinned_queries_whatever_the_subtree(name, client, tree, people, meetings, campaign):
    make_framework(tree.province, code="SH-Q")
    client.force_login(people.lena)
    few = _count(client, _url(name, tree))
    _more(tree, 1)
    _more(tree, 2)
    many = _count(client, _url(name, tree))
    assert (few, many) == (PINNED[name], PINNED[name])
