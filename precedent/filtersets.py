import datetime

import django_filters
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.http import QueryDict

from casebook.choices import STANCES_BY_KIND, Architecture, DataCategory, MissionArea, Outcome, Stance
from casebook.filtersets import tagged_cases
from casebook.models import Partner
from precedent.citator import Flag
from precedent.models import ImpactItem, SearchEntry
from principles.choices import RevisionState
from principles.models import Provision, Revision

SORTS = [("relevance", "Best match"), ("newest", "Newest first"), ("cited", "Most cited")]
# The days the engine's dates can hold, with room either side: a date past them is a mistake.
DAYS = [MinValueValidator(datetime.date(1900, 1, 1)), MaxValueValidator(datetime.date(2200, 12, 31))]


def tag_choices() -> list[tuple[str, str]]:
    """Every provision ever published, alone ("RL-1": any stance) and with each of its
    stances ("RL-1 crossed")."""
    choices = []
    published = Provision.objects.filter(texts__revision__state__in=[RevisionState.PUBLISHED, RevisionState.SUPERSEDED])
    for code, kind in published.distinct().order_by("position").values_list("code", "kind"):
        choices.append((code, f"{code}, any stance"))
        choices += [(f"{code} {stance}", f"{code} {Stance(stance).label.lower()}") for stance in STANCES_BY_KIND[kind]]
    return choices


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
        validators=DAYS,
    )
    outcome = django_filters.ChoiceFilter(choices=Outcome.choices)
    sort = django_filters.ChoiceFilter(
        choices=SORTS,
        method="engine",
        empty_label=None,
        label="Sort by",
        widget=forms.HiddenInput,  # chosen by the links above the results
    )
    tag = django_filters.MultipleChoiceFilter(
        choices=tag_choices,
        method="by_tags",
        label="Tagged",
        widget=forms.MultipleHiddenInput,  # added by the facets, removed by the chips
        help_text="Each of these: a provision with a stance, or a provision with any.",
    )
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
        field_name="issued_at", lookup_expr="date__gte", label="Decided on or after", validators=DAYS
    )
    decided_before = django_filters.DateFilter(
        field_name="issued_at", lookup_expr="date__lte", label="Decided on or before", validators=DAYS
    )

    class Meta:
        model = SearchEntry
        fields = [
            "q",
            "as_of",
            "sort",
            "tag",
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

    def described(self) -> list[tuple[str, str, str]]:
        """Each filter in use, in words ("Outcome: Declined"), with its name and value in the
        query (a filter of several values, each apart). Not the order of the results."""
        if not self.is_valid():
            return []
        found = []
        for name, value in self.form.cleaned_data.items():
            if value in (None, "", []) or name == "sort":
                continue
            field = self.form.fields[name]
            if isinstance(value, list):
                found += [(f"{field.label}: {dict(field.choices).get(v, v)}", name, v) for v in value]
                continue
            if name == "q":
                text = f"Words: “{value}”"
            elif isinstance(value, datetime.date):
                text = f"{field.label}: {value:%-d %B %Y}"
            elif hasattr(value, "pk"):
                text = f"{field.label}: {value}"
            else:
                text = f"{field.label}: {dict(getattr(field, 'choices', [])).get(value, value)}"
            found.append((text, name, self.form.data.get(name, "")))
        return found

    def by_tags(self, queryset, name, value):
        for tag in value:
            code, _, stance = tag.partition(" ")
            queryset = queryset.filter(case__in=tagged_cases({"provision": code, "stance": stance}))
        return queryset

    def by_tag(self, queryset, name, value):
        return queryset.filter(case__in=tagged_cases(self.form.cleaned_data))


def describe(query: str) -> str:
    """A saved search's query string as a reader would say it."""
    return "; ".join(text for text, _, _ in SearchFilterSet(QueryDict(query)).described()) or "Every decision"


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
