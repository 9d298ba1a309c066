from django.contrib import admin

from core.admin import ReadOnlyAdmin
from outbox.models import QueuedTask


@admin.register(QueuedTask)
class QueuedTaskAdmin(ReadOnlyAdmin):
    list_display = ["id", "task", "args", "created_at", "attempts", "last_error"]
    list_filter = ["task"]
