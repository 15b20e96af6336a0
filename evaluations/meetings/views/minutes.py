"""Pages of a meeting's preparation checklist, minutes, votes and four-good progress, and the committee's
pages that define them (the checklist of a rubric, the wording of the minutes)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cells.forms import show_validation_error
from cells.scoping import Action, get_scoped_or_404
from criteria.models import Framework, FrameworkKind

from .. import four_good, minutes, services
from ..minutes_forms import (
    MinutesForm,
    MinutesTemplateForm,
    PreparationForm,
    PrepareForm,
    SignedMinutesForm,
    StepForm,
    VotesForm,
)
from ..minutes_models import MinutesTemplate, PreparationStep
from .lookups import meeting_or_404, organization_or_404


def detail_context(request, meeting) -> dict:
    """What the meeting page shows of the preparation, the minutes and the four-good progress."""
    status = four_good.four_good_status(meeting.organization, meeting.date)
    return {
        "checklist": minutes.checklist(meeting),
        "four_good": status,
        "four_good_indicators": [(line, four_good.indicator_text(line)) for line in status.indicators]
        if status
        else [],
    }


def _form_page(request, form, title, meeting, intro=""):
    return render(
        request,
        "evaluations/meetings/minutes_form.html",
        {"form": form, "title": title, "meeting": meeting, "intro": intro, "back": meeting.get_absolute_url()},
    )


def _locked_redirect(request, meeting):
    messages.warning(request, _("This meeting has been appraised and is locked. Staff can reopen it."))
    return redirect(meeting.get_absolute_url())


@login_required
def prepare(request, cell_pk: int):
    """A meeting to come, put on record by its day and kind only, so its checklist can be ticked before it is
    held; attendance, votes and the score are recorded on it afterwards."""
    cell = organization_or_404(request, cell_pk, Action.RECORD)
    if not cell.is_cell:
        raise Http404
    form = PrepareForm(request.POST or None, cell=cell)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.recording.meeting_create(
                organization=cell, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            show_validation_error(form, exc)
        else:
            messages.success(request, _("Meeting put on record. Tick its preparation steps as they are done."))
            if minutes.meeting_steps(meeting):
                return redirect("evaluations:meetings:preparation", pk=meeting.pk)
            return redirect(meeting.get_absolute_url())
    return render(
        request,
        "evaluations/meetings/minutes_form.html",
        {"form": form, "title": _("Prepare a meeting of %s") % cell.name, "back": reverse("evaluations:meetings:list")},
    )


@login_required
def preparation(request, pk: int):
    """The secretary ticks the preparation steps with the day each was done (on a phone, before the meeting)."""
    meeting = meeting_or_404(request, pk, Action.RECORD)
    if meeting.is_locked:
        return _locked_redirect(request, meeting)
    lines = minutes.checklist(meeting)
    if not lines:
        messages.info(request, _("The rubric of this meeting has no preparation steps."))
        return redirect(meeting.get_absolute_url())
    form = PreparationForm(request.POST or None, lines=lines, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes.meeting_preparation_save(
                meeting=meeting,
                done=form.done(),
                acting_user=request.user,
                expected_version=form.cleaned_data.get("version"),
            )
        except ValidationError as exc:
            show_validation_error(form, exc)
        else:
            messages.success(request, _("Checklist saved."))
            return redirect(meeting.get_absolute_url())
    return _form_page(request, form, _("Preparation of the meeting of %s") % f"{meeting.date:%d/%m/%Y}", meeting)


@login_required
def minutes_edit(request, pk: int):
    meeting = meeting_or_404(request, pk, Action.RECORD)
    if meeting.is_locked:
        return _locked_redirect(request, meeting)
    form = MinutesForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.minutes.meeting_minutes_update(
                meeting=meeting, acting_user=request.user, expected_version=form.cleaned_data.get("version"), **data
            )
        except ValidationError as exc:
            show_validation_error(form, exc)
        else:
            messages.success(request, _("Minutes saved."))
            return redirect(meeting.get_absolute_url())
    return _form_page(request, form, _("Minutes of the meeting of %s") % f"{meeting.date:%d/%m/%Y}", meeting)


def _file_name(meeting, ext: str) -> str:
    return f"bien-ban-{meeting.organization.code.lower()}-{meeting.date:%Y%m%d}.{ext}"


@login_required
def minutes_pdf(request, pk: int):
    """The minutes produced from the record, as a PDF to print and sign."""
    meeting = meeting_or_404(request, pk)
    response = HttpResponse(minutes.minutes_pdf(meeting), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(meeting, "pdf")}"'
    return response


@login_required
def minutes_docx(request, pk: int):
    """The same minutes as a Word document to edit."""
    meeting = meeting_or_404(request, pk)
    response = HttpResponse(
        minutes.minutes_docx(meeting),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="{_file_name(meeting, "docx")}"'
    return response


@login_required
def signed_minutes(request, pk: int):
    """Attach the photo or scan of the signed minutes; the day it is filed is the minutes' filing date."""
    meeting = meeting_or_404(request, pk, Action.RECORD)
    if meeting.is_locked:
        return _locked_redirect(request, meeting)
    form = SignedMinutesForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes.meeting_signed_minutes_attach(
                meeting=meeting,
                upload=form.cleaned_data["upload"],
                filed_on=form.cleaned_data.get("filed_on"),
                acting_user=request.user,
            )
        except ValidationError as exc:
            show_validation_error(form, exc)
        else:
            messages.success(request, _("The signed minutes are attached."))
            return redirect(meeting.get_absolute_url())
    return _form_page(request, form, _("Signed minutes of the meeting of %s") % f"{meeting.date:%d/%m/%Y}", meeting)


@login_required
def votes(request, pk: int):
    """The members' vote on each item: for, against, abstain."""
    meeting = meeting_or_404(request, pk, Action.RECORD)
    if meeting.is_locked:
        return _locked_redirect(request, meeting)
    items = meeting.agenda.all()
    if not items:
        messages.info(request, _("Put the items on the agenda first."))
        return redirect(meeting.get_absolute_url())
    form = VotesForm(request.POST or None, meeting=meeting, items=items)
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes.meeting_votes_record(
                meeting=meeting,
                votes=form.votes(),
                acting_user=request.user,
                expected_version=form.cleaned_data.get("version"),
            )
        except ValidationError as exc:
            show_validation_error(form, exc)
        else:
            messages.success(request, _("Votes saved."))
            return redirect(meeting.get_absolute_url())
    return render(
        request,
        "evaluations/meetings/votes.html",
        {"form": form, "meeting": meeting, "back": meeting.get_absolute_url()},
    )


@login_required
@require_POST
def four_good_carry(request, pk: int):
    """Carry the month's four-good progress into the draft resolution: one agenda item per good, to vote on."""
    meeting = meeting_or_404(request, pk, Action.RECORD)
    status = four_good.four_good_status(meeting.organization, meeting.date)
    if status is None:
        raise Http404
    try:
        added = services.minutes.meeting_agenda_add(
            meeting=meeting, titles=four_good.draft_items(status, meeting.date), acting_user=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if added:
            messages.success(request, _("%(count)s item(s) put in the draft resolution.") % {"count": len(added)})
        else:
            messages.info(request, _("These items are already in the draft resolution."))
    return redirect(meeting.get_absolute_url())


# --- What a committee defines ------------------------------------------------------------------------


def _framework_or_404(request, pk: int) -> Framework:
    return get_scoped_or_404(
        Framework.objects.filter(kind=FrameworkKind.MEETING).select_related("owner"), request.user, Action.MANAGE, pk=pk
    )


@login_required
def preparation_steps(request, framework_pk: int):
    """A meeting rubric's preparation checklist, defined by the staff of the committee that owns it."""
    framework = _framework_or_404(request, framework_pk)
    form = StepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.minutes.preparation_step_save(
                framework=framework,
                title=data["title"],
                fact=data.get("fact") or "",
                days_before=data.get("days_before"),
                order=data.get("order"),
                acting_user=request.user,
            )
        except ValidationError as exc:
            show_validation_error(form, exc)
        else:
            messages.success(request, _("Step added."))
            return redirect("evaluations:meetings:preparation_steps", framework_pk=framework.pk)
    steps = PreparationStep.objects.filter(framework=framework, is_active=True)
    return render(
        request, "evaluations/meetings/preparation_steps.html", {"framework": framework, "steps": steps, "form": form}
    )


@login_required
@require_POST
def preparation_step_remove(request, pk: int):
    step = get_scoped_or_404(
        PreparationStep.objects.select_related("framework__owner"), request.user, Action.MANAGE, pk=pk, is_active=True
    )
    services.minutes.preparation_step_remove(step=step, acting_user=request.user)
    messages.success(request, _("Step removed."))
    return redirect("evaluations:meetings:preparation_steps", framework_pk=step.framework_id)


@login_required
def minutes_template(request, org_pk: int):
    """The wording of the minutes for the cells under a committee (placeholders in braces)."""
    owner = organization_or_404(request, org_pk, Action.MANAGE)
    if owner.is_cell:
        raise Http404
    current = MinutesTemplate.objects.filter(owner=owner).first()
    initial = (
        {name: getattr(current, name) for name in services.minutes.TEMPLATE_FIELDS}
        if current
        else minutes.wording_for(owner)
    )
    form = MinutesTemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes.minutes_template_save(owner=owner, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            show_validation_error(form, exc)
        else:
            messages.success(request, _("The wording of the minutes is saved."))
            return redirect("evaluations:meetings:minutes_template", org_pk=owner.pk)
    return render(
        request,
        "evaluations/meetings/minutes_template.html",
        {"form": form, "owner": owner, "placeholders": ["{" + p + "}" for p in minutes.PLACEHOLDERS]},
    )
