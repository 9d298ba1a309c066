"""Precedent's tasks: ids in, rows fetched afresh. The encoder's own task, which embeds a
draft for a waiting request, is the search engine's (precedent.search.semantic)."""

import logging

from celery import shared_task
from django.db import OperationalError

from casebook.models import Case, Decision
from precedent import search

log = logging.getLogger(__name__)


# Named as in the casebook app, where it was first: tasks queued before an upgrade still run.
@shared_task(
    name="casebook.tasks.alert_saved_searches",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def alert_saved_searches(decision_id: int) -> int:
    """Enqueued when a decision is issued: tell the owners of the saved searches it matches.
    Idempotent (each owner is told once per decision), so a retry is harmless."""
    from precedent.services import saved_searches_alert  # here: the services enqueue this task

    decision = Decision.objects.select_related("case").filter(pk=decision_id).first()
    if decision is None:
        return 0
    return saved_searches_alert(decision=decision)


@shared_task(
    name="casebook.tasks.embed_case",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def embed_case(case_id: int) -> bool:
    """Enqueued when a case's entries change: store its sentence embedding. Idempotent (an
    unchanged text is not embedded again); a case since gone is nothing to do."""
    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        return False
    return search.embed_case(case)


@shared_task(name="precedent.tasks.refit_similarity", acks_late=True)
def refit_similarity() -> list[dict]:
    """Scheduled by beat: refit similar decisions' weights on the casebook's judgements
    (precedent.services.similarity_refit)."""
    from precedent.services import similarity_refit  # here: the services enqueue this module's tasks

    return [
        {"tagged": r.tagged, "judged": r.judged, "kept": r.weights is not None, "before": r.before, "after": r.after}
        for r in similarity_refit()
    ]
