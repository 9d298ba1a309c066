from collections import defaultdict

from django.core.paginator import Paginator
from django.shortcuts import render

from audit import log as audit
from audit import readers
from audit.filtersets import AuditEventFilterSet
from audit.models import AuditEvent


def audit_log(request):
    filterset = AuditEventFilterSet(
        request.GET or None, queryset=readers.readable_by(request.user, AuditEvent.objects.order_by("-id"))
    )
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    return render(request, "audit/audit_log.html", {"filterset": filterset, "page": page, "links": links(page)})


def links(events) -> dict[int, str]:
    """Each entry's object's page, where it has one and still exists (one query a kind of
    object). The page decides again whether the reader may see it."""
    by_type = defaultdict(set)
    for event in events:
        if event.object_type and event.object_id.isdigit():
            by_type[event.object_type].add(int(event.object_id))
    urls = {}
    for name, ids in by_type.items():
        model = audit.model_named(name)
        if model is not None and hasattr(model, "get_absolute_url"):
            urls |= {
                (name, str(pk)): record.get_absolute_url() for pk, record in model._default_manager.in_bulk(ids).items()
            }
    return {event.pk: urls[key] for event in events if (key := (event.object_type, event.object_id)) in urls}
