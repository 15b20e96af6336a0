"""The report kinds built on meetings and campaigns: their PDFs carry the right names and figures."""

import datetime

from django.urls import reverse
from django.utils import translation

from cells import services as cell_services
from cells.periods import Period
from evaluations.meetings.models import Meeting, MeetingStatus
from reports.building import build_document
from reports.document import Table
from reports.render_pdf import render_pdf_bytes
from tests.reports.pdftext import pdf_text

FIELDS = {
    "number": "21-BC/TU",
    "place": "Yên Bái",
    "issued_on": datetime.date(2025, 1, 5),
    "signer_name": "Hoàng Văn Sơn",
}


def _text(kind, organization, period):
    with translation.override("vi"):
        document = build_document(
            kind_code=kind,
            organization=organization,
            period=Period.parse(period),
            fields=FIELDS,
            today=datetime.date(2025, 1, 5),
        )
        return pdf_text(render_pdf_bytes(document))


def _has(text, expected):
    return " ".join(expected.split()) in text


def test_the_quarterly_report_counts_meetings_levels_supervision_and_needy_cells(tree, meetings, campaign):
    text = _text("quarterly", tree.district, "2024-Q1")
    assert _has(text, "tình hình sinh hoạt chi bộ trong Thành ủy Một, quý I năm 2024")
    assert _has(text, "2 chi bộ của Thành ủy Một đã tổ chức 4/6 buổi sinh hoạt thường kỳ theo quy định (66,7%)")
    assert _has(text, "Trong kỳ có 4 buổi sinh hoạt được chấm điểm")
    assert _has(text, "Tốt") and _has(text, "Kém")
    assert _has(text, "1/2 chi bộ (50,0%) được phân công cấp ủy viên hoặc tổ giám sát")
    # The plans of the year: the district's own, with the residential cell taking part and recognized.
    assert _has(text, "có 1 kế hoạch được ban hành; 1 tổ chức đảng tham gia (1 chi bộ)")
    # The school held one meeting of three, with no thematic meeting and a poor score.
    assert _has(text, "sinh hoạt thường kỳ 1/3 buổi")
    assert _has(text, "Chi bộ Trường Tiểu học")
    assert "Chi bộ Thôn Hai" not in text


def test_the_six_month_review_covers_the_half_year(tree, meetings):
    text = _text("six_month", tree.district, "2024-H1")
    assert _has(text, "sơ kết xây dựng chi bộ kiểu mẫu, chi bộ bốn tốt của Thành ủy Một, 6 tháng đầu năm 2024")
    assert _has(text, "4/12 buổi sinh hoạt thường kỳ")


def test_the_ranking_puts_the_best_cell_first(tree, meetings):
    text = _text("ranking", tree.district, "2024-Q1")
    first, second = text.index("Chi bộ Tổ dân phố số 3"), text.index("Chi bộ Trường Tiểu học")
    assert first < second
    assert _has(text, "100,0")


def test_the_supervision_summary_names_the_supervisor_and_the_cell(tree, people, meetings):
    text = _text("supervision", tree.district, "2024-Q1")
    assert _has(text, "Chi bộ Tổ dân phố số 3")
    assert _has(text, people.sam.get_full_name())
    assert _has(text, "01/01/2020")


def test_the_registration_list_shows_every_registered_cell(tree, campaign):
    text = _text("registrations", tree.district, "2024")
    assert _has(text, "DANH SÁCH")
    assert _has(text, "Chi bộ Tổ dân phố số 3") and _has(text, "Chi bộ Trường Tiểu học")
    assert _has(text, "Kế hoạch xây dựng chi bộ bốn tốt năm 2024")


def test_the_year_end_report_proposes_the_passed_cells(tree, campaign):
    text = _text("year_end", tree.district, "2024")
    assert _has(text, "1 tổ chức đảng tham gia (1 chi bộ), 1 tổ chức đảng đã tự đánh giá, 1 tổ chức đảng đạt")
    assert _has(text, "Đề nghị Ban Thường vụ công nhận 1 tổ chức đảng: 1 tổ chức đảng được công nhận mới")
    assert _has(text, "Chi bộ được công nhận mới ≥ 2 1 không đạt")
    assert _has(text, "Chi bộ Tổ dân phố số 3")


def test_the_draft_decision_lists_the_recognized_cells(tree, campaign):
    text = _text("recognition_decision", tree.district, "2024")
    assert text.startswith("DỰ THẢO")
    # Who decides, the bases, "QUYẾT ĐỊNH", the articles, the annexed list.
    assert _has(text, "BAN THƯỜNG VỤ THÀNH ỦY MỘT - Căn cứ Điều lệ Đảng Cộng sản Việt Nam;")
    assert _has(text, "- Căn cứ Quy chế làm việc của Ban Thường vụ Thành ủy Một;")
    assert _has(text, "QUYẾT ĐỊNH Điều 1. Công nhận 1 tổ chức đảng có tên trong danh sách kèm theo")
    assert _has(text, "Điều 2.") and _has(text, "Điều 3.")
    assert _has(text, "DANH SÁCH TỔ CHỨC ĐẢNG ĐƯỢC CÔNG NHẬN")
    assert _has(text, "Chi bộ Tổ dân phố số 3")
    assert "Chi bộ Trường Tiểu học" not in text


def test_a_plan_report_without_a_plan_says_so(tree):
    """Built, not rendered: the decision is rendered once above."""
    with translation.override("vi"):
        document = build_document(
            kind_code="recognition_decision",
            organization=tree.other_district,
            period=Period.parse("2024"),
            fields=FIELDS,
            today=datetime.date(2025, 1, 5),
        )
    texts = [block.text for section in document.sections for block in section.blocks if hasattr(block, "text")]
    assert texts == ["Không có kế hoạch năm 2024 của Huyện ủy Hai."]


def _supervision_page(client, user, committee, period):
    """The supervision page's rows: (cell, meetings, attended, appraised, waiting)."""
    client.force_login(user)
    response = client.get(reverse("evaluations:meetings:supervision_summary"), {"org": committee.pk, "period": period})
    assert response.status_code == 200
    rows = [(r.cell_name, r.meetings, r.attended, r.appraised, r.waiting) for r in response.context["rows"]]
    for name, *_figures in rows:
        assert name in response.content.decode()
    return rows


def _supervision_report(committee, period):
    """The same columns of the supervision report's table, which its PDF and its Excel file print."""
    document = build_document(
        kind_code="supervision",
        organization=committee,
        period=Period.parse(period),
        fields=FIELDS,
        today=datetime.date(2025, 1, 5),
    )
    [table] = [block for section in document.sections for block in section.blocks if isinstance(block, Table)]
    return [(row[1], *row[4:8]) for row in table.rows]


def test_the_supervision_page_and_report_show_the_same_figures_after_a_reorganisation(tree, people, meetings, client):
    """In Q1 2024 the residential cell stood under Thành ủy Một, supervised by sam; in July it moved to
    Huyện ủy Hai. Both the page and the report of Q1 read the tree as it stood: the cell under Thành ủy
    Một, nothing under Huyện ủy Hai (the page used to read today's tree, the report the history)."""
    appraised = Meeting.objects.filter(organization=tree.cell).order_by("date").first()
    Meeting.objects.filter(pk=appraised.pk).update(status=MeetingStatus.APPRAISED, attending_supervisor=people.sam)
    cell_services.organization_move(
        organization=tree.cell,
        new_parent=tree.other_grassroots,
        effective_on=datetime.date(2024, 7, 1),
        acting_user=people.alice,
    )
    with translation.override("vi"):
        district_page = _supervision_page(client, people.alice, tree.district, "2024-Q1")
        district_report = _supervision_report(tree.district, "2024-Q1")
        other_page = _supervision_page(client, people.charlie, tree.other_district, "2024-Q1")
        other_report = _supervision_report(tree.other_district, "2024-Q1")
    assert district_page == district_report == [("Chi bộ Tổ dân phố số 3", 3, 1, 1, 2)]
    assert other_page == other_report == []
