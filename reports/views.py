"""Pages of the reports app. Runs are loaded through the user's scope: outside it, 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cells.forms import show_validation_error
from cells.models import Organization
from cells.scoping import Action, get_scoped_or_404

from . import selectors, services
from .building import document_defaults
from .forms import ReportRequestForm
from .models import RunStatus


@login_required
def run_list(request):
    """The reports of the user's subtree, newest first; ?org= narrows them to one committee's."""
    organization = None
    if request.GET.get("org"):
        organization = get_scoped_or_404(Organization.objects, request.user, Action.VIEW, pk=request.GET["org"])
    runs = Paginator(selectors.runs_visible_to(request.user, organization), 50).get_page(request.GET.get("page"))
    # The committees of the filter are those the user may ask reports for: one query answers both.
    organizations = list(selectors.run_organizations(request.user))
    return render(
        request,
        "reports/run_list.html",
        {
            "runs": runs,
            "organization": organization,
            "organizations": organizations,
            "may_request": bool(organizations),
        },
    )


@login_required
def run_create(request):
    # Staff and leadership ask for reports of their subtree: building one changes no record.
    if not selectors.user_may_request(request.user):
        raise Http404(_("Not found."))
    organizations = selectors.requestable_organizations(request.user)
    initial = {}
    if request.GET.get("org"):
        organization = get_scoped_or_404(organizations, request.user, Action.VIEW, pk=request.GET["org"])
        initial = {"organization": organization, **document_defaults(organization)}
    if request.GET.get("kind"):
        initial["kind"] = request.GET["kind"]
    form = ReportRequestForm(request.POST or None, initial=initial, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            run = services.report_run_request(
                kind=data["kind"],
                organization=data["organization"],
                period=data["period"],
                format=data["format"],
                acting_user=request.user,
                **{key: data[key] for key in services.DOCUMENT_FIELDS},
            )
        except ValidationError as exc:
            show_validation_error(form, exc)
        else:
            messages.success(request, _("The report is being built. This page shows its progress."))
            return redirect("reports:run_detail", pk=run.pk)
    return render(request, "reports/run_form.html", {"form": form})


@login_required
def run_detail(request, pk: int):
    run = selectors.run_for_user(request.user, pk)
    return render(
        request,
        "reports/run_detail.html",
        {
            "run": run,
            "may_retry": selectors.user_may_retry(request.user, run),
            # The page's own address: whoever opens it logs in and must have the organisation in scope.
            "share_url": request.build_absolute_uri(reverse("reports:run_detail", args=[run.pk])),
        },
    )


@login_required
def run_progress(request, pk: int):
    """The status fragment the detail page polls with htmx while the run is unfinished."""
    run = selectors.run_for_user(request.user, pk)
    return render(
        request,
        "reports/_run_status.html",
        {"run": run, "may_retry": selectors.user_may_retry(request.user, run)},
    )


@login_required
def run_download(request, pk: int):
    run = selectors.run_for_user(request.user, pk)
    if run.status != RunStatus.DONE or not run.file or not default_storage.exists(run.file.name):
        raise Http404(_("Not found."))
    return FileResponse(
        default_storage.open(run.file.name, "rb"),
        as_attachment=True,
        filename=run.filename,
        content_type=run.content_type,
    )


@login_required
@require_POST
def run_retry(request, pk: int):
    run = selectors.run_for_user(request.user, pk, Action.MANAGE)
    try:
        services.report_run_retry(run=run, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The report was queued again."))
    return redirect("reports:run_detail", pk=run.pk)


def _dashboard_scope(request):
    """The committee and year the dashboard shows: ?org= inside the user's scope, else the user's topmost one."""
    from django.utils import timezone

    from cells.selectors import scope_roots

    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() and 2000 <= int(year_text) <= 2999 else timezone.localdate().year
    if request.GET.get("org"):
        organization = get_scoped_or_404(Organization.objects, request.user, Action.VIEW, pk=request.GET["org"])
    else:
        roots = [org for org in scope_roots(request.user) if not org.is_cell]
        organization = roots[0] if roots else None
    return organization, year


def _table_rows(board, key: str) -> list[dict]:
    """The chart's figures as table rows (one per month or cell type), each figure with its link."""
    chart = board.chart_data()[key]
    return [
        {
            "label": label,
            "cells": [{"value": series["data"][i], "link": series["links"][i]} for series in chart["series"]],
        }
        for i, label in enumerate(chart["labels"])
    ]


@login_required
def dashboard(request):
    from . import dashboard as boards

    organization, year = _dashboard_scope(request)
    board = boards.dashboard(organization, year) if organization else None
    return render(
        request,
        "reports/dashboard.html",
        {
            "board": board,
            "organization": organization,
            "year": year,
            "years": range(year - 3, year + 2),
            "chart_data": board.chart_data() if board else {},
            "quality_rows": _table_rows(board, "quality") if board else [],
            "type_rows": _table_rows(board, "types") if board else [],
            "committees": selectors.viewable_committees(request.user),
        },
    )


@login_required
def dashboard_rows(request):
    from . import dashboard as boards

    organization, year = _dashboard_scope(request)
    if organization is None:
        raise Http404(_("Not found."))
    rows = boards.drill_down(organization, year, request.GET)
    return render(request, "reports/dashboard_rows.html", {"rows": rows, "organization": organization, "year": year})
