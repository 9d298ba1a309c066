import datetime

import django_filters
from django import forms
from django.http import QueryDict

from casebook.choices import Architecture, DataCategory, MissionArea, Outcome, Stance
from casebook.filtersets import tagged_cases
from casebook.models import Partner
from precedent.citator import Flag
from precedent.models import ImpactItem, SearchEntry
from principles.choices import RevisionState
from principles.models import Revision


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

    def described(self) -> list[tuple[str, str]]:
        """Each filter in use, in words ("Outcome: Declined"), with its name in the query."""
        if not self.is_valid():
            return []
        found = []
        for name, value in self.form.cleaned_data.items():
            if value in (None, ""):
                continue
            field = self.form.fields[name]
            if name == "q":
                found.append((f"Words: “{value}”", name))
                continue
            if isinstance(value, datetime.date):
                shown = f"{value:%-d %B %Y}"
            elif hasattr(field, "choices") and not hasattr(value, "pk"):
                shown = dict(field.choices).get(value, value)
            else:
                shown = value
            found.append((f"{field.label}: {shown}", name))
        return found

    def by_tag(self, queryset, name, value):
        return queryset.filter(case__in=tagged_cases(self.form.cleaned_data))


def describe(query: str) -> str:
    """A saved search's query string as a reader would say it."""
    return "; ".join(text for text, _ in SearchFilterSet(QueryDict(query)).described()) or "Every decision"


class ImpactFilterSet(django_filters.FilterSet):
    """Shared by the impact queue page and GET /api/impact/."""

    revision = django_filters.ModelChoiceFilter(
        queryset=Revision.objects.exclude(state=RevisionState.DRAFT).order_by("-number"),
        to_field_name="number",
        empty_label="Every revision",
        label="Revision",
    )
    reviewed = django_filters.ChoiceFilter(
        choices=[("false", "To re-examine"), ("true", "Re-examined")],
        empty_label="All",
        method="by_reviewed",
        label="Show",
    )

    class Meta:
        model = ImpactItem
        fields = ["revision", "reviewed"]

    def by_reviewed(self, queryset, name, value):
        return queryset.filter(reviewed_at__isnull=value == "false")
