import django_filters
from django.db.models import Q

from principles.choices import ProvisionKind, RevisionState
from principles.models import Provision, Revision


class ProvisionFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=ProvisionKind.choices)
    q = django_filters.CharFilter(method="search", label="Code or wording contains")

    class Meta:
        model = Provision
        fields = ["kind", "q"]

    def search(self, queryset, name, value):
        # Only wording the reader may see: a draft's changes must not be found through here.
        visible = Revision.objects.visible_to(self.request.user)
        words = Q(texts__title__icontains=value) | Q(texts__body__icontains=value)
        return queryset.filter(Q(code__iexact=value) | (words & Q(texts__revision__in=visible))).distinct()


class RevisionFilterSet(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=RevisionState.choices)

    class Meta:
        model = Revision
        fields = ["state"]
