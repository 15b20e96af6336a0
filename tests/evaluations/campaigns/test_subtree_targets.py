"""Targets over the whole subtree (WORKBOOK v2 rated_share, recognized_share), with org_level and rating,
through the campaign_targets import and the targets export; every figure computed by hand.

The district (owner) has, as the tree stands: G1 (grassroots), C1 (residential cell), C2 (public-service
cell). 2024 year ratings: G1 HTXSNV, C1 HTTNV, C2 none (a cell with no rating counts as not rated)."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cells.workbook.importer import run_import
from cells.workbook.writer import WorkbookWriter
from evaluations.campaigns.models import CampaignTarget, Outcome, Registration, Result, YearRating

from . import builders

TARGETS = [
    # campaign_code, metric, cell_type, comparator, value, org_level, rating, due_year
    ["KH-2024", "rated_share", None, ">=", 90, None, "HTTNV", 2025],
    ["KH-2024", "rated_share", None, ">=", 90, "grassroots", "HTTNV", None],
    ["KH-2024", "recognized_share", None, ">", 20, None, None, None],
    ["KH-2024", "recognized_share", "public_service", ">", 20, None, None, None],
]


def _book(tmp_path, rows, name="t.xlsx"):
    book = WorkbookWriter()
    book.sheet("campaign_targets").extend(rows)
    path = tmp_path / name
    book.save(path)
    return path


@pytest.fixture
def campaign(tree):
    campaign = builders.campaign(tree)
    for org, rating in ((tree.grassroots, "HTXSNV"), (tree.cell, "HTTNV")):
        YearRating.objects.create(organization=org, year=builders.YEAR, rating=rating)
    passed = builders.participant(campaign, tree.cell)
    Registration.objects.filter(pk=passed.pk).update(
        confirmed_at=timezone.now(), result=Result.DAT, outcome=Outcome.RECOGNIZED_NEW, year_rating="HTTNV"
    )
    return campaign


def test_subtree_targets_import_and_export_as_computed_by_hand(tmp_path, people, campaign):
    path = _book(tmp_path, TARGETS)
    result = run_import(path, user=people.alice)
    assert result.ok, result.errors
    assert CampaignTarget.objects.get(metric="rated_share", org_level="").due_year == 2025
    again = run_import(path, user=people.alice)
    assert all(s.created == 0 and s.updated == 0 for s in again.sheets)
    out = tmp_path / "targets.xlsx"
    call_command("export_workbook", sheet="targets", campaign="KH-2024", output=str(out))
    rows = list(load_workbook(out)["targets"].iter_rows(values_only=True))
    assert list(rows[0]) == ["metric", "cell_type", "org_level", "comparator", "value", "rating", "actual", "met"]
    assert [tuple(r) for r in rows[1:]] == [
        # cells: C1 HTTNV of C1, C2 -> 1/2 = 50.00 %, not >= 90
        ("rated_share", None, None, ">=", 90, "HTTNV", 50, "no"),
        # grassroots organisations: G1 HTXSNV (better than HTTNV) -> 100.00 %
        ("rated_share", None, "grassroots", ">=", 90, "HTTNV", 100, "yes"),
        # cells recognized: C1 (recognized_new) of C1, C2 -> 50.00 % > 20
        ("recognized_share", None, None, ">", 20, None, 50, "yes"),
        # public-service cells: C2 only, not recognized -> 0.00 %
        ("recognized_share", "public_service", None, ">", 20, None, 0, "no"),
    ]


def test_a_rated_share_target_without_a_rating_is_refused_and_nothing_is_written(tmp_path, people, campaign):
    result = run_import(
        _book(tmp_path, [["KH-2024", "rated_share", None, ">=", 90, None, None, None]]), user=people.alice
    )
    assert [(e.sheet, e.column) for e in result.errors] == [("campaign_targets", "rating")]
    assert not CampaignTarget.objects.exists()


def test_the_campaign_page_shows_the_target_in_words(client, people, campaign, tmp_path):
    assert run_import(_book(tmp_path, TARGETS[:1]), user=people.alice).ok
    client.force_login(people.alice)
    page = client.get(reverse("evaluations:campaign_detail", args=[campaign.pk])).content.decode()
    assert "HTTNV" in page and "2025" in page
