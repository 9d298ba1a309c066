import django_filters
from django.db.models import Q

from casebook.choices import Architecture, CaseStatus, DataCategory, MissionArea, Outcome, PartnerKind, Stance
from casebook.models import Case, Partner, in_force


def tagged_cases(cleaned_data: dict):
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
        return queryset.filter(in_force(via="decisions"), decisions__outcome=value)

    def by_tag(self, queryset, name, value):
        return queryset.filter(pk__in=tagged_cases(self.form.cleaned_data))


class PartnerFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=PartnerKind.choices)
    country = django_filters.CharFilter(lookup_expr="iexact")

    class Meta:
        model = Partner
        fields = ["kind", "country"]
