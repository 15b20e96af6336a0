"""No rule in code: level and rating codes are data (a level's ``needs_attention`` flag, a framework's top
level), never tested by name in views, selectors, reports or templates."""

import datetime
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from cells.periods import Period
from criteria.models import RatingLevel
from evaluations.meetings.selectors import ranking
from reports.kinds.meetings import attention_reasons
from reports.templatetags.reports_home import reports_home_panel
from tests.evaluations.meetings.helpers import FULL, make_framework, scored_meeting

ROOT = Path(__file__).resolve().parent.parent
CODES = r"(trung_binh|kem|khong_dat|tot|kha|dat|HTXSNV|HTTNV|HTNV|KHTNV)"
# A code as a quoted literal compared or filtered on: == "tot", in ("kem", ...), final_level="tot".
TESTED = re.compile(rf"""(==|!=|\bin\b\s*[(\[{{]|=)\s*["']{CODES}["']|["']{CODES}["']\s*(==|!=|,\s*["'])""")
# Where codes legitimately live: the rules modules (constants), choices, demo data, migrations, sheets' help.
ALLOWED = ("rules.py", "models.py", "demo", "migrations", "sheets.py")


def test_no_level_or_rating_code_is_tested_by_name_outside_the_rules_modules():
    offenders = []
    for folder in ("cells", "criteria", "evaluations", "reports", "templates"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix not in (".py", ".html") or any(part in str(path) for part in ALLOWED):
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if TESTED.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []


@pytest.fixture
def poor_school(tree):
    framework = make_framework(tree.province)
    poor = {key: 0 for key in FULL} | {"2.1": 20, "4.1": 20}  # 40 points: the lowest level
    scored_meeting(tree.school, values=poor, date=datetime.date(2024, 1, 12))
    return framework


def test_needing_attention_follows_the_levels_flag_not_its_code(tree, poor_school):
    period = Period.parse("2024-Q1")
    row = next(r for r in ranking(tree.district, period).rows if r.org_code == tree.school.code)
    assert (row.level, row.needs_attention) == ("kem", True)
    assert "Kém" in "; ".join(attention_reasons(row, "quarter"))
    # A board that does not follow up its lowest level up says so in the data, and the report obeys.
    RatingLevel.objects.filter(framework=poor_school, code="kem").update(needs_attention=False, code="yeu")
    from criteria.selectors import forget_rubrics

    forget_rubrics()
    row = next(r for r in ranking(tree.district, period).rows if r.org_code == tree.school.code)
    assert (row.level, row.needs_attention) == ("yeu", False)
    assert not any("Kém" in reason for reason in attention_reasons(row, "quarter"))


def test_the_home_briefing_counts_meetings_under_the_rubrics_own_levels_whatever_their_code(tree, people, poor_school):
    RatingLevel.objects.filter(framework=poor_school, code="tot").update(code="xuat_sac")
    from criteria.selectors import forget_rubrics

    forget_rubrics()
    for month in (1, 2, 3):
        scored_meeting(tree.cell, date=datetime.date(datetime.date.today().year, month, 10))
    scored_meeting(tree.school, date=datetime.date(datetime.date.today().year, 1, 20))
    panel = reports_home_panel({"request": SimpleNamespace(user=people.alice, GET={})})
    # This year: 4 meetings scored, all at full marks, i.e. the top level (now coded xuat_sac): the
    # briefing counts them under the rubric's own level, whatever its code.
    year = datetime.date.today().year
    assert [(row["code"], row["counts"][year]) for row in panel["board"].quality] == [("xuat_sac", 4)]
