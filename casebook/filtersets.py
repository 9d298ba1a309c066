import django_filters
from django import forms
from django.db.models import Q

from casebook.choices import Architecture, CaseStatus, DataCategory, MissionArea, Outcome, PartnerKind, Stance
from casebook.citator import Flag
from casebook.models import Case, ImpactItem, Partner, SearchEntry


def tagged(cleaned_data: dict):
    """The cases with one tag matching both the provision and the stance asked for (either
    may be blank), so that the two filters apply together."""
    tag = Q()
    if cleaned_data.get("provision"):
        tag &= Q(tags__provision__code=cleaned_data["provision"])
    if cleaned_data.get("stance"):
        tag &= Q(tags__stance=cleaned_data["stance"])
    return Case.objects.filter(tag).values("pk")


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
