import pytest

from .helpers import assign_supervisor, make_framework


@pytest.fixture
def framework(tree):
    return make_framework(tree.province)


@pytest.fixture
def sam_assigned(tree, people):
    """sam supervises the residential cell only (not the school next to it)."""
    return assign_supervisor(tree.cell, people.sam)
