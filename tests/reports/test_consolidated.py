"""Reports that consolidate the subtree: a committee's quarterly, six-month and year-end reports count
everything below it as it stood in the period, per subordinate committee, and a lower committee's row
in its superior's report is the total of its own report.

The world (2024), figures worked out by hand below:

    Tỉnh ủy Thử nghiệm (P) — its plan KH-P: Đảng ủy phường Một (a grassroots organisation) maintains its
    │                        title, Chi bộ Thôn Hai is newly recognized (both confirmed)
    ├── Thành ủy Một (D1) — its plan KH-2024 (target: 2 new recognitions): Chi bộ Tổ dân phố số 3 is newly
    │   │                   recognized (confirmed); the school only registered (not a participant)
    │   └── Đảng ủy phường Một (G1) — its plan KH-G1: the school takes part and never self-assessed
    │       ├── Chi bộ Tổ dân phố số 3, three Tốt meetings in Q1
    │       └── Chi bộ Trường Tiểu học, one poor (Kém) meeting in Q1
    └── Huyện ủy Hai (D2) ── Đảng ủy xã Hai ── Chi bộ Thôn Hai

Thành ủy Một has two levels below it (the ward committee, the cells). Its year: 2 plans (its own, the
ward's), 3 participants (the residential cell, the school, the ward committee), 1 self-assessed... see
DISTRICT below.
"""

import datetime

import pytest
from django.utils import timezone, translation

from cells.periods import Period
from evaluations.campaigns.models import Outcome, Registration, RegistrationStatus, Result
from reports.building import build_document
from reports.render_pdf import render_pdf_bytes
from tests.evaluations.campaigns import builders
from tests.reports.pdftext import pdf_text

FIELDS = {"number": "30-BC/TU", "issued_on": datetime.date(2025, 1, 10), "signer_name": "Hoàng Văn Sơn"}
TODAY = datetime.date(2025, 1, 10)


def _confirm(registration, result, outcome):
    Registration.objects.filter(pk=registration.pk).update(
        confirmed_at=timezone.now(),
        self_assessed_at=timezone.now(),
        result=result,
        outcome=outcome,
        year_rating="HTTNV",
    )


@pytest.fixture
def plans(tree, meetings, campaign):
    """The plans of the module docstring on top of the reports' ``meetings`` and ``campaign`` fixtures."""
    ward = builders.campaign(
        tree, campaign.framework, code="KH-G1", owner=tree.grassroots, name="Kế hoạch chi bộ bốn tốt của phường"
    )
    builders.participant(ward, tree.school)
    province = builders.campaign(
        tree,
        campaign.framework,
        code="KH-P",
        owner=tree.province,
        name="Kế hoạch đảng bộ cơ sở bốn tốt của tỉnh",
        legal_basis="Căn cứ Nghị quyết số 21-NQ/TW; Hướng dẫn số 12-HD/BTCTW.",
        plan_number="05-KH/TU",
    )
    grassroots = Registration.objects.create(
        campaign=province,
        organization=tree.grassroots,
        framework=province.framework,
        status=RegistrationStatus.MAINTAINING,
        registered_on=datetime.date(2024, 2, 1),
    )
    _confirm(grassroots, Result.DAT, Outcome.MAINTAINED)
    _confirm(builders.participant(province, tree.other_cell), Result.DAT, Outcome.RECOGNIZED_NEW)
    return campaign, ward, province


def _document(kind, organization, period):
    with translation.override("vi"):
        return build_document(
            kind_code=kind, organization=organization, period=Period.parse(period), fields=FIELDS, today=TODAY
        )


def _table(document, caption):
    tables = [table for _section, table in document.tables() if caption in table.caption]
    assert len(tables) == 1, f"no single table captioned {caption!r}"
    return tables[0]


BY_CHILD = "Kế hoạch và tổ chức đảng tham gia theo đơn vị trực thuộc"
# (plans, participants, self-assessed, passed, newly recognized, maintained)
DISTRICT_OWN = ("Thành ủy Một", 1, 0, 0, 0, 0, 0)
DISTRICT_WARD = ("Đảng ủy phường Một", 1, 3, 2, 2, 1, 1)
DISTRICT_TOTAL = (2, 3, 2, 2, 1, 1)


def _by_child(document):
    table = _table(document, BY_CHILD)
    return [tuple(row[1:]) for row in table.rows], tuple(table.total[2:])


@pytest.mark.parametrize(("kind", "period"), [("quarterly", "2024-Q1"), ("six_month", "2024-H1"), ("year_end", "2024")])
def test_each_report_of_a_committee_counts_the_plans_of_its_two_levels_below(kind, period, tree, plans):
    """Thành ủy Một: its own plan (no participant stands directly under it), and under the ward committee
    the residential cell (recognized), the school (the ward's plan, never self-assessed, not passed) and
    the ward committee itself (the province's plan, maintaining its title)."""
    rows, total = _by_child(_document(kind, tree.district, period))
    assert rows == [DISTRICT_OWN, DISTRICT_WARD]
    assert total == DISTRICT_TOTAL


def test_a_lower_committees_row_in_the_province_report_is_its_own_reports_total(tree, plans):
    province = _document("year_end", tree.province, "2024")
    rows, total = _by_child(province)
    assert rows == [
        ("Tỉnh ủy Thử nghiệm", 1, 0, 0, 0, 0, 0),
        ("Thành ủy Một", *DISTRICT_TOTAL),
        ("Huyện ủy Hai", 0, 1, 1, 1, 1, 0),
    ]
    assert total == (3, 4, 3, 3, 2, 1)
    district = _document("year_end", tree.district, "2024")
    _rows, district_total = _by_child(district)
    assert rows[1][1:] == district_total
    # The year's meeting quality the same way: the district's row in the province is its own total.
    quality = "Chi bộ theo mức xếp loại chất lượng sinh hoạt"

    def by_level(table, row):
        return {column.title: value for column, value in zip(table.columns[1:], row[1:], strict=True) if value}

    province_quality, district_quality = _table(province, quality), _table(district, quality)
    [district_row] = [row for row in province_quality.rows if row[0] == "Thành ủy Một"]
    assert by_level(province_quality, district_row) == by_level(district_quality, district_quality.total)
    assert by_level(district_quality, district_quality.total) == {"Tốt": 1, "Kém": 1, "Số chi bộ": 2}
    # By level: three cells (two of them newly recognized) and one grassroots organisation (maintaining).
    kinds = {row[0]: tuple(row[1:]) for row in _table(province, "theo cấp và loại hình chi bộ").rows}
    assert kinds["Chi bộ"] == (3, 2, 2, 2, 0)
    assert kinds["Đảng bộ cơ sở"] == (1, 1, 1, 0, 1)


def test_the_province_year_end_report_names_every_organisation_recognized_in_its_subtree(tree, plans):
    data = render_pdf_bytes(_document("year_end", tree.province, "2024"))
    text = pdf_text(data)
    recognized = set(
        Registration.objects.filter(
            campaign__year=2024, outcome__in=[Outcome.RECOGNIZED_NEW, Outcome.MAINTAINED]
        ).values_list("organization__name", flat=True)
    )
    assert recognized == {"Chi bộ Tổ dân phố số 3", "Đảng ủy phường Một", "Chi bộ Thôn Hai"}
    annex = text.split("PHỤ LỤC")[-1]
    for name in recognized:
        assert name in annex, f"{name} is not in the annex"
    assert "Chi bộ Trường Tiểu học" not in annex
    # Counts are whole numbers ("≥ 2", "1"), the school that never self-assessed is said to be so, and
    # no explanatory note nor double full stop is printed.
    assert "≥ 2 1 không đạt" in text
    assert "chưa tự đánh giá" in text
    assert ".." not in text and "dữ liệu mẫu" not in text
    assert "TỈNH ỦY THỬ NGHIỆM" in text and "ĐẢNG BỘ" not in text.split("BÁO CÁO")[0]


def _paragraphs(document) -> list[str]:
    return [block.text for section in document.sections for block in section.blocks if hasattr(block, "text")]


def test_a_participant_that_never_self_assessed_is_said_to_be_so_not_given_points(tree, plans):
    """The ward's own plan: the school never self-assessed."""
    document = _document("year_end", tree.grassroots, "2024")
    [row] = _table(document, "Kết quả của các tổ chức đảng tham gia").rows
    assert row[1] == "Chi bộ Trường Tiểu học" and row[3] == "chưa tự đánh giá"
    rows, total = _by_child(document)
    assert total == DISTRICT_WARD[1:]


def test_the_decision_states_who_decides_its_bases_and_articles(tree, plans):
    document = _document("recognition_decision", tree.province, "2024")
    assert document.draft_label == "DỰ THẢO" and document.header.doc_type == "QUYẾT ĐỊNH"
    assert (document.header.parent_body, document.header.issuing_body) == ("", "TỈNH ỦY THỬ NGHIỆM")
    assert _paragraphs(document)[:7] == [
        "BAN THƯỜNG VỤ TỈNH ỦY THỬ NGHIỆM",
        "- Căn cứ Điều lệ Đảng Cộng sản Việt Nam;",
        "- Căn cứ Quy chế làm việc của Ban Thường vụ Tỉnh ủy Thử nghiệm;",
        "- Căn cứ Nghị quyết số 21-NQ/TW;",
        "- Căn cứ Hướng dẫn số 12-HD/BTCTW;",
        "- Căn cứ Kế hoạch số 05-KH/TU của Ban Thường vụ Tỉnh ủy Thử nghiệm về đảng bộ cơ sở bốn tốt của tỉnh;",
        "- Xét kết quả đánh giá, thẩm định các tổ chức đảng tham gia,",
    ]
    assert "QUYẾT ĐỊNH" in _paragraphs(document)
    assert [row[1] for row in _table(document, "").rows] == ["Chi bộ Thôn Hai", "Đảng ủy phường Một"]
