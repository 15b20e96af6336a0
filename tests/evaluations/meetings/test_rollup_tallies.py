"""The ranking counts what a roll-up rule reads in its own GROUP BY (meetings, own levels, totals, the latest
rated meeting's framework); each cell's roll-up level must be what the rule says from its meetings read one
by one (``rollup_level`` over the period's rows, the rule of the latest regular meeting's framework).

The cells mix what the counting could get wrong: drafts (held, their totals in a roll-up's average but not
in the ranking's), thematic meetings, a meeting never scored (no level: below every level), a framework
changed within the year both ways (the latest decides, whichever id is higher), a rule on the average."""

import datetime
from decimal import Decimal

import pytest

from cells.models import Level
from cells.periods import Period
from criteria.models import Framework, RollupLevel
from criteria.scoring import rollup_level
from criteria.selectors import forget_rubrics, load_rollups, load_rubric
from evaluations.meetings.models import Meeting, MeetingKind, ThematicTopic
from evaluations.meetings.selectors import ranking
from tests.factories import make_org

from .helpers import FULL, make_framework, make_meeting, scored_meeting

pytestmark = pytest.mark.django_db

DAY_IN_MAY = datetime.date(2024, 5, 20)
KHA = FULL | {"3.2": 0}  # 80
TRUNG_BINH = FULL | {"3.2": 0, "4.1": 0}  # 60


def _rules(older, newer):
    for code, rank, conditions in (
        ("tot", 1, {"all_at_least": "kha", "count_level": "tot", "min_count": 3}),
        ("kha", 2, {"all_at_least": "trung_binh"}),
        ("kem", 3, {}),
    ):
        RollupLevel.objects.create(framework=older, period="year", code=code, rank=rank, **conditions)
    for code, rank, conditions in (
        ("tot", 1, {"min_average": Decimal("85.01"), "min_meetings": 4}),
        ("trung_binh", 2, {"count_level": "kha", "min_count": 2}),
    ):
        RollupLevel.objects.create(framework=newer, period="year", code=code, rank=rank, **conditions)
    forget_rubrics()


def _expected(organization_id, period):
    """The roll-up read from the meetings one by one, as before the ranking counted them."""
    rows = list(
        Meeting.objects.filter(organization_id=organization_id, date__gte=period.start, date__lt=period.end)
        .order_by("date", "pk")
        .values_list("kind", "framework", "final_level", "final_total")
    )
    latest = [framework for kind, framework, _level, _total in rows if kind == MeetingKind.REGULAR and framework]
    if not latest:
        return None
    framework = Framework.objects.get(pk=latest[-1])
    rollups = load_rollups(framework, "year")
    if not rollups:
        return None
    rolled = rollup_level(load_rubric(framework), rollups, [(level or None, total) for *_rest, level, total in rows])
    return rolled.code if rolled else ""


def test_each_cell_is_rolled_up_as_its_meetings_read_one_by_one(tree):
    older = make_framework(tree.province)
    newer = make_framework(tree.province, code="SH-NEWER")
    _rules(older, newer)
    cells = [make_org(f"Chi bộ {n}", Level.CELL, tree.grassroots, code=f"T{n}") for n in range(7)]

    def year(cell, meetings):
        """(values, framework, submitted) by month; a meeting without values is recorded and never scored."""
        for month, (values, framework, submit) in enumerate(meetings, 1):
            day = datetime.date(2024, month, 10)
            if values is None:
                meeting = make_meeting(cell, date=day)
                Meeting.objects.filter(pk=meeting.pk).update(framework=None, final_level="", final_total=None)
                continue
            meeting = scored_meeting(cell, values=values, submit=submit, date=day)
            Meeting.objects.filter(pk=meeting.pk).update(framework=framework)

    zero = dict.fromkeys(FULL, 0)
    # the older rule: three Tốt, the rest Khá → Tốt
    year(cells[0], [(FULL, older, True)] * 3 + [(KHA, older, True)] * 2)
    # a draft Trung bình is held: it keeps the cell from Tốt → Khá
    year(cells[1], [(FULL, older, True)] * 3 + [(KHA, older, True), (TRUNG_BINH, older, False)])
    # a meeting never scored is below every level → Kém; a thematic meeting beside
    year(cells[2], [(FULL, older, True)] * 2 + [(KHA, older, True), (None, None, True)])
    scored_meeting(
        cells[2], values=KHA, kind=MeetingKind.THEMATIC, topic=ThematicTopic.objects.first(), date=DAY_IN_MAY
    )
    # older, then newer: the newer rule, its average 92 → Tốt
    year(cells[3], [(FULL, older, True)] * 2 + [(KHA, older, True), (KHA, newer, True), (FULL, newer, True)])
    # newer, then older (the lower id): the older rule → Khá (the newer one would say Trung bình)
    year(cells[4], [(KHA, newer, True)] * 2 + [(FULL, older, True), (TRUNG_BINH, older, True)])
    # the newer rule's average counts the draft's 0: 76 → Trung bình (95 without it → Tốt)
    year(cells[5], [(FULL, newer, True)] * 2 + [(KHA, newer, True), (FULL, newer, True), (zero, newer, False)])
    # the newer rule, no level holds → no level
    year(cells[6], [(KHA, newer, True), (TRUNG_BINH, newer, True)])

    period = Period.parse("2024")
    result = ranking(tree.province, period)
    got = {row.organization_id: (row.level if row.rollup else None) for row in result.rows}
    expected = {cell.pk: _expected(cell.pk, period) for cell in [*cells, tree.cell, tree.school, tree.other_cell]}
    assert {pk: got[pk] for pk in expected} == expected
    # the cases reach every outcome of both rules (figures by hand), so a wrong count cannot hide behind a default
    assert [expected[cell.pk] for cell in cells] == ["tot", "kha", "kem", "tot", "kha", "trung_binh", ""]
    assert set(result.rollups) == {older.pk, newer.pk}
