"""Pages of the board's desk work on a campaign: grassroots committees' registration lists (Y9), milestones
(T9, F5), support and commendation across campaigns (Y7, Y8, B4)."""

from __future__ import annotations

import io
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cells import rights
from cells.forms import show_validation_error
from cells.models import CELL_LEVELS, Organization
from cells.scoping import Action, get_scoped_or_404, user_can
from cells.workbook.writer import WorkbookWriter

from . import selectors, services, sheets
from .forms import AwardEntryForm, ListApprovalForm, MilestoneDoneForm, ProposalForm
from .models import AwardKind, CampaignMilestone, Registration, RegistrationProposal, RegistrationStatus
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


# --- Support and commendation across campaigns (Y7, Y8, B4) ----------------------------------------

AWARD_PAGE_ROWS = 200


def _award_filters(request):
    campaign = request.GET.get("campaign") or ""
    year = request.GET.get("year") or ""
    kind = request.GET.get("kind") if request.GET.get("kind") in AwardKind.values else ""
    return {
        "campaign": int(campaign) if campaign.isdigit() else None,
        "year": int(year) if year.isdigit() and 1930 <= int(year) <= 2100 else None,
        "kind": kind,
    }


def _awards_workbook(awards, totals) -> HttpResponse:
    from cells.workbook.registry import Column

    book = WorkbookWriter()
    sheet = book.sheet(
        "awards",
        [*sheets.AWARD_COLUMNS, Column("org_name", "Tên chi bộ"), Column("cell_type", "Loại hình chi bộ")],
    )
    for award in awards:
        registration = award.registration
        sheet.append(
            {
                "campaign_code": registration.campaign.code,
                "org_code": registration.organization.code,
                "kind": award.kind,
                "description": award.description,
                "amount": award.amount,
                "granted_on": award.granted_on,
                "reference": award.reference,
                "org_name": registration.organization.name,
                "cell_type": registration.organization.cell_type.name if registration.organization.cell_type else "",
            }
        )
    summary = book.sheet(
        "award_totals",
        [
            Column("kind", "Hình thức"),
            Column("cell_type", "Loại hình chi bộ"),
            Column("count", "Số lượt", Column.INT),
            Column("amount", "Tổng số tiền (đồng)", Column.DECIMAL),
        ],
    )
    for total in totals:
        summary.append([total.kind_label, total.cell_type, total.count, total.amount])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = content_disposition_header(True, "khen-thuong-ho-tro.xlsx")
    return response


@login_required
def award_list(request):
    """Commendations, rewards and support for cultural houses across campaigns and years, with totals by kind
    and type of cell; staff enter one here (or from the ``awards`` sheet); exported to Excel."""
    filters = _award_filters(request)
    awards = selectors.awards_for(
        request.user, campaign_id=filters["campaign"], year=filters["year"], kind=filters["kind"]
    )
    totals = selectors.award_totals(awards)
    if request.GET.get("export") == "xlsx":
        return _awards_workbook(awards, totals)
    recognized = (
        Registration.objects.for_user(request.user, Action.VIEW)
        .filter(decisions__isnull=False, campaign__in=selectors.campaigns_visible_to(request.user, Action.MANAGE))
        .select_related("organization", "campaign")
        .distinct()
        .order_by("-campaign__year", "organization__name_folded")
    )
    if filters["campaign"]:
        recognized = recognized.filter(campaign_id=filters["campaign"])
    form = None
    if recognized.exists():
        form = AwardEntryForm(request.POST or None, registrations=recognized)
        if request.method == "POST" and form.is_valid():
            data = dict(form.cleaned_data)
            registration = data.pop("registration")
            try:
                services.recognition.award_add(registration=registration, acting_user=request.user, **data)
            except ValidationError as exc:
                show_validation_error(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect(request.get_full_path())
    elif request.method == "POST":
        raise Http404
    context = {
        "awards": list(awards[:AWARD_PAGE_ROWS]),
        "more": awards[AWARD_PAGE_ROWS : AWARD_PAGE_ROWS + 1].exists(),
        "totals": totals,
        "total_count": sum(t.count for t in totals),
        "total_amount": sum((t.amount for t in totals), Decimal(0)),
        "filters": filters,
        "kinds": AwardKind.choices,
        "campaigns": selectors.campaigns_visible_to(request.user, Action.VIEW).order_by("-year", "name"),
        "form": form,
        "query": "&".join(f"{k}={v}" for k, v in filters.items() if v),
    }
    return render(request, "evaluations/campaigns/awards.html", context)
