"""Pages of the criteria frameworks. Objects come through the scoping mechanism (404 outside); writes
through the services, which hold the freeze rule. The criteria tree is edited with htmx: each action
answers with the tree fragment (and clears the editor), so no criterion needs a page reload."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cells.forms import show_validation_error
from cells.models import Organization
from cells.scoping import Action, get_scoped_or_404, user_can
from cells.workbook import services as import_jobs
from cells.workbook.exporter import run_export
from cells.workbook.importer import run_import
from cells.workbook.reader import WorkbookRejected, estimate_rows
from cells.workbook.registry import ExportError, ExportRequest

from . import selectors, services
from .forms import (
    CriterionForm,
    DeriveForm,
    FrameworkForm,
    ImportForm,
    NewVersionForm,
    RatingLevelForm,
    ReparentForm,
    RollupLevelForm,
)
from .models import Criterion, Framework, FrameworkStatus, RatingLevel, RollupLevel


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _viewable(request, pk: int) -> Framework:
    return get_scoped_or_404(
        Framework.objects.select_related("owner", "parent", "previous_version"), request.user, Action.VIEW, pk=pk
    )


def _manageable(request, pk: int) -> Framework:
    return get_scoped_or_404(
        Framework.objects.select_related("owner", "parent", "previous_version"), request.user, Action.MANAGE, pk=pk
    )


def _manageable_orgs(user):
    return Organization.objects.for_user(user, Action.MANAGE).active().order_by("path")


def _tree_context(request, framework: Framework) -> dict:
    rubric = selectors.load_rubric(framework)
    can_manage = user_can(request.user, Action.MANAGE, framework)
    return {
        "framework": framework,
        "rubric": rubric,
        "tree": selectors.criteria_tree(rubric),
        "levels": rubric.levels,
        "own_levels": list(framework.levels.all()) if can_manage else [],
        "rollup_rules": selectors.rollup_rules(framework),
        "own_rollups": list(framework.rollup_levels.all()) if can_manage else [],
        "editable": can_manage and framework.is_draft,
        "can_manage": can_manage,
    }


# --- Frameworks -----------------------------------------------------------------------------------


@login_required
def framework_list(request):
    frameworks, manageable = selectors.framework_list(request.user)
    return render(
        request,
        "criteria/framework_list.html",
        {
            "frameworks": frameworks,
            "manageable": manageable,
            "can_create": _manageable_orgs(request.user).exists(),
        },
    )


@login_required
def framework_detail(request, pk: int):
    framework = _viewable(request, pk)
    context = _tree_context(request, framework)
    derived = selectors.frameworks_visible_to(request.user).filter(parent=framework)
    context.update(
        {
            "derived": derived,
            "next_versions": selectors.frameworks_visible_to(request.user).filter(previous_version=framework),
            "in_use": framework.is_in_use() if context["can_manage"] else False,
            "can_derive": framework.status == FrameworkStatus.PUBLISHED
            and _manageable_orgs(request.user).filter(path__startswith=framework.owner.path).exists(),
        }
    )
    return render(request, "criteria/framework_detail.html", context)


@login_required
def framework_read(request, pk: int):
    """The read-only view a secretary opens on a phone: the criteria, what each is worth, how levels are given."""
    framework = _viewable(request, pk)
    return render(request, "criteria/framework_read.html", _tree_context(request, framework))


@login_required
def framework_create(request):
    owners = _manageable_orgs(request.user)
    form = FrameworkForm(request.POST or None, owners=owners)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            framework = services.framework_create(
                acting_user=request.user, **{key: data[key] for key in FrameworkForm.Meta.fields}
            )
        except ValidationError as exc:
            show_validation_error(form, exc)
        else:
            messages.success(request, _("Draft framework created. Add its criteria and levels, then publish it."))
            return redirect("criteria:framework_detail", pk=framework.pk)
    return render(request, "criteria/form.html", {"form": form, "title": _("New criteria framework")})


@login_required
def framework_edit(request, pk: int):
    framework = _manageable(request, pk)
    form = FrameworkForm(request.POST or None, instance=Framework.objects.get(pk=framework.pk))
    if request.method == "POST" and form.is_valid():
        changes = {key: form.cleaned_data[key] for key in form.changed_data if not form.fields[key].disabled}
        try:
            services.framework_update(framework=framework, acting_user=request.user, **changes)
        except ValidationError as exc:
            show_validation_error(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("criteria:framework_detail", pk=framework.pk)
    return render(
        request,
        "criteria/form.html",
        {"form": form, "title": _("Edit %(code)s") % {"code": framework.code}, "back": framework},
    )


def _lifecycle(request, pk: int, action, done: str):
    framework = _manageable(request, pk)
    try:
        action(framework=framework, acting_user=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return framework


@login_required
@require_POST
def framework_publish(request, pk: int):
    framework = _lifecycle(request, pk, services.framework_publish, _("Published: its criteria are now fixed."))
    return redirect("criteria:framework_detail", pk=framework.pk)


@login_required
@require_POST
def framework_retire(request, pk: int):
    framework = _lifecycle(request, pk, services.framework_retire, _("Retired."))
    return redirect("criteria:framework_detail", pk=framework.pk)


@login_required
@require_POST
def framework_delete(request, pk: int):
    framework = _manageable(request, pk)
    try:
        services.framework_delete(framework=framework, acting_user=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("criteria:framework_detail", pk=framework.pk)
    messages.success(request, _("Draft deleted."))
    return redirect("criteria:framework_list")


@login_required
def framework_new_version(request, pk: int):
    framework = _manageable(request, pk)
    form = NewVersionForm(request.POST or None, initial={"code": services.next_version_code(framework)})
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.framework_new_version(
                framework=framework, code=form.cleaned_data["code"], acting_user=request.user
            )
        except ValidationError as exc:
            show_validation_error(form, exc)
        else:
            messages.success(request, _("New version created as a draft."))
            return redirect("criteria:framework_detail", pk=copy.pk)
    return render(
        request,
        "criteria/form.html",
        {"form": form, "title": _("New version of %(code)s") % {"code": framework.code}, "back": framework},
    )


@login_required
def framework_derive(request, pk: int):
    framework = _viewable(request, pk)
    owners = _manageable_orgs(request.user).filter(path__startswith=framework.owner.path)
    form = DeriveForm(
        request.POST or None,
        owners=owners,
        initial={"name": framework.name, "code": f"{framework.code}-"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            derived = services.framework_derive(parent=framework, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            show_validation_error(form, exc)
        else:
            messages.success(request, _("Derived framework created as a draft: add its own criteria."))
            return redirect("criteria:framework_detail", pk=derived.pk)
    return render(
        request,
        "criteria/form.html",
        {"form": form, "title": _("Derive a framework from %(code)s") % {"code": framework.code}, "back": framework},
    )


@login_required
def framework_compare(request, pk: int):
    framework = _viewable(request, pk)
    candidates = selectors.compare_candidates(request.user, framework)
    other = None
    if request.GET.get("with"):
        other = get_scoped_or_404(candidates, request.user, Action.VIEW, pk=request.GET["with"])
    else:
        other = selectors.default_comparison(framework, candidates)
    rows = []
    if other is not None:
        rows = selectors.compare_rubrics(selectors.load_rubric(other), selectors.load_rubric(framework))
    return render(
        request,
        "criteria/framework_compare.html",
        {"framework": framework, "other": other, "candidates": candidates, "rows": rows},
    )


@login_required
def framework_export(request, pk: int):
    framework = _viewable(request, pk)
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    try:
        run_export(ExportRequest(user=request.user, framework=framework.code), handle)
    except ExportError as exc:  # pragma: no cover - the framework was just loaded in scope
        handle.close()
        messages.error(request, str(exc))
        return redirect("criteria:framework_detail", pk=framework.pk)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=f"{framework.code}.xlsx")


def _estimated_rows(path: Path) -> int:
    try:
        return estimate_rows(path)
    except WorkbookRejected:
        return 0  # the import itself reports why


@login_required
def framework_import(request):
    if not _manageable_orgs(request.user).exists():
        return redirect("criteria:framework_list")
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "upload.xlsx"
            with path.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            if _estimated_rows(path) > import_jobs.LARGE_IMPORT_ROWS:
                # A large workbook would hold the request (and a web worker) for minutes: it goes
                # through the same background job as every other import, checked then confirmed.
                upload.seek(0)
                job = import_jobs.import_job_create(upload=upload, acting_user=request.user)
                import_jobs.import_job_start(job)
                messages.info(request, _("The workbook is large: it is checked in the background."))
                return redirect("workbook:job_detail", pk=job.pk)
            result = run_import(path, user=request.user, dry_run=form.cleaned_data["dry_run"])
        if result.written:
            messages.success(request, _("Workbook imported."))
    return render(request, "criteria/framework_import.html", {"form": form, "result": result})


# --- The criteria tree (htmx) ---------------------------------------------------------------------


def _tree_response(request, framework: Framework) -> HttpResponse:
    """The tree fragment, the levels fragment and an empty editor (out-of-band), or the page without htmx."""
    if not _is_htmx(request):
        return redirect("criteria:framework_detail", pk=framework.pk)
    framework = Framework.objects.select_related("owner", "parent").get(pk=framework.pk)
    return render(request, "criteria/_tree_update.html", _tree_context(request, framework))


def _editor(request, framework: Framework, template: str, context: dict) -> HttpResponse:
    context = {"framework": framework, **context}
    if _is_htmx(request):
        return render(request, template, context)
    return render(request, "criteria/editor_page.html", {**context, "editor_template": template})


def _draft(request, pk: int) -> Framework:
    return _manageable(request, pk)


@login_required
def criterion_create(request, pk: int):
    framework = _draft(request, pk)
    lineage = [f.pk for f in framework.lineage()]
    parent_id = request.GET.get("parent") or request.POST.get("parent")
    parent = Criterion.objects.filter(framework_id__in=lineage, pk=parent_id).first() if parent_id else None
    form = CriterionForm(request.POST or None, instance=Criterion(framework=framework, parent=parent))
    if request.method == "POST" and form.is_valid():
        try:
            services.criterion_save(
                criterion=form.instance, cell_types=form.cleaned_data["cell_types"], acting_user=request.user
            )
        except ValidationError as exc:
            show_validation_error(form, exc)
        else:
            return _tree_response(request, framework)
    action = reverse("criteria:criterion_create", args=[framework.pk])
    return _editor(
        request, framework, "criteria/_criterion_form.html", {"form": form, "action": action, "parent": parent}
    )


@login_required
def criterion_edit(request, pk: int):
    criterion = get_scoped_or_404(
        Criterion.objects.select_related("framework", "parent"), request.user, Action.MANAGE, pk=pk
    )
    form = CriterionForm(
        request.POST or None, instance=criterion, initial={"cell_types": list(criterion.cell_types.all())}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.criterion_save(
                criterion=form.instance, cell_types=form.cleaned_data["cell_types"], acting_user=request.user
            )
        except ValidationError as exc:
            show_validation_error(form, exc)
        else:
            return _tree_response(request, criterion.framework)
    action = reverse("criteria:criterion_edit", args=[criterion.pk])
    return _editor(
        request,
        criterion.framework,
        "criteria/_criterion_form.html",
        {"form": form, "action": action, "criterion": criterion, "parent": criterion.parent},
    )


def _tree_error(request, framework: Framework, exc: ValidationError) -> HttpResponse:
    if _is_htmx(request):
        context = {**_tree_context(request, framework), "errors": exc.messages}
        return render(request, "criteria/_tree_update.html", context)
    for message in exc.messages:
        messages.error(request, message)
    return redirect("criteria:framework_detail", pk=framework.pk)


@login_required
@require_POST
def criterion_move(request, pk: int):
    criterion = get_scoped_or_404(Criterion.objects.select_related("framework"), request.user, Action.MANAGE, pk=pk)
    direction = "up" if request.POST.get("direction") == "up" else "down"
    try:
        services.criterion_move(criterion=criterion, direction=direction, acting_user=request.user)
    except ValidationError as exc:
        return _tree_error(request, criterion.framework, exc)
    return _tree_response(request, criterion.framework)


@login_required
def criterion_reparent(request, pk: int):
    criterion = get_scoped_or_404(
        Criterion.objects.select_related("framework", "parent"), request.user, Action.MANAGE, pk=pk
    )
    framework = criterion.framework
    lineage = [f.pk for f in framework.lineage()]
    below = _subtree_ids(criterion)
    choices = Criterion.objects.filter(framework_id__in=lineage).exclude(pk__in=below).order_by("framework", "order")
    form = ReparentForm(request.POST or None, choices=choices, initial={"parent": criterion.parent})
    if request.method == "POST" and form.is_valid():
        try:
            services.criterion_reparent(
                criterion=criterion, new_parent=form.cleaned_data["parent"], acting_user=request.user
            )
        except ValidationError as exc:
            show_validation_error(form, exc)
        else:
            return _tree_response(request, framework)
    action = reverse("criteria:criterion_reparent", args=[criterion.pk])
    return _editor(
        request, framework, "criteria/_reparent_form.html", {"form": form, "action": action, "criterion": criterion}
    )


def _subtree_ids(criterion: Criterion) -> set[int]:
    ids, frontier = {criterion.pk}, [criterion.pk]
    while frontier:
        frontier = list(Criterion.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        ids.update(frontier)
    return ids


@login_required
@require_POST
def criterion_delete(request, pk: int):
    criterion = get_scoped_or_404(Criterion.objects.select_related("framework"), request.user, Action.MANAGE, pk=pk)
    framework = criterion.framework
    try:
        services.criterion_delete(criterion=criterion, acting_user=request.user)
    except ValidationError as exc:
        return _tree_error(request, framework, exc)
    return _tree_response(request, framework)


# --- Rating levels (htmx, like the tree) ------------------------------------------------------------


def _saved_or_editor(request, framework, form, save, template: str, action: str):
    """A framework's child row (a rating level, a roll-up level) edited in the htmx editor: a valid form
    is saved by its service and the tree redrawn; an invalid one, or the service's refusal, is drawn
    again with what was typed."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.instance)
        except ValidationError as exc:
            show_validation_error(form, exc)
        else:
            return _tree_response(request, framework)
    return _editor(request, framework, template, {"form": form, "action": action})


def _level_editor(request, framework, form, action: str):
    def save(level):
        services.rating_level_save(level=level, acting_user=request.user)

    return _saved_or_editor(request, framework, form, save, "criteria/_level_form.html", action)


def _rollup_editor(request, framework, form, action: str):
    def save(rollup):
        services.rollup_level_save(rollup=rollup, acting_user=request.user)

    return _saved_or_editor(request, framework, form, save, "criteria/_rollup_form.html", action)


@login_required
def level_create(request, pk: int):
    framework = _draft(request, pk)
    next_rank = (max((lv.rank for lv in framework.levels.all()), default=0)) + 1
    form = RatingLevelForm(request.POST or None, instance=RatingLevel(framework=framework), initial={"rank": next_rank})
    return _level_editor(request, framework, form, reverse("criteria:level_create", args=[framework.pk]))


@login_required
def level_edit(request, pk: int):
    level = get_scoped_or_404(RatingLevel.objects.select_related("framework"), request.user, Action.MANAGE, pk=pk)
    form = RatingLevelForm(request.POST or None, instance=level)
    return _level_editor(request, level.framework, form, reverse("criteria:level_edit", args=[level.pk]))


@login_required
@require_POST
def level_move(request, pk: int):
    level = get_scoped_or_404(RatingLevel.objects.select_related("framework"), request.user, Action.MANAGE, pk=pk)
    direction = "up" if request.POST.get("direction") == "up" else "down"
    try:
        services.rating_level_move(level=level, direction=direction, acting_user=request.user)
    except ValidationError as exc:
        return _tree_error(request, level.framework, exc)
    return _tree_response(request, level.framework)


@login_required
@require_POST
def level_delete(request, pk: int):
    level = get_scoped_or_404(RatingLevel.objects.select_related("framework"), request.user, Action.MANAGE, pk=pk)
    framework = level.framework
    try:
        services.rating_level_delete(level=level, acting_user=request.user)
    except ValidationError as exc:
        return _tree_error(request, framework, exc)
    return _tree_response(request, framework)


# --- Roll-up levels (how a quarter and a year are rated from the meetings' levels) ----------------


@login_required
def rollup_create(request, pk: int):
    framework = _draft(request, pk)
    form = RollupLevelForm(request.POST or None, instance=RollupLevel(framework=framework), initial={"rank": 1})
    return _rollup_editor(request, framework, form, reverse("criteria:rollup_create", args=[framework.pk]))


@login_required
def rollup_edit(request, pk: int):
    rollup = get_scoped_or_404(RollupLevel.objects.select_related("framework"), request.user, Action.MANAGE, pk=pk)
    form = RollupLevelForm(request.POST or None, instance=rollup)
    return _rollup_editor(request, rollup.framework, form, reverse("criteria:rollup_edit", args=[rollup.pk]))


@login_required
@require_POST
def rollup_delete(request, pk: int):
    rollup = get_scoped_or_404(RollupLevel.objects.select_related("framework"), request.user, Action.MANAGE, pk=pk)
    framework = rollup.framework
    try:
        services.rollup_level_delete(rollup=rollup, acting_user=request.user)
    except ValidationError as exc:
        return _tree_error(request, framework, exc)
    return _tree_response(request, framework)
