from rest_framework import viewsets

from audit.api.serializers import AuditEventSerializer
from audit.filtersets import AuditEventFilterSet
from audit.models import AuditEvent


class AuditEventViewSet(viewsets.ReadOnlyModelViewSet):
    """The audit log, newest first. Admins and oversight only."""

    lookup_value_regex = r"[0-9]+"

    queryset = AuditEvent.objects.order_by("-id")
    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilterSet
