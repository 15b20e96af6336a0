"""The campaign_results and targets exports, rule by rule (WORKBOOK.md), through export_workbook."""

from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command

from cells.models import CellType
from evaluations.campaigns import services
from evaluations.campaigns.models import RegistrationStatus
from evaluations.campaigns.sheets import RESULT_KEYS, TARGET_KEYS
from tests.factories import make_org

from . import builders
from .builders import YEAR, criterion


def export(tmp_path, sheet, code):
    path = tmp_path / f"{sheet}.xlsx"
    call_command("export_workbook", sheet=sheet, campaign=code, output=str(path))
    book = openpyxl.load_workbook(path)
    rows = list(book[sheet].iter_rows(values_only=True))
    header, data = rows[0], rows[1:]
    return list(header), [dict(zip(header, row, strict=False)) for row in data]


def answer(registration, points_11, points_12):
    services.answers.answer_self_save(
        registration=registration, criterion=criterion(registration, "1.1"), points=points_11, acting_user=None
    )
    services.answers.answer_self_save(
        registration=registration, criterion=criterion(registration, "1.2"), points=points_12, acting_user=None
    )


@pytest.fixture
def scored(tree):
    framework = builders.scored_framework(tree.district)
    return builders.campaign(tree, framework, code="KM-2024", min_year_rating="HTNV")


def test_campaign_results_has_the_keys_in_row_one_and_one_row_per_participant(tmp_path, scored, tree):
    builders.participant(scored, tree.cell)
    builders.participant(scored, tree.school, status=RegistrationStatus.SUBMITTED)
    header, rows = export(tmp_path, "campaign_results", "KM-2024")
    # The contract's keys written out (WORKBOOK.md), not the code's own list: dropping one must fail here.
    assert header == RESULT_KEYS == [
        "org_code", "name", "org_level", "cell_type", "total_points", "level", "year_rating", "result", "failed",
        "status",
    ]  # fmt: skip
    assert [r["org_code"] for r in rows] == ["C1"]  # submitted is not a participant


def test_rejected_and_returned_registrations_are_not_participants(tmp_path, scored, tree):
    builders.participant(scored, tree.cell, status=RegistrationStatus.REJECTED)
    builders.participant(scored, tree.school, status=RegistrationStatus.MAINTAINING)
    _header, rows = export(tmp_path, "campaign_results", "KM-2024")
    assert [r["org_code"] for r in rows] == ["C2"]


def test_total_points_level_year_rating_and_result(tmp_path, scored, tree):
    registration = builders.participant(scored, tree.cell)
    answer(registration, "60", "35")
    services.ratings.year_rating_set(organization=tree.cell, year=YEAR, rating="HTNV", acting_user=None)
    _h, rows = export(tmp_path, "campaign_results", "KM-2024")
    assert rows[0] == {
        "org_code": "C1",
        "name": "Chi bộ Tổ dân phố số 3",
        "org_level": "cell",
        "cell_type": "residential",
        "total_points": 95,
        "level": "tot",
        "year_rating": "HTNV",
        "result": "dat",
        "failed": None,
        "status": "recognized_new",
    }


def test_a_level_below_dat_fails(tmp_path, scored, tree):
    registration = builders.participant(scored, tree.cell, status=RegistrationStatus.MAINTAINING)
    answer(registration, "30", "10")
    services.ratings.year_rating_set(organization=tree.cell, year=YEAR, rating="HTXSNV", acting_user=None)
    _h, rows = export(tmp_path, "campaign_results", "KM-2024")
    assert (rows[0]["level"], rows[0]["result"], rows[0]["status"]) == ("kem", "khong_dat", "lost")


def test_the_dat_level_itself_passes(tmp_path, scored, tree):
    registration = builders.participant(scored, tree.cell, status=RegistrationStatus.MAINTAINING)
    answer(registration, "30", "20")
    services.ratings.year_rating_set(organization=tree.cell, year=YEAR, rating="HTNV", acting_user=None)
    _h, rows = export(tmp_path, "campaign_results", "KM-2024")
    assert (rows[0]["total_points"], rows[0]["level"], rows[0]["result"], rows[0]["status"]) == (
        50,
        "dat",
        "dat",
        "maintained",
    )


def test_without_a_dat_level_only_rank_one_passes(tmp_path, tree):
    framework = builders.scored_framework(tree.district, code="KM-NODAT", dat_rank=None)
    campaign = builders.campaign(tree, framework, code="ND", min_year_rating="")
    first = builders.participant(campaign, tree.cell)
    second = builders.participant(campaign, tree.school)
    answer(first, "60", "35")
    answer(second, "50", "30")
    _h, rows = export(tmp_path, "campaign_results", "ND")
    assert [(r["level"], r["result"]) for r in rows] == [("tot", "dat"), ("kha", "khong_dat")]


def test_a_rating_below_the_minimum_fails_and_no_rating_fails(tmp_path, scored, tree):
    first = builders.participant(scored, tree.cell)
    second = builders.participant(scored, tree.school)
    answer(first, "60", "40")
    answer(second, "60", "40")
    services.ratings.year_rating_set(organization=tree.cell, year=YEAR, rating="KHTNV", acting_user=None)
    _h, rows = export(tmp_path, "campaign_results", "KM-2024")
    assert [(r["year_rating"], r["result"], r["status"]) for r in rows] == [
        ("KHTNV", "khong_dat", "not_recognized"),
        (None, "khong_dat", "not_recognized"),
    ]


def test_a_framework_without_scored_criteria_has_empty_total_and_failed_groups_in_code_order(tmp_path, campaign, tree):
    registration = builders.participant(campaign, tree.cell)
    _h, rows = export(tmp_path, "campaign_results", campaign.code)
    assert rows[0]["total_points"] is None
    assert rows[0]["failed"] == "1,2"
    assert rows[0]["level"] == "khong_dat"
    services.answers.answer_self_save(
        registration=registration, criterion=criterion(registration, "1.1"), achieved=True, acting_user=None
    )
    services.answers.answer_self_save(
        registration=registration, criterion=criterion(registration, "1.2"), achieved=True, acting_user=None
    )
    _h, rows = export(tmp_path, "campaign_results", campaign.code)
    assert rows[0]["failed"] == "2"


def test_the_appraised_value_is_final(tmp_path, scored, tree):
    registration = builders.participant(scored, tree.cell)
    answer(registration, "60", "40")
    services.answers.answer_appraise(
        registration=registration,
        criterion=criterion(registration, "1.2"),
        points="20",
        reason="Thiếu hồ sơ",
        acting_user=None,
    )
    _h, rows = export(tmp_path, "campaign_results", "KM-2024")
    assert rows[0]["total_points"] == 80


def _targets_campaign(tree):
    framework = builders.scored_framework(tree.district, code="KM-T")
    campaign = builders.campaign(tree, framework, code="T-2024", min_year_rating="")
    extra = make_org("Chi bộ Tổ dân phố số 4", parent=tree.grassroots, code="C4")
    new_res = builders.participant(campaign, tree.cell)
    kept_res = builders.participant(campaign, extra, status=RegistrationStatus.MAINTAINING)
    school = builders.participant(campaign, tree.school)
    answer(new_res, "60", "40")
    answer(kept_res, "60", "30")
    answer(school, "10", "10")
    residential = CellType.objects.get(code="residential")
    for metric, cell_type, comparator, value in [
        ("recognized_new", residential, ">=", 1),
        ("recognized_new", None, ">=", 2),
        ("recognized_total", residential, ">=", 2),
        ("passed_share", None, ">=", 90),
    ]:
        services.plans.target_set(
            campaign=campaign,
            metric=metric,
            cell_type=cell_type,
            comparator=comparator,
            value=Decimal(value),
            acting_user=None,
        )
    return campaign


def test_targets_count_the_results_rows_by_cell_type(tmp_path, tree):
    _targets_campaign(tree)
    header, rows = export(tmp_path, "targets", "T-2024")
    assert header == TARGET_KEYS == [
        "metric", "cell_type", "org_level", "comparator", "value", "rating", "actual", "met",
    ]  # fmt: skip
    got = [(r["metric"], r["cell_type"], r["comparator"], r["value"], r["actual"], r["met"]) for r in rows]
    assert got == [
        ("passed_share", None, ">=", 90, 66.67, "no"),
        ("recognized_new", None, ">=", 2, 1, "no"),
        ("recognized_new", "residential", ">=", 1, 1, "yes"),
        ("recognized_total", "residential", ">=", 2, 2, "yes"),
    ]


def test_an_export_outside_the_users_scope_is_refused(tmp_path, campaign, people):
    from django.core.management.base import CommandError

    with pytest.raises((CommandError, SystemExit)):
        call_command(
            "export_workbook", sheet="targets", campaign=campaign.code, output=str(tmp_path / "x.xlsx"), user="charlie"
        )


def test_a_confirmed_row_keeps_its_frozen_result(tmp_path, scored, tree):
    registration = builders.participant(scored, tree.cell)
    answer(registration, "60", "40")
    services.ratings.year_rating_set(organization=tree.cell, year=YEAR, rating="HTTNV", acting_user=None)
    services.answers.registration_confirm(registration=registration, acting_user=None)
    services.ratings.year_rating_set(organization=tree.cell, year=YEAR, rating="KHTNV", acting_user=None)
    _h, rows = export(tmp_path, "campaign_results", "KM-2024")
    assert (rows[0]["year_rating"], rows[0]["result"]) == ("HTTNV", "dat")
