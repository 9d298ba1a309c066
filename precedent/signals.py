"""How precedent follows the records it is derived from. Each receiver runs inside the
sender's transaction."""

from precedent import search, services


def index_case(sender, case, **kwargs):
    search.index_case(case)


def queue_impact(sender, revision, changed, **kwargs):
    services.impact_queue_build(revision=revision, changed=changed)
