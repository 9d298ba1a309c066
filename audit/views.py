from django.core.paginator import Paginator
from django.shortcuts import render

from audit import readers
from audit.filtersets import AuditEventFilterSet
from audit.models import AuditEvent


def audit_log(request):
    filterset = AuditEventFilterSet(
        request.GET or None, queryset=readers.readable_by(request.user, AuditEvent.objects.order_by("-id"))
    )
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    return render(request, "audit/audit_log.html", {"filterset": filterset, "page": page})
