"""Registries for the figures the apps above keep on write (summary rows), so the tree can tell them.

The tree is the lowest layer and imports no app above it; the apps register here from their
``AppConfig.ready()`` (the evaluations app: ``evaluations/meetings/hooks.py``):

- a **tree listener** is told, around every change of the tree's history (``cells.services``: a move, a
  merge, an end, a rename, a cell type changed), which organisations change and from which day, once
  before the change and once after, in the same transaction, so it can move their figures from the
  committees they stood under to the ones they stand under now;
- a **rebuilder** recomputes its summary rows from the raw rows (``manage.py rebuild_summaries``, the demo
  and benchmark builders after their bulk inserts).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Protocol

from django.db import transaction


class TreeListener(Protocol):
    def before(self, organization_ids: list[int], since: datetime.date) -> object: ...

    def after(self, token: object) -> None: ...


_listeners: list[TreeListener] = []
_rebuilders: dict[str, Callable[[], str]] = {}


def register_tree_listener(listener: TreeListener) -> TreeListener:
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def register_rebuilder(name: str, rebuild: Callable[[], str]) -> Callable[[], str]:
    """``rebuild()`` recomputes one family of summaries from the raw rows and returns a line for the log."""
    _rebuilders[name] = rebuild
    return rebuild


def rebuilders() -> dict[str, Callable[[], str]]:
    return dict(_rebuilders)


@contextmanager
def tree_change(organization_ids: Iterable[int], since: datetime.date) -> Iterator[None]:
    """Wrap a change of ``organization_ids``' place, existence or type from ``since`` on: every listener reads
    their standing before and moves their figures after (inside the caller's transaction)."""
    ids = sorted(set(organization_ids))
    tokens = [(listener, listener.before(ids, since)) for listener in _listeners] if ids else []
    yield
    for listener, token in tokens:
        listener.after(token)


def rebuild_all() -> list[str]:
    """Every registered summary recomputed from the raw rows (one transaction each); a line per family."""
    lines = []
    for name, rebuild in _rebuilders.items():
        with transaction.atomic():
            lines.append(f"{name}: {rebuild()}")
    return lines
