"""WORKBOOK v2 "absent answers": an appraisal not given is absent and the self-assessment stands; an empty
answer cell in an imported row neither fails the item nor clears what is stored. Flags keep empty = no.

Every expected figure below is computed by hand from the four-good test framework (builders):
group 1 = 1.1 (pass/fail) + 1.2 (pass/fail, residential cells only); group 2 = 2.1 (< 1.0, or the cell's
own target) + 2.2 (>= 98); level ``dat`` needs every group achieved."""

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from cells.workbook.importer import run_import
from cells.workbook.writer import WorkbookWriter
from criteria.scoring import final_answer, score
from criteria.selectors import load_rubric
from evaluations.campaigns.models import AnnualAnswer

from . import builders

HEADER = [
    "campaign_code", "org_code", "criterion_code", "self_points", "self_achieved",
    "appraised_points", "appraised_achieved", "actual", "target",
]  # fmt: skip

# The cells' own assessment: C1 (residential) achieves everything; C2 (public service: 1.2 does not
# apply) says yes to 1.1 and reports a drop-out rate of 0.9 % against the framework's < 1.0.
SELF = [
    ["KH-2024", "C1", "1.1", None, "có", None, None, None, None],
    ["KH-2024", "C1", "1.2", None, "có", None, None, None, None],
    ["KH-2024", "C1", "2.1", None, None, None, None, "0,5", "0,8"],
    ["KH-2024", "C1", "2.2", None, None, None, None, 99, None],
    ["KH-2024", "C2", "1.1", None, "có", None, None, None, None],
    ["KH-2024", "C2", "2.1", None, None, None, None, "0,9", None],
    ["KH-2024", "C2", "2.2", None, None, None, None, 98, None],
]
# The board appraised only some items: C1's 1.1 (yes, as the cell said); C2's 1.1 (no). Every other row
# carries empty appraisal cells, and C1's 2.2 row is not in the sheet at all.
PARTIAL_APPRAISAL = [
    ["KH-2024", "C1", "1.1", None, None, None, "có", None, None],
    ["KH-2024", "C1", "1.2", None, None, None, None, None, None],
    ["KH-2024", "C1", "2.1", None, None, None, None, None, None],
    ["KH-2024", "C2", "1.1", None, None, None, "không", None, None],
    ["KH-2024", "C2", "2.1", None, None, None, None, None, None],
]


def _book(path, rows):
    book = WorkbookWriter()
    book.sheet("annual_results").extend(rows)
    book.save(path)
    return path


def _results(tmp_path):
    path = tmp_path / "results.xlsx"
    call_command("export_workbook", sheet="campaign_results", campaign="KH-2024", output=str(path))
    rows = list(load_workbook(path)["campaign_results"].iter_rows(values_only=True))
    header = rows[0]
    return {r[0]: dict(zip(header, r, strict=False)) for r in rows[1:]}


@pytest.fixture
def campaign(tree):
    campaign = builders.campaign(tree, min_year_rating="")
    builders.participant(campaign, tree.cell)
    builders.participant(campaign, tree.school)
    return campaign


@pytest.fixture
def root(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("root", "root@example.invalid", "pw-for-tests")


def test_a_partly_appraised_sheet_keeps_the_self_assessment_of_the_items_not_appraised(
    tmp_path, people, campaign, root
):
    assert run_import(_book(tmp_path / "self.xlsx", SELF), user=people.alice).ok
    result = run_import(_book(tmp_path / "board.xlsx", PARTIAL_APPRAISAL), user=root)
    assert result.ok, result.errors
    rows = _results(tmp_path)
    # C1: 1.1 appraised yes, 1.2 self yes, 2.1 0.5 < 0.8 (own target), 2.2 99 >= 98 -> every group: dat.
    # (Read as "no", the empty 1.2 would fail group 1.)
    assert (rows["C1"]["failed"], rows["C1"]["level"], rows["C1"]["result"]) == (None, "dat", "dat")
    # C2: 1.1 appraised no -> group 1 fails; group 2 stands on the cell's own values (0.9 < 1.0, 98 >= 98).
    assert (rows["C2"]["failed"], rows["C2"]["level"], rows["C2"]["result"]) == ("1", "khong_dat", "khong_dat")
    stored = {(a.registration.organization.code, a.criterion.code): a for a in AnnualAnswer.objects.all()}
    assert stored["C1", "1.2"].appraised_achieved is None and stored["C1", "1.2"].self_achieved is True
    assert stored["C2", "2.1"].actual == stored["C2", "2.1"].actual.__class__("0.9")


def test_an_empty_appraisal_cell_does_not_clear_the_boards_appraisal(tmp_path, people, campaign, root):
    assert run_import(_book(tmp_path / "self.xlsx", SELF), user=people.alice).ok
    assert run_import(_book(tmp_path / "board.xlsx", PARTIAL_APPRAISAL), user=root).ok
    # The cell's side brings its self-assessment again, with the appraisal columns present but empty:
    # nothing changes (and it did not need the appraisal right to try).
    again = run_import(_book(tmp_path / "self2.xlsx", SELF), user=people.alice)
    assert again.ok, again.errors
    assert all(s.created == 0 and s.updated == 0 for s in again.sheets)
    assert (
        AnnualAnswer.objects.get(registration__organization__code="C2", criterion__code="1.1").appraised_achieved
        is False
    )
    assert _results(tmp_path)["C2"]["failed"] == "1"


def test_the_services_and_the_sheet_share_the_rule(campaign, tree):
    """The same answers through final_answer and the scoring give what the export says."""
    rubric = load_rubric(campaign.framework)
    answers = {
        "1.1": final_answer(self_achieved=True, appraised_achieved=None),
        "1.2": final_answer(self_achieved=True),
        "2.1": final_answer(actual="0.5", target="0.8"),
        "2.2": final_answer(actual="99"),
    }
    assert score(rubric, answers, cell_type="residential").failed_groups == ()
    refused = {**answers, "1.1": final_answer(self_achieved=True, appraised_achieved=False)}
    assert score(rubric, refused, cell_type="residential").failed_groups == ("1",)
    zero = final_answer(self_points=5, appraised_points=0)
    assert zero.points == 0  # an appraisal of 0 is given, not absent
