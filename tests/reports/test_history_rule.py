"""The history rule (WORKBOOK.md): a period's report or export built before a reorganisation is the same
after it, text and cells, because it reads the tree as it stood; a cell moved or merged is counted once,
where it stood, for the months it existed."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import translation
from openpyxl import load_workbook

from cells import history
from cells import services as cell_services
from cells.periods import Period
from evaluations.meetings.selectors import ranking
from reports.building import build_document
from reports.registry import all_kinds, get_kind
from reports.render_pdf import render_pdf_bytes
from reports.render_xlsx import render_xlsx
from tests.evaluations.meetings.helpers import scored_meeting
from tests.reports.pdftext import pdf_text

pytestmark = pytest.mark.django_db

JULY = datetime.date(2025, 7, 1)
PERIOD_OF = {"quarter": "2024-Q1", "month": "2024-03", "half": "2024-H1", "year": "2024"}
FIELDS = {"number": "15-BC/TU", "place": "Yên Bái", "issued_on": datetime.date(2024, 4, 5), "signer_name": "Sơn"}


def reform(tree, people):
    """The 2025 reform on the test tree: the district level goes (its ward moves under the province, the
    district is dissolved), the school's cell merges into the residential one, which is renamed."""
    cell_services.organization_move(
        organization=tree.grassroots, new_parent=tree.province, effective_on=JULY, acting_user=people.alice
    )
    cell_services.organization_merge(source=tree.school, target=tree.cell, effective_on=JULY, acting_user=None)
    cell_services.organization_rename(
        organization=tree.cell, new_name="Chi bộ Tổ dân phố Hợp Nhất", effective_on=JULY, acting_user=None
    )
    cell_services.organization_dissolve(organization=tree.district, effective_on=JULY, acting_user=None)


def _cells(data: bytes) -> list:
    book = load_workbook(io.BytesIO(data))
    return [(sheet.title, [tuple(row) for row in sheet.iter_rows(values_only=True)]) for sheet in book.worksheets]


def _outputs(tree, kinds) -> dict:
    out = {}
    with translation.override("vi"):
        for kind in kinds:
            period = Period.parse(PERIOD_OF[get_kind(kind).periods[0]])
            for org in (tree.district, tree.grassroots, tree.province):
                if org.is_cell:
                    continue
                document = build_document(
                    kind_code=kind, organization=org, period=period, fields=FIELDS, today=datetime.date(2024, 4, 5)
                )
                buffer = io.BytesIO()
                render_xlsx(document, buffer)
                out[(kind, org.code, "xlsx")] = _cells(buffer.getvalue())
                if org.pk == tree.district.pk:
                    out[(kind, org.code, "pdf")] = pdf_text(render_pdf_bytes(document))
    return out


def _exports(tree, campaign, tmp_path) -> dict:
    out = {}
    for name, args in {
        "ranking-D1": ["--sheet", "ranking", "--org", "D1", "--period", "2024"],
        "ranking-P-Q1": ["--sheet", "ranking", "--org", "P", "--period", "2024-Q1"],
        "results": ["--sheet", "campaign_results", "--campaign", campaign.code],
        "targets": ["--sheet", "targets", "--campaign", campaign.code],
    }.items():
        target = tmp_path / f"{name}.xlsx"
        call_command("export_workbook", *args, "-o", str(target), stdout=io.StringIO())
        out[name] = _cells(target.read_bytes())
    return out


def test_every_report_and_export_of_2024_is_the_same_after_the_2025_reform(
    tree, people, officers, meetings, campaign, tmp_path
):
    kinds = [kind.code for kind in all_kinds()]
    before, exports_before = _outputs(tree, kinds), _exports(tree, campaign, tmp_path)
    reform(tree, people)
    for org in (tree.province, tree.district, tree.grassroots):
        org.refresh_from_db()
    after, exports_after = _outputs(tree, kinds), _exports(tree, campaign, tmp_path)
    assert before.keys() == after.keys()
    for key in before:
        assert before[key] == after[key], key
    for key in exports_before:
        assert exports_before[key] == exports_after[key], key
    # The outputs are not empty: the 2024 names are in them.
    assert "Chi bộ Trường Tiểu học" in before[("quarterly", "D1", "pdf")]


def test_a_cell_moved_and_merged_mid_year_is_counted_once_where_it_stood(tree, people, meetings):
    for month in (2, 8):
        scored_meeting(tree.other_cell, date=datetime.date(2025, month, 10))
    scored_meeting(tree.school, date=datetime.date(2025, 3, 10))
    cell_services.organization_move(
        organization=tree.other_cell, new_parent=tree.grassroots, effective_on=JULY, acting_user=None
    )
    cell_services.organization_merge(source=tree.school, target=tree.cell, effective_on=JULY, acting_user=None)
    rows = {row.org_code: row for row in ranking(tree.province, Period.parse("2025")).rows}
    assert sorted(rows) == ["C1", "C2", "C3"]
    # The moved cell: one row, both its meetings, placed where it stood at the end of the year.
    moved = rows["C3"]
    assert (moved.meetings_held, moved.parent_id, moved.meetings_expected) == (2, tree.grassroots.pk, 12)
    # The merged cell existed on the first day of six months of 2025: six meetings expected.
    assert (rows["C2"].meetings_expected, rows["C2"].meetings_held) == (6, 1)
    # In the second half, only the organisations that existed then, in the ward's subtree.
    h2 = {row.org_code for row in ranking(tree.grassroots, Period.parse("2025-Q3")).rows}
    assert h2 == {"C1", "C3"}
    # Before the move the moved cell stood in the other commune, month by month.
    q1 = {row.org_code for row in ranking(tree.other_grassroots, Period.parse("2025-Q1")).rows}
    assert q1 == {"C3"}
    # Its former commune's year has no row of it: the year places it where it stood on 31 December.
    assert {row.org_code for row in ranking(tree.other_grassroots, Period.parse("2025")).rows} == set()


def test_the_ranking_after_a_reform_takes_the_same_queries_as_before(tree, people, meetings, django_assert_num_queries):
    period = Period.parse("2024")
    ranking(tree.province, period)  # rubrics are read once per process
    with django_assert_num_queries(5):
        before = ranking(tree.province, period)
    reform(tree, people)
    with django_assert_num_queries(5):
        after = ranking(tree.province, period)
    assert [(r.org_code, r.name, r.rank) for r in before.rows] == [(r.org_code, r.name, r.rank) for r in after.rows]


def test_a_report_on_a_committee_that_ended_before_the_period_has_no_rows(tree, people, meetings):
    reform(tree, people)
    assert history.cells_in_period(tree.district, datetime.date(2026, 1, 1), datetime.date(2027, 1, 1)) == []


def test_the_quarterly_report_after_a_reform_takes_the_same_queries_as_before(tree, people, officers, meetings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def build():
        with translation.override("vi"), CaptureQueriesContext(connection) as queries:
            build_document(
                kind_code="quarterly", organization=tree.province, period=Period.parse("2024-Q1"),
                fields=FIELDS, today=datetime.date(2024, 4, 5),
            )  # fmt: skip
        return len(queries)

    build()  # rubrics and labels read once per process
    before = build()
    reform(tree, people)  # the commune now stands directly under the province: more groups, same queries
    tree.province.refresh_from_db()
    assert build() == before
