"""/healthz for monitoring (no login, says only ok or failing), and the staff's page of failed background tasks."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from cells.scoping import get_scoped_or_404

from .failures import task_label
from .health import run_checks
from .models import TaskFailure

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request):
    """200 "ok" when the database and the broker answer and a worker sent its heartbeat within a minute,
    else 503 "failing". The reason goes to the log only: the page is public."""
    failing = [check for check in run_checks() if not check.ok]
    if failing:
        logger.warning("healthz failing: %s", "; ".join(f"{c.name}: {c.detail}" for c in failing))
        return HttpResponse("failing\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


@login_required
def task_failures(request):
    """Background tasks that failed, with their error: each about what the user manages (or their own job)."""
    failures = TaskFailure.objects.for_user(request.user).select_related("organization").order_by("-failed_at", "-id")
    page = Paginator(failures, 50).get_page(request.GET.get("page"))
    rows = [(failure, task_label(failure.task_name)) for failure in page]
    return render(request, "ops/task_failures.html", {"page": page, "rows": rows})


@login_required
def task_failure_detail(request, pk: int):
    failure = get_scoped_or_404(TaskFailure.objects.select_related("organization"), request.user, pk=pk)
    return render(request, "ops/task_failure_detail.html", {"failure": failure, "label": task_label(failure.task_name)})
