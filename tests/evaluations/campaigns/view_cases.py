"""Scope cases for every page of the campaign cycle (see tests/view_scope.py)."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from evaluations.campaigns import services
from tests.evaluations.campaigns import builders
from tests.view_scope import ViewCase

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _campaign(tree, people):
    return builders.campaign(tree)


def _registration(tree, people):
    return builders.participant(builders.campaign(tree), tree.cell)


def _submitted(tree, people):
    from evaluations.campaigns.models import RegistrationStatus

    return builders.participant(builders.campaign(tree), tree.cell, status=RegistrationStatus.SUBMITTED)


def _evidence(tree, people):
    registration = _registration(tree, people)
    answer = services.answers.answer_self_save(
        registration=registration, criterion=builders.criterion(registration, "1.1"), achieved=True, acting_user=None
    )
    return services.answers.evidence_add(
        answer=answer, upload=SimpleUploadedFile("bien-ban.pdf", PDF, "application/pdf"), acting_user=None
    )


def _year_rating(tree, people):
    from evaluations.campaigns.models import YearRating

    return YearRating.objects.create(
        organization=tree.cell, year=datetime.date.today().year - 1, rating="HTTNV", members_total=4321
    )


def _confirmed(tree, people):
    from django.utils import timezone

    from evaluations.campaigns.models import Registration

    registration = _registration(tree, people)
    Registration.objects.filter(pk=registration.pk).update(confirmed_at=timezone.now(), result="dat")
    return registration


def _proposal(tree, people):
    registration = _submitted(tree, people)
    return services.proposals.registration_propose(
        campaign=registration.campaign, committee=tree.grassroots, registrations=[registration], acting_user=None
    )


def _proposal_state(t, p, d):
    from evaluations.campaigns.models import RegistrationProposal

    return RegistrationProposal.objects.filter(pk=d.pk).values_list("approved_at", flat=True).get()


def _milestone(tree, people):
    return services.plans.milestone_add(
        campaign=_campaign(tree, people), title="Hội nghị", due_on=datetime.date(2024, 3, 1), acting_user=None
    )


def _milestone_state(t, p, d):
    from evaluations.campaigns.models import CampaignMilestone

    return CampaignMilestone.objects.filter(pk=d.pk).values_list("done_on", flat=True).get()


def _award(tree, people):
    from django.utils import timezone

    from evaluations.campaigns.models import Registration

    registration = _registration(tree, people)
    Registration.objects.filter(pk=registration.pk).update(confirmed_at=timezone.now(), result="dat")
    registration.refresh_from_db()
    services.recognition.decision_record(
        campaign=registration.campaign,
        number="1-QĐ",
        decided_on=datetime.date(2025, 1, 2),
        signer="Bí thư",
        registrations=[registration],
        acting_user=None,
    )
    return services.recognition.award_add(
        registration=registration,
        kind="commendation",
        description="Giấy khen chi bộ 4321",
        granted_on=datetime.date(2025, 1, 3),
        acting_user=None,
    )


def _pk(t, p, d):
    return {"pk": d.pk}


def _state(t, p, d):
    from evaluations.campaigns.models import Registration

    return Registration.objects.filter(pk=d.pk).values_list("status", "confirmed_at", "result", "version").get()


CASES = [
    ViewCase("evaluations:campaign_list", object_view=False, setup=_campaign),
    ViewCase("evaluations:campaign_create", object_view=False),
    ViewCase("evaluations:campaign_year_ratings", object_view=False, setup=_year_rating, hidden_text="4321"),
    ViewCase("evaluations:campaign_detail", _pk, setup=_campaign),
    ViewCase("evaluations:campaign_edit", _pk, setup=_campaign),
    ViewCase("evaluations:campaign_target_add", _pk, setup=_campaign),
    ViewCase("evaluations:campaign_milestone_add", _pk, setup=_campaign),
    ViewCase("evaluations:campaign_steering_add", _pk, setup=_campaign),
    ViewCase("evaluations:campaign_register", _pk, setup=_campaign),
    ViewCase("evaluations:campaign_recognition", _pk, setup=_campaign),
    ViewCase("evaluations:campaign_export", lambda t, p, d: {"pk": d.pk, "sheet": "campaign_results"}, setup=_campaign),
    ViewCase("evaluations:registration_detail", _pk, setup=_registration),
    ViewCase(
        "evaluations:registration_decide",
        _pk,
        setup=_submitted,
        method="post",
        post_data={"decision": "approve"},
        effect=_state,
    ),
    ViewCase("evaluations:registration_assess", _pk, setup=_registration, owner="sue"),
    ViewCase("evaluations:registration_appraise", _pk, setup=_registration),
    ViewCase("evaluations:registration_confirm", _pk, setup=_registration, method="post"),
    ViewCase(
        "evaluations:registration_reopen",
        _pk,
        setup=_confirmed,
        method="post",
        post_data={"reason": "x"},
        effect=_state,
    ),
    ViewCase("evaluations:registration_award_add", _pk, setup=_registration),
    ViewCase("evaluations:campaign_evidence", _pk, setup=_evidence, owner="sue"),
    ViewCase("evaluations:campaign_propose", _pk, setup=_campaign),
    ViewCase("evaluations:award_list", object_view=False, setup=_award, hidden_text="Giấy khen chi bộ 4321"),
    ViewCase("evaluations:proposal_detail", _pk, setup=_proposal),
    ViewCase("evaluations:proposal_approve", _pk, setup=_proposal, method="post", effect=_proposal_state),
    ViewCase(
        "evaluations:milestone_done",
        _pk,
        setup=_milestone,
        method="post",
        post_data={"done_on": "02/03/2024"},
        effect=_milestone_state,
    ),
]
