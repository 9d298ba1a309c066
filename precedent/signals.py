"""How precedent follows the records it is derived from. Each receiver runs inside the
sender's transaction."""

from outbox.services import enqueue
from precedent import search, services, tasks


def index_case(sender, case, **kwargs):
    search.index_case(case)
    if search.embeds():
        enqueue(tasks.embed_case, case.pk)


def feed_deletion(sender, instance, **kwargs):
    # Its entries went with it (a cascade): the engine hears of it through the feed.
    search.forget_case(instance.pk)


def queue_impact(sender, revision, changed, **kwargs):
    services.impact_queue_build(revision=revision, changed=changed)
