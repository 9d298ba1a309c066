import datetime

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Q
from django_filters.fields import IsoDateTimeField

from casebook.choices import Architecture, CaseStatus, DataCategory, MissionArea, Outcome, PartnerKind, Stance
from casebook.models import AuditEvent, Case, Partner


class UtcDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time converted to UTC before it reaches the database: PostgreSQL
    refuses offsets beyond ±15:59, which ISO 8601 (and Python) allow."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        try:
            return value.astimezone(datetime.UTC)
        except OverflowError:
            raise ValidationError("That date and time is out of range.", code="invalid") from None


class UtcDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcDateTimeField


class AuditEventFilterSet(django_filters.FilterSet):
    action = django_filters.CharFilter(lookup_expr="startswith", label="Action starts with")
    actor = django_filters.CharFilter(field_name="actor_username", label="Actor")
    object_type = django_filters.CharFilter()
    object_id = django_filters.CharFilter()
    since = UtcDateTimeFilter(field_name="at", lookup_expr="gte")
    until = UtcDateTimeFilter(field_name="at", lookup_expr="lt")

    class Meta:
        model = AuditEvent
        fields = ["action", "actor", "object_type", "object_id", "since", "until"]


class CaseFilterSet(django_filters.FilterSet):
    """Shared by the case list page and GET /api/cases/."""

    q = django_filters.CharFilter(method="search", label="Docket or title contains")
    partner = django_filters.ModelChoiceFilter(queryset=Partner.objects.all())
    mission_area = django_filters.ChoiceFilter(choices=MissionArea.choices)
    architecture = django_filters.ChoiceFilter(choices=Architecture.choices)
    data = django_filters.ChoiceFilter(field_name="data__category", choices=DataCategory.choices, label="Data involved")
    status = django_filters.ChoiceFilter(choices=CaseStatus.choices)
    outcome = django_filters.ChoiceFilter(
        choices=Outcome.choices, method="by_outcome", label="Outcome of the decision in force"
    )
    provision = django_filters.CharFilter(method="by_tag", label="Tagged on provision (code)", max_length=12)
    stance = django_filters.ChoiceFilter(choices=Stance.choices, method="by_tag", label="With stance")
    submitted_after = django_filters.DateFilter(
        field_name="submitted_at", lookup_expr="date__gte", label="Submitted on or after"
    )
    submitted_before = django_filters.DateFilter(
        field_name="submitted_at", lookup_expr="date__lte", label="Submitted on or before"
    )

    class Meta:
        model = Case
        fields = [
            "q",
            "partner",
            "mission_area",
            "architecture",
            "data",
            "status",
            "outcome",
            "provision",
            "stance",
            "submitted_after",
            "submitted_before",
        ]

    def search(self, queryset, name, value):
        return queryset.filter(Q(docket__icontains=value) | Q(title__icontains=value))

    def by_outcome(self, queryset, name, value):
        # The decision in force: a superseded one no longer says how the case stands.
        return queryset.filter(decisions__outcome=value, decisions__superseded_by__isnull=True)

    def by_tag(self, queryset, name, value):
        # Provision and stance must match one and the same tag, so both filters apply together.
        code, stance = self.form.cleaned_data.get("provision"), self.form.cleaned_data.get("stance")
        tag = Q()
        if code:
            tag &= Q(tags__provision__code=code)
        if stance:
            tag &= Q(tags__stance=stance)
        return queryset.filter(pk__in=Case.objects.filter(tag).values("pk"))


class PartnerFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=PartnerKind.choices)
    country = django_filters.CharFilter(lookup_expr="iexact")

    class Meta:
        model = Partner
        fields = ["kind", "country"]
