"""The PDF of each report kind: Party document format, Vietnamese text extracted with every diacritic."""

import datetime
import io
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation
from pypdf import PdfReader

from cells import services as cell_services
from cells.periods import Period
from reports.building import build_document, date_line
from reports.document import Column, ColumnKind, Document, Header, Paragraph, Section, Signature, Table
from reports.registry import all_kinds, get_kind
from reports.render_pdf import LONG_TABLE_ROWS, format_number, render_pdf_bytes
from tests.reports.pdftext import pdf_pages, pdf_text

EXPECTED = Path(__file__).parent / "expected"
FIELDS = {
    "number": "15-BC/TU",
    "place": "Yên Bái",
    "issued_on": datetime.date(2024, 4, 5),
    "signer_name": "Hoàng Văn Sơn",
    "signer_position": "PHÓ BÍ THƯ",
    "recipients": "Ban Tổ chức Tỉnh ủy\nLưu Văn phòng",
}


def _pdf(kind, organization, period="2024-Q1", **fields):
    with translation.override("vi"):
        document = build_document(
            kind_code=kind,
            organization=organization,
            period=Period.parse(period),
            fields={**FIELDS, **fields},
            today=datetime.date(2024, 4, 5),
        )
        return render_pdf_bytes(document)


def _has(text: str, expected: str) -> bool:
    return " ".join(unicodedata.normalize("NFC", expected).split()) in text


PERIOD_OF = {"quarter": "2024-Q1", "month": "2024-03", "half": "2024-H1", "year": "2024"}


@pytest.mark.parametrize("kind", [kind.code for kind in all_kinds()])
def test_every_report_is_a_party_document(kind, tree, officers, meetings, campaign):
    period = PERIOD_OF[get_kind(kind).periods[0]]
    text = pdf_text(_pdf(kind, tree.district, period=period))
    for expected in [
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "ĐẢNG BỘ TỈNH THỬ NGHIỆM",  # the party organisation above the issuing committee (Hướng dẫn 36)
        "THÀNH ỦY MỘT",
        "*",
        "Số 15-BC/TU",
        "Yên Bái, ngày 05 tháng 4 năm 2024",
        "năm 2024",
        "T/M BAN THƯỜNG VỤ",
        "PHÓ BÍ THƯ",
        "Hoàng Văn Sơn",
        "Nơi nhận:",
        "- Ban Tổ chức Tỉnh ủy,",
        "- Lưu Văn phòng.",
    ]:
        assert _has(text, expected), f"{expected!r} is not in the {kind} PDF"
    assert "Huyện ủy Hai" not in text and "Chi bộ Thôn Hai" not in text


def test_committee_report_names_the_cells_with_vacancies_and_counts_them(tree, officers):
    text = pdf_text(_pdf("committee_completeness", tree.district))
    assert _has(text, "Chi bộ Tổ dân phố số 3")
    assert _has(text, "Đảng ủy phường Một")
    assert _has(text, "Nguyễn Thị Hồng Nhung")
    assert _has(text, "thiếu 1 phó bí thư")
    assert _has(text, "thiếu 1 chi ủy viên")
    # Two cells, one complete (the school), one with vacancies.
    assert _has(text, "có 2 chi bộ; 1 chi bộ (50,0%) có chi ủy đủ số lượng, 1 chi bộ còn thiếu")
    assert "Chi bộ Trường Tiểu học Nguyễn" not in text


def test_overview_counts_members_by_cell_type(tree, officers, roster):
    text = pdf_text(_pdf("organization_overview", tree.district))
    # The residential cell has the 5 members of the roster; the school the 2 officers.
    assert _has(text, "có 2 chi bộ với 7 đảng viên")
    assert _has(text, "Chi bộ Trường Tiểu học")
    assert _has(text, "Nguyễn Thị Hồng Nhung")


def test_organisations_are_printed_with_the_name_they_bore_in_the_period(tree, officers):
    cell_services.organization_rename(
        organization=tree.cell,
        new_name="Chi bộ Khu phố Hòa Bình",
        effective_on=datetime.date(2025, 7, 1),
        acting_user=None,
    )
    old = pdf_text(_pdf("committee_completeness", tree.district, period="2024-Q1"))
    assert _has(old, "Chi bộ Tổ dân phố số 3") and "Hòa Bình" not in old
    with translation.override("vi"):
        document = build_document(
            kind_code="committee_completeness",
            organization=tree.district,
            period=Period.parse("2025-Q3"),
            fields=FIELDS,
            today=datetime.date(2025, 10, 5),
        )
    new = pdf_text(render_pdf_bytes(document))
    assert _has(new, "Chi bộ Khu phố Hòa Bình")


def test_decomposed_input_is_printed_composed(tree):
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Hồng Nhung")
    with translation.override("vi"):
        document = build_document(
            kind_code="committee_completeness",
            organization=tree.district,
            period=Period.parse("2024-Q1"),
            fields={**FIELDS, "signer_name": decomposed},
            today=datetime.date(2024, 4, 5),
        )
    assert _has(pdf_text(render_pdf_bytes(document)), "Nguyễn Thị Hồng Nhung")


def _document(rows: int) -> Document:
    return Document(
        header=Header("CẤP TRÊN", "CẤP BAN HÀNH", "1-BC/TU", "Hà Nội", datetime.date(2024, 1, 2), "BÁO CÁO", "Thử"),
        sections=[
            Section(
                "I. DANH SÁCH",
                [
                    Paragraph("Đoạn văn."),
                    Table(
                        columns=[
                            Column("STT", ColumnKind.INT),
                            Column("Tên chi bộ"),
                            Column("Tỷ lệ", ColumnKind.PERCENT),
                        ],
                        rows=[[n, f"Chi bộ số {n}", n / rows] for n in range(1, rows + 1)],
                        caption="Bảng 1",
                    ),
                ],
            )
        ],
        signature=Signature("T/M BAN THƯỜNG VỤ", "BÍ THƯ", "Trần Văn A"),
        recipients=["Như trên"],
        party_name="ĐẢNG CỘNG SẢN VIỆT NAM",
        recipients_label="Nơi nhận:",
    )


def test_a_table_repeats_its_header_on_every_page_it_spans():
    data = render_pdf_bytes(_document(150))
    assert pdf_pages(data) >= 3
    pages = PdfReader(io.BytesIO(data)).pages
    for page in pages[1:-1]:
        assert "Tên chi bộ" in page.extract_text()


def _top_text(page) -> str:
    """The text drawn highest on a page (the running header)."""
    found = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            # The y of the text on the page: the text matrix moved by the current transformation.
            found.append((tm[4] * cm[1] + tm[5] * cm[3] + cm[5], text))

    page.extract_text(visitor_text=visit)
    return max(found)[1].strip()


def test_pages_after_the_first_are_numbered_at_the_top():
    pages = PdfReader(io.BytesIO(render_pdf_bytes(_document(150)))).pages
    assert [_top_text(page) for page in pages[1:3]] == ["2", "3"]
    assert _top_text(pages[0]) != "1"


def test_a_very_long_table_is_printed_as_a_list_of_lines():
    data = render_pdf_bytes(_document(LONG_TABLE_ROWS + 1))
    text = pdf_text(data)
    assert "Chi bộ số 401" in text
    assert "STT · Tên chi bộ · Tỷ lệ" in text


def test_numbers_are_printed_the_vietnamese_way():
    assert format_number(12345, ColumnKind.INT) == "12.345"
    assert format_number(0.5, ColumnKind.PERCENT) == "50,0%"
    # Half up, whatever the binary value of the float: 12.25 → 12,3; 0.05 → 0,1; 2.675 → 2,7.
    assert format_number(12.25, ColumnKind.DECIMAL) == "12,3"
    assert format_number(Decimal("12.25"), ColumnKind.DECIMAL) == "12,3"
    assert format_number(12.24, ColumnKind.DECIMAL) == "12,2"
    assert format_number(0.05, ColumnKind.DECIMAL) == "0,1"
    assert format_number(1234.55, ColumnKind.DECIMAL) == "1.234,6"
    assert format_number(0.12345, ColumnKind.PERCENT) == "12,3%"
    assert format_number(0.00125, ColumnKind.PERCENT) == "0,1%"
    assert format_number(1, ColumnKind.PERCENT) == "100,0%"
    assert format_number(None, ColumnKind.INT) == "–"
    assert format_number("", ColumnKind.INT) == ""


def test_the_date_line_pads_days_and_the_first_two_months():
    with translation.override("vi"):
        assert date_line("Yên Bái", datetime.date(2024, 2, 5)) == "Yên Bái, ngày 05 tháng 02 năm 2024"
        assert date_line("Yên Bái", datetime.date(2024, 11, 15)) == "Yên Bái, ngày 15 tháng 11 năm 2024"


def test_building_a_report_takes_the_same_queries_whatever_the_size_of_the_tree(
    tree, officers, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_org

    def build(kind):
        with translation.override("vi"):
            build_document(
                kind_code=kind,
                organization=tree.district,
                period=Period.parse("2024-Q1"),
                fields=FIELDS,
                today=datetime.date(2024, 4, 5),
            )

    for kind in ("committee_completeness", "organization_overview"):
        with CaptureQueriesContext(connection) as baseline:
            build(kind)
        for n in range(3):
            make_org(f"Chi bộ Thêm {kind} {n}", parent=tree.grassroots)
        with django_assert_num_queries(len(baseline.captured_queries)):
            build(kind)


def _long_document() -> Document:
    """Two long lists (one of lines that wrap), the second an annex on a page of its own, then a table."""
    reasons = "chưa sinh hoạt chuyên đề; chưa tự đánh giá (Kế hoạch xây dựng chi bộ kiểu mẫu năm 2024)"
    attention = Table(
        columns=[Column("STT", ColumnKind.INT), Column("Tổ chức đảng"), Column("Lý do")],
        rows=[[n, f"Chi bộ số {n}", reasons * (1 + n % 3)] for n in range(1, LONG_TABLE_ROWS + 60)],
        caption="Bảng 1",
    )
    annex = Table(
        columns=[Column("STT", ColumnKind.INT), Column("Chi bộ"), Column("Điểm", ColumnKind.DECIMAL)],
        rows=[[n, f"Chi bộ số {n}", n / 7] for n in range(1, LONG_TABLE_ROWS + 200)],
        total=["", "Cộng", 12.5],
        caption="Phụ lục 1",
    )
    small = Table(
        columns=[Column("Tên"), Column("Số", ColumnKind.INT)], rows=[["Một", 1], ["Hai", 2]], caption="Phụ lục 2"
    )
    # A table of many pages, longer than a part: the part that starts with it has to grow past it.
    spanning = Table(
        columns=[Column("STT", ColumnKind.INT), Column("Chi bộ")],
        rows=[[n, f"Chi bộ số {n}"] for n in range(1, 300)],
        caption="Bảng 2",
    )
    return Document(
        header=Header("CẤP TRÊN", "CẤP BAN HÀNH", "1-BC/TU", "Hà Nội", datetime.date(2024, 1, 2), "BÁO CÁO", "Thử"),
        sections=[
            Section("I. CẦN QUAN TÂM", [Paragraph("Đoạn văn."), attention, spanning]),
            Section("PHỤ LỤC", [annex, small], new_page=True),
        ],
        signature=Signature("T/M BAN THƯỜNG VỤ", "BÍ THƯ", "Trần Văn A"),
        recipients=["Như trên"],
        party_name="ĐẢNG CỘNG SẢN VIỆT NAM",
        recipients_label="Nơi nhận:",
    )


def _outline(reader) -> list:
    def walk(items):
        return [
            walk(item)
            if isinstance(item, list)
            else (item.title, reader.get_destination_page_number(item), float(item.top))
            for item in items
        ]

    return walk(reader.outline)


def test_a_long_document_laid_out_in_parts_is_the_document_laid_out_whole(monkeypatch):
    from reports import render_pdf

    document = _long_document()
    monkeypatch.setattr(render_pdf, "PART_LINES", 10_000)
    whole = PdfReader(io.BytesIO(render_pdf_bytes(document)))
    parts = []
    real_render = render_pdf._render
    monkeypatch.setattr(render_pdf, "_render", lambda *args, **kwargs: parts.append(1) or real_render(*args, **kwargs))
    monkeypatch.setattr(render_pdf, "PART_LINES", 150)
    in_parts = PdfReader(io.BytesIO(render_pdf_bytes(document)))

    assert len(parts) >= 5
    assert len(in_parts.pages) == len(whole.pages) >= 20
    for number, (page, expected) in enumerate(zip(in_parts.pages, whole.pages, strict=True), 1):
        assert page.extract_text() == expected.extract_text(), f"page {number} differs"
    assert [_top_text(page) for page in in_parts.pages[1:]] == [str(n) for n in range(2, len(whole.pages) + 1)]
    assert _outline(in_parts) == _outline(whole)
    assert in_parts.metadata["/Title"] == whole.metadata["/Title"]


def test_laying_out_leaves_the_garbage_collector_running(monkeypatch):
    import gc

    from reports import render_pdf

    render_pdf_bytes(_document(3))
    assert gc.isenabled()
    monkeypatch.setattr(render_pdf, "PART_LINES", 100)
    render_pdf_bytes(_document(LONG_TABLE_ROWS + 1))
    assert gc.isenabled()
