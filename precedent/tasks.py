"""Precedent's tasks: ids in, rows fetched afresh. The encoder's own task, which embeds a
draft for a waiting request, is the search engine's (precedent.search.semantic)."""

import logging
from smtplib import SMTPException

from celery import shared_task
from django.db import OperationalError, transaction

from casebook.models import Case, Decision, User
from outbox.services import enqueue
from precedent import search
from precedent.digest import month as digest_period

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
    name="precedent.tasks.round_up_saved_searches",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def round_up_saved_searches(frequency: str) -> int:
    """Scheduled by beat, daily and weekly: each saved search kept for that round-up tells
    its owner of the decisions since the last that match it, once."""
    from precedent.services import saved_searches_round_up  # here: the services enqueue this module's tasks

    return saved_searches_round_up(frequency=frequency)


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


@shared_task(name="precedent.tasks.send_digests", autoretry_for=(OperationalError,), retry_backoff=True, max_retries=8)
def send_digests(month: str = "") -> int:
    """Scheduled by beat on the first of each month: ask for the last month's digest (or that
    of `month`, YYYY-MM) to be e-mailed to each subscriber not yet sent it, one task each,
    so a mail server failing half-way holds up nobody else. Returns how many it asked for."""
    from precedent.services import digest_recipients  # here: the services enqueue this module's tasks

    period = digest_period(month or None)
    recipients = digest_recipients(period=period)
    with transaction.atomic():  # relayed together, once all are written
        for user_id in recipients:
            enqueue(email_digest, user_id, period.slug)
    return len(recipients)


@shared_task(
    name="precedent.tasks.email_digest",
    autoretry_for=(SMTPException, OSError, OperationalError),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
)
def email_digest(user_id: int, month: str) -> bool:
    """E-mail one subscriber the digest of `month` as they may see it, at most once (the
    send is claimed, precedent.services.digest_email); someone since gone gets nothing."""
    from precedent.services import digest_email  # here: the services enqueue this module's tasks

    user = User.objects.filter(pk=user_id, is_active=True, digest_subscription__isnull=False).first()
    if user is None:
        return False
    return digest_email(user=user, period=digest_period(month))
