"""The issuer of a Party document is the committee that signs (Hướng dẫn 36-HD/VPTW), read from the tree."""

import datetime

import pytest

from cells import services as cell_services
from cells.models import Level
from reports.party_names import committee_name, header_bodies, party_name, standing_committee


@pytest.mark.parametrize(
    ("name", "level", "committee"),
    [
        ("Đảng bộ tỉnh Lào Cai", Level.PROVINCE, "Tỉnh ủy Lào Cai"),
        ("Đảng bộ thành phố Yên Bái", Level.DISTRICT, "Thành ủy Yên Bái"),
        ("Đảng bộ huyện Văn Yên", Level.DISTRICT, "Huyện ủy Văn Yên"),
        ("Đảng bộ thị xã Nghĩa Lộ", Level.DISTRICT, "Thị ủy Nghĩa Lộ"),
        ("Đảng bộ phường Nguyễn Thái Học", Level.GRASSROOTS, "Đảng ủy phường Nguyễn Thái Học"),
        ("Đảng bộ xã Tân Thịnh", Level.GRASSROOTS, "Đảng ủy xã Tân Thịnh"),
        ("Đảng bộ Bệnh viện Đa khoa huyện Văn Yên", Level.GRASSROOTS, "Đảng ủy Bệnh viện Đa khoa huyện Văn Yên"),
        ("Đảng bộ bộ phận Khối Lâm sàng", Level.PARTIAL, "Đảng ủy bộ phận Khối Lâm sàng"),
        ("Chi bộ Thôn Khe Cả", Level.CELL, "Chi bộ Thôn Khe Cả"),
        # Trees that store the committee's name keep it.
        ("Tỉnh ủy Thử nghiệm", Level.PROVINCE, "Tỉnh ủy Thử nghiệm"),
        ("Đảng ủy phường Một", Level.GRASSROOTS, "Đảng ủy phường Một"),
    ],
)
def test_the_committee_of_an_organisation(name, level, committee):
    assert committee_name(name, level) == committee


@pytest.mark.parametrize(
    ("name", "party"),
    [
        ("Tỉnh ủy Lào Cai", "Đảng bộ tỉnh Lào Cai"),
        ("Thành ủy Một", "Đảng bộ thành phố Một"),
        ("Huyện uỷ Văn Yên", "Đảng bộ huyện Văn Yên"),  # the old placing of the tone mark too
        ("Đảng ủy phường Một", "Đảng bộ phường Một"),
        ("Đảng bộ tỉnh Lào Cai", "Đảng bộ tỉnh Lào Cai"),
    ],
)
def test_the_party_organisation_of_a_committee(name, party):
    assert party_name(name) == party


def test_the_header_names_the_issuer_under_the_organisation_it_stood_under_in_the_period(tree):
    """A province committee stands alone; a ward committee moved from the city to the province on 1 July
    2025 (the reform) issues under the city before and under the province after."""
    cell_services.organization_move(
        organization=tree.grassroots,
        new_parent=tree.province,
        effective_on=datetime.date(2025, 7, 1),
        acting_user=None,
    )
    assert header_bodies(tree.province, datetime.date(2025, 12, 31)) == ("", "TỈNH ỦY THỬ NGHIỆM")
    assert header_bodies(tree.grassroots, datetime.date(2024, 12, 31)) == (
        "ĐẢNG BỘ THÀNH PHỐ MỘT",
        "ĐẢNG ỦY PHƯỜNG MỘT",
    )
    assert header_bodies(tree.grassroots, datetime.date(2025, 12, 31)) == (
        "ĐẢNG BỘ TỈNH THỬ NGHIỆM",
        "ĐẢNG ỦY PHƯỜNG MỘT",
    )
    assert standing_committee(tree.district, datetime.date(2024, 12, 31)) == "Ban Thường vụ Thành ủy Một"
    assert standing_committee(tree.grassroots, datetime.date(2024, 12, 31)) == "Đảng ủy phường Một"


def test_a_past_periods_report_is_issued_under_the_committee_of_that_period(tree):
    """Built in 2026 (not rendered): the ward committee's 2024 report under the city, its 2025-Q4 one under
    the province it stands under since the reform."""
    from django.utils import translation

    from cells.periods import Period
    from reports.building import build_document

    cell_services.organization_move(
        organization=tree.grassroots,
        new_parent=tree.province,
        effective_on=datetime.date(2025, 7, 1),
        acting_user=None,
    )

    def header(period):
        with translation.override("vi"):
            document = build_document(
                kind_code="committee_completeness",
                organization=tree.grassroots,
                period=Period.parse(period),
                fields={},
                today=datetime.date(2026, 1, 10),
            )
        return document.header.parent_body, document.header.issuing_body

    assert header("2024-Q4") == ("ĐẢNG BỘ THÀNH PHỐ MỘT", "ĐẢNG ỦY PHƯỜNG MỘT")
    assert header("2025-Q4") == ("ĐẢNG BỘ TỈNH THỬ NGHIỆM", "ĐẢNG ỦY PHƯỜNG MỘT")
