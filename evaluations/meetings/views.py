"""Pages of cell meetings. Every object is loaded through the scoping mechanism: outside scope is 404."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cells.forms import show_validation_error
from cells.models import AuditEntry, CellType, Organization
from cells.scoping import Action, get_scoped_or_404, user_can, user_scope
from cells.selectors import roster as roster_of
from cells.selectors import scope_roots

from . import selectors, services
from .forms import (
    AgendaFormSet,
    AssignmentForm,
    DesignationForm,
    GuidanceForm,
    MeetingForm,
    RankingFilterForm,
    ReasonForm,
    ScoreForm,
    TeamForm,
    ThematicPlanForm,
)
from .models import (
    Meeting,
    MeetingStatus,
    Presence,
    SupervisionAssignment,
    ThematicPlanItem,
)


def _meeting(request, pk: int, action: str = Action.VIEW) -> Meeting:
    qs = Meeting.objects.select_related("organization__cell_type", "topic", "framework", "attending_supervisor")
    return get_scoped_or_404(qs, request.user, action, pk=pk)


def _org(request, pk: int, action: str = Action.VIEW) -> Organization:
    return get_scoped_or_404(Organization.objects.select_related("cell_type"), request.user, action, pk=pk)


def _supervisors_of(cell: Organization):
    """Users who may be recorded as the attending supervisor: those assigned to the cell, and staff above."""
    assigned = SupervisionAssignment.objects.current().filter(organization=cell)
    return (
        get_user_model()
        .objects.filter(
            Q(supervision_assignments__in=assigned)
            | Q(supervision_teams__assignments__in=assigned)
            | Q(role_assignments__organization__in=[int(p) for p in cell.path.strip("/").split("/") if p])
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


# --- Lists ---------------------------------------------------------------------------------------


@login_required
def meeting_list(request):
    """The user's meetings: the cells they record for, and what they may see."""
    year = request.GET.get("year")
    year = int(year) if year and year.isdigit() else timezone.localdate().year
    meetings = selectors.meetings_for(request.user, year=year)[:200]
    context = {
        "meetings": meetings,
        "year": year,
        "cells": selectors.recordable_cells(request.user)[:50],
        "queue_count": selectors.appraisal_queue(request.user).count(),
    }
    return render(request, "evaluations/meetings/meeting_list.html", context)


@login_required
def appraisal_queue(request):
    return render(
        request, "evaluations/meetings/queue.html", {"meetings": list(selectors.appraisal_queue(request.user)[:500])}
    )


# --- Recording -----------------------------------------------------------------------------------


def _attendance_from_post(request, roster) -> dict[int, str]:
    result = {}
    for member in roster:
        value = request.POST.get(f"presence_{member.pk}", Presence.PRESENT)
        result[member.pk] = value if value in Presence.values else Presence.PRESENT
    return result


def _agenda_lines(formset) -> list[services.AgendaLine]:
    lines = []
    for form in formset:
        data = form.cleaned_data
        if data.get("title"):
            lines.append(
                services.AgendaLine(
                    data["title"],
                    data.get("votes_for") or 0,
                    data.get("votes_against") or 0,
                    data.get("votes_abstain") or 0,
                )
            )
    return lines


def _render_meeting_form(request, cell, form, formset, roster, presence, meeting=None):
    date = form.initial.get("date") if not form.is_bound else None
    date = date or (meeting.date if meeting else timezone.localdate())
    if isinstance(date, str):
        date = timezone.localdate()
    context = {
        "cell": cell,
        "form": form,
        "formset": formset,
        "roster": [(m, presence.get(m.pk, Presence.PRESENT)) for m in roster],
        "presence_choices": Presence.choices,
        "meeting": meeting,
        "guidance": selectors.guidance_for_cell(cell, date.year, date.month),
        "month_taken": selectors.regular_meeting_exists(
            cell, date.year, date.month, exclude_pk=meeting.pk if meeting else None
        ),
        "month_label": f"{date.month:02d}/{date.year}",
    }
    return render(request, "evaluations/meetings/meeting_form.html", context)


@login_required
def meeting_create(request, cell_pk: int):
    cell = _org(request, cell_pk, Action.RECORD)
    if not cell.is_cell:
        raise Http404
    roster = list(roster_of(cell))
    form = MeetingForm(request.POST or None, request.FILES or None, cell=cell, supervisors=_supervisors_of(cell))
    formset = AgendaFormSet(request.POST or None, prefix="agenda")
    presence = _attendance_from_post(request, roster) if request.method == "POST" else {}
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "minutes_file"}
        try:
            meeting = services.meeting_create(
                organization=cell,
                attendance=presence,
                agenda=_agenda_lines(formset),
                minutes_file=form.cleaned_data.get("minutes_file"),
                acting_user=request.user,
                **data,
            )
        except ValidationError as exc:
            show_validation_error(form, exc)
        else:
            messages.success(request, _("Meeting recorded. Now score it."))
            return redirect("evaluations:meetings:assess", pk=meeting.pk)
    return _render_meeting_form(request, cell, form, formset, roster, presence)


@login_required
def meeting_edit(request, pk: int):
    meeting = _meeting(request, pk, Action.RECORD)
    if meeting.is_locked:
        messages.warning(request, _("This meeting has been appraised and is locked. Staff can reopen it."))
        return redirect("evaluations:meetings:detail", pk=meeting.pk)
    cell = meeting.organization
    roster = list(roster_of(cell))
    form = MeetingForm(
        request.POST or None, request.FILES or None, instance=meeting, cell=cell, supervisors=_supervisors_of(cell)
    )
    initial_agenda = [
        {"title": a.title, "votes_for": a.votes_for, "votes_against": a.votes_against, "votes_abstain": a.votes_abstain}
        for a in meeting.agenda.all()
    ]
    formset = AgendaFormSet(request.POST or None, prefix="agenda", initial=initial_agenda)
    if request.method == "POST":
        presence = _attendance_from_post(request, roster)
    else:
        presence = dict(meeting.attendance.values_list("member_id", "presence"))
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        meeting.refresh_from_db()
        data = {k: v for k, v in form.cleaned_data.items() if k != "minutes_file"}
        try:
            services.meeting_update(
                meeting=meeting,
                attendance=presence,
                agenda=_agenda_lines(formset),
                minutes_file=form.cleaned_data.get("minutes_file"),
                acting_user=request.user,
                **data,
            )
        except ValidationError as exc:
            show_validation_error(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("evaluations:meetings:detail", pk=meeting.pk)
    return _render_meeting_form(request, cell, form, formset, roster, presence, meeting=meeting)


@login_required
def meeting_detail(request, pk: int):
    meeting = _meeting(request, pk)
    rubric = services.meeting_rubric(meeting)
    scores = {row.code: row for row in meeting.scores.all()}
    rows = []
    if rubric:
        result = services.score_meeting(meeting, services.answers_from_scores(scores.values(), final=True), rubric)
        for criterion in rubric.criteria:
            if criterion.code in result.applicable:
                rows.append((criterion, scores.get(criterion.code), result.points.get(criterion.code)))
    audit = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Meeting), object_id=str(meeting.pk)
    ).select_related("actor")[:30]
    context = {
        "meeting": meeting,
        "rubric": rubric,
        "rows": rows,
        "attendance": meeting.attendance.select_related("member").order_by("member__full_name_folded"),
        "agenda": meeting.agenda.all(),
        "audit": audit,
        "can_record": user_can(request.user, Action.RECORD, meeting) and not meeting.is_locked,
        "can_appraise": user_can(request.user, Action.APPRAISE, meeting) and meeting.status == MeetingStatus.SUBMITTED,
        "can_reopen": user_can(request.user, Action.MANAGE, meeting) and meeting.is_locked,
    }
    return render(request, "evaluations/meetings/meeting_detail.html", context)


@login_required
def minutes_download(request, pk: int):
    """The uploaded minutes, served only to users who may see the meeting (private storage)."""
    meeting = _meeting(request, pk)
    if not meeting.minutes_file:
        raise Http404
    name = meeting.minutes_file.name.rsplit("/", 1)[-1]
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return FileResponse(meeting.minutes_file.open("rb"), as_attachment=True, filename=name, content_type=content_type)


# --- Scores --------------------------------------------------------------------------------------


def _score_form(request, meeting: Meeting, mode: str, data=None) -> ScoreForm:
    rubric = services.meeting_rubric(meeting)
    rows = list(meeting.scores.all())
    answers = services.answers_from_scores(rows, final=(mode == "a"))
    applicable = set(services.score_meeting(meeting, answers, rubric).applicable)
    initial = {code: (a.points if a.points is not None else a.achieved) for code, a in answers.items()}
    self_display = {}
    for row in rows:
        if row.self_points is not None:
            self_display[row.code] = format(row.self_points.normalize(), "f")
        elif row.self_achieved is not None:
            self_display[row.code] = _("yes") if row.self_achieved else _("no")
    return ScoreForm(
        data, rubric=rubric, applicable=applicable, initial_values=initial, mode=mode, self_display=self_display
    )


def _summary(meeting: Meeting, values: dict) -> dict:
    from criteria.scoring import Answer

    rubric = services.meeting_rubric(meeting)
    answers = {
        code: Answer(points=value) if not isinstance(value, bool) else Answer(achieved=value)
        for code, value in values.items()
        if value is not None
    }
    result = services.score_meeting(meeting, answers, rubric)
    return {"result": result}


@login_required
def meeting_assess(request, pk: int):
    """The secretary's self-assessment: every item with its points, a live total and level."""
    meeting = _meeting(request, pk, Action.RECORD)
    if meeting.framework_id is None:
        messages.error(request, _("No meeting-quality framework applies to this cell for this year."))
        return redirect("evaluations:meetings:detail", pk=meeting.pk)
    if meeting.is_locked:
        return redirect("evaluations:meetings:detail", pk=meeting.pk)
    form = _score_form(request, meeting, "c", request.POST or None)
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        try:
            services.meeting_self_assess(meeting=meeting, values=form.values(), submit=submit, acting_user=request.user)
        except ValidationError as exc:
            show_validation_error(form, exc)
        else:
            messages.success(request, _("Submitted for appraisal.") if submit else _("Draft saved."))
            return redirect("evaluations:meetings:detail", pk=meeting.pk)
    values = (
        form.values()
        if form.is_bound and form.is_valid()
        else {c.code: form[f.name].value() for c, f, _r, _s in form.rows()}
    )
    context = {"meeting": meeting, "form": form, "mode": "c", **_summary(meeting, _coerce(form, values))}
    return render(request, "evaluations/meetings/score_form.html", context)


def _coerce(form: ScoreForm, values: dict) -> dict:
    from criteria.scoring import to_decimal

    out = {}
    for criterion in form.leaves:
        raw = values.get(criterion.code)
        if criterion.is_scored:
            try:
                out[criterion.code] = to_decimal(raw) if not isinstance(raw, bool) else None
            except ValueError:
                out[criterion.code] = None
        else:
            out[criterion.code] = raw in (True, "on", "true", "1")
    return out


@login_required
@require_POST
def score_preview(request, pk: int, mode: str):
    """htmx: the running total and level for the values typed so far, from the one scoring function."""
    action = Action.RECORD if mode == "c" else Action.APPRAISE
    meeting = _meeting(request, pk, action)
    if meeting.framework_id is None or mode not in ("c", "a"):
        raise Http404
    form = _score_form(request, meeting, mode, request.POST)
    raw = {c.code: request.POST.get(f.html_name) for c, f, _r, _s in form.rows()}
    return render(request, "evaluations/meetings/_score_summary.html", _summary(meeting, _coerce(form, raw)))


@login_required
def meeting_appraise(request, pk: int):
    """The assigned supervisor sees the self-assessment, changes items with a reason, and confirms."""
    meeting = _meeting(request, pk, Action.APPRAISE)
    if meeting.status != MeetingStatus.SUBMITTED:
        messages.warning(request, _("This meeting is not waiting for appraisal."))
        return redirect("evaluations:meetings:detail", pk=meeting.pk)
    form = _score_form(request, meeting, "a", request.POST or None)
    self_values = {row.code: row for row in meeting.scores.all()}
    if request.method == "POST" and form.is_valid():
        reasons = form.reasons()
        changes = {
            code: services.AppraisalChange(value if value is not None else 0, reasons[code])
            for code, value in form.values().items()
        }
        try:
            services.meeting_appraise(
                meeting=meeting, changes=changes, note=request.POST.get("note", ""), acting_user=request.user
            )
        except ValidationError as exc:
            show_validation_error(form, exc)
        except PermissionDenied as exc:
            raise Http404 from exc
        else:
            messages.success(request, _("Appraisal confirmed. The meeting is locked."))
            return redirect("evaluations:meetings:queue")
    raw = {c.code: form[f.name].value() for c, f, _r, _s in form.rows()}
    context = {
        "meeting": meeting,
        "form": form,
        "mode": "a",
        "self_values": self_values,
        **_summary(meeting, _coerce(form, raw)),
    }
    return render(request, "evaluations/meetings/score_form.html", context)


@login_required
def meeting_reopen(request, pk: int):
    meeting = _meeting(request, pk, Action.MANAGE)
    form = ReasonForm(request.POST or None, submit_label=_("Reopen"))
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_reopen(meeting=meeting, reason=form.cleaned_data["reason"], acting_user=request.user)
        except ValidationError as exc:
            show_validation_error(form, exc)
        else:
            messages.success(request, _("The meeting is open for appraisal again."))
            return redirect("evaluations:meetings:detail", pk=meeting.pk)
    return render(
        request,
        "evaluations/meetings/form.html",
        {"form": form, "title": _("Reopen the appraised meeting %s") % meeting, "back": meeting.get_absolute_url()},
    )


# --- Ranking -------------------------------------------------------------------------------------

# The whole ranking is computed (ranks need every cell); a page shows this many rows of it.
RANKING_PAGE_SIZE = 200


def _ranking_root(request, org_pk) -> Organization | None:
    if org_pk:
        return _org(request, org_pk)
    roots = scope_roots(request.user)
    return roots[0] if roots else None


@login_required
def ranking(request):
    committees = Organization.objects.for_user(request.user, Action.VIEW).exclude(level__in=("cell",)).order_by("path")
    form = RankingFilterForm(request.GET or None, committees=committees, cell_types=CellType.objects.all())
    org_pk = request.GET.get("org") or None
    root = _ranking_root(request, org_pk if org_pk and org_pk.isdigit() else None)
    period_text = request.GET.get("period") or f"{timezone.localdate().year}-{timezone.localdate().month:02d}"
    try:
        period = selectors.Period.parse(period_text)
    except ValueError as exc:
        messages.error(request, str(exc))
        period = selectors.Period.parse(str(timezone.localdate().year))
    cell_type = request.GET.get("cell_type") or None
    result = selectors.ranking(root, period, cell_type=cell_type) if root else None
    if result and request.GET.get("export") == "xlsx":
        from .sheets import ranking_workbook_response

        return ranking_workbook_response(result)
    page = Paginator(result.rows, RANKING_PAGE_SIZE).get_page(request.GET.get("page")) if result else None
    return render(
        request,
        "evaluations/meetings/ranking.html",
        {"form": form, "result": result, "page": page, "root": root, "period": period, "cell_type": cell_type},
    )


# --- Supervision ---------------------------------------------------------------------------------


def _staff_users(committee: Organization):
    ids = [int(p) for p in committee.path.strip("/").split("/") if p]
    return (
        get_user_model()
        .objects.filter(
            Q(role_assignments__organization__path__startswith=committee.path)
            | Q(role_assignments__organization_id__in=ids),
            is_active=True,
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


@login_required
def supervision(request, org_pk: int):
    """A committee's supervision assignments (Y4, L7, F6) and the form to add one (staff)."""
    committee = _org(request, org_pk)
    can_manage = user_scope(request.user, Action.MANAGE).covers(committee.path)
    form = None
    if can_manage:
        form = AssignmentForm(request.POST or None, committee=committee, users=_staff_users(committee))
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.supervision_assign(
                    organization=data["cell"],
                    supervisor=data["supervisor"],
                    team=data["team"],
                    valid_from=data["valid_from"],
                    valid_to=data["valid_to"],
                    acting_user=request.user,
                )
            except ValidationError as exc:
                show_validation_error(form, exc)
            else:
                messages.success(request, _("Supervision assigned."))
                return redirect("evaluations:meetings:supervision", org_pk=committee.pk)
    assignments = (
        SupervisionAssignment.objects.for_user(request.user, Action.VIEW)
        .filter(organization__path__startswith=committee.path)
        .select_related("organization", "supervisor", "team")
        .prefetch_related("team__members")
        .order_by("organization__path", "-valid_from")[:500]
    )
    teams = committee.supervision_teams.prefetch_related("members") if can_manage else []
    return render(
        request,
        "evaluations/meetings/supervision.html",
        {"committee": committee, "form": form, "assignments": assignments, "teams": teams, "can_manage": can_manage},
    )


@login_required
def team_create(request, org_pk: int):
    committee = _org(request, org_pk, Action.MANAGE)
    form = TeamForm(request.POST or None, users=_staff_users(committee))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.supervision_team_create(
                owner=committee,
                name=data["name"],
                basis=data["basis"],
                members=data["members"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            show_validation_error(form, exc)
        else:
            messages.success(request, _("Team created."))
            return redirect("evaluations:meetings:supervision", org_pk=committee.pk)
    return render(
        request,
        "evaluations/meetings/form.html",
        {"form": form, "title": _("New supervision team of %s") % committee, "back": None},
    )


@login_required
@require_POST
def assignment_end(request, pk: int):
    assignment = get_scoped_or_404(
        SupervisionAssignment.objects.select_related("organization"), request.user, Action.MANAGE, pk=pk
    )
    services.supervision_end(assignment=assignment, valid_to=timezone.localdate(), acting_user=request.user)
    messages.success(request, _("The assignment has ended."))
    parent_id = assignment.organization.parent_id or assignment.organization_id
    return redirect("evaluations:meetings:supervision", org_pk=parent_id)


@login_required
def supervision_summary(request):
    """The quarter-end supervision report: per assignment, meetings held, attended, appraised, waiting."""
    org_pk = request.GET.get("org")
    root = _ranking_root(request, org_pk if org_pk and org_pk.isdigit() else None)
    try:
        period = selectors.Period.parse(request.GET.get("period") or selectors.current_quarter_code())
    except ValueError:
        period = selectors.Period.parse(selectors.current_quarter_code())
    rows = selectors.supervision_summary(request.user, root, period) if root else []
    return render(
        request, "evaluations/meetings/supervision_summary.html", {"root": root, "period": period, "rows": rows}
    )


# --- Guidance ------------------------------------------------------------------------------------


@login_required
def guidance_list(request):
    """Consolidated guidance of the user's part of the tree, by month (Y3)."""
    org_pk = request.GET.get("org")
    root = _ranking_root(request, org_pk if org_pk and org_pk.isdigit() else None)
    year = request.GET.get("year")
    year = int(year) if year and year.isdigit() else timezone.localdate().year
    items = selectors.guidance_consolidated(request.user, root, year) if root else []
    issuers = selectors.committees_for(request.user, Action.MANAGE)[:50]
    return render(
        request,
        "evaluations/meetings/guidance_list.html",
        {"root": root, "year": year, "items": items, "issuers": issuers},
    )


@login_required
def guidance_issue(request, org_pk: int):
    committee = _org(request, org_pk, Action.MANAGE)
    if committee.is_cell:
        raise Http404
    form = GuidanceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.guidance_issue(organization=committee, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            show_validation_error(form, exc)
        else:
            messages.success(request, _("Guidance issued to the cells below."))
            return redirect(f"{_url('guidance')}?org={committee.pk}")
    return render(
        request,
        "evaluations/meetings/form.html",
        {"form": form, "title": _("Content guidance from %s") % committee, "back": None},
    )


def _url(name: str, **kwargs) -> str:
    from django.urls import reverse

    return reverse(f"evaluations:meetings:{name}", kwargs=kwargs or None)


# --- Model meetings and thematic plans -------------------------------------------------------------


@login_required
def designation_list(request):
    year = request.GET.get("year")
    year = int(year) if year and year.isdigit() else timezone.localdate().year
    return render(
        request,
        "evaluations/meetings/designations.html",
        {
            "year": year,
            "designations": selectors.designations_for(request.user, year),
            "issuers": selectors.committees_for(request.user, Action.MANAGE)[:50],
        },
    )


@login_required
def designation_create(request, org_pk: int):
    committee = _org(request, org_pk, Action.MANAGE)
    if committee.is_cell:
        raise Http404
    form = DesignationForm(request.POST or None, committee=committee)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.designation_create(
                organization=data["organization"],
                designated_by=committee,
                year=data["year"],
                quarter=data["quarter"],
                kind=data["kind"],
                invitees=data["invitees"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            show_validation_error(form, exc)
        else:
            messages.success(request, _("Model meeting designated."))
            return redirect("evaluations:meetings:designations")
    return render(
        request,
        "evaluations/meetings/form.html",
        {"form": form, "title": _("Designate a model meeting (%s)") % committee, "back": None},
    )


@login_required
def thematic_plan(request, cell_pk: int):
    cell = _org(request, cell_pk)
    year = request.GET.get("year")
    year = int(year) if year and year.isdigit() else timezone.localdate().year
    can_record = user_scope(request.user, Action.RECORD).covers(cell.path)
    form = ThematicPlanForm(request.POST or None) if can_record else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.thematic_plan_add(organization=cell, year=year, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            show_validation_error(form, exc)
        else:
            messages.success(request, _("Added to the thematic plan."))
            return redirect(f"{_url('thematic_plan', cell_pk=cell.pk)}?year={year}")
    items = ThematicPlanItem.objects.filter(organization=cell, year=year).select_related("topic")
    compliance = selectors.thematic_compliance(cell, year)
    return render(
        request,
        "evaluations/meetings/thematic_plan.html",
        {
            "cell": cell,
            "year": year,
            "items": items,
            "form": form,
            "can_record": can_record,
            "row": compliance[0] if compliance else None,
            "quarters": [1, 2, 3, 4],
        },
    )


@login_required
@require_POST
def thematic_item_delete(request, pk: int):
    item = get_scoped_or_404(
        ThematicPlanItem.objects.select_related("organization"), request.user, Action.RECORD, pk=pk
    )
    services.thematic_plan_remove(item=item, acting_user=request.user)
    messages.success(request, _("Removed from the thematic plan."))
    return redirect(f"{_url('thematic_plan', cell_pk=item.organization_id)}?year={item.year}")


@login_required
def thematic_compliance(request):
    """Cells and quarters with no thematic meeting (L5)."""
    org_pk = request.GET.get("org")
    root = _ranking_root(request, org_pk if org_pk and org_pk.isdigit() else None)
    year = request.GET.get("year")
    year = int(year) if year and year.isdigit() else timezone.localdate().year
    rows = selectors.thematic_compliance(root, year) if root else []
    only_missing = request.GET.get("missing") == "1"
    if only_missing:
        rows = [row for row in rows if row.missing]
    return render(
        request,
        "evaluations/meetings/thematic_compliance.html",
        {"root": root, "year": year, "rows": rows[:2000], "only_missing": only_missing, "quarters": [1, 2, 3, 4]},
    )
