"""The ranking page keeps a committee's ranking while nothing it reads has changed (ranking_cache): after each
change made through the services, the kept ranking must be the one computed afresh; without a change, the
page reads it back with the stamp's queries only."""

import dataclasses
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cells import services as cell_services
from cells.periods import Period
from evaluations.meetings import services
from evaluations.meetings.ranking_cache import cached_ranking, forget_rankings
from evaluations.meetings.selectors import ranking
from evaluations.meetings.services.recording import AppraisalChange

from .helpers import FULL, make_framework, make_meeting, scored_meeting

pytestmark = pytest.mark.django_db

YEAR = Period.parse("2024")
KHA = FULL | {"3.2": 0}


def _rows(result):
    return [dataclasses.astuple(row) for row in result.rows]


def _same_as_afresh(root, **options):
    kept = cached_ranking(root, YEAR, **options)
    assert _rows(kept) == _rows(ranking(root, YEAR, **options))
    return kept


def test_a_kept_ranking_follows_every_change_through_the_services(tree, people, sam_assigned):
    make_framework(tree.province)
    meeting = scored_meeting(tree.cell, date=datetime.date(2024, 3, 10))
    first = _same_as_afresh(tree.province)
    assert cached_ranking(tree.province, YEAR) is first  # nothing changed: the same ranking
    assert _same_as_afresh(tree.province, cell_type="public_service") is not first  # other options, another

    scored_meeting(tree.school, values=KHA, date=datetime.date(2024, 4, 10))  # a meeting scored
    second = _same_as_afresh(tree.province)
    assert second is not first and next(r for r in second.rows if r.org_code == "C2").meetings_held == 1

    make_meeting(tree.school, date=datetime.date(2024, 5, 10))  # a draft recorded: held, not scored
    assert next(r for r in _same_as_afresh(tree.province).rows if r.org_code == "C2").meetings_held == 2

    changes = {"3.2": AppraisalChange(0, "Không thảo luận")}  # appraised at 80
    services.recording.meeting_appraise(meeting=meeting, changes=changes, acting_user=people.sam)
    assert next(r for r in _same_as_afresh(tree.province).rows if r.org_code == "C1").average_points == 80
    _same_as_afresh(tree.province)

    cell_services.organization_rename(  # a rename within the year: the name on its last day
        organization=tree.cell, new_name="Chi bộ Tổ dân phố số 3 mới", effective_on=datetime.date(2024, 6, 1),
        acting_user=None,
    )  # fmt: skip
    renamed = _same_as_afresh(tree.province)
    assert next(r for r in renamed.rows if r.org_code == "C1").name == "Chi bộ Tổ dân phố số 3 mới"

    cell_services.organization_move(  # a cell moved to another district: in its year, no more in this one's
        organization=tree.school, new_parent=tree.other_grassroots, effective_on=datetime.date(2024, 7, 1),
        acting_user=None,
    )  # fmt: skip
    assert "C2" not in {r.org_code for r in _same_as_afresh(tree.district).rows}
    assert "C2" in {r.org_code for r in _same_as_afresh(tree.other_district).rows}


def test_the_page_reads_a_kept_ranking_with_the_stamps_queries_only(client, tree, people, django_assert_num_queries):
    make_framework(tree.province)
    scored_meeting(tree.cell, date=datetime.date(2024, 3, 10))
    client.force_login(people.alice)
    url = reverse("evaluations:meetings:ranking")
    params = {"org": tree.district.pk, "period": "2024"}
    first = client.get(url, params)
    assert first.status_code == 200
    with CaptureQueriesContext(connection) as kept:
        again = client.get(url, params)
    assert _rows(again.context["result"]) == _rows(first.context["result"])
    with django_assert_num_queries(len(kept) + 5):  # the ranking's own five, when it is not kept
        forget_rankings()
        assert _rows(client.get(url, params).context["result"]) == _rows(first.context["result"])
