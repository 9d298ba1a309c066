import django_filters

from audit.models import AuditEvent
from core.filters import UtcDateTimeFilter


class AuditEventFilterSet(django_filters.FilterSet):
    action = django_filters.CharFilter(lookup_expr="startswith", label="Action starts with")
    actor = django_filters.CharFilter(field_name="actor_username", label="Actor")
    object_type = django_filters.CharFilter(label="Kind of object", help_text="As the log names it: casebook.case")
    object_id = django_filters.CharFilter(label="Object id")
    since = UtcDateTimeFilter(field_name="at", lookup_expr="gte", label="From (UTC)")
    until = UtcDateTimeFilter(field_name="at", lookup_expr="lt", label="Before (UTC)")

    class Meta:
        model = AuditEvent
        fields = ["action", "actor", "object_type", "object_id", "since", "until"]
