from rest_framework import viewsets

from audit import readers
from audit.api.serializers import AuditEventSerializer
from audit.filtersets import AuditEventFilterSet
from audit.models import AuditEvent


class AuditEventViewSet(viewsets.ReadOnlyModelViewSet):
    """The audit log, newest first. Admins and oversight only, each shown only the entries
    about records they may see."""

    lookup_value_regex = r"[0-9]+"

    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilterSet

    def get_queryset(self):
        return readers.readable_by(self.request.user, AuditEvent.objects.order_by("-id"))
