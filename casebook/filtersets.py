import datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django_filters.fields import IsoDateTimeField

from casebook.choices import Architecture, CaseStatus, DataCategory, MissionArea, Outcome, PartnerKind, Stance
from casebook.citator import Flag
from casebook.models import AuditEvent, Case, ImpactItem, Partner, SearchEntry


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


def tagged(cleaned_data: dict):
    """The cases with one tag matching both the provision and the stance asked for (either
    may be blank), so that the two filters apply together."""
    tag = Q()
    if cleaned_data.get("provision"):
        tag &= Q(tags__provision__code=cleaned_data["provision"])
    if cleaned_data.get("stance"):
        tag &= Q(tags__stance=cleaned_data["stance"])
    return Case.objects.filter(tag).values("pk")


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
        return queryset.filter(pk__in=tagged(self.form.cleaned_data))


class SearchFilterSet(django_filters.FilterSet):
    """Shared by the search page and GET /api/search/. `q` is the engine's; the rest narrow
    the entries it searches (and so the facets it counts)."""

    q = django_filters.CharFilter(method="engine", label="Search", max_length=500)
    as_of = django_filters.DateFilter(
        field_name="issued_at",
        lookup_expr="date__lte",
        label="As of",
        help_text="Decisions as they stood on this day.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    outcome = django_filters.ChoiceFilter(choices=Outcome.choices)
    provision = django_filters.CharFilter(method="by_tag", label="Tagged on provision (code)", max_length=12)
    stance = django_filters.ChoiceFilter(choices=Stance.choices, method="by_tag", label="With stance")
    partner = django_filters.ModelChoiceFilter(queryset=Partner.objects.all())
    country = django_filters.CharFilter(lookup_expr="iexact", max_length=100)
    mission_area = django_filters.ChoiceFilter(choices=MissionArea.choices)
    architecture = django_filters.ChoiceFilter(choices=Architecture.choices)
    data = django_filters.ChoiceFilter(
        field_name="case__data__category", choices=DataCategory.choices, label="Data involved"
    )
    precedent = django_filters.ChoiceFilter(choices=Flag.choices, label="Precedent status")
    decided_after = django_filters.DateFilter(
        field_name="issued_at", lookup_expr="date__gte", label="Decided on or after"
    )
    decided_before = django_filters.DateFilter(
        field_name="issued_at", lookup_expr="date__lte", label="Decided on or before"
    )

    class Meta:
        model = SearchEntry
        fields = [
            "q",
            "as_of",
            "outcome",
            "provision",
            "stance",
            "partner",
            "country",
            "mission_area",
            "architecture",
            "data",
            "precedent",
            "decided_after",
            "decided_before",
        ]

    def engine(self, queryset, name, value):
        return queryset  # the search engine applies the words itself

    def by_tag(self, queryset, name, value):
        return queryset.filter(case__in=tagged(self.form.cleaned_data))


class PartnerFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=PartnerKind.choices)
    country = django_filters.CharFilter(lookup_expr="iexact")

    class Meta:
        model = Partner
        fields = ["kind", "country"]


class ImpactFilterSet(django_filters.FilterSet):
    """Shared by the impact queue page and GET /api/impact/."""

    revision = django_filters.NumberFilter(field_name="revision__number", label="Revision")
    reviewed = django_filters.BooleanFilter(
        field_name="reviewed_at", lookup_expr="isnull", exclude=True, label="Re-examined"
    )

    class Meta:
        model = ImpactItem
        fields = ["revision", "reviewed"]
