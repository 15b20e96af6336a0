import datetime

import pytest

from cells import selectors, services
from cells.models import Position
from cells.scoping import Action, minimal_prefixes, user_scope
from cells.text import fold

pytestmark = pytest.mark.django_db


def test_fold_ignores_diacritics_case_and_spacing():
    assert fold("  Tổ   Dân Phố số 3 ") == "to dan pho so 3"
    assert fold("Đảng ủy") == "dang uy"


def test_search_ignores_diacritics(tree, people):
    found = selectors.organization_search(people.alice, "to dan pho 3")
    assert [org.code for org in found] == ["C1"]


def test_search_finds_only_inside_the_users_scope(tree, people):
    assert selectors.organization_search(people.charlie, "to dan pho") == []
    assert [o.code for o in selectors.organization_search(people.charlie, "thon hai")] == ["C3"]


def test_minimal_prefixes_drop_paths_inside_others():
    assert minimal_prefixes(["a/b/", "a/", "c/", "a/b/c/"]) == ("a/", "c/")


def test_roles_grant_their_actions_in_their_subtree(tree, people):
    assert user_scope(people.alice, Action.MANAGE).covers(tree.cell.path)
    assert not user_scope(people.alice, Action.MANAGE).covers(tree.other_cell.path)
    assert user_scope(people.lena, Action.VIEW).covers(tree.cell.path)
    assert user_scope(people.lena, Action.MANAGE).is_empty
    assert user_scope(people.sue, Action.RECORD).paths == (tree.cell.path,)
    assert not user_scope(people.sue, Action.VIEW).covers(tree.school.path)


def test_an_ended_role_grants_nothing(tree, people):
    assignment = people.alice.role_assignments.get()
    services.role_end(assignment=assignment, valid_to=datetime.date(2021, 1, 1), acting_user=None)
    people.alice.__dict__.pop("_chibo_scope_cache", None)
    assert user_scope(people.alice, Action.VIEW).is_empty


def test_vacancies_count_missing_seats():
    vacancies = selectors.officer_vacancies(committee_size=5, deputy_slots=1, held=[Position.COMMITTEE_MEMBER])
    assert {(v.position, v.missing) for v in vacancies} == {
        (Position.SECRETARY, 1),
        (Position.DEPUTY_SECRETARY, 1),
        (Position.COMMITTEE_MEMBER, 2),
    }


def test_a_cell_without_a_committee_only_needs_a_secretary():
    assert selectors.officer_vacancies(committee_size=0, deputy_slots=0, held=[Position.SECRETARY]) == []


def test_committee_summary_shows_vacancies_of_the_cell(tree, roster):
    services.officer_appoint(
        organization=tree.cell,
        member=roster.cell[0],
        position=Position.SECRETARY,
        started_on=datetime.date(2022, 1, 1),
        acting_user=None,
    )
    summary = selectors.committee_summary(tree.cell)
    assert [t.member for t in summary.terms] == [roster.cell[0]]
    assert [(v.position, v.missing) for v in summary.vacancies] == [
        (Position.DEPUTY_SECRETARY, 1),
        (Position.COMMITTEE_MEMBER, 1),
    ]
