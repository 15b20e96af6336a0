"""The demo campaigns: seed 000 (18 maintaining, targets of 6 new) and seed 004 (HTNV Không đạt, HTTNV Đạt)."""

import pytest

from cells.demo import build_province, build_small_province, run_extensions
from evaluations.campaigns.models import Campaign, Registration
from evaluations.campaigns.selectors import dashboard, result_rows


@pytest.fixture
def demo(db):
    context = build_small_province()
    run_extensions(context)
    return context


def test_seed_000_carries_18_maintaining_cells_and_tracks_the_targets(demo):
    campaign = Campaign.objects.get(code="KH252-TU-2024")
    maintaining = campaign.registrations.filter(status="maintaining").select_related("organization__cell_type")
    counts = {}
    for r in maintaining:
        counts[r.organization.cell_type.code] = counts.get(r.organization.cell_type.code, 0) + 1
    assert counts == {"residential": 11, "administrative": 1, "public_service": 4, "armed_forces": 2}
    dash = dashboard(campaign)
    targets = {(t.metric, t.cell_type): t for t in dash.targets}
    assert targets[("recognized_new", "")].value == 6
    assert targets[("recognized_new", "residential")].value == 5
    assert targets[("recognized_new", "public_service")].value == 1
    assert targets[("recognized_new", "")].actual == 3
    assert not targets[("recognized_new", "")].met


def test_seed_004_htnv_gives_khong_dat_and_httnv_gives_dat(demo):
    rows_2024 = result_rows(Campaign.objects.get(code="KH13-CB-2024"))
    rows_2025 = result_rows(Campaign.objects.get(code="KH-CB-4T-2025"))
    assert [(r.org_code, r.level, r.year_rating, r.result) for r in rows_2024] == [
        ("P-NTH-THCSBT", "dat", "HTNV", "khong_dat")
    ]
    assert [(r.org_code, r.level, r.year_rating, r.result) for r in rows_2025] == [
        ("P-NTH-THCSBT", "dat", "HTTNV", "dat")
    ]
    registration = Registration.objects.get(campaign__code="KH13-CB-2024")
    assert registration.framework.code.endswith("4T-THCSBT-2024")
    assert registration.answers.filter(target__isnull=False).count() == 7


def test_a_generated_province_gets_a_campaign_with_every_cell(db):
    context = build_province(cells=60, years=[2024])
    run_extensions(context)
    campaign = Campaign.objects.get(code="BM-KM-2024")
    cells = context.province.path
    assert campaign.registrations.count() == 60
    assert len(result_rows(campaign)) == 60
    assert cells
