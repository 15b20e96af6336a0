"""The campaign cycle through its services: deadline, eligibility, decisions, self-assessment, appraisal, locking,
recognition and carry-over."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cells.models import AuditEntry
from evaluations.campaigns import services
from evaluations.campaigns.models import RegistrationStatus

from . import builders
from .builders import YEAR, criterion


def _submit(campaign, cell, today):
    return services.registration.registration_submit(
        campaign=campaign,
        organization=cell,
        survey_report="Báo cáo khảo sát",
        expected_completion=datetime.date(YEAR, 11, 30),
        acting_user=None,
        today=today,
    )


def test_registration_on_the_deadline_is_accepted(campaign, tree):
    registration = _submit(campaign, tree.cell, datetime.date(YEAR, 2, 25))
    assert registration.status == RegistrationStatus.SUBMITTED


def test_late_registration_is_refused_with_the_deadline_shown(campaign, tree):
    with pytest.raises(ValidationError) as exc:
        _submit(campaign, tree.cell, datetime.date(YEAR, 2, 26))
    assert "25/02/2024" in " ".join(exc.value.messages)


def test_a_cell_outside_the_campaign_owner_cannot_register(campaign, tree):
    with pytest.raises(ValidationError):
        _submit(campaign, tree.other_cell, datetime.date(YEAR, 2, 1))


def test_eligibility_is_computed_with_its_reasons(tree, four_good):
    campaign = builders.campaign(tree, four_good, eligibility_good_years=2, eligibility_all_members_completed=True)
    services.ratings.year_rating_set(
        organization=tree.cell, year=2023, rating="HTTNV", members_total=10, members_completed=10, acting_user=None
    )
    services.ratings.year_rating_set(organization=tree.cell, year=2022, rating="HTNV", acting_user=None)
    registration = _submit(campaign, tree.cell, datetime.date(YEAR, 2, 1))
    assert registration.eligibility["eligible"] is False
    assert [(r["rule"], r["year"], r["ok"]) for r in registration.eligibility["reasons"]] == [
        ("good_year", 2023, True),
        ("good_year", 2022, False),
        ("members_completed", 2023, True),
    ]


def test_a_returned_registration_can_be_resubmitted(campaign, tree):
    registration = _submit(campaign, tree.cell, datetime.date(YEAR, 2, 1))
    services.registration.registration_decide(
        registration=registration, decision="return", reason="Bổ sung báo cáo", acting_user=None
    )
    assert registration.status == RegistrationStatus.RETURNED
    again = _submit(campaign, tree.cell, datetime.date(YEAR, 2, 10))
    assert again.pk == registration.pk and again.status == RegistrationStatus.SUBMITTED


def test_a_registration_cannot_be_submitted_twice(campaign, tree):
    _submit(campaign, tree.cell, datetime.date(YEAR, 2, 1))
    with pytest.raises(ValidationError):
        _submit(campaign, tree.cell, datetime.date(YEAR, 2, 2))


def test_returning_or_rejecting_needs_a_reason(campaign, tree):
    registration = _submit(campaign, tree.cell, datetime.date(YEAR, 2, 1))
    for decision in ("return", "reject"):
        with pytest.raises(ValidationError):
            services.registration.registration_decide(
                registration=registration, decision=decision, reason=" ", acting_user=None
            )


def test_the_selection_cap_stops_a_committee_selecting_more(tree, four_good):
    campaign = builders.campaign(tree, four_good, selection_cap=1)
    first = _submit(campaign, tree.cell, datetime.date(YEAR, 2, 1))
    second = _submit(campaign, tree.school, datetime.date(YEAR, 2, 1))
    services.registration.registration_decide(registration=first, decision="approve", acting_user=None)
    with pytest.raises(ValidationError):
        services.registration.registration_decide(registration=second, decision="approve", acting_user=None)


def _answer_all(registration, *, dropout="0.5", study="99"):
    for code in ("1.1", "1.2"):
        services.answers.answer_self_save(
            registration=registration, criterion=criterion(registration, code), achieved=True, acting_user=None
        )
    services.answers.answer_self_save(
        registration=registration,
        criterion=criterion(registration, "2.1"),
        actual=dropout,
        target="0.8",
        acting_user=None,
    )
    services.answers.answer_self_save(
        registration=registration, criterion=criterion(registration, "2.2"), actual=study, acting_user=None
    )
    registration.refresh_from_db()
    return registration


def test_all_achieved_reaches_the_dat_level(registration):
    registration = _answer_all(registration)
    assert registration.level_code == "dat" and registration.failed == ""


def test_the_cells_own_target_is_used_for_its_indicator(registration):
    registration = _answer_all(registration, dropout="0.9")  # below the framework's 1.0 but not the cell's 0.8
    assert registration.failed == "2"
    assert registration.level_code == "khong_dat"


def test_a_fixed_target_cannot_be_changed_by_the_cell(registration):
    with pytest.raises(ValidationError):
        services.answers.answer_self_save(
            registration=registration,
            criterion=criterion(registration, "2.2"),
            actual="99",
            target="50",
            acting_user=None,
        )


def test_criteria_for_another_cell_type_do_not_apply(campaign, tree):
    school = builders.participant(campaign, tree.school)
    for code in ("1.1",):
        services.answers.answer_self_save(
            registration=school, criterion=criterion(school, code), achieved=True, acting_user=None
        )
    services.answers.answer_self_save(
        registration=school, criterion=criterion(school, "2.1"), actual="0.1", acting_user=None
    )
    services.answers.answer_self_save(
        registration=school, criterion=criterion(school, "2.2"), actual="100", acting_user=None
    )
    school.refresh_from_db()
    assert school.level_code == "dat"  # 1.2 is for residential cells only


def test_an_appraisal_changing_the_cells_value_needs_a_reason_and_is_audited(registration):
    registration = _answer_all(registration)
    c = criterion(registration, "1.1")
    with pytest.raises(ValidationError):
        services.answers.answer_appraise(
            registration=registration, criterion=c, achieved=False, reason="", acting_user=None
        )
    services.answers.answer_appraise(
        registration=registration, criterion=c, achieved=False, reason="Chưa có nghị quyết", acting_user=None
    )
    registration.refresh_from_db()
    assert registration.failed == "1"
    entry = AuditEntry.objects.filter(action="annual.appraise").get()
    assert entry.reason == "Chưa có nghị quyết"
    assert entry.before["appraised_achieved"] is None and entry.after["appraised_achieved"] is False


def test_confirming_applies_the_minimum_year_rating(registration, tree):
    registration = _answer_all(registration)
    services.ratings.year_rating_set(organization=tree.cell, year=YEAR, rating="HTNV", acting_user=None)
    services.answers.registration_confirm(registration=registration, acting_user=None)
    assert (registration.result, registration.outcome, registration.year_rating) == (
        "khong_dat",
        "not_recognized",
        "HTNV",
    )


def test_a_confirmed_result_is_locked(registration, tree):
    registration = _answer_all(registration)
    services.ratings.year_rating_set(organization=tree.cell, year=YEAR, rating="HTTNV", acting_user=None)
    services.answers.registration_confirm(registration=registration, acting_user=None)
    assert registration.result == "dat" and registration.outcome == "recognized_new"
    with pytest.raises(ValidationError):
        services.answers.answer_self_save(
            registration=registration, criterion=criterion(registration, "1.1"), achieved=False, acting_user=None
        )
    with pytest.raises(ValidationError):
        services.answers.answer_appraise(
            registration=registration,
            criterion=criterion(registration, "1.1"),
            achieved=False,
            reason="x",
            acting_user=None,
        )


def test_points_above_the_maximum_are_refused(tree):
    framework = builders.scored_framework(tree.district)
    registration = builders.participant(builders.campaign(tree, framework, code="KM"), tree.cell)
    with pytest.raises(ValidationError):
        services.answers.answer_self_save(
            registration=registration, criterion=criterion(registration, "1.1"), points="61", acting_user=None
        )


def _recognize(registration, tree):
    _answer_all(registration)
    services.ratings.year_rating_set(
        organization=registration.organization, year=YEAR, rating="HTTNV", acting_user=None
    )
    services.answers.registration_confirm(registration=registration, acting_user=None)
    return services.recognition.decision_record(
        campaign=registration.campaign,
        number="125-QĐ/TU",
        decided_on=datetime.date(YEAR + 1, 3, 1),
        signer="Đỗ Văn Nghị",
        registrations=[registration],
        acting_user=None,
    )


def test_only_confirmed_passing_cells_can_be_recognized(registration, campaign):
    with pytest.raises(ValidationError):
        services.recognition.decision_record(
            campaign=campaign,
            number="1-QĐ",
            decided_on=datetime.date(YEAR, 12, 30),
            signer="A",
            registrations=[registration],
            acting_user=None,
        )


def test_a_recognized_cell_is_carried_into_next_years_campaign_as_maintaining(registration, tree, four_good):
    _recognize(registration, tree)
    next_year = builders.campaign(tree, four_good, code="KH-2025", year=YEAR + 1)
    carried = next_year.registrations.get()
    assert carried.organization == tree.cell
    assert carried.status == RegistrationStatus.MAINTAINING
    assert carried.level_code == "khong_dat"  # scored with no answers yet


def test_support_goes_only_to_residential_cells(registration, tree, campaign):
    _recognize(registration, tree)
    award = services.recognition.award_add(
        registration=registration,
        kind="support",
        description="Bàn ghế, loa đài nhà văn hóa",
        amount=Decimal("15000000"),
        granted_on=datetime.date(YEAR + 1, 4, 1),
        acting_user=None,
    )
    assert award.amount == 15000000
    school = builders.participant(campaign, tree.school)
    with pytest.raises(ValidationError):
        services.recognition.award_add(
            registration=school,
            kind="reward",
            description="x",
            granted_on=datetime.date(YEAR + 1, 4, 1),
            acting_user=None,
        )


def test_a_cells_own_derived_framework_is_used_with_its_added_criteria(tree, four_good):
    from criteria.models import Criterion, Framework

    own = Framework.objects.create(
        code="4T-C1", name="Bốn tốt của chi bộ", kind="four_good", owner=tree.cell, parent=four_good, status="published"
    )
    Criterion.objects.create(
        framework=own,
        parent=Criterion.objects.get(framework=four_good, code="2"),
        code="2.3",
        title="Kết nạp đảng viên",
        comparator=">=",
        target=6,
    )
    campaign = builders.campaign(tree, four_good)
    registration = builders.participant(campaign, tree.cell)
    assert registration.framework == own
    registration = _answer_all(registration)
    assert registration.failed == "2"  # 2.3 is not answered yet
    services.answers.answer_self_save(
        registration=registration, criterion=criterion(registration, "2.3"), actual="6", acting_user=None
    )
    registration.refresh_from_db()
    assert registration.level_code == "dat"


def test_the_framework_of_a_campaign_with_registrations_cannot_change(registration, campaign, tree):
    other = builders.four_good_framework(tree.district, code="4T-OTHER")
    with pytest.raises(ValidationError):
        services.plans.campaign_update(campaign=campaign, framework=other, acting_user=None)
    services.plans.campaign_update(campaign=campaign, name="Tên mới", acting_user=None)
