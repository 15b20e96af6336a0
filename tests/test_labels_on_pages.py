"""No code on screen (issue 26), through the pages: levels and states by their labels, periods as people write
them and picked, a period that cannot be read refused, amounts and counts in Vietnamese form, the audit history
in sentences. The link-following test (test_every_link.py) checks every page of the demo; these pin each item."""

import datetime
import re
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from lxml import html as lxml_html

from cells.audit_history import entries_about, history_lines
from cells.models import Organization
from cells.periods import Period, period_choices
from evaluations.campaigns import services as campaign_services
from evaluations.meetings import services as meeting_services
from reports.forms import ReportRequestForm
from tests.evaluations.campaigns import builders
from tests.evaluations.meetings.helpers import FULL, make_framework, scored_meeting
from tests.test_every_link import visible_text

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    assert response.status_code == 200
    return " ".join(visible_text(lxml_html.document_fromstring(response.content.decode())).split())


def _word(word: str, text: str) -> bool:
    return re.search(rf"(?<![\w]){re.escape(word)}(?![\w])", text) is not None


# --- Periods ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "shown"),
    [
        ("2026-12", "Tháng 12/2026"),
        ("2026-Q4", "Quý IV/2026"),
        ("2026-H1", "6 tháng đầu năm 2026"),
        ("2026-H2", "6 tháng cuối năm 2026"),
        ("2026", "Năm 2026"),
    ],
)
def test_a_period_reads_as_people_write_it_and_is_read_back(code, shown):
    period = Period.parse(code)
    assert period.display == shown
    assert Period.parse(shown) == period  # what a page shows, typed back, is the same period
    assert Period.parse(shown.lower()) == period


@pytest.mark.parametrize(
    ("typed", "code"),
    [("quý 4/2026", "2026-Q4"), ("Quý IV năm 2026", "2026-Q4"), ("12/2026", "2026-12"), ("tháng 3/2024", "2024-03")],
)
def test_the_ways_people_write_a_period_are_read(typed, code):
    assert Period.parse(typed).code == code


@pytest.mark.parametrize("typed", ["13/2026", "Quý V/2026", "2026-Q5", "quý", "tháng 12", "hai nghìn", ""])
def test_a_period_that_cannot_be_read_is_refused_with_the_way_to_write_it(typed):
    with pytest.raises(ValueError, match="Quý I/2024"):
        Period.parse(typed)


def test_the_picker_offers_this_years_periods_newest_first():
    choices = period_choices(datetime.date(2026, 12, 7), ("quarter", "year"), years=2)
    assert choices == [
        ("2026-Q4", "Quý IV/2026"),
        ("2026-Q3", "Quý III/2026"),
        ("2026-Q2", "Quý II/2026"),
        ("2026-Q1", "Quý I/2026"),
        ("2025-Q4", "Quý IV/2025"),
        ("2025-Q3", "Quý III/2025"),
        ("2025-Q2", "Quý II/2025"),
        ("2025-Q1", "Quý I/2025"),
        ("2026", "Năm 2026"),
        ("2025", "Năm 2025"),
    ]


def test_the_ranking_picks_its_period_and_refuses_one_it_cannot_read(client, tree, people, framework):
    meeting = scored_meeting(tree.cell, date=datetime.date(2024, 3, 5))
    client.force_login(people.alice)
    url = reverse("evaluations:meetings:ranking")
    shown = client.get(url, {"org": tree.district.pk, "period": "2024-03"})
    page = lxml_html.document_fromstring(shown.content.decode())
    selected = page.xpath("//select[@name='period']/option[@selected]")
    assert [(o.get("value"), o.text_content()) for o in selected] == [("2024-03", "Tháng 3/2024")]
    assert not page.xpath("//input[@name='period']")  # picked, not typed
    text = _text(shown)
    assert tree.cell.name in text and "Tháng 3/2024" in text and "2024-03" not in text

    # Typed as people write it, it is read: the quarter, not the year.
    quarter = _text(client.get(url, {"org": tree.district.pk, "period": "Quý I/2024"}))
    assert "Quý I/2024" in quarter and tree.cell.name in quarter

    # A period that cannot be read: refused with the reason, and no ranking of another period in its place.
    refused = client.get(url, {"org": tree.district.pk, "period": "Quý 5/2024"})
    text = _text(refused)
    assert "Không đọc được kỳ “Quý 5/2024”" in text
    assert not lxml_html.document_fromstring(refused.content.decode()).xpath("//*[@data-testid='ranking']")
    assert meeting.organization.name not in text.split("Không đọc được kỳ")[1]


def test_the_supervision_report_refuses_a_period_it_cannot_read(client, tree, people, framework, sam_assigned):
    scored_meeting(tree.cell, date=datetime.date(2024, 3, 5))
    client.force_login(people.alice)
    url = reverse("evaluations:meetings:supervision_summary")
    read = _text(client.get(url, {"org": tree.district.pk, "period": "2024-Q1"}))
    assert "Quý I/2024" in read and people.sam.get_full_name() in read
    refused = _text(client.get(url, {"org": tree.district.pk, "period": "năm"}))
    assert "Không đọc được kỳ “năm”" in refused and people.sam.get_full_name() not in refused


def test_the_report_form_offers_periods_by_name_and_refuses_one_it_cannot_read(tree, people):
    def form(period):
        data = {"kind": "quarterly", "organization": tree.district.pk, "period": period, "format": "pdf"}
        data["issued_on"] = "05/01/2025"
        return ReportRequestForm(data, organizations=Organization.objects.filter(pk=tree.district.pk))

    offered = dict(
        ReportRequestForm(organizations=tree.district.__class__.objects.none()).fields["period"].widget.choices
    )
    today = datetime.date.today()
    assert offered[f"{today.year}"] == f"Năm {today.year}"
    assert all(not re.search(r"\d{4}-", label) for label in offered.values())
    good = form("Quý I/2024")
    assert good.is_valid(), good.errors
    assert good.cleaned_data["period"] == "2024-Q1"
    bad = form("Quý 5/2024")
    assert not bad.is_valid() and "Không đọc được kỳ" in str(bad.errors["period"])


# --- Levels and states on the meeting pages -------------------------------------------------------------


@pytest.fixture
def framework(tree):
    return make_framework(tree.province)


@pytest.fixture
def sam_assigned(tree, people):
    from tests.evaluations.meetings.helpers import assign_supervisor

    return assign_supervisor(tree.cell, people.sam)


def test_meeting_pages_show_levels_and_states_by_their_labels(client, tree, people, framework, sam_assigned):
    # 85 points: Khá (at least 70, under 90).
    meeting = scored_meeting(tree.cell, {**FULL, "3.1": 10}, date=datetime.date(2024, 3, 5))
    assert meeting.self_level == "kha"
    client.force_login(people.sam)
    queue = _text(client.get(reverse("evaluations:meetings:queue")))
    assert "85 Khá" in queue and not _word("kha", queue)

    meeting_services.recording.meeting_appraise(meeting=meeting, changes={}, acting_user=people.sam)
    client.force_login(people.alice)
    listing = _text(client.get(reverse("evaluations:meetings:list"), {"year": 2024}))
    assert "Đã thẩm định" in listing and "· Khá" in listing and not _word("kha", listing)
    detail = _text(client.get(reverse("evaluations:meetings:detail", args=[meeting.pk])))
    assert "85 Khá" in detail and "Đã thẩm định" in detail and not _word("kha", detail)


# --- The audit history -----------------------------------------------------------------------------------


def test_the_audit_history_reads_a_target_as_a_sentence(client, tree, people):
    campaign = builders.campaign(tree)
    campaign_services.plans.target_set(
        campaign=campaign, metric="passed_share", cell_type=None, comparator=">=", value=Decimal("80"), acting_user=None
    )
    campaign_services.plans.target_set(
        campaign=campaign,
        metric="passed_share",
        cell_type=None,
        comparator=">=",
        value=Decimal("90"),
        acting_user=people.alice,
    )
    sentence = history_lines(entries_about([campaign])[:1])[0].sentence
    assert "chỉ tiêu từ “Tỷ lệ chi bộ tham gia đạt (%) ≥ 80” thành “Tỷ lệ chi bộ tham gia đạt (%) ≥ 90”" in sentence
    assert not re.search(r"passed_share|comparator|metric|>=", sentence)
    client.force_login(people.alice)
    trail = _text(client.get(reverse("cells:audit_trail")))
    assert "Tỷ lệ chi bộ tham gia đạt (%) ≥ 90" in trail and "passed_share" not in trail


# --- Numbers --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("template", "value", "shown"),
    [
        ("{{ v|money }}", 20000000, "20.000.000 đ"),
        ("{{ v|money }}", Decimal("20000000.00"), "20.000.000 đ"),
        ("{{ v|count }}", Decimal("1250.0"), "1.250"),
        ("{{ v|count }}", 12, "12"),
        ("{{ v|count }}", Decimal("2.50"), "2,5"),
        ("{{ v|period_label }}", "2026-Q4", "Quý IV/2026"),
    ],
)
def test_numbers_and_periods_read_in_vietnamese_form(template, value, shown):
    assert Template("{% load labels %}" + template).render(Context({"v": value})) == shown
