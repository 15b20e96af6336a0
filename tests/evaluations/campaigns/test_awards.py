"""Support and commendation (Y7, Y8, B4): listed across a campaign's cells and years with totals by kind and
type of cell, entered one by one on the page or from the awards sheet (the same service), exported to Excel;
nothing before the recognition decision."""

import datetime
import html
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cells.models import AuditEntry
from cells.workbook.importer import run_import
from cells.workbook.writer import WorkbookWriter
from evaluations.campaigns import services
from evaluations.campaigns.models import Award, Registration

from . import builders

pytestmark = pytest.mark.django_db

DECIDED = datetime.date(2025, 1, 20)


@pytest.fixture
def recognized(tree, campaign):
    """Both cells of the ward confirmed as passing and recognized on 20/01/2025 (decision 45-QĐ/HU)."""
    regs = [builders.participant(campaign, cell) for cell in (tree.cell, tree.school)]
    Registration.objects.filter(pk__in=[r.pk for r in regs]).update(confirmed_at=timezone.now(), result="dat")
    regs = list(Registration.objects.filter(pk__in=[r.pk for r in regs]).order_by("organization__code"))
    services.recognition.decision_record(
        campaign=campaign, number="45-QĐ/HU", decided_on=DECIDED, signer="Nguyễn Văn Bí", registrations=regs,
        acting_user=None,
    )  # fmt: skip
    return regs


def _text(response) -> str:
    return html.unescape(response.content.decode())


def test_staff_enter_awards_one_by_one_and_see_totals_by_kind_and_cell_type(client, people, campaign, recognized):
    residential, school = recognized
    client.force_login(people.alice)
    url = reverse("evaluations:award_list")
    base = {"kind": "commendation", "granted_on": "25/01/2025", "reference": "50-QĐ/HU"}
    client.post(url, {**base, "registration": residential.pk, "description": "Giấy khen", "amount": "2000000"})
    client.post(url, {**base, "registration": school.pk, "description": "Giấy khen", "amount": "1500000"})
    client.post(
        url,
        {
            **base,
            "kind": "support",
            "registration": residential.pk,
            "description": "Loa, bàn ghế",
            "amount": "20000000",
        },
    )
    assert Award.objects.count() == 3
    entry = AuditEntry.objects.filter(action="award.support").get()
    assert entry.actor == people.alice and entry.after["amount"] == "20000000"

    page = client.get(url)
    totals = {(t.kind, t.cell_type): (t.count, t.amount) for t in page.context["totals"]}
    assert totals == {
        ("commendation", "Chi bộ khu dân cư (thôn, bản, tổ dân phố)"): (1, Decimal(2000000)),
        ("commendation", "Chi bộ đơn vị sự nghiệp (trường học, bệnh viện)"): (1, Decimal(1500000)),
        ("support", "Chi bộ khu dân cư (thôn, bản, tổ dân phố)"): (1, Decimal(20000000)),
    }
    body = _text(page)
    assert "20.000.000" in body and "23.500.000" in body  # the total, written as people write money
    only_support = client.get(url, {"kind": "support"})
    assert [a.description for a in only_support.context["awards"]] == ["Loa, bàn ghế"]
    assert client.get(url, {"year": "2023"}).context["awards"] == []


def test_nothing_is_granted_before_the_recognition_decision(client, people, campaign, recognized):
    client.force_login(people.alice)
    response = client.post(
        reverse("evaluations:award_list"),
        {
            "registration": recognized[0].pk,
            "kind": "commendation",
            "description": "Giấy khen",
            "granted_on": "10/01/2025",
        },
    )
    assert "trước quyết định công nhận 45-QĐ/HU ngày 20/01/2025" in _text(response)
    assert not Award.objects.exists() and not AuditEntry.objects.filter(action__startswith="award.").exists()


def test_the_awards_sheet_goes_through_the_same_service_and_the_list_exports_to_excel(
    client, tmp_path, people, campaign, recognized
):
    book = WorkbookWriter()
    book.sheet("awards").extend(
        [
            [campaign.code, "C1", "reward", "Tiền thưởng", 3000000, datetime.date(2025, 2, 1), "51-QĐ/HU"],
            [campaign.code, "C2", "commendation", "Bằng khen", None, datetime.date(2025, 1, 2), "52-QĐ/HU"],
        ]
    )
    book.save(tmp_path / "k.xlsx")
    refused = run_import(tmp_path / "k.xlsx", user=people.alice)
    assert any("trước quyết định công nhận" in e.message for e in refused.errors)
    assert not Award.objects.exists()  # all or nothing

    book = WorkbookWriter()
    book.sheet("awards").extend(
        [[campaign.code, "C1", "reward", "Tiền thưởng", 3000000, datetime.date(2025, 2, 1), "51-QĐ/HU"]]
    )
    book.save(tmp_path / "k2.xlsx")
    assert not run_import(tmp_path / "k2.xlsx", user=people.alice).errors
    assert not run_import(tmp_path / "k2.xlsx", user=people.alice).errors  # twice: granted once
    award = Award.objects.get()
    assert (award.kind, award.amount, award.reference) == ("reward", 3000000, "51-QĐ/HU")
    assert AuditEntry.objects.get(action="award.reward").actor == people.alice

    client.force_login(people.lena)  # leadership reads the list and its export
    export = client.get(reverse("evaluations:award_list"), {"export": "xlsx"})
    workbook = load_workbook(io.BytesIO(export.content))
    rows = list(workbook["awards"].iter_rows(values_only=True))
    assert rows[0][:7] == ("campaign_code", "org_code", "kind", "description", "amount", "granted_on", "reference")
    assert rows[1][:5] == (campaign.code, "C1", "reward", "Tiền thưởng", 3000000)
    assert list(workbook["award_totals"].iter_rows(values_only=True))[1][2:] == (1, 3000000)
    client.force_login(people.charlie)
    assert client.get(reverse("evaluations:award_list")).context["awards"] == []
