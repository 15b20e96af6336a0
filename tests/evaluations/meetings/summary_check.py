"""The meeting summaries recomputed from the raw rows, independently of the service that keeps them.

Each organisation's rows are the meetings counted in Python; each committee's rows use the dashboard's
own reading of the history rule (``reports.dashboard.year_subtree_ids``, i.e. ``cells.history``), one
query per committee and year: slow, obviously right, for tests only.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from cells.models import Organization
from evaluations.meetings.models import Meeting
from evaluations.meetings.summary_models import MeetingMonthFigures, SubtreeMonthFigures
from reports.dashboard import year_subtree_ids

MEASURES = ("meetings", "totalled", "total_hundredths", "key_full", "all_achieved")


def _measures(meeting: Meeting) -> tuple[int, ...]:
    total = meeting.final_total
    return (
        1,
        int(total is not None),
        int(Decimal(total) * 100) if total is not None else 0,
        int(meeting.final_key_full),
        int(meeting.final_all_achieved),
    )


def _add(into: dict, key: tuple, measures) -> None:
    into[key] = [a + b for a, b in zip(into.get(key, [0] * len(MEASURES)), measures, strict=True)]


def expected_rows() -> tuple[dict, dict]:
    meetings = list(Meeting.objects.select_related("organization"))
    own: dict = {}
    for m in meetings:
        key = (m.organization_id, m.date.year, m.date.month, m.kind, m.status, m.final_level, m.framework_id or 0)
        _add(own, key, _measures(m))
    by_org_year = defaultdict(list)
    for m in meetings:
        by_org_year[(m.organization_id, m.date.year)].append(m)
    subtree: dict = {}
    for committee in Organization.objects.all():
        for year in sorted({y for _o, y in by_org_year}):
            for org_id in year_subtree_ids(committee, year):
                for m in by_org_year.get((org_id, year), []):
                    key = (
                        committee.pk,
                        year,
                        m.date.month,
                        m.kind,
                        m.status,
                        m.final_level,
                        m.organization.cell_type_id or 0,
                    )
                    _add(subtree, key, _measures(m))
    return own, subtree


def stored_rows() -> tuple[dict, dict]:
    """The summary rows as kept, leaving out rows that fell back to zero."""
    own = {
        (r.organization_id, r.year, r.month, r.kind, r.status, r.final_level, r.framework): [
            getattr(r, name) for name in MEASURES
        ]
        for r in MeetingMonthFigures.objects.all()
    }
    subtree = {
        (r.committee_id, r.year, r.month, r.kind, r.status, r.final_level, r.cell_type): [
            getattr(r, name) for name in MEASURES
        ]
        for r in SubtreeMonthFigures.objects.all()
    }
    return ({k: v for k, v in own.items() if any(v)}, {k: v for k, v in subtree.items() if any(v)})


def assert_summaries_match() -> None:
    expected_own, expected_subtree = expected_rows()
    own, subtree = stored_rows()
    assert own == expected_own
    assert subtree == expected_subtree
