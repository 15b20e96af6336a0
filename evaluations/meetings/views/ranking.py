"""The ranking page of a committee's cells for a month, quarter or year (Y5), and its workbook."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from cells.history import absence_text, name_during
from cells.models import CellType, Organization
from cells.periods import Period
from cells.scoping import Action

from .. import selectors
from ..forms import (
    RankingFilterForm,
)
from ..ranking_cache import cached_ranking
from ..rollups import rules_in_words
from .lookups import committee_of_page

# The whole ranking is computed (ranks need every cell) and kept (ranking_cache); a page shows this many rows
# of it, as the other lists do (200 rows took most of a province's page to draw).
RANKING_PAGE_SIZE = 50


@login_required
def ranking(request):
    committees = Organization.objects.for_user(request.user, Action.VIEW).exclude(level__in=("cell",)).order_by("path")
    cell_types = list(CellType.objects.all())
    form = RankingFilterForm(request.GET or None, committees=committees, cell_types=cell_types)
    org_pk = request.GET.get("org") or None
    root = committee_of_page(request, org_pk if org_pk and org_pk.isdigit() else None)
    period_text = request.GET.get("period") or f"{timezone.localdate().year}-{timezone.localdate().month:02d}"
    try:
        period = Period.parse(period_text)
    except ValueError as exc:
        # Refused with the reason, never read as another (wider) period: no ranking until it is picked again.
        messages.error(request, str(exc))
        period, root = Period.parse(f"{timezone.localdate():%Y-%m}"), None
    # Headed with the committee's name as it stood then (the history rule): Yên Bái's 2024 is Yên Bái's.
    root_name = name_during(root, period.start, period.end) if root else None
    if root and root_name is None:
        messages.error(request, absence_text(root, period.display))
        root = None  # no ranking, and no export, of a committee for a period it did not exist in
    cell_type = request.GET.get("cell_type") or None
    # The switch between the cells' ranking and the grassroots organisations' (WORKBOOK v3 --level grassroots).
    org_level = selectors.GRASSROOTS_RANKING if request.GET.get("level") == selectors.GRASSROOTS_RANKING else None
    result = None
    if root:
        # Kept while nothing it reads has changed: a province's ranking is computed once per change, not per page.
        result = cached_ranking(root, period, cell_type=cell_type, org_level=org_level, cell_types=cell_types)
    if result and request.GET.get("export") == "xlsx":
        from ..sheets import ranking_workbook_response

        return ranking_workbook_response(result)
    page = Paginator(result.rows, RANKING_PAGE_SIZE).get_page(request.GET.get("page")) if result else None
    return render(
        request,
        "evaluations/meetings/ranking.html",
        {
            "form": form,
            "committees": committees.values_list("pk", "name"),
            "result": result,
            "page": page,
            "root": root,
            "root_name": root_name,
            "period": period,
            "cell_type": cell_type if not org_level else None,
            "level": org_level or "",
            "grassroots_level": selectors.GRASSROOTS_RANKING,
            "rollup_rules": rules_in_words(result) if result else [],
        },
    )
