"""The campaign page's kept figures (evaluations/campaigns/page_cache.py) against figures worked out afresh.

The figures are kept before each change through the services (register and decide, self-assess, submit,
appraise, confirm, reopen, a year rating, a move of a cell, a new cell type), so a stamp that did not move
with the change would hand back the figures of before it: after each change the kept figures must equal a
fresh computation, and the change must have moved them."""

import datetime

import pytest

from evaluations.campaigns import page_cache, selectors
from evaluations.campaigns.models import CampaignTarget

from . import builders
from .test_summaries_property import TARGETS, _apply

pytestmark = pytest.mark.django_db

TODAY = datetime.date(builders.YEAR, 6, 1)

STEPS = [
    ("register", "cell", "approved"),  # the board's decision through registration_decide
    ("register", "school", "approved"),
    ("register", "grassroots", "maintaining"),
    ("self", "cell", "1.1", True),
    ("submit", "cell"),
    ("appraise", "cell", "1.1", True),
    ("rate", "cell", "HTXSNV"),
    ("confirm", "cell"),
    ("rate", "school", "HTTNV"),
    ("rate", "school", "KHTNV"),  # the same rating set again, to another code (below the minimum)
    ("reopen", "cell"),
    ("move", "cell", "district"),  # in the campaign's year: its level then changes
    ("retype", "cell", "public_service"),
]


@pytest.fixture
def campaign(tree):
    campaign = builders.campaign(tree)
    for target in TARGETS:
        CampaignTarget.objects.create(campaign=campaign, **target)
    return campaign


def _kept(campaign):
    return selectors.dashboard(campaign, TODAY, figures=page_cache.cached_figures(campaign))


def test_kept_figures_equal_fresh_ones_after_each_change_through_the_services(tree, campaign):
    changed = []
    for action in STEPS:
        campaign.refresh_from_db()
        before = _kept(campaign)
        assert page_cache.cached_figures(campaign) is page_cache.cached_figures(campaign)  # kept, not redone
        _apply(tree, campaign, action)
        campaign.refresh_from_db()
        fresh = selectors.dashboard(campaign, TODAY)
        assert _kept(campaign) == fresh, action
        if fresh != before:
            changed.append(action)
    # Not vacuous: these change what the page shows, so a stamp that stood still would hand back stale figures
    # (one answer self-assessed or appraised alone does not move this framework's level).
    assert [a for a in STEPS if a not in changed] == [("self", "cell", "1.1", True), ("appraise", "cell", "1.1", True)]


def test_a_campaigns_figures_are_kept_apart_from_anothers(tree, campaign):
    other = builders.campaign(tree, campaign.framework, code="KH-2024-B")
    _apply(tree, campaign, ("register", "cell", "approved"))
    assert page_cache.cached_figures(campaign).status_counts != page_cache.cached_figures(other).status_counts
