"""Background work on the organisation tree."""

from celery import shared_task

from .text import fold


@shared_task(acks_late=True, soft_time_limit=600, time_limit=660)
def rebuild_search_names() -> int:
    """Recompute the folded search names of organisations and members (after bulk loads or repairs).

    Idempotent: running it twice leaves the same values. Returns how many rows changed.
    """
    from .models import Member, Organization

    changed = 0
    for model, source, target in ((Organization, "name", "name_folded"), (Member, "full_name", "full_name_folded")):
        stale = []
        for obj in model.objects.only("pk", source, target).iterator(chunk_size=2000):
            folded = fold(getattr(obj, source))
            if getattr(obj, target) != folded:
                setattr(obj, target, folded)
                stale.append(obj)
        model.objects.bulk_update(stale, [target], batch_size=1000)
        changed += len(stale)
    return changed
