"""Roll-up levels (WORKBOOK v2 ``rollup_levels``): a quarter or a year rated from the meetings' own levels.

Figures by hand, on the 100-point test rubric (helpers): full marks = 100 (Tốt); full marks but 3.2 = 80 (Khá,
key criteria still full); 60 = Trung bình. The year rule: Tốt when every meeting is Khá or better and at
least 7 are Tốt; Khá when every meeting is Trung bình or better; Kém otherwise."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from cells.workbook.importer import run_import
from cells.workbook.writer import WorkbookWriter
from criteria import services as criteria_services
from criteria.models import RatingLevel, RollupLevel
from criteria.scoring import RubricRollup, rollup_level
from criteria.selectors import forget_rubrics, load_rubric

from .helpers import FULL, make_framework, scored_meeting

pytestmark = pytest.mark.django_db

KHA = FULL | {"3.2": 0}  # 80
TRUNG_BINH = FULL | {"3.2": 0, "4.1": 0}  # 60
YEAR_RULE = [
    ("tot", "Tốt", 1, {"all_at_least": "kha", "count_level": "tot", "min_count": 7}),
    ("kha", "Khá", 2, {"all_at_least": "trung_binh"}),
    ("kem", "Kém", 3, {}),
]


def _rule(framework, period="year"):
    for code, label, rank, conditions in YEAR_RULE:
        RollupLevel.objects.create(
            framework=framework, period=period, code=code, label=label, rank=rank, basis="Quy định thử", **conditions
        )
    forget_rubrics()


def _year(cell, values_by_month):
    for month, values in enumerate(values_by_month, 1):
        scored_meeting(cell, values=values, date=datetime.date(2024, month, 10))


def _ranking(tmp_path, period):
    path = tmp_path / f"ranking-{period}.xlsx"
    call_command("export_workbook", sheet="ranking", org="D1", period=period, output=str(path))
    book = load_workbook(path)
    rows = list(book["ranking"].iter_rows(values_only=True))
    header = rows[0]
    ranking = {r[0]: dict(zip(header, r, strict=False)) for r in rows[1:]}
    rules = list(book["rollup_levels"].iter_rows(values_only=True)) if "rollup_levels" in book.sheetnames else []
    return ranking, rules


def test_the_boundaries_of_the_rule_without_the_database(tree):
    levels = load_rubric(make_framework(tree.province)).levels
    rubric = type("R", (), {"levels": levels})
    rule = [RubricRollup(code=c, label=lbl, rank=r, **cond) for c, lbl, r, cond in YEAR_RULE]
    seven = [("tot", 100)] * 7 + [("kha", 80)] * 5
    six = [("tot", 100)] * 6 + [("kha", 80)] * 6
    one_trung_binh = [("tot", 100)] * 11 + [("trung_binh", 60)]
    unscored = [("tot", 100)] * 11 + [(None, None)]
    assert rollup_level(rubric, rule, seven).code == "tot"
    assert rollup_level(rubric, rule, six).code == "kha"
    assert rollup_level(rubric, rule, one_trung_binh).code == "kha"
    assert rollup_level(rubric, rule, unscored).code == "kem"  # a meeting with no level is below every level
    # No meeting: "every meeting Trung bình or better" holds vacuously (WORKBOOK: a condition on every
    # meeting), so the rule alone says Khá; the ranking never asks it, as it rolls up only a period with a
    # regular meeting (test_one_trung_binh_...: the cell with no meeting has no level).
    assert rollup_level(rubric, rule, []).code == "kha"
    assert rollup_level(rubric, [], seven) is None


def test_the_year_ranking_rates_by_the_rule_and_the_quarter_by_the_average(tmp_path, tree):
    framework = make_framework(tree.province)
    _rule(framework)
    _year(tree.cell, [FULL] * 7 + [KHA] * 5)  # 7 Tốt: (700 + 400) / 12 = 91.67
    _year(tree.school, [FULL] * 6 + [KHA] * 6)  # 6 Tốt: (600 + 480) / 12 = 90.00
    year, rules = _ranking(tmp_path, "2024")
    assert (year["C1"]["average_points"], year["C1"]["level"], year["C1"]["rank"]) == (91.67, "tot", 1)
    # By its average alone (90, key criteria full) the school would be Tốt; the rule says Khá.
    assert (year["C2"]["average_points"], year["C2"]["level"], year["C2"]["rank"]) == (90, "kha", 2)
    assert [r[:3] for r in rules[1:]] == [
        ("SH-TEST", "year", "tot"),
        ("SH-TEST", "year", "kha"),
        ("SH-TEST", "year", "kem"),
    ]
    # No quarter rule: Q4 (C1: Khá, Khá, Khá = 80) keeps the level of the average.
    quarter, quarter_rules = _ranking(tmp_path, "2024-Q4")
    assert (quarter["C1"]["average_points"], quarter["C1"]["level"]) == (80, "kha")
    assert quarter_rules == []


def test_one_trung_binh_meeting_keeps_a_year_of_tot_from_tot(tmp_path, tree):
    framework = make_framework(tree.province)
    _rule(framework)
    _year(tree.cell, [FULL] * 11 + [TRUNG_BINH])  # (1100 + 60) / 12 = 96.67
    year, _rules = _ranking(tmp_path, "2024")
    assert (year["C1"]["average_points"], year["C1"]["level"]) == (96.67, "kha")
    assert year["C2"]["level"] is None and year["C2"]["rank"] is None  # a cell with no meeting: no rating


def test_the_ranking_page_shows_the_rule_and_its_basis(client, tree, people):
    framework = make_framework(tree.province)
    _rule(framework)
    _year(tree.cell, [FULL] * 7 + [KHA] * 5)
    client.force_login(people.alice)
    page = client.get(
        reverse("evaluations:meetings:ranking"), {"org": tree.district.pk, "period": "2024"}
    ).content.decode()
    assert "Tốt: mọi buổi từ Khá trở lên; ít nhất 7 buổi Tốt trở lên" in page
    assert "Quy định thử" in page


ROLLUP_HEADER = [
    "framework_code", "period", "level", "label", "rank", "min_meetings", "all_at_least", "count_level",
    "min_count", "min_average", "basis",
]  # fmt: skip


def test_rollup_levels_import_export_and_refuse_an_unknown_level(tmp_path, tree, people):
    framework = criteria_services.framework_create(
        owner=tree.district, code="SH-NHAP", name="Khung nháp", kind="meeting", acting_user=None
    )
    for code, rank in (("tot", 1), ("kha", 2)):
        RatingLevel.objects.create(framework=framework, code=code, label=code.title(), rank=rank)
    rows = [
        ["SH-NHAP", "year", "tot", "Tốt", 1, 12, "kha", "tot", 7, None, "Căn cứ thử"],
        ["SH-NHAP", "quarter", "kha", "Khá", 1, None, None, None, None, "75,5", None],
    ]
    book = WorkbookWriter()
    book.sheet("rollup_levels").extend(rows)
    path = tmp_path / "in.xlsx"
    book.save(path)
    result = run_import(path, user=people.alice)
    assert result.ok, result.errors
    stored = RollupLevel.objects.get(framework=framework, period="quarter")
    assert (stored.code, stored.min_average, stored.all_at_least) == ("kha", Decimal("75.5"), "")
    again = run_import(path, user=people.alice)
    assert all(s.created == 0 and s.updated == 0 for s in again.sheets)
    out = tmp_path / "out.xlsx"
    call_command("export_workbook", framework="SH-NHAP", output=str(out))
    exported = list(load_workbook(out)["rollup_levels"].iter_rows(values_only=True))
    assert list(exported[0]) == ROLLUP_HEADER
    assert [r[:9] for r in exported[1:]] == [
        ("SH-NHAP", "quarter", "kha", "Khá", 1, None, None, None, None),
        ("SH-NHAP", "year", "tot", "Tốt", 1, 12, "kha", "tot", 7),
    ]
    bad = WorkbookWriter()
    bad.sheet("rollup_levels").extend(
        [["SH-NHAP", "year", "kha", "Khá", 2, None, "trung_binh", None, None, None, None]]
    )
    bad_path = tmp_path / "bad.xlsx"
    bad.save(bad_path)
    refused = run_import(bad_path, user=people.alice)
    assert [(e.sheet, e.column) for e in refused.errors] == [("rollup_levels", "all_at_least")]
    assert RollupLevel.objects.filter(framework=framework).count() == 2
