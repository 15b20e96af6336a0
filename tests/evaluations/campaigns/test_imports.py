"""The import sheets campaigns, campaign_targets, year_ratings, registrations and annual_results."""

import pytest

from cells.workbook.importer import run_import
from cells.workbook.writer import WorkbookWriter
from evaluations.campaigns.models import AnnualAnswer, Campaign, CampaignTarget, Registration, YearRating
from evaluations.campaigns.selectors import result_rows

from . import builders


def workbook(path, campaign_rows=None, answers=None):
    book = WorkbookWriter()
    book.sheet("campaigns").extend(
        campaign_rows
        or [["KH-4T-2024", "Kế hoạch bốn tốt 2024", "D1", "4T-TEST", 2024, "25/02/2024", None, "HTTNV", 1, "x"]]
    )
    book.sheet("campaign_targets").extend(
        [["KH-4T-2024", "recognized_new", "residential", ">=", 5], ["KH-4T-2024", "passed_share", None, ">=", "90,5"]]
    )
    book.sheet("year_ratings").extend([["C1", 2024, "HTTNV", 20, 20], ["C1", 2023, "HTXSNV", 19, 19]])
    book.sheet("registrations").extend(
        [["KH-4T-2024", "C1", "2024-02-20", "approved"], ["KH-4T-2024", "C2", None, "maintaining"]]
    )
    book.sheet("annual_results").extend(
        answers
        or [
            ["KH-4T-2024", "C1", "1.1", None, "có", None, None, None, None],
            ["KH-4T-2024", "C1", "1.2", None, "x", None, "không", None, None],
            ["KH-4T-2024", "C1", "2.1", None, None, None, None, "0,5", "0,8"],
            ["KH-4T-2024", "C1", "2.2", None, None, None, None, 99, None],
        ]
    )
    book.save(path)
    return path


@pytest.fixture
def framework(tree):
    return builders.four_good_framework(tree.district)


@pytest.fixture
def root(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("root", "root@example.invalid", "pw-for-tests")


SELF_ONLY = [
    ["KH-4T-2024", "C1", "1.1", None, "có", None, None, None, None],
    ["KH-4T-2024", "C1", "1.2", None, "x", None, None, None, None],
    ["KH-4T-2024", "C1", "2.1", None, None, None, None, "0,5", "0,8"],
    ["KH-4T-2024", "C1", "2.2", None, None, None, None, 99, None],
]


def _self_assessed_then_appraised(tmp_path, people, root):
    """The cell's values come in by staff for the cell; the board's appraisal by someone else (separation of duties)."""
    first = run_import(workbook(tmp_path / "self.xlsx", answers=SELF_ONLY), user=people.alice)
    assert first.ok, first.errors
    path = workbook(tmp_path / "kh.xlsx")
    return path, run_import(path, user=root)


def test_one_user_may_not_bring_both_the_self_assessment_and_its_appraisal(tmp_path, people, framework):
    result = run_import(workbook(tmp_path / "kh.xlsx"), user=people.alice)
    assert [(e.sheet, e.column) for e in result.errors] == [("annual_results", "appraised_points")]
    assert not AnnualAnswer.objects.exists()


def test_a_workbook_creates_the_campaign_its_targets_ratings_registrations_and_results(
    tmp_path, people, framework, root
):
    _path, result = _self_assessed_then_appraised(tmp_path, people, root)
    assert result.ok, result.errors
    campaign = Campaign.objects.get(code="KH-4T-2024")
    assert (campaign.min_year_rating, campaign.eligibility_good_years, campaign.eligibility_all_members_completed) == (
        "HTTNV",
        1,
        True,
    )
    assert CampaignTarget.objects.filter(campaign=campaign).count() == 2
    assert YearRating.objects.count() == 2
    assert Registration.objects.filter(campaign=campaign).count() == 2
    assert AnnualAnswer.objects.count() == 4
    rows = {r.org_code: r for r in result_rows(campaign)}
    assert (rows["C1"].failed, rows["C1"].result) == ("1", "khong_dat")  # 1.2 appraised not achieved
    assert rows["C2"].status == "lost"


def test_importing_the_same_workbook_twice_changes_nothing(tmp_path, people, framework, root):
    path, first = _self_assessed_then_appraised(tmp_path, people, root)
    assert first.ok, first.errors
    second = run_import(path, user=people.alice)
    assert second.ok, second.errors
    assert all(s.created == 0 and s.updated == 0 for s in second.sheets), [s.as_dict() for s in second.sheets]


def test_an_outsider_cannot_import_into_another_subtree(tmp_path, people, framework):
    result = run_import(workbook(tmp_path / "kh.xlsx"), user=people.charlie)
    assert not result.ok
    assert {(e.sheet, e.column) for e in result.errors} >= {("campaigns", "owner_code")}
    assert not Campaign.objects.exists()


def test_a_criterion_not_in_the_framework_is_an_error_and_nothing_is_written(tmp_path, people, framework):
    answers = [["KH-4T-2024", "C1", "9.9", 5, None, None, None, None, None]]
    result = run_import(workbook(tmp_path / "kh.xlsx", answers=answers), user=people.alice)
    assert [(e.sheet, e.row, e.column) for e in result.errors] == [("annual_results", 2, "criterion_code")]
    assert not Campaign.objects.exists()
