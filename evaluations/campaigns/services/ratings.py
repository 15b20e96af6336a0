"""Year-end ratings (xếp loại chất lượng) of organisations: inputs that gate eligibility and results."""

from __future__ import annotations

from django.db import transaction

from cells.models import Organization
from cells.services import audit_record, audit_snapshot

from ..models import (
    YearRating,
)

# --- Year-end ratings ----------------------------------------------------------------------------


@transaction.atomic
def year_rating_set(
    *,
    organization: Organization,
    year: int,
    rating: str,
    members_total: int | None = None,
    members_completed: int | None = None,
    acting_user,
) -> YearRating:
    record = YearRating.objects.filter(organization=organization, year=year).first()
    before = audit_snapshot(record, ["rating", "members_total", "members_completed"]) if record else {}
    record = record or YearRating(organization=organization, year=year)
    record.rating, record.members_total, record.members_completed = rating, members_total, members_completed
    record.full_clean(validate_constraints=False)
    record.save()
    after = audit_snapshot(record, ["rating", "members_total", "members_completed"])
    if before != after:
        audit_record(
            acting_user=acting_user,
            action="year_rating.set",
            instance=record,
            organization=organization,
            before=before,
            after={**after, "year": year},
        )
    return record
