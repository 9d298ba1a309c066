from django.contrib import admin

from core.admin import ReadOnlyAdmin
from principles.models import Provision, ProvisionText, Revision


class ProvisionTextInline(admin.TabularInline):
    model = ProvisionText
    fields = ["provision", "title"]
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Revision)
class RevisionAdmin(ReadOnlyAdmin):
    list_display = ["number", "state", "effective_date", "published_by"]
    list_filter = ["state"]
    inlines = [ProvisionTextInline]


@admin.register(Provision)
class ProvisionAdmin(ReadOnlyAdmin):
    list_display = ["code", "kind", "source"]
    list_filter = ["kind"]
    search_fields = ["code", "texts__title"]
