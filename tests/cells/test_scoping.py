"""The one scoping mechanism, function by function (cells/scoping.py): what each returns at its edges."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from cells.models import Member, Organization, Role
from cells.scoping import (
    Action,
    Scope,
    forget_user_scope,
    get_scoped_or_404,
    minimal_prefixes,
    require_scope,
    user_can,
    user_memo,
    user_scope,
)
from tests.factories import MemberFactory, UserFactory, assign


def test_a_scope_covers_paths_below_its_prefixes_only():
    scope = Scope(paths=("0001/0002/",))
    assert scope.covers("0001/0002/") and scope.covers("0001/0002/0003/")
    assert not scope.covers("0001/") and not scope.covers("0001/0003/")
    assert not scope.is_empty and Scope().is_empty and not Scope(everything=True).is_empty
    assert Scope(everything=True).covers("anything/") and not Scope().covers("0001/")


def test_minimal_prefixes_drop_paths_under_others_and_duplicates():
    assert minimal_prefixes(["0001/0002/", "0001/", "0003/", "0001/0002/0004/", "0003/"]) == ("0001/", "0003/")
    assert minimal_prefixes([]) == ()
    # A sibling whose path begins like another's is kept: prefixes are whole path segments.
    assert minimal_prefixes(["00000001/", "00000012/"]) == ("00000001/", "00000012/")


def test_nobody_and_the_inactive_have_an_empty_scope(tree, people):
    assert user_scope(None, Action.VIEW).is_empty
    assert user_scope(AnonymousUser(), Action.VIEW).is_empty
    people.alice.is_active = False
    assert user_scope(people.alice, Action.VIEW).is_empty


def test_a_superuser_has_everything(db):
    root = UserFactory(username="root", is_superuser=True)
    assert user_scope(root, Action.MANAGE).everything


def test_each_role_gives_its_actions_on_its_subtree(tree, people):
    assert user_scope(people.alice, Action.MANAGE).paths == (tree.district.path,)
    assert user_scope(people.lena, Action.VIEW).paths == (tree.district.path,)
    assert user_scope(people.lena, Action.MANAGE).is_empty
    assert user_scope(people.sue, Action.RECORD).paths == (tree.cell.path,)
    assert user_scope(people.sue, Action.APPRAISE).is_empty
    assert user_scope(people.sam, Action.VIEW).is_empty  # no cell assigned yet


def test_the_scope_is_cached_until_forgotten(tree, people):
    assert user_scope(people.lena, Action.MANAGE).is_empty
    assign(people.lena, tree.cell, Role.STAFF)
    assert user_scope(people.lena, Action.MANAGE).is_empty  # cached for the request
    forget_user_scope(people.lena)
    assert user_scope(people.lena, Action.MANAGE).paths == (tree.cell.path,)


def test_user_memo_computes_once_per_user_object(db):
    user = UserFactory(username="memo")
    calls = []
    assert user_memo(user, "k", lambda: calls.append(1) or 41) == 41
    assert user_memo(user, "k", lambda: calls.append(1) or 42) == 41
    assert user_memo(user, "other", lambda: 7) == 7
    forget_user_scope(user)
    assert user_memo(user, "k", lambda: 43) == 43
    assert calls == [1]


def test_for_user_filters_by_every_prefix(tree, people):
    assign(people.charlie, tree.school, Role.STAFF)
    forget_user_scope(people.charlie)
    mine = MemberFactory(organization=tree.other_cell)
    school = MemberFactory(organization=tree.school)
    hidden = MemberFactory(organization=tree.cell)
    seen = set(Member.objects.for_user(people.charlie, Action.MANAGE))
    assert seen == {mine, school} and hidden not in seen
    assert not Member.objects.for_user(None).exists()
    assert Organization.objects.for_user(UserFactory(username="r", is_superuser=True)).count() == 8


def test_get_scoped_or_404_answers_404_outside_missing_or_malformed(tree, people):
    member = MemberFactory(organization=tree.cell)
    assert get_scoped_or_404(Member.objects.all(), people.alice, Action.MANAGE, pk=member.pk) == member
    for user, lookup in ((people.charlie, member.pk), (people.alice, 999999), (people.alice, "x")):
        with pytest.raises(Http404):
            get_scoped_or_404(Member.objects.all(), user, Action.MANAGE, pk=lookup)
    with pytest.raises(Http404):
        get_scoped_or_404(Member.objects.all(), people.lena, Action.MANAGE, pk=member.pk)


def test_user_can_follows_the_objects_path(tree, people):
    member = MemberFactory(organization=tree.cell)
    assert user_can(people.alice, Action.MANAGE, member)
    assert user_can(people.lena, Action.VIEW, member) and not user_can(people.lena, Action.MANAGE, member)
    assert not user_can(people.charlie, Action.VIEW, member)
    assert user_can(people.alice, Action.VIEW, tree.cell) and not user_can(people.alice, Action.VIEW, tree.province)


def test_require_scope_refuses_outside_and_lets_the_system_through(tree, people):
    require_scope(people.alice, Action.MANAGE, tree.cell)
    require_scope(None, Action.MANAGE, tree.other_cell)
    with pytest.raises(PermissionDenied, match="Chi bộ Thôn Hai"):
        require_scope(people.alice, Action.MANAGE, tree.other_cell)
    with pytest.raises(PermissionDenied):
        require_scope(people.lena, Action.MANAGE, tree.cell)
