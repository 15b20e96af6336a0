"""The campaign rules at their rounding and empty-data edges (pure functions, no database)."""

from decimal import Decimal

import pytest

from evaluations.campaigns import rules
from evaluations.campaigns.rules import ResultRow, YearRatingFacts


def _rows(passed: int, total: int, cell_type: str = "residential") -> list[ResultRow]:
    return [
        ResultRow(cell_type=cell_type, result=rules.DAT if n < passed else rules.KHONG_DAT, status="")
        for n in range(total)
    ]


@pytest.mark.parametrize(
    ("passed", "total", "share"),
    [
        (1, 32, "3.13"),  # 3.125 → 3.13 half up (half-even: 3.12)
        (3, 32, "9.38"),  # 9.375 → 9.38 (half-even: 9.38 too; kept as the even-digit control)
        (5, 32, "15.63"),  # 15.625 → 15.63 (half-even: 15.62)
        (1, 3, "33.33"),
        (2, 3, "66.67"),
        (32, 32, "100.00"),
        (0, 32, "0.00"),
    ],
)
def test_the_passed_share_rounds_half_up_to_two_places(passed, total, share):
    assert rules.target_actual(rules.METRIC_PASSED_SHARE, "", _rows(passed, total)) == Decimal(share)


def test_the_share_of_no_participant_is_zero_and_counts_only_the_target_cell_type():
    assert rules.target_actual(rules.METRIC_PASSED_SHARE, "", []) == Decimal("0.00")
    rows = _rows(1, 2) + _rows(0, 2, cell_type="public_service")
    assert rules.target_actual(rules.METRIC_PASSED_SHARE, "residential", rows) == Decimal("50.00")
    assert rules.target_actual(rules.METRIC_PASSED_SHARE, "", rows) == Decimal("25.00")


def test_a_share_target_is_met_exactly_at_its_value():
    rows = _rows(1, 32)
    met = rules.target_progress(
        metric=rules.METRIC_PASSED_SHARE, cell_type="", comparator=">=", value=Decimal("3.13"), rows=rows
    )
    missed = rules.target_progress(
        metric=rules.METRIC_PASSED_SHARE, cell_type="", comparator=">=", value=Decimal("3.14"), rows=rows
    )
    assert (met.actual, met.met, missed.met) == (Decimal("3.13"), True, False)


@pytest.mark.parametrize(
    ("facts", "eligible"),
    [
        (YearRatingFacts("HTXSNV", members_total=0, members_completed=0), False),  # nobody rated
        (YearRatingFacts("HTXSNV", members_total=None, members_completed=None), False),  # not given
        (YearRatingFacts("HTXSNV", members_total=12, members_completed=11), False),
        (YearRatingFacts("HTXSNV", members_total=12, members_completed=12), True),
    ],
)
def test_every_member_completed_needs_members_rated(facts, eligible):
    result = rules.eligibility(year=2024, good_years=0, all_members_completed=True, ratings={2023: facts})
    assert result.eligible is eligible
    [reason] = result.reasons
    assert (reason["rule"], reason["year"], reason["ok"]) == ("members_completed", 2023, eligible)


def test_good_years_are_each_of_the_years_before():
    ratings = {2023: YearRatingFacts("HTTNV"), 2022: YearRatingFacts("HTXSNV"), 2021: YearRatingFacts("HTNV")}
    assert rules.eligibility(year=2024, good_years=2, all_members_completed=False, ratings=ratings).eligible
    three = rules.eligibility(year=2024, good_years=3, all_members_completed=False, ratings=ratings)
    assert not three.eligible
    assert [(r["year"], r["ok"]) for r in three.reasons] == [(2023, True), (2022, True), (2021, False)]
    missing = rules.eligibility(year=2024, good_years=1, all_members_completed=False, ratings={})
    assert [(r["year"], r["rating"], r["ok"]) for r in missing.reasons] == [(2023, None, False)]


# Found by make mutation (README "Mutation score"): what each function returns in full, at its edges.


def test_nothing_measured_never_meets_a_target_and_unknown_ratings_are_never_enough():
    assert rules.compare(None, ">=", 0) is False
    assert rules.compare(0, ">=", 0) is True
    assert rules.rating_at_least("XYZ", "HTNV") is False
    assert rules.rating_at_least("", "HTNV") is False and rules.rating_at_least(None, "KHTNV") is False


def test_the_reasons_name_every_fact_they_read():
    ratings = {2023: YearRatingFacts("HTTNV", members_total=5, members_completed=5)}
    result = rules.eligibility(year=2024, good_years=1, all_members_completed=True, ratings=ratings)
    assert result.reasons == [
        {"rule": "good_year", "year": 2023, "rating": "HTTNV", "ok": True},
        {"rule": "members_completed", "year": 2023, "total": 5, "completed": 5, "ok": True},
    ]
    missing = rules.eligibility(year=2024, good_years=0, all_members_completed=True, ratings={})
    assert missing.reasons == [
        {"rule": "members_completed", "year": 2023, "total": None, "completed": None, "ok": False}
    ]


def test_a_target_progress_carries_its_own_figures_and_cell_type():
    rows = _rows(1, 2) + _rows(2, 2, cell_type="public_service")
    progress = rules.target_progress(
        metric=rules.METRIC_PASSED_SHARE, cell_type="residential", comparator=">=", value=Decimal("50"), rows=rows
    )
    assert progress == rules.TargetProgress(
        metric="passed_share",
        cell_type="residential",
        comparator=">=",
        value=Decimal("50"),
        actual=Decimal("50.00"),
        met=True,
    )
    with pytest.raises(ValueError, match="unknown target metric 'nothing'"):
        rules.target_actual("nothing", "", rows)
