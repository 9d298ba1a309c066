import logging

from celery import shared_task
from celery.concurrency.solo import TaskPool as SoloPool
from celery.signals import worker_ready
from django.db import OperationalError

from casebook.models import Case, Decision

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
    from precedent.search import semantic

    case = Case.objects.filter(pk=case_id).first()
    if case is None or not semantic.available():
        return False
    return semantic.embed_case(case)


# Not acknowledged late: a request that has given up gains nothing from a second try. Its
# result (a draft's embedding) is logged as its first few characters only.
@shared_task(acks_late=False, resultrepr_maxsize=40)
def encode_draft(text: str) -> list[float]:
    """Asked for by a web request, which waits for the answer: the embedding of a case being
    written. It runs on the encoder's queue (settings.CELERY_TASK_ROUTES), so the model is
    held by the encoder worker and not by every web worker."""
    from precedent.search import semantic

    return semantic.encode([text])[0].tolist()


@worker_ready.connect
def _load_the_model(sender, **kwargs) -> None:
    # The encoder (a solo worker on the encoder's queue) loads the model before its first
    # draft, so that no reviewer waits seconds for it. It encodes on one core: the request
    # waiting for the draft's embedding ranks the draft by its words and facts meanwhile,
    # on another. A worker of forked processes would load it in each process instead.
    from precedent.search import semantic

    solo = isinstance(sender.pool, SoloPool)
    if solo and "encode" in sender.app.amqp.queues.consume_from and semantic.available():
        import torch

        torch.set_num_threads(1)
        semantic.model()
