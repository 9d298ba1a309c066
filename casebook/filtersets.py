import django_filters

from casebook.models import AuditEvent


class AuditEventFilterSet(django_filters.FilterSet):
    action = django_filters.CharFilter(lookup_expr="startswith", label="Action starts with")
    actor = django_filters.CharFilter(field_name="actor_username", label="Actor")
    object_type = django_filters.CharFilter()
    object_id = django_filters.CharFilter()
    since = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="gte")
    until = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="lt")

    class Meta:
        model = AuditEvent
        fields = ["action", "actor", "object_type", "object_id", "since", "until"]
