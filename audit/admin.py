from django.contrib import admin

from audit import readers
from audit.models import AuditEvent
from core.admin import ReadOnlyAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["id", "at", "actor_username", "action", "object_repr"]
    list_filter = ["action"]
    search_fields = ["object_repr", "actor_username", "request_id"]

    def get_queryset(self, request):
        return readers.readable_by(request.user, super().get_queryset(request))
