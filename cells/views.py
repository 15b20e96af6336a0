"""Pages of the organisation tree. Every object is loaded through the scoping mechanism (404 outside)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .audit_history import history_lines
from .forms import (
    AuditFilterForm,
    MemberForm,
    MergeForm,
    MoveForm,
    OfficerForm,
    OrganizationForm,
    PreferenceForm,
    RoleAssignForm,
    SearchForm,
    show_validation_error,
)
from .models import (
    CELL_LEVELS,
    COMMITTEE_LEVELS,
    AuditEntry,
    Member,
    Notification,
    OfficerTerm,
    Organization,
    RoleAssignment,
)
from .scoping import Action, get_scoped_or_404


@login_required
def home(request):
    roots = selectors.scope_roots(request.user)
    return render(request, "home.html", {"roots": roots})


@login_required
def preferences(request):
    """The user's own choices: the interface language, stored for their next logins too."""
    from .language import chosen_language, remember_language

    form = PreferenceForm(request.POST or None, initial={"language": chosen_language(request)})
    if request.method == "POST" and form.is_valid():
        try:
            preference = services.preference_set(user=request.user, language=form.cleaned_data["language"])
        except ValidationError as exc:
            show_validation_error(form, exc)
        else:
            remember_language(request, preference.language)
            messages.success(request, _("Changes saved."))
            return redirect("preferences")
    return render(request, "cells/preferences.html", {"form": form})


@login_required
def organization_tree(request):
    form = SearchForm(request.GET or None)
    results = None
    if form.is_valid() and form.cleaned_data["q"]:
        results = selectors.organization_search(request.user, form.cleaned_data["q"])
    roots = selectors.scope_roots(request.user)
    return render(request, "cells/organization_tree.html", {"form": form, "results": results, "roots": roots})


@login_required
def organization_children(request, pk: int):
    """The children of a node, as a fragment the tree page loads with htmx when a node is opened."""
    organization = get_scoped_or_404(Organization.objects, request.user, Action.VIEW, pk=pk)
    children = organization.children.select_related("cell_type").order_by("name_folded")
    return render(request, "cells/_organization_children.html", {"children": children})


@login_required
def organization_detail(request, pk: int):
    organization = selectors.organization_detail(request.user, pk)
    can_manage = selectors.user_can_manage(request.user, organization)
    context = {
        "organization": organization,
        "ancestors": organization.ancestors().for_user(request.user, Action.VIEW),
        "committee": selectors.committee_summary(organization),
        "members": selectors.roster(organization) if organization.is_cell else None,
        "counts": selectors.subtree_counts(organization),
        "can_manage": can_manage,
        "roles": (
            RoleAssignment.objects.current().filter(organization=organization).select_related("user")
            if can_manage
            else None
        ),
        "history": history_lines(
            AuditEntry.objects.filter(organization=organization).select_related("actor", "content_type")[:15]
        ),
    }
    return render(request, "cells/organization_detail.html", context)


def _manageable(request, pk: int) -> Organization:
    return get_scoped_or_404(Organization.objects.select_related("parent"), request.user, Action.MANAGE, pk=pk)


@login_required
def organization_create(request, parent_pk: int):
    parent = _manageable(request, parent_pk)
    form = OrganizationForm(request.POST or None, parent=parent)
    if request.method == "POST" and form.is_valid():
        try:
            organization = services.organization_create(
                parent=parent,
                acting_user=request.user,
                **{key: form.cleaned_data[key] for key in OrganizationForm.Meta.fields},
            )
        except ValidationError as exc:
            show_validation_error(form, exc)
        else:
            messages.success(request, _("Organisation created."))
            return redirect("cells:organization_detail", pk=organization.pk)
    return render(
        request, "cells/form.html", {"form": form, "title": _("New organisation under %s") % parent, "back": parent}
    )


@login_required
def organization_edit(request, pk: int):
    organization = _manageable(request, pk)
    original_name = organization.name
    form = OrganizationForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                organization.name = original_name  # the rename service changes the name, with its history
                services.organization_update(
                    organization=organization,
                    acting_user=request.user,
                    **{
                        key: data[key]
                        for key in ("code", "level", "cell_type", "committee_size", "deputy_slots")
                        + services.DOCUMENT_DETAIL_FIELDS
                    },
                )
                if data["name"].strip() != original_name:
                    services.organization_rename(
                        organization=organization,
                        new_name=data["name"],
                        effective_on=data["effective_on"],
                        acting_user=request.user,
                    )
        except ValidationError as exc:
            show_validation_error(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("cells:organization_detail", pk=organization.pk)
    return render(
        request, "cells/form.html", {"form": form, "title": _("Edit %s") % original_name, "back": organization}
    )


@login_required
def organization_move(request, pk: int):
    organization = _manageable(request, pk)
    choices = (
        Organization.objects.for_user(request.user, Action.MANAGE)
        .active()
        .exclude(path__startswith=organization.path)
        .exclude(level__in=("cell", "grassroots_cell"))
    )
    form = MoveForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            services.organization_move(
                organization=organization,
                new_parent=form.cleaned_data["new_parent"],
                effective_on=form.cleaned_data["effective_on"],
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            show_validation_error(form, exc)
        else:
            messages.success(request, _("Organisation moved."))
            return redirect("cells:organization_detail", pk=organization.pk)
    return render(
        request, "cells/form.html", {"form": form, "title": _("Move %s") % organization, "back": organization}
    )


@login_required
def organization_merge(request, pk: int):
    organization = _manageable(request, pk)
    # A cell merges into a cell; a committee into any committee, across levels, as the 2025 reform did.
    levels = CELL_LEVELS if organization.is_cell else COMMITTEE_LEVELS
    choices = (
        Organization.objects.for_user(request.user, Action.MANAGE)
        .active()
        .filter(level__in=levels)
        .exclude(path__startswith=organization.path)
    )
    form = MergeForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            target = services.organization_merge(
                source=organization,
                target=form.cleaned_data["target"],
                effective_on=form.cleaned_data["effective_on"],
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            show_validation_error(form, exc)
        else:
            messages.success(
                request, _("%(source)s was merged into %(target)s.") % {"source": organization, "target": target}
            )
            return redirect("cells:organization_detail", pk=target.pk)
    return render(
        request, "cells/form.html", {"form": form, "title": _("Merge %s") % organization, "back": organization}
    )


@login_required
def reorganization(request, pk: int):
    """Staff plan a reorganisation of their committee's subtree as dated steps, see what it will do,
    and confirm: the plan is applied all-or-nothing (cells.reorganization)."""
    from .forms import ReorganizationFormSet
    from .reorganization import PlanError, Step, plan_apply, plan_preview

    committee = _manageable(request, pk)
    choices = (
        Organization.objects.for_user(request.user, Action.MANAGE)
        .active()
        .filter(path__startswith=committee.path)
        .order_by("path")
    )
    formset = ReorganizationFormSet(request.POST or None, form_kwargs={"choices": choices})
    context = {"committee": committee, "formset": formset, "effects": None, "problems": []}
    if request.method == "POST" and formset.is_valid():
        steps = [
            Step(
                number=n,
                date=data["date"],
                organization=data["organization"],
                action=data["action"],
                new_name=(data.get("new_name") or "").strip(),
                new_parent=data.get("target"),
                into=data.get("target"),
            )
            for n, data in enumerate(formset.cleaned_data, 1)
            if data.get("organization")
        ]
        if not steps:
            context["problems"] = [(0, _("Write at least one step."))]
        else:
            try:
                if "confirm" in request.POST:
                    effects = plan_apply(steps, acting_user=request.user)
                    messages.success(request, _("The reorganisation was applied: %(n)s steps.") % {"n": len(effects)})
                    return redirect("cells:organization_detail", pk=committee.pk)
                context["effects"] = plan_preview(steps, acting_user=request.user)
            except PlanError as exc:
                context["problems"] = exc.problems
    return render(request, "cells/reorganization.html", context)


@login_required
def member_create(request, pk: int):
    organization = _manageable(request, pk)
    form = MemberForm(request.POST or None, instance=Member(organization=organization))
    if request.method == "POST" and form.is_valid():
        try:
            services.member_save(member=form.instance, acting_user=request.user)
        except ValidationError as exc:
            show_validation_error(form, exc)
        else:
            messages.success(request, _("Member added."))
            return redirect("cells:organization_detail", pk=organization.pk)
    return render(
        request, "cells/form.html", {"form": form, "title": _("New member of %s") % organization, "back": organization}
    )


@login_required
def member_edit(request, pk: int):
    member = get_scoped_or_404(Member.objects.select_related("organization"), request.user, Action.MANAGE, pk=pk)
    form = MemberForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_save(member=form.instance, acting_user=request.user)
        except ValidationError as exc:
            show_validation_error(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("cells:organization_detail", pk=member.organization_id)
    return render(
        request, "cells/form.html", {"form": form, "title": _("Edit %s") % member, "back": member.organization}
    )


@login_required
def officer_appoint(request, pk: int):
    organization = _manageable(request, pk)
    form = OfficerForm(request.POST or None, members=selectors.roster(organization))
    if request.method == "POST" and form.is_valid():
        try:
            services.officer_appoint(organization=organization, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            show_validation_error(form, exc)
        else:
            messages.success(request, _("Officer appointed."))
            return redirect("cells:organization_detail", pk=organization.pk)
    return render(
        request,
        "cells/form.html",
        {"form": form, "title": _("Appoint an officer of %s") % organization, "back": organization},
    )


@login_required
@require_POST
def officer_end(request, pk: int):
    term = get_scoped_or_404(OfficerTerm.objects.select_related("organization"), request.user, Action.MANAGE, pk=pk)
    services.officer_end(term=term, ended_on=max(term.started_on, selectors.local_today()), acting_user=request.user)
    messages.success(request, _("The term has ended."))
    return redirect("cells:organization_detail", pk=term.organization_id)


@login_required
def role_assign(request, pk: int):
    organization = _manageable(request, pk)
    form = RoleAssignForm(request.POST or None, organization=organization)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                user = form.existing_user or _create_account(data)
                services.role_assign(
                    user=user,
                    organization=organization,
                    role=data["role"],
                    valid_from=data["valid_from"],
                    acting_user=request.user,
                )
        except ValidationError as exc:
            show_validation_error(form, exc)
        else:
            messages.success(request, _("Role assigned."))
            return redirect("cells:organization_detail", pk=organization.pk)
    return render(
        request,
        "cells/form.html",
        {"form": form, "title": _("Assign a role in %s") % organization, "back": organization},
    )


def _create_account(data: dict):
    first, _sep, last = data["full_name"].strip().rpartition(" ")
    user = get_user_model().objects.create_user(
        username=data["username"].strip(),
        password=data["password"],
        email=data.get("email") or "",
        first_name=first,
        last_name=last,
    )
    return user


@login_required
@require_POST
def role_end(request, pk: int):
    assignment = get_scoped_or_404(
        RoleAssignment.objects.select_related("organization"), request.user, Action.MANAGE, pk=pk
    )
    services.role_end(assignment=assignment, acting_user=request.user)
    messages.success(request, _("The role has ended."))
    return redirect("cells:organization_detail", pk=assignment.organization_id)


# --- Notifications -------------------------------------------------------------------------------

NOTIFICATIONS_PAGE_SIZE = 50


@login_required
def notification_list(request):
    """The user's notifications, newest first; "mark all read" is a POST."""
    if request.method == "POST":
        services.notifications_mark_read(user=request.user)
        return redirect("cells:notification_list")
    notifications = Notification.objects.for_recipient(request.user)
    page = Paginator(notifications, NOTIFICATIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cells/notification_list.html", {"page": page})


@login_required
@require_POST
def notification_open(request, pk: int):
    """Open one notification: it is marked read and the user goes where it points."""
    notification = get_object_or_404(Notification.objects.for_recipient(request.user), pk=pk)
    services.notifications_mark_read(user=request.user, ids=[notification.pk])
    target = notification.url if url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None) else ""
    return redirect(target or "cells:notification_list")


# --- The audit trail ------------------------------------------------------------------------------

TRAIL_PAGE_SIZE = 50
TRAIL_EXPORT_LIMIT = 50_000


@login_required
def audit_trail(request):
    """Staff read their subtree's trail as sentences, filter it and take it to Excel (?export=xlsx)."""
    from .audit_history import trail_for_user

    committees = Organization.objects.for_user(request.user, Action.MANAGE).exclude(level__in=CELL_LEVELS)
    if not committees.exists():
        raise Http404(_("Not found."))
    form = AuditFilterForm(request.GET or None, organizations=committees.order_by("path"))
    entries = trail_for_user(request.user, form.cleaned_data if form.is_valid() else {})
    if request.GET.get("export") == "xlsx" and form.is_bound and not form.errors:
        return _trail_workbook(entries[:TRAIL_EXPORT_LIMIT])
    page = Paginator(entries, TRAIL_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cells/audit_trail.html",
        {"form": form, "page": page, "history": history_lines(page.object_list), "query": query.urlencode()},
    )


def _trail_workbook(entries):
    """The filtered trail through the one workbook writer (text that looks like a formula stays text)."""
    import io

    from django.http import HttpResponse
    from django.utils import timezone

    from .workbook.writer import WorkbookWriter

    book = WorkbookWriter()
    sheet = book.sheet("audit", ["at", "actor", "organization", "action", "label", "changes", "reason"], notes=False)
    for chunk_start in range(0, len(entries), 1000):
        for line in history_lines(entries[chunk_start : chunk_start + 1000]):
            sheet.append(
                [
                    timezone.localtime(line.at).strftime("%d/%m/%Y %H:%M"),
                    line.actor,
                    line.entry.organization.name if line.entry.organization else "",
                    line.entry.action,
                    line.label,
                    "; ".join(change.text for change in line.changes),
                    line.reason,
                ]
            )
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="nhat-ky-thay-doi.xlsx"'
    return response
