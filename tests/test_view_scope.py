"""Scope, tested for every view of the product (the table is in each app's tests/<app>/view_cases.py)."""

import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests
from cells.models import AuditEntry
from tests.view_scope import ViewCase

# Views that are not about the product's data: Django's own login pages and the superuser admin.
# The installable app's files (cells/pwa.py) name no object and no user: the same for everyone.
UNSCOPED = {
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "healthz",
    "service_worker",
    "manifest",
    "offline",
}


def _all_cases() -> list[ViewCase]:
    cases = []
    for module in pkgutil.iter_modules(tests.__path__):
        if module.ispkg:
            name = f"tests.{module.name}.view_cases"
            try:
                cases_module = importlib.import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name != name:  # a broken import inside the cases must fail, not hide the cases
                    raise
                continue
            cases.extend(cases_module.CASES)
    return cases


CASES = _all_cases()


def _url_names(patterns, namespace="") -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_view_has_a_scope_case():
    covered = {case.url_name for case in CASES}
    missing = _url_names(get_resolver().url_patterns) - covered - UNSCOPED
    assert not missing, f"views without a scope case in tests/<app>/view_cases.py: {sorted(missing)}"


def _prepare(case: ViewCase, tree, people):
    return _prepare_with_data(case, tree, people)[0]


def _prepare_with_data(case: ViewCase, tree, people):
    data = case.setup(tree, people) if case.setup else None
    return reverse(case.url_name, kwargs=case.kwargs(tree, people, data)), data


def _audits() -> int:
    return AuditEntry.objects.exclude(action__startswith="auth.").count()


def _call(client, case: ViewCase, url: str):
    if case.method == "post":
        return client.post(url, case.post_data)
    return client.get(url)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.url_name)
def test_anonymous_user_is_sent_to_login(case, client, tree, people):
    url = _prepare(case, tree, people)
    response = _call(client, case, url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.url_name)
def test_user_from_a_sibling_subtree_gets_404_or_sees_nothing(case, client, tree, people):
    url, data = _prepare_with_data(case, tree, people)
    client.force_login(people.charlie)
    before = (case.effect(tree, people, data), _audits()) if case.effect else None
    response = _call(client, case, url)
    if case.effect:
        assert (case.effect(tree, people, data), _audits()) == before, "the outsider's request changed data"
    if case.object_view:
        assert response.status_code == 404
    else:
        assert response.status_code == 200
        assert case.hidden_text not in response.content.decode()


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.url_name)
def test_owner_is_answered(case, client, tree, people):
    url, data = _prepare_with_data(case, tree, people)
    client.force_login(getattr(people, case.owner))
    before = (case.effect(tree, people, data), _audits()) if case.effect else None
    response = _call(client, case, url)
    assert response.status_code in case.owner_ok
    if case.effect:
        effect, audits = case.effect(tree, people, data), _audits()
        assert effect != before[0], f"the owner's request changed nothing: still {effect!r}"
        if case.audited:
            assert audits > before[1], "the owner's change left no audit entry"
    if not case.object_view and case.owner_sees_hidden and response.status_code == 200:
        # The data the outsider must not see is there for the owner: the outsider's test is not vacuous.
        assert case.hidden_text in response.content.decode(), f"the owner does not see {case.hidden_text!r}"


ORG_CASES = [case for case in CASES if case.org_query]


@pytest.mark.parametrize("case", ORG_CASES, ids=lambda c: c.url_name)
def test_a_list_asked_for_another_subtrees_org_is_404(case, client, tree, people):
    """charlie asks the list page about Thành ủy Một (where the case's data is) with ?org=: 404, page and
    export alike; alice asking the same is answered (the 404 comes from the scope)."""
    url = _prepare(case, tree, people)
    for extra in ({}, *case.org_query_extra):
        query = {"org": tree.district.pk, **extra}
        client.force_login(people.charlie)
        assert client.get(url, query).status_code == 404, query
        client.force_login(getattr(people, case.owner))
        assert client.get(url, query).status_code == 200, query
