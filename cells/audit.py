"""The one audit writer: every audit entry of the product is written by :func:`log_action`.

Services audit one object with ``cells.services.audit_record``, imports audit the rows they write in bulk
with ``cells.services.audit_records_bulk``, and logins are audited by ``cells.auth.audit_account``: each
of them hands its changes to :func:`log_action`, which stamps them with one time, the actor (None for
the system: the demo, the command line) and the content type of each object, and writes them in one
insert. Nothing else creates an :class:`~cells.models.AuditEntry` (tests/test_one_audit_writer.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from .models import AuditEntry

# Large imports audit 100,000 rows: inserted this many at a time.
BATCH_SIZE = 1000


def stored_user(user):
    """The user to keep on a record: None for the system (the demo, an import run without a user)."""
    return user if getattr(user, "pk", None) else None


@dataclass(frozen=True)
class AuditedChange:
    """One audited object: its model and id, the organisation it belongs to, its values before and after."""

    model: type
    object_id: object
    organization_id: int | None = None
    before: dict | None = None
    after: dict | None = None

    @classmethod
    def of(cls, instance, organization=None, before: dict | None = None, after: dict | None = None) -> AuditedChange:
        """The change of a model instance; ``organization`` is an Organization, its id, or None."""
        organization_id = getattr(organization, "pk", organization)
        return cls(type(instance), instance.pk, organization_id, before, after)


def log_action(*, acting_user, action: str, changes: Iterable[AuditedChange], reason: str = "") -> list[AuditEntry]:
    """Write one audit entry per change: who did ``action`` (why, when given), to what, before and after.

    The entries share one time and are inserted together (one query for a handful, a query per
    thousand for an import)."""
    at = timezone.now()
    actor = stored_user(acting_user)
    content_types: dict[type, ContentType] = {}
    entries = []
    for change in changes:
        if change.model not in content_types:
            content_types[change.model] = ContentType.objects.get_for_model(change.model)
        entries.append(
            AuditEntry(
                at=at,
                actor=actor,
                organization_id=change.organization_id,
                action=action,
                content_type=content_types[change.model],
                object_id="" if change.object_id is None else str(change.object_id),
                reason=reason,
                before=change.before or {},
                after=change.after or {},
            )
        )
    return AuditEntry.objects.bulk_create(entries, batch_size=BATCH_SIZE)
