"""The table every view of the product must appear in, for the scope tests in test_view_scope.py.

Each app's tests add a ``view_cases.py`` beside them with ``CASES``: a list of :class:`ViewCase`.
A case names a URL, how to build its arguments from the fixtures (``tree``, ``people`` and the
case's own ``setup`` data), who owns the object, and how to call it. The scope tests then check,
for every case: an anonymous user is sent to the login page; ``charlie`` (staff of the sibling
district) gets 404 for an object in Thành ủy Một's subtree, or, for a page that is not about one
object, does not see ``hidden_text``; and the owner gets an answer that is not an error (so a 404
really comes from the scope).

Statuses alone let a view that does nothing pass (issue 16), so a case may say more:

- ``owner_sees_hidden`` (lists): the owner's page shows ``hidden_text``, so the data that would leak is
  really there when the outsider's page does not show it;
- ``org_query`` (lists that take ``?org=``): the outsider asking for the owner's committee with
  ``?org=`` gets 404, and so does each of ``org_query_extra`` (e.g. the xlsx export of the same page);
- ``effect(tree, people, data)``: a snapshot of what the request changes (a POST): the owner's
  request must change it and leave an audit entry; the outsider's must change nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class ViewCase:
    url_name: str
    kwargs: Callable[[Any, Any, Any], dict] = lambda tree, people, data: {}
    owner: str = "alice"
    method: str = "get"
    # For pages about one object: the outsider gets 404. For lists and home pages: False, and the
    # outsider must not see hidden_text (a name from Thành ủy Một's subtree).
    object_view: bool = True
    hidden_text: str = "Thành ủy Một"
    # Builds extra objects the kwargs need: setup(tree, people) -> data.
    setup: Callable[[Any, Any], Any] | None = None
    # Answers the owner may get without it being an error (405 for POST-only views asked with GET).
    owner_ok: tuple[int, ...] = (200, 302)
    post_data: dict = field(default_factory=dict)
    owner_sees_hidden: bool = True
    org_query: bool = False
    org_query_extra: tuple[dict, ...] = ()
    effect: Callable[[Any, Any, Any], Any] | None = None
    # Whether the owner's change is audited (a notification read is not a change of the record).
    audited: bool = True
