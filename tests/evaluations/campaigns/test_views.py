"""Pages of the campaign cycle: registration deadline shown, evidence scope, content checks, the dashboard's queries."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from evaluations.campaigns import services
from evaluations.campaigns.models import Evidence, RegistrationStatus

from . import builders
from .builders import criterion

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


def test_a_late_registration_page_shows_the_deadline(client, people, tree, four_good):
    campaign = builders.campaign(tree, four_good, registration_deadline=datetime.date(2020, 2, 25))
    client.force_login(people.sue)
    response = client.post(
        reverse("evaluations:campaign_register", args=[campaign.pk]),
        {"organization": tree.cell.pk, "survey_report": "Khảo sát", "expected_completion": "2020-12-01"},
    )
    assert response.status_code == 200
    assert "25/02/2020" in response.content.decode()


def test_a_secretary_registers_her_cell(client, people, tree, four_good):
    campaign = builders.campaign(tree, four_good, registration_deadline=None)
    client.force_login(people.sue)
    response = client.post(
        reverse("evaluations:campaign_register", args=[campaign.pk]),
        {"organization": tree.cell.pk, "survey_report": "Khảo sát", "expected_completion": "2024-12-01"},
    )
    assert response.status_code == 302
    assert campaign.registrations.get().status == RegistrationStatus.SUBMITTED


def test_a_secretary_cannot_register_another_cell(client, people, tree, four_good):
    campaign = builders.campaign(tree, four_good, registration_deadline=None)
    client.force_login(people.sue)
    response = client.post(
        reverse("evaluations:campaign_register", args=[campaign.pk]),
        {"organization": tree.school.pk, "survey_report": "x", "expected_completion": "2024-12-01"},
    )
    assert response.status_code == 200
    assert not campaign.registrations.exists()


def _upload(client, registration, name, content, content_type):
    c = criterion(registration, "1.1")
    return client.post(
        reverse("evaluations:registration_assess", args=[registration.pk]),
        {f"a_{c.id}": "1", f"f_{c.id}": SimpleUploadedFile(name, content, content_type)},
    )


def test_evidence_is_checked_by_content_not_by_name(client, people, registration):
    client.force_login(people.sue)
    response = _upload(client, registration, "bao-cao.pdf", b"MZ\x90\x00 this is an executable", "application/pdf")
    assert response.status_code == 200
    assert not Evidence.objects.exists()
    response = _upload(client, registration, "anh.pdf", png_bytes(), "application/pdf")
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.content_type == "image/png"
    assert evidence.original_name == "anh.pdf"
    assert "anh" not in evidence.file.name and evidence.file.name.endswith(".png")


def test_evidence_over_the_size_limit_is_refused(client, people, registration, settings):
    settings.CHIBO_MAX_UPLOAD_BYTES = 100
    client.force_login(people.sue)
    response = _upload(client, registration, "big.pdf", PDF + b"0" * 200, "application/pdf")
    assert response.status_code == 200
    assert not Evidence.objects.exists()


def test_a_secretary_cannot_fetch_another_cells_evidence_by_guessing_its_url(client, people, campaign, tree):
    school = builders.participant(campaign, tree.school)
    answer = services.answers.answer_self_save(
        registration=school, criterion=criterion(school, "1.1"), achieved=True, acting_user=None
    )
    evidence = services.answers.evidence_add(
        answer=answer, upload=SimpleUploadedFile("mat.pdf", PDF, "application/pdf"), acting_user=None
    )
    url = reverse("evaluations:campaign_evidence", args=[evidence.pk])
    client.force_login(people.sue)
    assert client.get(url).status_code == 404
    assert client.get(reverse("evaluations:campaign_evidence", args=[evidence.pk + 1000])).status_code == 404
    client.force_login(people.alice)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_the_appraisal_page_refuses_a_change_without_a_reason(client, people, registration):
    services.answers.answer_self_save(
        registration=registration, criterion=criterion(registration, "1.1"), achieved=True, acting_user=None
    )
    c = criterion(registration, "1.1")
    client.force_login(people.alice)
    url = reverse("evaluations:registration_appraise", args=[registration.pk])
    response = client.post(url, {f"aa_{c.id}": "0"})
    assert response.status_code == 200
    assert "1.1" in response.content.decode()
    response = client.post(url, {f"aa_{c.id}": "0", f"r_{c.id}": "Không có minh chứng"})
    assert response.status_code == 302


def test_a_secretary_cannot_appraise_or_confirm(client, people, registration):
    client.force_login(people.sue)
    assert client.get(reverse("evaluations:registration_appraise", args=[registration.pk])).status_code == 404
    assert client.post(reverse("evaluations:registration_confirm", args=[registration.pk])).status_code == 404


def test_leadership_sees_the_dashboard_read_only(client, people, campaign, registration):
    client.force_login(people.lena)
    response = client.get(reverse("evaluations:campaign_detail", args=[campaign.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="targets"' in html
    assert reverse("evaluations:campaign_edit", args=[campaign.pk]) not in html
    assert client.get(reverse("evaluations:campaign_edit", args=[campaign.pk])).status_code == 404


def _fill(campaign, tree, n):
    from tests.factories import make_org

    for i in range(n):
        cell = make_org(f"Chi bộ số {i}", parent=tree.grassroots, code=f"X{i}")
        builders.participant(
            campaign, cell, status=RegistrationStatus.MAINTAINING if i % 2 else RegistrationStatus.APPROVED
        )


@pytest.mark.parametrize("cells", [2, 12])
def test_the_dashboard_takes_a_fixed_number_of_queries(
    client, people, campaign, tree, cells, django_assert_num_queries
):
    _fill(campaign, tree, cells)
    services.plans.milestone_add(
        campaign=campaign, title="Hội nghị quán triệt", due_on=datetime.date(2099, 3, 1), acting_user=None
    )
    client.force_login(people.lena)
    url = reverse("evaluations:campaign_detail", args=[campaign.pk])
    client.get(url)  # warm the session (and the rubric, read once per process)
    # With the notification bell, the participants' levels as they stood in the campaign's year, and the
    # grassroots committees' registration lists (Y9). The participants are counted in one grouped read
    # (their results, progress and where they stood, from the campaign's kept standings) after the summary's
    # and the tree's stamps, three reads where the rows, the year's ratings, the history and the progress
    # were four. One more: the stamp of what the figures read (page_cache.py), worked out here because the
    # warming request rebuilt the standings (the tree's stamp had moved since the registrations).
    with django_assert_num_queries(19):
        response = client.get(url)
    assert response.status_code == 200
    # Kept while their stamp stands: the rubrics, the grouped read and the statuses are not read again.
    with django_assert_num_queries(13):
        response = client.get(url)
    assert response.status_code == 200


def test_the_results_export_takes_a_fixed_number_of_queries(campaign, tree, django_assert_num_queries):
    from evaluations.campaigns.selectors import result_rows

    _fill(campaign, tree, 5)
    # the rubric was read when the answers were scored (frozen rubrics are read once per process); one
    # query more for the participants' names and levels as they were in the campaign's year (history rule)
    with django_assert_num_queries(5):
        rows = result_rows(campaign)
    assert len(rows) == 5


def test_the_campaign_page_shows_each_cells_level_by_its_label(client, people, registration):
    services.answers.registration_rescore(registration)
    client.force_login(people.alice)
    body = client.get(reverse("evaluations:campaign_detail", args=[registration.campaign.pk])).content.decode()
    table = body[body.index("Chi bộ Tổ dân phố số 3") :]
    assert "<td>Không đạt</td>" in table
    assert "khong_dat" not in table
