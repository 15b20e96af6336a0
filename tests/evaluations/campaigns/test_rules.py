"""The campaign rules (evaluations.campaigns.rules) to their boundaries: WORKBOOK.md campaigns, results, targets."""

from decimal import Decimal

import pytest

from evaluations.campaigns import rules
from evaluations.campaigns.rules import LevelInfo, ResultRow, YearRatingFacts

FOUR_GOOD = [LevelInfo("dat", 1), LevelInfo("khong_dat", 2)]
SCORED = [LevelInfo("tot", 1), LevelInfo("kha", 2), LevelInfo("dat", 3), LevelInfo("kem", 4)]
NO_DAT = [LevelInfo("tot", 1), LevelInfo("kha", 2)]


@pytest.mark.parametrize(
    ("rating", "minimum", "ok"),
    [
        ("HTXSNV", "HTTNV", True),
        ("HTTNV", "HTTNV", True),
        ("HTNV", "HTTNV", False),
        ("KHTNV", "HTNV", False),
        ("HTNV", "HTNV", True),
        ("HTTNV", "HTXSNV", False),
        (None, "HTNV", False),
        ("", "HTNV", False),
    ],
)
def test_ratings_are_ordered_htxsnv_httnv_htnv_khtnv(rating, minimum, ok):
    assert rules.rating_at_least(rating, minimum) is ok


def test_a_level_at_or_above_the_dat_level_passes():
    assert rules.level_passes(1, SCORED) and rules.level_passes(3, SCORED)
    assert not rules.level_passes(4, SCORED)


def test_without_a_dat_level_only_rank_one_passes():
    assert rules.level_passes(1, NO_DAT)
    assert not rules.level_passes(2, NO_DAT)


def test_no_level_never_passes():
    assert not rules.level_passes(None, SCORED)


def test_every_indicator_met_but_rated_htnv_is_khong_dat():
    """Seed 004 (B2): Không đạt whenever the cell's year-end rating is HTNV or lower."""
    assert rules.result_for(level_rank=1, levels=FOUR_GOOD, year_rating="HTNV", min_year_rating="HTTNV") == "khong_dat"


def test_every_indicator_met_and_rated_httnv_is_dat():
    assert rules.result_for(level_rank=1, levels=FOUR_GOOD, year_rating="HTTNV", min_year_rating="HTTNV") == "dat"


def test_a_participant_without_a_year_rating_cannot_pass_when_a_minimum_is_set():
    assert rules.result_for(level_rank=1, levels=FOUR_GOOD, year_rating=None, min_year_rating="HTNV") == "khong_dat"


def test_without_a_minimum_the_year_rating_does_not_matter():
    assert rules.result_for(level_rank=1, levels=FOUR_GOOD, year_rating=None, min_year_rating=None) == "dat"
    assert rules.result_for(level_rank=1, levels=FOUR_GOOD, year_rating="KHTNV", min_year_rating="") == "dat"


def test_a_failing_level_fails_whatever_the_rating():
    assert rules.result_for(level_rank=2, levels=FOUR_GOOD, year_rating="HTXSNV", min_year_rating=None) == "khong_dat"


@pytest.mark.parametrize(
    ("result", "maintaining", "status"),
    [
        ("dat", False, "recognized_new"),
        ("dat", True, "maintained"),
        ("khong_dat", True, "lost"),
        ("khong_dat", False, "not_recognized"),
    ],
)
def test_status_follows_the_result_and_the_registration(result, maintaining, status):
    assert rules.status_for(result=result, maintaining=maintaining) == status


ROWS = [
    ResultRow("residential", "dat", "recognized_new"),
    ResultRow("residential", "dat", "maintained"),
    ResultRow("residential", "khong_dat", "lost"),
    ResultRow("public_service", "dat", "recognized_new"),
    ResultRow("public_service", "khong_dat", "not_recognized"),
    ResultRow("administrative", "khong_dat", "not_recognized"),
]


def test_recognized_new_counts_only_new_recognitions_of_the_cell_type():
    assert rules.target_actual("recognized_new", "residential", ROWS) == 1
    assert rules.target_actual("recognized_new", "", ROWS) == 2


def test_recognized_total_counts_new_and_maintained():
    assert rules.target_actual("recognized_total", "residential", ROWS) == 2
    assert rules.target_actual("recognized_total", "", ROWS) == 3


def test_passed_share_is_a_percent_with_two_decimals():
    assert rules.target_actual("passed_share", "", ROWS) == Decimal("50.00")
    assert rules.target_actual("passed_share", "residential", ROWS) == Decimal("66.67")
    assert rules.target_actual("passed_share", "enterprise", ROWS) == Decimal("0.00")


@pytest.mark.parametrize(
    ("comparator", "value", "met"),
    [
        (">=", 2, True),
        (">=", 3, False),
        (">", 1, True),
        (">", 2, False),
        ("<=", 2, True),
        ("<", 2, False),
        ("=", 2, True),
    ],
)
def test_a_target_is_met_by_its_comparator(comparator, value, met):
    progress = rules.target_progress(
        metric="recognized_new", cell_type="", comparator=comparator, value=Decimal(value), rows=ROWS
    )
    assert progress.actual == 2
    assert progress.met is met


def test_eligibility_needs_httnv_in_each_of_the_n_years_before():
    ratings = {2023: YearRatingFacts("HTTNV"), 2022: YearRatingFacts("HTXSNV")}
    assert rules.eligibility(year=2024, good_years=2, all_members_completed=False, ratings=ratings).eligible
    ratings[2022] = YearRatingFacts("HTNV")
    check = rules.eligibility(year=2024, good_years=2, all_members_completed=False, ratings=ratings)
    assert not check.eligible
    assert [r["ok"] for r in check.reasons] == [True, False]
    assert check.reasons[1]["year"] == 2022


def test_a_missing_year_makes_a_cell_ineligible():
    check = rules.eligibility(year=2024, good_years=1, all_members_completed=False, ratings={})
    assert not check.eligible


def test_eligibility_needs_every_member_completed_last_year():
    full = {2023: YearRatingFacts("HTTNV", 20, 20)}
    short = {2023: YearRatingFacts("HTTNV", 20, 19)}
    unrated = {2023: YearRatingFacts("HTTNV", None, None)}
    assert rules.eligibility(year=2024, good_years=0, all_members_completed=True, ratings=full).eligible
    assert not rules.eligibility(year=2024, good_years=0, all_members_completed=True, ratings=short).eligible
    assert not rules.eligibility(year=2024, good_years=0, all_members_completed=True, ratings=unrated).eligible


def test_no_rule_means_eligible():
    assert rules.eligibility(year=2024, good_years=0, all_members_completed=False, ratings={}).eligible


def test_the_selection_cap():
    assert not rules.selection_cap_reached(cap=None, selected=50)
    assert not rules.selection_cap_reached(cap=2, selected=1)
    assert rules.selection_cap_reached(cap=2, selected=2)
