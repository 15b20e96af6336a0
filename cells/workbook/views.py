"""The staff page: upload a workbook, see the check, confirm; empty templates; exports of a subtree.

Only staff (users who may manage some part of the tree) reach these pages; a job is its uploader's
(404 for anyone else); an export's organisation is loaded in the user's MANAGE scope (404 outside).
"""

from __future__ import annotations

import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cells.models import Organization
from cells.scoping import Action, get_scoped_or_404, user_scope
from cells.selectors import scope_roots

from . import services
from .forms import ExportForm, UploadForm
from .models import ImportJob
from .registry import ExportError, ExportRequest, exports, get_export, import_sheet, import_sheets
from .writer import template_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _staff_only(request) -> None:
    if user_scope(request.user, Action.MANAGE).is_empty:
        raise Http404(_("Not found."))


def _subtree_exports():
    """Exports the page offers for an organisation: those that need nothing but ``--org``."""
    return [export for export in exports() if export.requires == ("org",)]


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
def index(request):
    _staff_only(request)
    if "template" in request.GET:
        sheet = import_sheet(request.GET["template"])
        if sheet is None:
            raise Http404(_("Not found."))
        return _xlsx_response(template_workbook(sheet), f"mau-{sheet.name}.xlsx")
    export_form = ExportForm(request.GET if "export" in request.GET else None, exports=_subtree_exports())
    if export_form.is_valid():
        code = export_form.cleaned_data["org"].strip()
        organization = Organization.objects.for_user(request.user, Action.MANAGE).filter(code=code).first()
        if organization is not None:
            return redirect("workbook:export", name=export_form.cleaned_data["export"], org_pk=organization.pk)
        # The same words whether the code does not exist or lies outside the user's scope.
        export_form.add_error("org", _("No organisation with code %(code)s in your scope.") % {"code": code})
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.import_job_create(upload=form.cleaned_data["file"], acting_user=request.user)
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            services.import_job_start(job)
            return redirect("workbook:job_detail", pk=job.pk)
    context = {
        "form": form,
        "export_form": export_form,
        "jobs": ImportJob.objects.filter(user=request.user)[:10],
        "sheets": import_sheets(),
        "roots": scope_roots(request.user, Action.MANAGE),
        "subtree_exports": _subtree_exports(),
    }
    return render(request, "workbook/index.html", context)


# The users' guide to every sheet (docs/workbook.md, in Vietnamese), kept in the repository beside the code.
GUIDE = settings.BASE_DIR / "docs" / "workbook.md"


def guide_html() -> str:
    """docs/workbook.md as HTML: CommonMark with tables; raw HTML in the file is escaped, not passed on. What
    the file writes as code (a sheet's keys and codes, which a user types) is marked as code (``data-code``)."""
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark", {"html": False}).enable("table").render(GUIDE.read_text(encoding="utf-8"))
    # The example tables are rows of a sheet as typed, keys and codes: marked as code too.
    return html.replace("<code>", "<code data-code>").replace("<table>", "<table data-code>")


@login_required
def guide(request):
    """The guide, read on the product's own page (no link out: the product runs on a closed network)."""
    _staff_only(request)
    return render(request, "workbook/guide.html", {"guide": guide_html()})


def _job(request, pk: int) -> ImportJob:
    _staff_only(request)
    return get_object_or_404(ImportJob.objects.for_user(request.user), pk=pk)


@login_required
def job_detail(request, pk: int):
    job = _job(request, pk)
    return render(request, "workbook/job_detail.html", {"job": job})


@login_required
def job_progress(request, pk: int):
    """The progress fragment htmx polls; once the job is finished the page reloads to show the result."""
    job = _job(request, pk)
    response = render(request, "workbook/_job_progress.html", {"job": job})
    if job.is_finished and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def job_confirm(request, pk: int):
    job = _job(request, pk)
    if not job.can_confirm:
        messages.error(request, _("Only a checked workbook without problems can be imported."))
        return redirect("workbook:job_detail", pk=job.pk)
    if services.import_job_confirm(job=job, acting_user=request.user):
        services.import_job_start(job)
    return redirect("workbook:job_detail", pk=job.pk)


@login_required
@require_POST
def job_cancel(request, pk: int):
    """ "Hủy": the checked upload is deleted now (not left for the daily clean-up)."""
    job = _job(request, pk)
    if services.import_job_cancel(job=job, acting_user=request.user):
        messages.success(request, _("Cancelled; the uploaded file was deleted."))
    return redirect("workbook:index")


@login_required
def export_download(request, name: str, org_pk: int):
    _staff_only(request)
    organization = get_scoped_or_404(Organization.objects, request.user, Action.MANAGE, pk=org_pk)
    export = get_export(name)
    if export is None or export.requires != ("org",):
        raise Http404(_("Not found."))
    from .exporter import run_export

    buffer = io.BytesIO()
    try:
        run_export(ExportRequest(user=request.user, sheet=name, org=organization.code), buffer)
    except ExportError as exc:
        raise Http404(str(exc)) from exc
    return _xlsx_response(buffer.getvalue(), f"{name}-{organization.code}.xlsx")
