"""The ranking a page shows, computed once per change of what it reads instead of on every request.

A province's ranking re-reads every meeting of the period (:func:`selectors.ranking`, a few hundred
milliseconds at 5,000 cells); the page asks for it on each request and for each page of rows. Here it is
kept, per process, under a key made of cheap stamps of everything the ranking reads, each of which moves
in the same transaction as the change it stands for:

- the root committee's figures version for the period's year (``FiguresVersion``, moved by the meeting
  services and by the tree's changes: a meeting recorded, scored, appraised or reopened in the subtree, a
  cell moved in or out, merged, ended or renamed, a rebuild of the summaries);
- the tree's stamp (how many organisations, and the latest ``updated_at``: codes, names, cell types);
- the frameworks' stamp (how many, and the latest ``updated_at``: a framework's levels and roll-up rules
  change only while it is a draft, and publishing it moves its ``updated_at``);
- the cell types as they are (a handful of rows, which the page reads anyway for its filter).

So a cached ranking is always the one :func:`selectors.ranking` would compute now: an unchanged key means
unchanged inputs. Kept in the process (gunicorn's workers each keep their own) rather than in Django's
cache: a 5,000-row ranking pickled and unpickled on every request would cost a good part of computing it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from django.db import connection

from cells.models import CellType, Organization
from cells.periods import Period
from criteria.models import Framework

from . import selectors
from .summary_models import FiguresVersion

# A few committees' rankings per process (each a few MB at province size): the least recently used goes first.
KEPT = 8
_kept: OrderedDict[tuple, selectors.Ranking] = OrderedDict()
_lock = threading.Lock()


def ranking_stamp(root: Organization, period: Period, cell_types=None) -> tuple:
    """What the ranking of ``root`` for ``period`` reads, stamped: one query (a second without ``cell_types``,
    the cell types the caller has read)."""
    if cell_types is None:
        cell_types = CellType.objects.all()
    types = tuple(sorted((ct.pk, ct.code, ct.name) for ct in cell_types))
    versions, organizations, frameworks = (model._meta.db_table for model in (FiguresVersion, Organization, Framework))
    with connection.cursor() as cursor:
        # One round trip for the three stamps (each is an indexed lookup or an aggregate of a small table).
        cursor.execute(
            f"SELECT (SELECT version FROM {versions} WHERE committee_id = %s AND year = %s), "  # nosec B608
            f"(SELECT COUNT(*) FROM {organizations}), (SELECT MAX(updated_at) FROM {organizations}), "
            f"(SELECT COUNT(*) FROM {frameworks}), (SELECT MAX(updated_at) FROM {frameworks})",
            [root.pk, period.start.year],
        )
        version, *stamps = cursor.fetchone()
    return (version or 0, *stamps, types)


def cached_ranking(
    root: Organization,
    period: Period,
    *,
    cell_type: str | None = None,
    org_level: str | None = None,
    cell_types=None,
) -> selectors.Ranking:
    """:func:`selectors.ranking`, or the one computed for the same stamp before (the caller has checked the
    scope; the result is shared: read it, never change it)."""
    key = (root.pk, period.code, cell_type or "", org_level or "", ranking_stamp(root, period, cell_types))
    with _lock:
        found = _kept.get(key)
        if found is not None:
            _kept.move_to_end(key)
            return found
    result = selectors.ranking(root, period, cell_type=cell_type, org_level=org_level)
    with _lock:
        _kept[key] = result
        while len(_kept) > KEPT:
            _kept.popitem(last=False)
    return result


def forget_rankings() -> None:
    """Empty the kept rankings (tests that change meetings behind the services' back)."""
    with _lock:
        _kept.clear()
