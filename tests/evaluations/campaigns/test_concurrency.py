"""Two people saving the same registration or its annual answers at once: the second save is refused with
the Vietnamese message, and the page keeps what they typed."""

import html

import pytest
from django.urls import reverse

from cells.concurrency import VersionConflict
from evaluations.campaigns import services
from evaluations.campaigns.models import AnnualAnswer, Registration, RegistrationStatus

from . import builders
from .builders import criterion

pytestmark = pytest.mark.django_db
CONFLICT = "Người khác đã lưu đăng ký này"


def test_a_decision_drawn_before_another_decision_is_refused(campaign, tree, people):
    registration = builders.participant(campaign, tree.cell, status=RegistrationStatus.SUBMITTED)
    drawn = registration.version
    stale = Registration.objects.get(pk=registration.pk)
    services.registration.registration_decide(
        registration=registration, decision="approve", acting_user=people.alice, expected_version=drawn
    )
    with pytest.raises(VersionConflict):
        services.registration.registration_decide(
            registration=stale, decision="reject", reason="Thiếu", acting_user=people.alice, expected_version=drawn
        )
    assert Registration.objects.get(pk=registration.pk).status == RegistrationStatus.APPROVED


def test_a_refused_decision_keeps_the_typed_reason_on_the_page(client, campaign, tree, people):
    registration = builders.participant(campaign, tree.cell, status=RegistrationStatus.SUBMITTED)
    client.force_login(people.alice)
    page = client.get(reverse("evaluations:registration_detail", args=[registration.pk])).content.decode()
    assert f'name="version" value="{registration.version}"' in page
    services.registration.registration_decide(registration=registration, decision="approve", acting_user=people.alice)
    response = client.post(
        reverse("evaluations:registration_decide", args=[registration.pk]),
        {"decision": "reject", "reason": "Chi bộ chưa đủ điều kiện năm trước", "version": "1"},
    )
    body = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert CONFLICT in body
    assert "Chi bộ chưa đủ điều kiện năm trước" in body
    assert Registration.objects.get(pk=registration.pk).status == RegistrationStatus.APPROVED


def test_answers_saved_by_someone_else_refuse_the_older_self_assessment_page(client, registration, people):
    c11, c12 = criterion(registration, "1.1"), criterion(registration, "1.2")
    url = reverse("evaluations:registration_assess", args=[registration.pk])
    client.force_login(people.sue)
    drawn = Registration.objects.get(pk=registration.pk).version
    assert f'name="version" value="{drawn}"' in client.get(url).content.decode()
    # A deputy saves one answer from another phone in the meantime.
    services.answers.answer_self_save(registration=registration, criterion=c11, achieved=True, acting_user=people.sue)
    response = client.post(
        url, {f"a_{c11.id}": "0", f"c_{c11.id}": "Ý kiến của bí thư", f"a_{c12.id}": "1", "version": str(drawn)}
    )
    body = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert CONFLICT in body
    assert 'value="Ý kiến của bí thư"' in body
    assert f'name="version" value="{drawn + 1}"' in body
    assert AnnualAnswer.objects.get(registration=registration, criterion=c11).self_achieved is True
    assert not AnnualAnswer.objects.filter(registration=registration, criterion=c12).exists()


def test_an_appraisal_page_drawn_before_the_cell_changed_its_answers_is_refused(client, registration, people):
    c11 = criterion(registration, "1.1")
    client.force_login(people.alice)
    drawn = Registration.objects.get(pk=registration.pk).version
    services.answers.answer_self_save(registration=registration, criterion=c11, achieved=True, acting_user=people.sue)
    response = client.post(
        reverse("evaluations:registration_appraise", args=[registration.pk]),
        {f"aa_{c11.id}": "0", f"r_{c11.id}": "Chưa có nghị quyết", "version": str(drawn)},
    )
    body = html.unescape(response.content.decode())
    assert response.status_code == 200 and CONFLICT in body
    assert 'value="Chưa có nghị quyết"' in body
    assert AnnualAnswer.objects.get(registration=registration, criterion=c11).appraised_achieved is None
