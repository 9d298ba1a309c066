from celery import shared_task
from celery.signals import worker_ready

from outbox.services import relay_all


@shared_task(name="outbox.tasks.relay_outbox", ignore_result=True)
def relay_outbox() -> int:
    """Scheduled by beat: send on what the broker could not take when it was asked
    (outbox.services)."""
    return relay_all()


@worker_ready.connect
def relay_on_start(**kwargs):
    # A worker that starts after an outage sends on the backlog at once, not at beat's next tick.
    relay_all()
