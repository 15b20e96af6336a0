"""Pages of the campaign cycle. Thin: objects come through the scoping mechanism, writes through the services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cells import idempotency, rights
from cells.drafts import mark_saved
from cells.forms import show_validation_error
from cells.models import Organization
from cells.scoping import Action, get_scoped_or_404, user_can
from criteria.models import Criterion, RatingLevel

from . import page_cache, rules, selectors, services, sheets
from .deskviews import user_may_propose
from .forms import (
    AwardForm,
    CampaignForm,
    DecisionForm,
    EnteredLine,
    EvidenceForm,
    MilestoneForm,
    ReasonForm,
    RecognitionDecisionForm,
    RegistrationForm,
    SteeringMemberForm,
    TargetForm,
    YearRatingForm,
)
from .models import (
    PARTICIPANT_STATUSES,
    AnnualAnswer,
    Award,
    Campaign,
    Evidence,
    Registration,
    RegistrationProposal,
    RegistrationStatus,
    Result,
)


def _form_page(request, form, title, back_url):
    return render(request, "evaluations/campaigns/form.html", {"form": form, "title": title, "back_url": back_url})


def _managed_campaign(request, pk) -> Campaign:
    return get_scoped_or_404(Campaign.objects.select_related("owner", "framework"), request.user, Action.MANAGE, pk=pk)


def _registration(request, pk, action=Action.VIEW) -> Registration:
    qs = Registration.objects.select_related(
        "campaign", "campaign__owner", "campaign__framework", "organization", "organization__cell_type", "framework"
    )
    return get_scoped_or_404(qs, request.user, action, pk=pk)


def _board_registration(request, pk) -> Registration:
    """A registration the user may decide or appraise: staff of the campaign's owning committee."""
    registration = _registration(request, pk, Action.MANAGE)
    if not user_can(request.user, Action.MANAGE, registration.campaign):
        raise Http404
    return registration


# --- Campaigns -----------------------------------------------------------------------------------


@login_required
def campaign_list(request):
    campaigns = selectors.campaigns_visible_to(request.user).select_related("owner", "framework")
    can_create = Organization.objects.for_user(request.user, Action.MANAGE).exists()
    return render(request, "evaluations/campaigns/list.html", {"campaigns": campaigns, "can_create": can_create})


@login_required
def campaign_create(request):
    owners = Organization.objects.for_user(request.user, Action.MANAGE).exclude(level="cell")
    if not owners.exists():
        raise Http404
    form = CampaignForm(
        request.POST or None, owners=owners, frameworks=selectors.frameworks_for_campaigns(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.plans.campaign_create(acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            show_validation_error(form, exc)
        else:
            messages.success(request, _("Campaign created."))
            return redirect("evaluations:campaign_detail", pk=campaign.pk)
    return _form_page(request, form, _("New campaign"), None)


@login_required
def campaign_edit(request, pk):
    campaign = _managed_campaign(request, pk)
    owners = Organization.objects.for_user(request.user, Action.MANAGE).exclude(level="cell")
    form = CampaignForm(
        request.POST or None,
        instance=campaign,
        owners=owners,
        frameworks=selectors.frameworks_for_campaigns(request.user),
    )
    if request.method == "POST" and form.is_valid():
        campaign = Campaign.objects.get(pk=campaign.pk)
        try:
            services.plans.campaign_update(campaign=campaign, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            show_validation_error(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("evaluations:campaign_detail", pk=campaign.pk)
    return _form_page(request, form, _("Edit %s") % campaign.name, campaign)


@login_required
def campaign_detail(request, pk):
    """The dashboard for the board and leadership; a secretary sees its own registrations and how to register."""
    campaign = selectors.campaign_for_user(request.user, pk)
    in_scope = user_can(request.user, Action.VIEW, campaign)
    status = request.GET.get("status", "")
    context = {
        "campaign": campaign,
        "in_scope": in_scope,
        "can_manage": user_can(request.user, Action.MANAGE, campaign),
        "registrations": list(_filtered(_listed(selectors.registrations_for(request.user, campaign)), status)[:51]),
        "status_filter": status,
        "statuses": RegistrationStatus.choices,
        "can_register": selectors.cells_user_may_register(request.user, campaign).exists(),
        "registration_open": not campaign.registration_deadline
        or timezone.localdate() <= campaign.registration_deadline,
    }
    # Grassroots committees' registration lists (Y9): those the user may see, and whether they may propose one.
    context["proposals"] = list(
        RegistrationProposal.objects.for_user(request.user, Action.VIEW)
        .filter(campaign=campaign)
        .select_related("committee")[:50]
    )
    context["can_propose"] = user_may_propose(request.user, campaign)
    labels = {}
    if in_scope:
        # The figures kept per process while their stamps stand (page_cache.py): the page's costly part.
        context["dash"] = selectors.dashboard(campaign, figures=page_cache.cached_figures(campaign))
        context["steering"] = campaign.steering_members.all()
        labels = {code: label for code, label in context["dash"].level_labels.items() if label}
    # Levels the dashboard does not name (outside the plan's subtree, or a level of another framework): read
    # by their labels too, never shown as codes.
    missing = {r.level_code for r in context["registrations"] if r.level_code and r.level_code not in labels}
    if missing:
        found = RatingLevel.objects.filter(code__in=missing).exclude(label="").order_by("-rank")
        labels.update(found.values_list("code", "label"))
    # One reverse for the rows, not one per row, and each status, result and day put in words once: per row
    # in the template, these were a good part of the page's time at province size.
    head, tail = reverse("evaluations:registration_detail", args=[0]).rsplit("0", 1)
    status_labels = {value: str(label) for value, label in RegistrationStatus.choices}
    result_labels = {value: str(label) for value, label in Result.choices}
    days: dict = {}
    for registration in context["registrations"]:
        registration.level_label = labels.get(registration.level_code) or registration.level_code
        registration.detail_url = f"{head}{registration.pk}{tail}"
        registration.status_label = status_labels.get(registration.status, registration.status)
        registration.result_label = result_labels.get(registration.result, registration.result)
        day = registration.registered_on
        if day not in days:
            days[day] = date_format(day, "SHORT_DATE_FORMAT") if day else ""
        registration.registered_label = days[day]
    return render(request, "evaluations/campaigns/detail.html", context)


def _listed(registrations):
    """Only what the page's list shows of a registration, its cell and the cell's parent (whole rows of three
    tables, fifty times, cost more than the query)."""
    return (
        registrations.select_related(None)
        .select_related("organization__parent")
        .only(
            "pk", "status", "registered_on", "level_code", "result",
            "organization__name", "organization__parent__name",
        )
    )  # fmt: skip


def _filtered(registrations, status: str):
    return registrations.filter(status=status) if status in RegistrationStatus.values else registrations


def _campaign_part(request, pk, form_class, service, title, **extra):
    campaign = _managed_campaign(request, pk)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service(campaign=campaign, acting_user=request.user, **form.cleaned_data, **extra)
        except ValidationError as exc:
            show_validation_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("evaluations:campaign_detail", pk=campaign.pk)
    return _form_page(request, form, f"{title} · {campaign.name}", campaign)


@login_required
def target_add(request, pk):
    return _campaign_part(request, pk, TargetForm, services.plans.target_set, _("Target"))


@login_required
def milestone_add(request, pk):
    return _campaign_part(request, pk, MilestoneForm, services.plans.milestone_add, _("Milestone"))


@login_required
def steering_add(request, pk):
    return _campaign_part(request, pk, SteeringMemberForm, services.plans.steering_member_add, _("Steering committee"))


@login_required
def campaign_export(request, pk, sheet):
    campaign = get_scoped_or_404(Campaign.objects.select_related("framework"), request.user, Action.VIEW, pk=pk)
    if sheet not in sheets.EXPORTS:
        raise Http404
    content = sheets.export_bytes(campaign, [sheet])
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition_header(True, f"{sheet}-{campaign.code}.xlsx")
    return response


# --- Registration --------------------------------------------------------------------------------


@login_required
def registration_create(request, pk):
    campaign = selectors.campaign_for_user(request.user, pk)
    cells = selectors.cells_user_may_register(request.user, campaign)
    if not cells.exists():
        raise Http404
    already = idempotency.already_saved(request, "registration")
    if already:  # the same registration sent again by the phone's outbox
        messages.success(request, idempotency.already_saved_message())
        return mark_saved(
            redirect("evaluations:registration_detail", pk=already.object_id), request, "register", campaign
        )
    form = RegistrationForm(request.POST or None, cells=cells)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                registration = services.registration.registration_submit(
                    campaign=campaign, acting_user=request.user, **form.cleaned_data
                )
                idempotency.remember(request, "registration", registration)
        except ValidationError as exc:
            show_validation_error(form, exc)
        else:
            messages.success(request, _("Registration submitted."))
            return mark_saved(
                redirect("evaluations:registration_detail", pk=registration.pk), request, "register", campaign
            )
    cap = campaign.selection_cap
    return render(
        request,
        "evaluations/campaigns/register.html",
        {"form": form, "campaign": campaign, "cap": cap},
    )


@login_required
def registration_detail(request, pk):
    registration = _registration(request, pk)
    return _registration_page(request, registration)


def _registration_history(registration, limit: int = 40):
    """The registration's history as sentences: its own entries, its answers', evidence's and awards'."""
    from cells.audit_history import entries_about, history_lines

    answers = list(AnnualAnswer.objects.filter(registration=registration).only("pk"))
    related = [
        registration,
        *answers,
        *Evidence.objects.filter(answer__registration=registration).only("pk"),
        *Award.objects.filter(registration=registration).only("pk"),
    ]
    return history_lines(entries_about(related)[:limit])


def _registration_page(request, registration, decision_form=None):
    """The registration's page; ``decision_form`` is a refused decision, shown again with what was typed."""
    campaign = registration.campaign
    is_board = user_can(request.user, Action.MANAGE, campaign) and user_can(request.user, Action.MANAGE, registration)
    committee = services.registration.committee_of(registration.organization)
    rubric, lines, result = selectors.registration_sheet(registration)
    context = {
        "registration": registration,
        "campaign": campaign,
        "is_board": is_board,
        "can_record": user_can(request.user, Action.RECORD, registration),
        "decision_form": decision_form
        or (
            DecisionForm(initial={"version": registration.version})
            if rights.allowed(request.user, "registration.decide", registration)
            else None
        ),
        "can_self_assess": rights.allowed(request.user, "registration.self_assess", registration),
        "can_appraise": is_board and rights.allowed(request.user, "registration.appraise", registration),
        "can_confirm": is_board and rights.allowed(request.user, "registration.confirm", registration),
        "selected": services.registration.selected_count(campaign, committee),
        "lines": lines,
        "result": result,
        "rubric": rubric,
        "is_participant": registration.status in PARTICIPANT_STATUSES,
        "awards": registration.awards.all(),
        "decisions": registration.decisions.all(),
        "history": _registration_history(registration),
    }
    if registration.status in PARTICIPANT_STATUSES and not registration.is_locked:
        rating = services.answers.year_rating_of(registration)
        context["current_rating"] = rating
        context["current_result"], context["current_status"] = services.answers.compute_outcome(
            registration, rubric, rating
        )
        context["current_passed"] = context["current_result"] == rules.DAT
    return render(request, "evaluations/campaigns/registration.html", context)


@login_required
@require_POST
def registration_decide(request, pk):
    registration = _board_registration(request, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.registration.registration_decide(
                registration=registration,
                acting_user=request.user,
                expected_version=form.cleaned_data.get("version"),
                **data,
            )
        except ValidationError as exc:
            show_validation_error(form, exc)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("evaluations:registration_detail", pk=registration.pk)
    # Refused: the page again, with the decision and reason as typed and the message above them.
    registration.refresh_from_db()
    return _registration_page(request, registration, decision_form=form)


def _leaf_lines(registration):
    rubric, lines, _result = selectors.registration_sheet(registration)
    leaves = [line for line in lines if line.criterion.is_leaf]
    criteria = Criterion.objects.in_bulk([line.criterion.id for line in leaves])
    return rubric, lines, leaves, criteria


# Service field names -> the sheet's input names, to put each message next to its field.
SELF_FIELDS = {"p": "p_", "a": "a_", "c": "c_", "actual": "actual_", "target": "target_"}
SELF_ERRORS = {
    "points": "p",
    "self_points": "p",
    "achieved": "a",
    "self_achieved": "a",
    "comment": "c",
    "actual": "actual",
    "target": "target",
}
APPRAISE_FIELDS = {"p": "ap_", "a": "aa_", "actual": "aactual_", "r": "r_"}
APPRAISE_ERRORS = {
    "points": "p",
    "appraised_points": "p",
    "achieved": "a",
    "appraised_achieved": "a",
    "actual": "actual",
    "reason": "r",
    "appraisal_reason": "r",
}


def _posted_version(request) -> int | None:
    """The registration version the submitted page was drawn from (its hidden ``version`` field)."""
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


def _refused_page(leaves, entered, errors: list[str]) -> list[str]:
    """Attach what was typed to each line (the template draws from it) and list the problems on top."""
    for line in leaves:
        line.typed = entered[line.criterion.id]
        for message in line.typed.messages:
            errors.append(f"{line.criterion.code}: {message}")
    return [_("Nothing was saved. Correct the items marked below and send again.")] + errors


def _show_refusal(exc: ValidationError, leaves, entered, field_map) -> list[str]:
    """The page's messages for a refused submit: each refused item's next to its fields, the rest on top."""
    if isinstance(exc, services.answers.ItemsRefused):
        for criterion_id, error in exc.items.items():
            entered[criterion_id].add_validation_error(error, field_map)
        return _refused_page(leaves, entered, [])
    return _refused_page(leaves, entered, list(exc.messages))


@login_required
def registration_assess(request, pk):
    """The cell's self-assessment: every applicable criterion on one page, with evidence uploads.

    All or nothing per submit (services.answers.registration_self_assess): when any item or file is
    refused nothing is written, and the page comes back with every value the user typed and each message
    next to its field."""
    registration = _registration(request, pk, Action.RECORD)
    if registration.status not in PARTICIPANT_STATUSES:
        raise Http404
    rubric, lines, leaves, criteria = _leaf_lines(registration)
    errors: list[str] = []
    version = _posted_version(request) or registration.version
    if idempotency.already_saved(request, "annual-assessment", registration):  # sent again by the outbox
        messages.success(request, idempotency.already_saved_message())
        return mark_saved(
            redirect("evaluations:registration_detail", pk=registration.pk), request, "assess", registration
        )
    if request.method == "POST" and not registration.is_locked:
        entered = {line.criterion.id: EnteredLine(request, line.criterion.id, SELF_FIELDS) for line in leaves}
        items = []
        for line in leaves:
            typed = entered[line.criterion.id]
            items.append(
                services.answers.SelfAssessmentItem(
                    criterion=criteria[line.criterion.id],
                    points=typed.number("p"),
                    achieved=typed.choice("a"),
                    comment=typed.entered["c"],
                    actual=typed.number("actual"),
                    target=typed.number("target"),
                    upload=typed.upload,
                )
            )
        try:
            with transaction.atomic():  # the outbox's key is kept with the save, or not at all
                registration = services.answers.registration_self_assess(
                    registration=registration,
                    items=items,
                    unreadable=[cid for cid, typed in entered.items() if typed.errors],
                    submit=bool(request.POST.get("submit_assessment")),
                    acting_user=request.user,
                    expected_version=_posted_version(request),
                    rubric=rubric,
                )
                idempotency.remember(request, "annual-assessment", registration)
        except ValidationError as exc:
            errors = _show_refusal(exc, leaves, entered, {**SELF_ERRORS, "file": "f"})
            version = getattr(exc, "current_version", version)
        else:
            messages.success(request, _("Self-assessment saved."))
            return mark_saved(
                redirect("evaluations:registration_detail", pk=registration.pk), request, "assess", registration
            )
    context = {"registration": registration, "lines": lines, "errors": errors, "version": version}
    return render(request, "evaluations/campaigns/assess.html", {**context, "evidence_form": EvidenceForm()})


@login_required
def registration_appraise(request, pk):
    """The board's appraisal, item by item; a change from the cell's value needs a reason.

    All or nothing per submit, like the self-assessment: a refused item keeps every typed value on the page."""
    registration = _board_registration(request, pk)
    if registration.status not in PARTICIPANT_STATUSES:
        raise Http404
    refused = rights.refusal(request.user, "registration.appraise", registration)
    if refused and refused[0] == "duty":
        messages.warning(request, refused[1])
        return redirect("evaluations:registration_detail", pk=registration.pk)
    rubric, lines, leaves, criteria = _leaf_lines(registration)
    errors: list[str] = []
    version = _posted_version(request) or registration.version
    if idempotency.already_saved(request, "annual-assessment", registration):  # sent again by the outbox
        messages.success(request, idempotency.already_saved_message())
        return mark_saved(
            redirect("evaluations:registration_detail", pk=registration.pk), request, "assess", registration
        )
    if request.method == "POST" and not registration.is_locked:
        entered = {line.criterion.id: EnteredLine(request, line.criterion.id, APPRAISE_FIELDS) for line in leaves}
        items = []
        for line in leaves:
            typed = entered[line.criterion.id]
            points, actual, achieved = typed.number("p"), typed.number("actual"), typed.choice("a")
            if points is None and achieved is None and actual is None and not typed.errors:
                continue  # not appraised: the cell's own value stands
            items.append(
                services.answers.AppraisalItem(
                    criterion=criteria[line.criterion.id],
                    points=points,
                    achieved=achieved,
                    actual=actual,
                    reason=typed.entered["r"],
                )
            )
        try:
            services.answers.registration_appraise(
                registration=registration,
                items=items,
                unreadable=[cid for cid, typed in entered.items() if typed.errors],
                acting_user=request.user,
                expected_version=_posted_version(request),
                rubric=rubric,
            )
        except ValidationError as exc:
            errors = _show_refusal(exc, leaves, entered, APPRAISE_ERRORS)
            version = getattr(exc, "current_version", version)
        else:
            messages.success(request, _("Appraisal saved."))
            return redirect("evaluations:registration_detail", pk=registration.pk)
    return render(
        request,
        "evaluations/campaigns/appraise.html",
        {"registration": registration, "lines": lines, "errors": errors, "version": version},
    )


@login_required
@require_POST
def registration_confirm(request, pk):
    registration = _board_registration(request, pk)
    try:
        services.answers.registration_confirm(registration=registration, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Result confirmed."))
    return redirect("evaluations:registration_detail", pk=registration.pk)


@login_required
@require_POST
def registration_reopen(request, pk):
    registration = _board_registration(request, pk)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Give the reason for reopening the result."))
        services.answers.registration_reopen(
            registration=registration, reason=form.cleaned_data["reason"], acting_user=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Result reopened."))
    return redirect("evaluations:registration_detail", pk=registration.pk)


@login_required
def evidence_download(request, pk):
    """The only way to an evidence file: through the user's scope (404 outside, as if it did not exist)."""
    evidence = get_scoped_or_404(Evidence.objects.all(), request.user, Action.VIEW, pk=pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    # Images open in the browser; everything else downloads, so a document never renders on our origin.
    inline = evidence.content_type.startswith("image/")
    response = FileResponse(
        handle, content_type=evidence.content_type, filename=evidence.original_name, as_attachment=not inline
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Recognition ---------------------------------------------------------------------------------


@login_required
def campaign_recognition(request, pk):
    """The proposal (passing cells, new and maintained; titles lost) and the committee's decision."""
    campaign = get_scoped_or_404(
        Campaign.objects.select_related("owner", "framework"), request.user, Action.VIEW, pk=pk
    )
    can_manage = user_can(request.user, Action.MANAGE, campaign)
    rows = selectors.result_rows(campaign)
    passing = Registration.objects.filter(
        campaign=campaign, confirmed_at__isnull=False, result=rules.DAT
    ).select_related("organization")
    form = RecognitionDecisionForm(request.POST or None, registrations=passing) if can_manage else None
    if request.method == "POST" and can_manage and form.is_valid():
        try:
            services.recognition.decision_record(campaign=campaign, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            show_validation_error(form, exc)
        else:
            messages.success(request, _("Recognition decision recorded."))
            return redirect("evaluations:campaign_recognition", pk=campaign.pk)
    context = {
        "campaign": campaign,
        "rows": rows,
        "new": [r for r in rows if r.status == "recognized_new"],
        "maintained": [r for r in rows if r.status == "maintained"],
        "lost": [r for r in rows if r.status == "lost"],
        "form": form,
        "decisions": campaign.decisions.select_related("proposed_by").prefetch_related("registrations__organization"),
        "can_manage": can_manage,
    }
    return render(request, "evaluations/campaigns/recognition.html", context)


@login_required
def award_add(request, pk):
    registration = _board_registration(request, pk)
    form = AwardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.recognition.award_add(registration=registration, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            show_validation_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("evaluations:registration_detail", pk=registration.pk)
    return _form_page(request, form, _("Commendation, reward or support · %s") % registration.organization, None)


# --- Year-end ratings ----------------------------------------------------------------------------


@login_required
def year_ratings(request):
    """Year-end ratings in the user's scope, and (for staff) the entry form."""
    organizations = Organization.objects.for_user(request.user, Action.MANAGE).active().order_by("path")
    can_manage = organizations.exists()
    year = request.GET.get("year")
    year = int(year) if year and year.isdigit() else timezone.localdate().year - 1
    form = YearRatingForm(request.POST or None, organizations=organizations, initial={"year": year})
    if request.method == "POST":
        if not can_manage:
            raise Http404
        if form.is_valid():
            try:
                services.ratings.year_rating_set(acting_user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                show_validation_error(form, exc)
            else:
                messages.success(request, _("Rating saved."))
                return redirect(f"{request.path}?year={form.cleaned_data['year']}")
    ratings = selectors.year_ratings_for(request.user, year)
    return render(
        request,
        "evaluations/campaigns/year_ratings.html",
        {"ratings": ratings, "form": form if can_manage else None, "year": year},
    )
