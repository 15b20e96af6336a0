"""Pages of what committees organise around meetings: supervision teams and assignments, the
quarter's supervision summary, content guidance, model meetings, thematic plans and compliance."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cells.forms import show_validation_error
from cells.models import Organization
from cells.people import SUPERVISING_ROLES
from cells.periods import Period, period_containing
from cells.scoping import Action, get_scoped_or_404, user_scope
from cells.selectors import current_role_users

from .. import selectors, services
from ..forms import (
    AssignmentForm,
    DesignationForm,
    GuidanceForm,
    TeamForm,
    ThematicPlanForm,
)
from ..models import (
    ContentGuidance,
    SupervisionAssignment,
    ThematicPlanItem,
)
from .lookups import committee_of_page, organization_or_404

# --- Supervision ---------------------------------------------------------------------------------


def _staff_users(committee: Organization):
    """Who may be chosen as a supervisor or team member: current staff and supervisor roles on the committee,
    above it or below it. Ended roles, leadership and cell secretaries' accounts are not offered."""
    above = [int(p) for p in committee.path.strip("/").split("/") if p]
    return current_role_users(
        Organization.objects.filter(pk__in=above), under=committee, roles=SUPERVISING_ROLES
    ).order_by("last_name", "first_name", "username")


@login_required
def supervision(request, org_pk: int):
    """A committee's supervision assignments (Y4, L7, F6) and the form to add one (staff)."""
    committee = organization_or_404(request, org_pk)
    can_manage = user_scope(request.user, Action.MANAGE).covers(committee.path)
    form = None
    if can_manage:
        form = AssignmentForm(request.POST or None, committee=committee, users=_staff_users(committee))
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.planning.supervision_assign(
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
    committee = organization_or_404(request, org_pk, Action.MANAGE)
    form = TeamForm(request.POST or None, users=_staff_users(committee))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.planning.supervision_team_create(
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
    services.planning.supervision_end(assignment=assignment, valid_to=timezone.localdate(), acting_user=request.user)
    messages.success(request, _("The assignment has ended."))
    parent_id = assignment.organization.parent_id or assignment.organization_id
    return redirect("evaluations:meetings:supervision", org_pk=parent_id)


@login_required
def supervision_summary(request):
    """The quarter-end supervision report: per assignment, meetings held, attended, appraised, waiting."""
    org_pk = request.GET.get("org")
    root = committee_of_page(request, org_pk if org_pk and org_pk.isdigit() else None)
    period = period_containing("quarter", timezone.localdate())
    if request.GET.get("period"):
        try:
            period = Period.parse(request.GET["period"])
        except ValueError as exc:  # refused, with the reason: never another period than the one asked for
            messages.error(request, str(exc))
            root = None
    # A province has thousands of assignments: 50 a page here; the supervision report (PDF, Excel) lists all.
    number = selectors.page_number(request.GET.get("page"))
    start = (number - 1) * selectors.PAGE_SIZE
    rows = (
        selectors.supervision_summary(root, period, start=start, stop=start + selectors.PAGE_SIZE + 1) if root else []
    )
    page = selectors.Page(rows[: selectors.PAGE_SIZE], number, len(rows) > selectors.PAGE_SIZE)
    context = {"root": root, "period": period, "rows": page.rows, "page": page}
    return render(request, "evaluations/meetings/supervision_summary.html", context)


# --- Guidance ------------------------------------------------------------------------------------


@login_required
def guidance_list(request):
    """Consolidated guidance of the user's part of the tree, by month (Y3)."""
    org_pk = request.GET.get("org")
    root = committee_of_page(request, org_pk if org_pk and org_pk.isdigit() else None)
    year = request.GET.get("year")
    year = int(year) if year and year.isdigit() else timezone.localdate().year
    items = list(selectors.guidance_consolidated(request.user, root, year)) if root else []
    manage = user_scope(request.user, Action.MANAGE)
    for guidance in items:
        guidance.can_send_up = (
            guidance.sent_up_at is None and guidance.organization.parent_id is not None
        ) and manage.covers(guidance.organization.path)
    issuers = selectors.committees_for(request.user, Action.MANAGE)[:50]
    return render(
        request,
        "evaluations/meetings/guidance_list.html",
        {"root": root, "year": year, "items": items, "issuers": issuers},
    )


@login_required
def guidance_issue(request, org_pk: int):
    committee = organization_or_404(request, org_pk, Action.MANAGE)
    if committee.is_cell:
        raise Http404
    form = GuidanceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.planning.guidance_issue(organization=committee, acting_user=request.user, **form.cleaned_data)
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


@login_required
@require_POST
def guidance_send_up(request, pk: int):
    """The issuing committee sends its month's guidance up to the committee above (Y3)."""
    guidance = get_scoped_or_404(
        ContentGuidance.objects.select_related("organization"), request.user, Action.MANAGE, pk=pk
    )
    try:
        services.planning.guidance_send_up(guidance=guidance, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Sent up to %(committee)s.") % {"committee": guidance.organization.parent.name})
    return redirect(f"{_url('guidance')}?org={guidance.organization_id}&year={guidance.year}")


def _guidance_month_value(value: str, today) -> tuple[int, int]:
    year, _sep, month = (value or "").partition("-")
    if year.isdigit() and month.isdigit() and 1 <= int(month) <= 12 and 1930 <= int(year) <= 2100:
        return int(year), int(month)
    return today.year, today.month


@login_required
def guidance_month(request):
    """The board's consolidated list of a month's guidance sent up by the committees below it: who sent, when,
    who has not sent yet; exported to Excel (Y3)."""
    org_pk = request.GET.get("org")
    root = committee_of_page(request, org_pk if org_pk and org_pk.isdigit() else None)
    if root is None:
        raise Http404
    year, month = _guidance_month_value(request.GET.get("month", ""), timezone.localdate())
    sent = list(selectors.guidance_sent_up(request.user, root, year, month))
    missing = selectors.guidance_not_sent(root, year, month, sent)
    if request.GET.get("export") == "xlsx":
        from ..sheets import guidance_workbook_response

        return guidance_workbook_response(root, year, month, sent, missing)
    return render(
        request,
        "evaluations/meetings/guidance_month.html",
        {
            "root": root,
            "year": year,
            "month": month,
            "month_value": f"{year:04d}-{month:02d}",
            "sent": sent,
            "missing": missing,
            "committees": selectors.committees_for(request.user, Action.VIEW).exclude(
                level__in=selectors.GRASSROOTS_LEVELS
            )[:50],
        },
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
    committee = organization_or_404(request, org_pk, Action.MANAGE)
    if committee.is_cell:
        raise Http404
    form = DesignationForm(request.POST or None, committee=committee)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.planning.designation_create(
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
    cell = organization_or_404(request, cell_pk)
    year = request.GET.get("year")
    year = int(year) if year and year.isdigit() else timezone.localdate().year
    can_record = user_scope(request.user, Action.RECORD).covers(cell.path)
    form = ThematicPlanForm(request.POST or None) if can_record else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.planning.thematic_plan_add(
                organization=cell, year=year, acting_user=request.user, **form.cleaned_data
            )
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
    services.planning.thematic_plan_remove(item=item, acting_user=request.user)
    messages.success(request, _("Removed from the thematic plan."))
    return redirect(f"{_url('thematic_plan', cell_pk=item.organization_id)}?year={item.year}")


@login_required
def thematic_compliance(request):
    """Cells and quarters with no thematic meeting (L5)."""
    org_pk = request.GET.get("org")
    root = committee_of_page(request, org_pk if org_pk and org_pk.isdigit() else None)
    year = request.GET.get("year")
    year = int(year) if year and year.isdigit() else timezone.localdate().year
    rows = selectors.thematic_compliance(root, year) if root else []
    # The grassroots organisations' own meetings: a month without its committee meeting, fewer than two
    # general meetings in the year (seed 003, items 2.2.1 and 2.2.2).
    grassroots = selectors.grassroots_compliance(root, year) if root else []
    only_missing = request.GET.get("missing") == "1"
    if only_missing:
        rows = [row for row in rows if row.missing]
        grassroots = [row for row in grassroots if row.missing_months or row.general_short]
    return render(
        request,
        "evaluations/meetings/thematic_compliance.html",
        {
            "root": root,
            "year": year,
            "rows": rows[:2000],
            "grassroots": grassroots[:2000],
            "only_missing": only_missing,
            "quarters": [1, 2, 3, 4],
            "min_general": selectors.MIN_GENERAL_MEETINGS,
        },
    )
