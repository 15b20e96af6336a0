"""Background work on the organisation tree."""

from celery import shared_task

from .services import search_names_rebuild


@shared_task(acks_late=True, soft_time_limit=600, time_limit=660)
def rebuild_search_names() -> int:
    """Recompute the folded search names of organisations and members (after bulk loads or repairs).

    Idempotent: running it twice leaves the same values. Returns how many rows changed.
    """
    return search_names_rebuild()
