"""A refused submit loses nothing: the page comes back with every typed value, the Vietnamese message
next to its field, and nothing written (self-assessment, appraisal, registration, campaign)."""

import html
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cells.models import AuditEntry
from evaluations.campaigns import services
from evaluations.campaigns.models import AnnualAnswer, Campaign, Evidence

from . import builders
from .builders import criterion

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00 this is an executable"


def _typed_self_assessment(registration, upload):
    c11, c12, c21, c22 = (criterion(registration, code) for code in ("1.1", "1.2", "2.1", "2.2"))
    return {
        f"a_{c11.id}": "1",
        f"c_{c11.id}": "Đã ban hành nghị quyết chuyên đề",
        f"f_{c11.id}": upload,
        f"a_{c12.id}": "0",
        f"c_{c12.id}": "Chưa đạt vì thiếu kinh phí",
        f"target_{c21.id}": "0,8",
        f"actual_{c21.id}": "0,5",
        f"actual_{c22.id}": "97.5",
        "submit_assessment": "1",
    }


def _page(response) -> str:
    return html.unescape(response.content.decode())


def test_a_refused_evidence_file_keeps_every_typed_value_and_saves_nothing(client, people, registration):
    client.force_login(people.sue)
    audits_before = AuditEntry.objects.count()
    url = reverse("evaluations:registration_assess", args=[registration.pk])
    response = client.post(url, _typed_self_assessment(registration, SimpleUploadedFile("bao-cao.pdf", EXE)))
    assert response.status_code == 200
    page = _page(response)
    assert 'value="Đã ban hành nghị quyết chuyên đề"' in page
    assert 'value="Chưa đạt vì thiếu kinh phí"' in page
    assert 'value="0,8"' in page and 'value="0,5"' in page and 'value="97.5"' in page
    c11, c12 = criterion(registration, "1.1"), criterion(registration, "1.2")
    assert '<option value="1" selected>Đạt</option>' in page.split(f'name="a_{c11.id}"')[1].split("</select>")[0]
    assert '<option value="0" selected>Không đạt</option>' in page.split(f'name="a_{c12.id}"')[1].split("</select>")[0]
    assert "bao-cao.pdf: Minh chứng chỉ nhận tệp PDF" in page
    assert "Chưa lưu gì cả" in page
    assert not AnnualAnswer.objects.filter(registration=registration).exists()
    assert not Evidence.objects.exists()
    assert AuditEntry.objects.count() == audits_before
    registration.refresh_from_db()
    assert registration.self_assessed_at is None


def test_a_too_large_file_is_refused_in_vietnamese_next_to_its_field(client, people, registration, settings):
    settings.CHIBO_MAX_UPLOAD_BYTES = 100
    client.force_login(people.sue)
    url = reverse("evaluations:registration_assess", args=[registration.pk])
    upload = SimpleUploadedFile("lon.pdf", PDF + b"0" * 200, "application/pdf")
    response = client.post(url, _typed_self_assessment(registration, upload))
    assert response.status_code == 200
    page = _page(response)
    assert "lon.pdf: Tệp quá lớn" in page
    assert 'value="Đã ban hành nghị quyết chuyên đề"' in page
    assert not AnnualAnswer.objects.filter(registration=registration).exists()


def test_a_value_that_is_not_a_number_is_refused_and_a_good_file_must_be_chosen_again(client, people, registration):
    client.force_login(people.sue)
    url = reverse("evaluations:registration_assess", args=[registration.pk])
    data = _typed_self_assessment(registration, SimpleUploadedFile("mat.pdf", PDF, "application/pdf"))
    c21 = criterion(registration, "2.1")
    data[f"actual_{c21.id}"] = "khoảng một nửa"
    response = client.post(url, data)
    assert response.status_code == 200
    page = _page(response)
    assert 'value="khoảng một nửa"' in page
    assert "2.1: Nhập một số." in page
    assert "Hãy chọn lại tệp mat.pdf" in page
    assert not AnnualAnswer.objects.filter(registration=registration).exists()
    assert not Evidence.objects.exists()


def test_points_out_of_range_are_refused_next_to_the_field(client, people, tree):
    framework = builders.scored_framework(tree.district)
    registration = builders.participant(builders.campaign(tree, framework, code="KM-REF"), tree.cell)
    c11, c12 = criterion(registration, "1.1"), criterion(registration, "1.2")
    client.force_login(people.sue)
    url = reverse("evaluations:registration_assess", args=[registration.pk])
    response = client.post(url, {f"p_{c11.id}": "75", f"p_{c12.id}": "35", f"c_{c12.id}": "Tốt"})
    assert response.status_code == 200
    page = _page(response)
    assert 'value="75"' in page and 'value="35"' in page and 'value="Tốt"' in page
    assert "Điểm phải từ 0 đến 60" in page
    assert not AnnualAnswer.objects.filter(registration=registration).exists()


def test_a_good_submit_still_saves_everything(client, people, registration):
    client.force_login(people.sue)
    url = reverse("evaluations:registration_assess", args=[registration.pk])
    upload = SimpleUploadedFile("mat.pdf", PDF, "application/pdf")
    response = client.post(url, _typed_self_assessment(registration, upload))
    assert response.status_code == 302
    answer = AnnualAnswer.objects.get(registration=registration, criterion=criterion(registration, "2.1"))
    assert (answer.actual, answer.target) == (Decimal("0.5"), Decimal("0.8"))
    assert Evidence.objects.get().answer.criterion.code == "1.1"


def test_a_refused_appraisal_keeps_what_the_board_typed_and_writes_nothing(client, people, registration):
    for code in ("1.1", "1.2"):
        services.answers.answer_self_save(
            registration=registration, criterion=criterion(registration, code), achieved=True, acting_user=None
        )
    c11, c12, c21 = (criterion(registration, code) for code in ("1.1", "1.2", "2.1"))
    client.force_login(people.alice)
    url = reverse("evaluations:registration_appraise", args=[registration.pk])
    response = client.post(
        url,
        {
            f"aa_{c11.id}": "0",
            f"r_{c11.id}": "Không có minh chứng",
            f"aa_{c12.id}": "0",
            f"aactual_{c21.id}": "1,5",
            f"r_{c21.id}": "Số liệu của phường",
        },
    )
    assert response.status_code == 200
    page = _page(response)
    assert 'value="Không có minh chứng"' in page and 'value="1,5"' in page and 'value="Số liệu của phường"' in page
    assert "Nêu lý do" in page.split(f'name="r_{c12.id}"')[1].split("card-body")[0]
    assert not AnnualAnswer.objects.filter(registration=registration, appraised_at__isnull=False).exists()


def test_a_refused_registration_keeps_the_survey_report(client, people, tree, four_good):
    campaign = builders.campaign(tree, four_good, registration_deadline=None)
    client.force_login(people.sue)
    response = client.post(
        reverse("evaluations:campaign_register", args=[campaign.pk]),
        {"organization": tree.cell.pk, "survey_report": "Chi bộ đoàn kết, 30 đảng viên", "expected_completion": "xx"},
    )
    assert response.status_code == 200
    page = _page(response)
    assert "Chi bộ đoàn kết, 30 đảng viên" in page
    assert "Nhập một ngày hợp lệ" in page
    assert not campaign.registrations.exists()


def test_a_refused_campaign_keeps_what_was_typed(client, people, tree, four_good):
    client.force_login(people.alice)
    response = client.post(
        reverse("evaluations:campaign_create"),
        {
            "code": "KM-2025",
            "name": "Chi bộ kiểu mẫu 2025",
            "owner": tree.district.pk,
            "framework": four_good.pk,
            "year": "hai nghìn",
            "legal_basis": "Hướng dẫn 12-HD/BTCTU",
        },
    )
    assert response.status_code == 200
    page = _page(response)
    assert 'value="Chi bộ kiểu mẫu 2025"' in page and "Hướng dẫn 12-HD/BTCTU" in page
    assert "Nhập một số nguyên" in page
    assert not Campaign.objects.filter(code="KM-2025").exists()
