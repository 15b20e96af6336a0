import pytest

from . import builders


@pytest.fixture
def four_good(tree):
    return builders.four_good_framework(tree.district)


@pytest.fixture
def campaign(tree, four_good):
    return builders.campaign(tree, four_good)


@pytest.fixture
def registration(campaign, tree):
    """The residential cell (sue's) approved in the campaign."""
    return builders.participant(campaign, tree.cell)
