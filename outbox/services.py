"""The tasks a change asks for reach the broker however the broker fares. Each is written as
a row in the change's own transaction, so it commits or rolls back with the change, and is
relayed to Celery once the change has committed. What the broker could not take then (it
was down) stays waiting, and is relayed by the next write's relay or by beat's
relay_outbox; so a committed change is never reported as failed for want of a broker, and
what it asked for is never lost. A relay that dies between sending a task and deleting its
row sends it again later: every task sent this way is idempotent."""

import logging
from datetime import timedelta

from celery import current_app
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from outbox.models import QueuedTask

log = logging.getLogger(__name__)

# Rows a relay takes at a time; a relay after an outage goes on until none are left.
BATCH = 200
# A claim older than this is a relay that died while sending: the row is taken again.
CLAIM_EXPIRES = timedelta(minutes=5)
# A task that failed this often when run in-process is left, with its error, for an operator.
MAX_ATTEMPTS = 8


def enqueue(task, *args) -> None:
    """Ask for `task(*args)` once the current transaction commits; if it rolls back, nothing
    is asked. Without a transaction the row is committed, and relayed, at once."""
    QueuedTask.objects.create(task=task.name, args=list(args))
    # Robust: whatever goes wrong in relaying, the change is committed and the row waits.
    transaction.on_commit(relay, robust=True)


def relay(limit: int = BATCH) -> int:
    """Send up to `limit` waiting tasks to Celery, oldest first, and return how many it took.
    Stops at the first the broker refuses. Where tasks run in-process (no broker), sending
    one runs it: one that fails is kept, and counted, for a later relay."""
    in_process = current_app.conf.task_always_eager
    sent = 0
    for row in _waiting()[:limit]:
        if not _claim(row):
            continue  # another relay has it
        task = current_app.tasks.get(row.task)
        try:
            if task is None:
                raise LookupError(f"no task is named {row.task!r}")
            task.apply_async(row.args, retry=False)
        except Exception as error:
            if not in_process and task is not None:
                QueuedTask.objects.filter(pk=row.pk).update(claimed_at=None)
                log.warning("The broker is unreachable; %s tasks wait to be relayed: %s", _waiting().count(), error)
                break
            QueuedTask.objects.filter(pk=row.pk).update(
                claimed_at=None, attempts=F("attempts") + 1, last_error=f"{type(error).__name__}: {error}"[:2000]
            )
            log.exception("Task %s failed; it is kept in the outbox to be tried again", row)
            continue
        row.delete()
        sent += 1
    return sent


def _waiting():
    """The rows no live relay holds: unclaimed, or claimed by one that has since died."""
    return QueuedTask.objects.filter(attempts__lt=MAX_ATTEMPTS).filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=timezone.now() - CLAIM_EXPIRES)
    )


def _claim(row: QueuedTask) -> bool:
    """Take one row for this relay, stamped with the time it was taken: a relay working
    through a long batch (tasks run in-process) holds each row from when it reached it."""
    return bool(_waiting().filter(pk=row.pk).update(claimed_at=timezone.now()))


def relay_all() -> int:
    """Relay until nothing is waiting or the broker refuses; returns how many were sent."""
    sent = 0
    while taken := relay():
        sent += taken
        if taken < BATCH:
            break
    return sent
