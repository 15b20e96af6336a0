"""Grassroots party organisations in campaigns (seed 003's "đảng bộ cơ sở bốn tốt"; WORKBOOK v2 registrations,
campaign_results, targets): they register (themselves, or proposed by the committee above), self-assess the
criteria for their level, are appraised and pass or fail by the same rules, and targets at grassroots level
are measured over the subtree."""

import datetime

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from cells.models import Role
from cells.workbook.importer import run_import
from criteria.models import Criterion, Framework, FrameworkStatus, RatingLevel
from evaluations.campaigns import services
from evaluations.campaigns.models import Registration, RegistrationStatus
from tests.factories import UserFactory, assign

from . import builders

pytestmark = pytest.mark.django_db


def grassroots_four_good(owner) -> Framework:
    """Pass/fail: 1.1 for everyone; 2.1 only for cells; 2.2 only for grassroots organisations (seed 003's
    2.1 and 2.2 items). Levels dat (every group achieved) and khong_dat."""
    fw = Framework.objects.create(
        code="4T-GR", name="Bốn tốt", kind="four_good", owner=owner, status=FrameworkStatus.PUBLISHED
    )
    g1 = Criterion.objects.create(framework=fw, code="1", title="Chính trị tư tưởng tốt", order=1)
    Criterion.objects.create(framework=fw, parent=g1, code="1.1", title="Học tập nghị quyết", order=1)
    g2 = Criterion.objects.create(framework=fw, code="2", title="Sinh hoạt tốt", order=2)
    Criterion.objects.create(
        framework=fw, parent=g2, code="2.1", title="Sinh hoạt chi bộ", order=1, org_levels=["cell", "grassroots_cell"]
    )
    Criterion.objects.create(
        framework=fw, parent=g2, code="2.2", title="Sinh hoạt đảng ủy", order=2, org_levels=["grassroots", "partial"]
    )
    RatingLevel.objects.create(framework=fw, code="dat", label="Đạt", rank=1, require_all_achieved=True)
    RatingLevel.objects.create(framework=fw, code="khong_dat", label="Không đạt", rank=2)
    return fw


@pytest.fixture
def plan(tree):
    return builders.campaign(
        tree, grassroots_four_good(tree.district), code="4T-2024", registration_deadline=None, min_year_rating="HTTNV"
    )


@pytest.fixture
def office(tree):
    gina = UserFactory(username="gina")
    assign(gina, tree.grassroots, Role.STAFF)
    return gina


def _book(tmp_path, name, sheets):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    path = tmp_path / name
    wb.save(path)
    return path


def _export(tmp_path, sheet, code):
    path = tmp_path / f"{sheet}.xlsx"
    call_command("export_workbook", sheet=sheet, campaign=code, output=str(path))
    rows = list(openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=False)) for row in rows[1:]]


BOARD = {
    "registrations": [["campaign_code", "org_code", "registered_on", "status"],
                      ["4T-2024", "G1", "20/02/2024", "approved"],
                      ["4T-2024", "C1", "20/02/2024", "approved"]],
    "year_ratings": [["org_code", "year", "rating"], ["G1", 2024, "HTTNV"], ["C1", 2024, "HTXSNV"]],
    "campaign_targets": [["campaign_code", "metric", "cell_type", "org_level", "comparator", "value", "rating"],
                         ["4T-2024", "recognized_new", None, "grassroots", ">=", 1, None],
                         ["4T-2024", "passed_share", None, None, ">=", 90, None],
                         ["4T-2024", "recognized_share", None, "grassroots", ">=", 90, None],
                         ["4T-2024", "recognized_share", None, None, ">=", 90, None]],
}  # fmt: skip
SELF = {
    "annual_results": [["campaign_code", "org_code", "criterion_code", "self_achieved"],
                       ["4T-2024", "G1", "1.1", "có"],
                       ["4T-2024", "G1", "2.2", "có"],
                       ["4T-2024", "C1", "1.1", "có"],
                       ["4T-2024", "C1", "2.1", "không"]],
}  # fmt: skip
APPRAISAL = {
    "annual_results": [["campaign_code", "org_code", "criterion_code", "appraised_achieved"],
                       ["4T-2024", "G1", "2.2", "có"]],
}  # fmt: skip


def test_a_campaign_workbook_with_a_grassroots_organisation_imports_and_exports_as_the_contract_says(
    tmp_path, tree, people, plan, office
):
    board = _book(tmp_path, "board.xlsx", BOARD)
    result = run_import(board, user=people.alice)
    assert result.ok, result.errors
    assert set(Registration.objects.values_list("organization__code", "status")) == {
        ("G1", RegistrationStatus.APPROVED),
        ("C1", RegistrationStatus.APPROVED),
    }
    again = run_import(board, user=people.alice)
    assert again.ok and all(s.created == 0 and s.updated == 0 for s in again.sheets)
    # One of the board brings in the self-assessments made on paper; he may not bring in their appraisal,
    # someone else of the board does.
    dan = UserFactory(username="dan")
    assign(dan, tree.district, Role.STAFF)
    assert run_import(_book(tmp_path, "self.xlsx", SELF), user=dan).ok
    assert not run_import(_book(tmp_path, "appraisal.xlsx", APPRAISAL), user=dan).ok
    assert not run_import(_book(tmp_path, "appraisal.xlsx", APPRAISAL), user=office).ok
    assert run_import(_book(tmp_path, "appraisal.xlsx", APPRAISAL), user=people.alice).ok

    rows = {row["org_code"]: row for row in _export(tmp_path, "campaign_results", "4T-2024")}
    # G1: 1.1 and 2.2 achieved (2.1 is for cells: it does not apply), rated HTTNV: passes, newly recognized.
    assert rows["G1"] | {"name": None} == {
        "org_code": "G1", "name": None, "org_level": "grassroots", "cell_type": None, "total_points": None,
        "level": "dat", "year_rating": "HTTNV", "result": "dat", "failed": None, "status": "recognized_new",
    }  # fmt: skip
    # C1: 2.1 not achieved, so group 2 fails (2.2 does not apply to a cell).
    assert (rows["C1"]["result"], rows["C1"]["failed"], rows["C1"]["status"]) == ("khong_dat", "2", "not_recognized")

    targets = _export(tmp_path, "targets", "4T-2024")
    actual = [(t["metric"], t["org_level"], t["actual"], t["met"]) for t in targets]
    # recognized_new among grassroots rows: G1 = 1. passed_share: 1 of 2 rows = 50.00. recognized_share over
    # the district's subtree: grassroots organisations G1 only, recognized = 100.00; cells C1, C2 = 0.00.
    assert sorted(actual, key=lambda t: (t[0], t[1] or "")) == [
        ("passed_share", None, 50, "no"),
        ("recognized_new", "grassroots", 1, "yes"),
        ("recognized_share", None, 0, "no"),
        ("recognized_share", "grassroots", 100, "yes"),
    ]


def test_the_office_registers_its_organisation_and_the_board_above_decides(client, tree, people, plan, office):
    client.force_login(office)
    url = reverse("evaluations:campaign_register", args=[plan.pk])
    page = client.get(url)
    assert page.status_code == 200 and tree.grassroots.name in page.content.decode()
    response = client.post(
        url,
        {"organization": tree.grassroots.pk, "survey_report": "Đảng bộ đoàn kết", "expected_completion": "01/12/2024"},
    )
    registration = Registration.objects.get(organization=tree.grassroots)
    assert response.status_code == 302 and registration.status == RegistrationStatus.SUBMITTED
    # Its own office does not decide it (the board is the district's); the district's staff do.
    with pytest.raises((PermissionDenied, ValidationError)):
        services.registration.registration_decide(registration=registration, decision="approve", acting_user=office)
    services.registration.registration_decide(registration=registration, decision="approve", acting_user=people.alice)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.APPROVED


def test_the_committee_above_proposes_a_grassroots_organisation_but_not_itself(tree, people, plan):
    registration = services.registration.registration_submit(
        campaign=plan,
        organization=tree.grassroots,
        survey_report="Đề xuất",
        expected_completion=datetime.date(2024, 12, 1),
        acting_user=people.alice,
    )
    assert registration.submitted_by == people.alice
    with pytest.raises(ValidationError):
        services.registration.registration_submit(
            campaign=plan,
            organization=tree.district,
            survey_report="Chính mình",
            expected_completion=None,
            acting_user=people.alice,
        )
    # A ward's own plan is for what lies below it: the ward itself does not take part in it.
    own = builders.campaign(
        tree, plan.framework, code="4T-P1-2024",
        owner=tree.grassroots, registration_deadline=None,
    )  # fmt: skip
    with pytest.raises(ValidationError):
        services.registration.registration_submit(
            campaign=own, organization=tree.grassroots, survey_report="x", expected_completion=None, acting_user=None
        )
    # A grassroots organisation of another district's subtree is not under the plan's committee.
    with pytest.raises(ValidationError):
        services.registration.registration_submit(
            campaign=plan, organization=tree.other_grassroots, survey_report="x", expected_completion=None,
            acting_user=None,
        )  # fmt: skip
