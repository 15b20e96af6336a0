"""The campaign page's figures, worked out once per change of what they read instead of on every request.

At province size the dashboard's figures (:func:`selectors.campaign_figures`: the rubrics, a grouped read of
thousands of registrations with their year ratings and kept standings, the statuses counted, and for the
shares over the owner's subtree a grouped read of its standings) are most of the campaign page's time. They
are kept here, per process, under a key made of cheap stamps of everything they read, each of which moves in
the same transaction as the change it stands for (the pattern of evaluations/meetings/ranking_cache.py):

- the campaign's registrations: how many, the sum of their versions, the latest id (every campaign service
  that changes a registration moves its version: a decision, an answer and so its level, a submitted
  self-assessment, a confirmation, a reopening; registering adds one);
- the year ratings of the campaign's year: how many, and two sums over each row's id and rating (a rating
  set again moves them: YearRating has no version of its own);
- the campaign's kept standings: when its summary was built (services/summaries.py; a new participant's
  standing comes with its registration);
- the tree's stamp (how many organisations, the latest ``updated_at``: a move, a rename, a new cell type);
- the frameworks' stamp (how many, the latest ``updated_at``: the levels a result is read against);
- what the page read of the campaign itself this request (owner, year, framework, minimum rating).

The targets, milestones and cell-type names are few rows and are read on every request (their own queries,
as before). So a kept value is always the one :func:`selectors.campaign_figures` would work out now: an
unchanged key means unchanged inputs. A change behind the services' back (a raw ``.update()`` in a test)
moves no stamp: tests/conftest.py forgets kept figures between tests.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from django.db import connection

from cells.models import Organization
from criteria.models import Framework

from . import selectors
from .models import Campaign, CampaignSummary, Registration, YearRating, YearRatingCode

# A few campaigns' figures per process (each a few dozen groups, a row per participant once the targets
# have counted them): the least recently used goes first.
KEPT = 16
_kept: OrderedDict[tuple, selectors.CampaignFigures] = OrderedDict()
_lock = threading.Lock()

# Each rating code weighs differently in the ratings' sums, so a rating set again moves them.
_RATING_WEIGHT = " ".join(f"WHEN '{code}' THEN {weight}" for weight, code in enumerate(YearRatingCode.values, start=1))


def figures_stamp(campaign: Campaign) -> tuple:
    """What the campaign's figures read, stamped: one query."""
    registrations, ratings, summaries, organizations, frameworks = (
        model._meta.db_table for model in (Registration, YearRating, CampaignSummary, Organization, Framework)
    )
    weight = f"(CASE rating {_RATING_WEIGHT} ELSE 0 END)"
    with connection.cursor() as cursor:
        # One round trip; single-row parts joined, so the campaign's registrations and the year's ratings are
        # each read once (an indexed range, an aggregate of a small table, a lookup by key).
        cursor.execute(
            "SELECT * FROM "  # nosec B608
            f"(SELECT COUNT(*), SUM(version), MAX(id) FROM {registrations} WHERE campaign_id = %s) AS r, "
            f"(SELECT COUNT(*), SUM({weight} * id), SUM((id * 7919 + {weight} * 104729) %% 1000003) "
            f"FROM {ratings} WHERE year = %s) AS y, "
            f"(SELECT MAX(built_at) FROM {summaries} WHERE campaign_id = %s) AS s, "
            f"(SELECT COUNT(*), MAX(updated_at) FROM {organizations}) AS o, "
            f"(SELECT COUNT(*), MAX(updated_at) FROM {frameworks}) AS f",
            [campaign.pk, campaign.year, campaign.pk],
        )
        stamps = cursor.fetchone()
    own = (campaign.owner_id, campaign.year, campaign.framework_id, campaign.min_year_rating)
    return (*own, *stamps)


def cached_figures(campaign: Campaign) -> selectors.CampaignFigures:
    """:func:`selectors.campaign_figures`, or those worked out for the same stamp before (the caller has
    checked the scope; the figures are shared: read them, never change them)."""
    key = (campaign.pk, figures_stamp(campaign))
    with _lock:
        found = _kept.get(key)
        if found is not None:
            _kept.move_to_end(key)
            return found
    figures = selectors.campaign_figures(campaign)
    with _lock:
        _kept[key] = figures
        while len(_kept) > KEPT:
            _kept.popitem(last=False)
    return figures


def forget_figures() -> None:
    """Empty the kept figures (tests that change rows behind the services' back)."""
    with _lock:
        _kept.clear()
