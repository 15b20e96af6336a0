"""The appraisal queue: newest waiting first, filtered by cell, month and status, with how long each waited."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cells.models import AuditEntry
from cells.text import fold
from evaluations.meetings.models import Meeting

from .helpers import FULL, scored_meeting

pytestmark = pytest.mark.django_db


def _submitted(cell, date, days_ago):
    meeting = scored_meeting(cell, date=date)
    Meeting.objects.filter(pk=meeting.pk).update(submitted_at=timezone.now() - datetime.timedelta(days=days_ago))
    return Meeting.objects.get(pk=meeting.pk)


@pytest.fixture
def queue_meetings(tree, framework):
    return {
        "old": _submitted(tree.cell, datetime.date(2024, 3, 10), 30),
        "new": _submitted(tree.school, datetime.date(2024, 4, 8), 2),
        "mid": _submitted(tree.cell, datetime.date(2024, 4, 12), 10),
    }


def _rows(response):
    return [m.pk for m in response.context["meetings"]]


def test_the_queue_starts_with_the_newest_submitted_and_says_how_long_each_waited(client, people, queue_meetings):
    client.force_login(people.alice)
    page = client.get(reverse("evaluations:meetings:queue"))
    assert _rows(page) == [queue_meetings["new"].pk, queue_meetings["mid"].pk, queue_meetings["old"].pk]
    body = page.content.decode()
    assert "Chờ 2 ngày" in body and "Chờ 30 ngày" in body
    assert "Đã tự chấm, chờ thẩm định" in body
    oldest = client.get(reverse("evaluations:meetings:queue"), {"order": "oldest"})
    assert _rows(oldest) == [queue_meetings["old"].pk, queue_meetings["mid"].pk, queue_meetings["new"].pk]


def test_the_queue_filters_by_cell_month_and_status(client, tree, people, queue_meetings):
    client.force_login(people.alice)
    url = reverse("evaluations:meetings:queue")
    assert _rows(client.get(url, {"cell": tree.cell.pk})) == [queue_meetings["mid"].pk, queue_meetings["old"].pk]
    assert _rows(client.get(url, {"month": "2024-04"})) == [queue_meetings["new"].pk, queue_meetings["mid"].pk]
    assert _rows(client.get(url, {"month": "04/2024", "cell": tree.cell.pk})) == [queue_meetings["mid"].pk]
    # 31 March is in March; nothing of April leaks in.
    assert _rows(client.get(url, {"month": "2024-03"})) == [queue_meetings["old"].pk]

    appraise = reverse("evaluations:meetings:appraise", args=[queue_meetings["old"].pk])
    client.post(appraise, {f"a_{code.replace('.', '_')}": value for code, value in FULL.items()})
    entry = AuditEntry.objects.filter(action="meeting.appraise", object_id=str(queue_meetings["old"].pk)).get()
    assert entry.actor == people.alice
    assert queue_meetings["old"].pk not in _rows(client.get(url))
    appraised = client.get(url, {"status": "appraised"})
    assert _rows(appraised) == [queue_meetings["old"].pk]
    assert "Đã thẩm định" in appraised.content.decode()
    assert "Thẩm định 0" not in appraised.content.decode()
    assert len(_rows(client.get(url, {"status": "all"}))) == 3


def test_an_unreadable_month_is_refused_with_a_message_and_filters_nothing(client, people, queue_meetings):
    client.force_login(people.alice)
    page = client.get(reverse("evaluations:meetings:queue"), {"month": "2024-13"}, follow=True)
    assert "không đọc được" in page.content.decode()
    assert len(_rows(page)) == 3


def test_the_cell_filter_offers_only_cells_in_the_users_appraisal_scope(
    client, tree, people, sam_assigned, queue_meetings
):
    client.force_login(people.sam)
    page = client.get(reverse("evaluations:meetings:queue"))
    assert [c.pk for c in page.context["cells"]] == [tree.cell.pk]
    # Asking for a cell outside the scope shows nothing of it.
    assert _rows(client.get(reverse("evaluations:meetings:queue"), {"cell": tree.school.pk})) == []


def test_a_scope_too_large_for_a_list_filters_by_cell_name_instead(client, tree, people, queue_meetings, monkeypatch):
    """A province's staff appraise for thousands of cells: the filter is a name search (diacritics and case
    ignored), not a list of every cell drawn on each visit."""
    from evaluations.meetings import selectors

    client.force_login(people.alice)
    url = reverse("evaluations:meetings:queue")
    assert client.get(url).context["cells"] is not None
    monkeypatch.setattr(selectors, "CELL_CHOICES_LIMIT", 1)
    page = client.get(url)
    assert page.context["cells"] is None
    assert b'name="cell_name"' in page.content and b'name="cell"' not in page.content
    words = tree.school.name.split()[-2:]
    found = client.get(url, {"cell_name": " ".join(words).upper()})
    assert _rows(found) == [queue_meetings["new"].pk]
    folded = client.get(url, {"cell_name": fold(tree.cell.name)})
    assert _rows(folded) == [queue_meetings["mid"].pk, queue_meetings["old"].pk]
    # The order link keeps the name searched.
    assert "cell_name=" in folded.content.decode() and "order=oldest" in folded.content.decode()
