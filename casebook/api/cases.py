"""The case records' API: partners and cases. Need-to-know applies as on the pages."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from audit.denials import refusal_on_record
from casebook.api.serializers import CaseSerializer, PartnerSerializer, TagInputSerializer, TagSerializer
from casebook.filtersets import CaseFilterSet, PartnerFilterSet
from casebook.models import Case, Partner
from casebook.services import case_file, case_set_tags, case_update, partner_save
from casebook.shortcuts import get_case_or_404


class PartnerViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Agencies and governments. Admins add and change them."""

    lookup_value_regex = r"[0-9]+"

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


class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Cases the caller may see. A restricted case is absent for anyone not cleared for it."""

    lookup_value_regex = r"[0-9]+"

    serializer_class = CaseSerializer
    filterset_class = CaseFilterSet

    def get_queryset(self):
        return (
            Case.objects.visible_to(self.request.user)
            .select_related("partner", "filed_by")
            .prefetch_related("data", "safeguards", "access_list")
        )

    def get_object(self):
        case = get_case_or_404(self.request, self.kwargs["pk"], queryset=self.get_queryset())
        if self.action in ("partial_update", "tags") and self.request.method not in SAFE_METHODS:
            with refusal_on_record(self.request):
                case.check_filed_by(self.request.user)
        return case

    def perform_create(self, serializer):
        serializer.instance = case_file(by=self.request.user, facts=serializer.facts())

    def partial_update(self, request, pk):
        """Correct a case's facts while it is still under review (its filer only)."""
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        case = case_update(case=serializer.instance, by=request.user, facts=serializer.facts())
        return Response(self.get_serializer(case).data)

    @extend_schema(methods=["GET"], responses=TagSerializer(many=True))
    @extend_schema(methods=["PUT"], request=TagInputSerializer(many=True), responses=TagSerializer(many=True))
    @action(detail=True, methods=["get", "put"])
    def tags(self, request, pk):
        """The case's tags against the framework; PUT replaces them all."""
        case = self.get_object()
        if request.method == "PUT":
            data = TagInputSerializer(data=request.data, many=True)
            data.is_valid(raise_exception=True)
            case_set_tags(case=case, by=request.user, tags=data.validated_data)
        tags = case.tags.select_related("provision", "provision_text__revision")
        return Response(TagSerializer(tags, many=True).data)
