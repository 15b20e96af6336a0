"""Pages of the board's desk work on a campaign: grassroots committees' registration lists (Y9), milestones
(T9, F5)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cells import rights
from cells.forms import show_validation_error
from cells.models import CELL_LEVELS, Organization
from cells.scoping import Action, get_scoped_or_404, user_can

from . import selectors, services
from .forms import ListApprovalForm, MilestoneDoneForm, ProposalForm
from .models import CampaignMilestone, RegistrationProposal, RegistrationStatus
from .services.registration import describe_condition

# --- Registration lists of grassroots committees (Y9) ------------------------------------------


def _proposing_committees(user, campaign):
    """The committees under the campaign's committee whose staff the user is (not the campaign's own)."""
    return (
        Organization.objects.for_user(user, Action.MANAGE)
        .exclude(level__in=CELL_LEVELS)
        .exclude(pk=campaign.owner_id)
        .filter(is_active=True, path__startswith=campaign.owner.path)
        .order_by("path")
    )


def user_may_propose(user, campaign) -> bool:
    return _proposing_committees(user, campaign).exists()


@login_required
def campaign_propose(request, pk):
    """A grassroots committee puts its cells' submitted registrations on a list and sends it up."""
    campaign = selectors.campaign_for_user(request.user, pk, Action.VIEW)
    committees = _proposing_committees(request.user, campaign)
    chosen = request.POST.get("committee") or request.GET.get("committee")
    committee = committees.filter(pk=chosen).first() if str(chosen or "").isdigit() else committees.first()
    if committee is None:
        raise Http404
    registrations = services.proposals.proposable(campaign, committee)
    form = ProposalForm(
        request.POST or None,
        committees=committees,
        registrations=registrations,
        initial={"committee": committee.pk, "proposed_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = services.proposals.registration_propose(
                campaign=campaign,
                committee=data["committee"],
                registrations=data["registrations"],
                reference=data["reference"],
                proposed_on=data["proposed_on"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            show_validation_error(form, exc)
        else:
            messages.success(request, _("The list has been sent to the board."))
            return redirect("evaluations:proposal_detail", pk=proposal.pk)
    return render(
        request,
        "evaluations/campaigns/propose.html",
        {"campaign": campaign, "form": form, "committee": committee, "registrations": registrations},
    )


def _proposal(request, pk) -> RegistrationProposal:
    return get_scoped_or_404(
        RegistrationProposal.objects.select_related("campaign__owner", "committee", "proposed_by", "approved_by"),
        request.user,
        Action.VIEW,
        pk=pk,
    )


def _may_approve(user, proposal) -> bool:
    return (
        proposal.approved_at is None
        and user_can(user, Action.MANAGE, proposal.campaign)
        and not rights.same_person(user, proposal.proposed_by_id)
    )


def _proposal_page(request, proposal, form=None):
    rows = []
    for registration in proposal.registrations.select_related("organization").order_by("organization__name_folded"):
        reasons = (registration.eligibility or {}).get("reasons", [])
        registration.failed_conditions = [describe_condition(r) for r in reasons if not r.get("ok")]
        rows.append(registration)
    may_approve = _may_approve(request.user, proposal)
    context = {
        "proposal": proposal,
        "campaign": proposal.campaign,
        "rows": rows,
        "waiting": sum(1 for r in rows if r.status == RegistrationStatus.SUBMITTED),
        "form": (form or ListApprovalForm()) if may_approve else None,
    }
    return render(request, "evaluations/campaigns/proposal.html", context)


@login_required
def proposal_detail(request, pk):
    return _proposal_page(request, _proposal(request, pk))


@login_required
@require_POST
def proposal_approve(request, pk):
    proposal = _proposal(request, pk)
    if not user_can(request.user, Action.MANAGE, proposal.campaign):
        raise Http404
    form = ListApprovalForm(request.POST)
    if form.is_valid():
        try:
            services.proposals.proposal_approve(
                proposal=proposal, reason=form.cleaned_data["reason"], acting_user=request.user
            )
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            show_validation_error(form, exc)
            return _proposal_page(request, proposal, form)
        else:
            messages.success(request, _("The list has been approved."))
    return redirect("evaluations:proposal_detail", pk=proposal.pk)


# --- Milestones (T9, F5) -------------------------------------------------------------------------


@login_required
@require_POST
def milestone_done(request, pk):
    """Mark a milestone done with the day it was done; it stays on the campaign page."""
    milestone = get_scoped_or_404(
        CampaignMilestone.objects.select_related("campaign__owner"), request.user, Action.MANAGE, pk=pk
    )
    form = MilestoneDoneForm(request.POST)
    if form.is_valid():
        try:
            services.plans.milestone_done(
                milestone=milestone, done_on=form.cleaned_data["done_on"], acting_user=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("“%(title)s” marked done on %(date)s.")
                % {"title": milestone.title, "date": f"{form.cleaned_data['done_on']:%d/%m/%Y}"},
            )
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(f"{reverse('evaluations:campaign_detail', args=[milestone.campaign_id])}#milestones")
