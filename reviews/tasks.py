"""Tasks take ids and fetch afresh: the row may have changed, or gone, since enqueueing."""

from celery import shared_task
from django.db import OperationalError


@shared_task
def flag_conditions() -> dict[str, int]:
    """Scheduled daily by beat."""
    from reviews.services import conditions_flag  # here: services enqueue this module's tasks

    return conditions_flag()


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def reopen_due_reviews() -> list[int]:
    """Scheduled daily by beat: continuing review. Reopening is idempotent (only decided
    cases reopen, and the notification is once per decision), so a retry is harmless."""
    from reviews.services import reviews_reopen_due  # here: services enqueue this module's tasks

    return [case.pk for case in reviews_reopen_due()]
