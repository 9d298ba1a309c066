"""The case records' API: partners and cases. Need-to-know applies as on the pages."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from casebook.access import get_visible_or_404, record_denial
from casebook.choices import DataCategory
from casebook.filtersets import CaseFilterSet, PartnerFilterSet
from casebook.models import Case, Partner, User
from casebook.services import case_file, case_record_read, case_submit, case_update, partner_save
from principles.models import Provision


class PartnerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Partner
        fields = ["id", "name", "kind", "country", "eligibility_notes", "created_at"]
        read_only_fields = ["created_at"]


class CaseSerializer(serializers.ModelSerializer):
    partner = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.all())
    data_involved = serializers.ListField(
        child=serializers.ChoiceField(choices=DataCategory.choices),
        source="data_categories",
        required=False,
        max_length=len(DataCategory.choices),
    )
    safeguards = serializers.SlugRelatedField(
        slug_field="code", many=True, required=False, queryset=Provision.objects.filter(kind="safeguard")
    )
    access_list = serializers.SlugRelatedField(
        slug_field="username", many=True, required=False, queryset=User.objects.filter(is_active=True)
    )
    filed_by = serializers.CharField(source="filed_by.username", read_only=True)
    proposed_use = serializers.CharField(max_length=20000)

    class Meta:
        model = Case
        fields = [
            "id",
            "docket",
            "title",
            "partner",
            "mission_area",
            "proposed_use",
            "architecture",
            "data_involved",
            "human_judgment",
            "force_proximity",
            "safeguards",
            "restricted",
            "access_list",
            "status",
            "filed_by",
            "created_at",
            "updated_at",
            "submitted_at",
        ]
        read_only_fields = ["docket", "status", "created_at", "updated_at", "submitted_at"]

    def facts(self) -> dict:
        facts = dict(self.validated_data)
        if "data_categories" in facts:
            facts["data_involved"] = facts.pop("data_categories")
        return facts


class PartnerViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Agencies and governments. Admins add and change them."""

    queryset = Partner.objects.all()
    serializer_class = PartnerSerializer
    filterset_class = PartnerFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]

    def perform_create(self, serializer):
        serializer.instance = partner_save(partner=Partner(), facts=serializer.validated_data, by=self.request.user)

    def perform_update(self, serializer):
        serializer.instance = partner_save(
            partner=serializer.instance, facts=serializer.validated_data, by=self.request.user
        )


class CaseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Cases the caller may see. A restricted case is absent for anyone not cleared for it."""

    serializer_class = CaseSerializer
    filterset_class = CaseFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return (
            Case.objects.visible_to(self.request.user)
            .select_related("partner", "filed_by")
            .prefetch_related("data", "safeguards", "access_list")
        )

    def get_object(self):
        case = get_visible_or_404(self.request, self.get_queryset(), pk=self.kwargs["pk"])
        case_record_read(case=case, by=self.request.user)
        user = self.request.user
        if self.request.method not in ("GET", "HEAD", "OPTIONS") and not case.is_filer(user):
            record_denial(self.request, self.request.resolver_match.view_name)
            self.permission_denied(self.request, message="Only the case's filer may change it.")
        return case

    def perform_create(self, serializer):
        serializer.instance = case_file(by=self.request.user, facts=serializer.facts())

    def perform_update(self, serializer):
        serializer.instance = case_update(case=serializer.instance, by=self.request.user, facts=serializer.facts())

    @extend_schema(request=None, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk):
        """Submit a draft for review; it receives its docket number."""
        case = case_submit(case=self.get_object(), by=request.user)
        return Response(CaseSerializer(case).data, status=status.HTTP_200_OK)
