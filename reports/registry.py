"""The registry of report kinds, shared by the PDF and the Excel renderers, the form and the schedules.

A kind registers a code, a title, the periods it can cover, the organisation levels it applies to and
a function that builds the body of the document (sections of paragraphs and tables) from a
:class:`BuildContext`. The header, signature and recipients are added around it from what the
requester typed (see :mod:`reports.building`), so each report is written once.
"""

from __future__ import annotations

import datetime
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.functional import Promise

from cells.models import COMMITTEE_LEVELS, Organization
from cells.periods import Period

from .document import Section

ProgressCallback = Callable[[int], None]


@dataclass
class BuildContext:
    """What a builder reads: the organisation reported on, the period, the day the state is read on."""

    organization: Organization
    period: Period
    as_of: datetime.date
    progress: ProgressCallback | None = None
    # Filled by builders that want to pass figures to the dashboard or tests.
    extra: dict = field(default_factory=dict)

    def step(self, percent: int) -> None:
        """Report progress (0–100 of the building part) and honour the test-only slow-down hook.

        ``CHIBO_REPORTS_STEP_DELAY`` (seconds, tests only) sleeps here so a test can kill a worker
        while a report is being built.
        """
        delay = float(os.environ.get("CHIBO_REPORTS_STEP_DELAY") or 0)
        if delay:
            time.sleep(delay)
        if self.progress:
            self.progress(percent)


@dataclass
class Body:
    """What a builder returns: the document's title (after its type, e.g. "BÁO CÁO") and its sections."""

    title: str
    sections: list[Section]
    doc_type: str = ""
    # A document the product only drafts (the recognition decision): "DỰ THẢO" above its heading.
    draft: bool = False


Builder = Callable[[BuildContext], Body]


@dataclass(frozen=True)
class ReportKind:
    code: str
    title: str | Promise
    periods: tuple[str, ...]
    build: Builder
    levels: tuple[str, ...] = tuple(COMMITTEE_LEVELS)
    # Document type printed above the title; "BÁO CÁO" unless the kind is a decision, a list...
    doc_type: str | Promise = ""
    # The number's middle part: "BC" for a report ("Số 12-BC/TU"), "QĐ" for a decision.
    number_kind: str = "BC"
    order: int = 100

    def applies_to(self, organization: Organization) -> bool:
        return organization.level in self.levels


_kinds: dict[str, ReportKind] = {}


def register(kind: ReportKind) -> ReportKind:
    _kinds[kind.code] = kind
    return kind


def report_kind(
    code: str,
    *,
    title: str | Promise,
    periods: tuple[str, ...],
    levels: tuple[str, ...] = tuple(COMMITTEE_LEVELS),
    doc_type: str | Promise = "",
    number_kind: str = "BC",
    order: int = 100,
) -> Callable[[Builder], Builder]:
    """Decorator registering a builder function as a report kind."""

    def decorator(fn: Builder) -> Builder:
        register(
            ReportKind(
                code=code,
                title=title,
                periods=periods,
                build=fn,
                levels=levels,
                doc_type=doc_type,
                number_kind=number_kind,
                order=order,
            )
        )
        return fn

    return decorator


def get_kind(code: str) -> ReportKind:
    try:
        return _kinds[code]
    except KeyError:
        raise LookupError(f"no report kind {code!r}") from None


def all_kinds() -> list[ReportKind]:
    return sorted(_kinds.values(), key=lambda kind: (kind.order, kind.code))


def kind_choices() -> list[tuple[str, str]]:
    return [(kind.code, kind.title) for kind in all_kinds()]
