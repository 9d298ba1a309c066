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
from casebook.services import (
    case_file,
    case_set_tags,
    case_snapshot,
    case_update,
    cases_record_shown,
    partner_save,
    partner_snapshot,
    tags_snapshot,
)
from casebook.shortcuts import get_case_or_404
from core import versions
from core.actions import WHOLE_LIST

# Who may see a case is changed only by someone who has read the list as it is now.
ACCESS_FIELDS = {"restricted", "access_list"}


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

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = versions.etag(partner_snapshot(self.get_object()))
        return response

    def perform_update(self, serializer):
        serializer.instance = partner_save(
            partner=serializer.instance,
            facts=serializer.validated_data,
            by=self.request.user,
            version=versions.if_match(self.request),
        )

    def update(self, request, *args, **kwargs):
        response = super().update(request, *args, **kwargs)
        response["ETag"] = versions.etag(partner_snapshot(self.get_object()))
        return response


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

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        shown = [case["id"] for case in response.data["results"]]
        cases_record_shown(case_ids=shown, by=request.user, via="the API's case list")
        return response

    def retrieve(self, request, pk):
        case = self.get_object()
        return Response(self.get_serializer(case).data, headers={"ETag": versions.etag(case_snapshot(case))})

    def partial_update(self, request, pk):
        """Correct a case's facts while it is still under review (its filer only). With
        If-Match, only if the case is still as the ETag says; a change to who may see it
        needs one (428 without)."""
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        version = versions.if_match(request, required=bool(ACCESS_FIELDS & set(serializer.validated_data)))
        case = case_update(case=serializer.instance, by=request.user, facts=serializer.facts(), version=version)
        return Response(self.get_serializer(case).data, headers={"ETag": versions.etag(case_snapshot(case))})

    @extend_schema(methods=["GET"], responses=TagSerializer(many=True))
    @extend_schema(methods=["PUT"], request=TagInputSerializer(many=True), responses=TagSerializer(many=True))
    @action(detail=True, **WHOLE_LIST, methods=["get", "put"])
    def tags(self, request, pk):
        """The case's tags against the framework; PUT replaces them all (with If-Match, only
        if they are still as the ETag says)."""
        case = self.get_object()
        if request.method == "PUT":
            data = TagInputSerializer(data=request.data, many=True)
            data.is_valid(raise_exception=True)
            case_set_tags(case=case, by=request.user, tags=data.validated_data, version=versions.if_match(request))
        tags = case.tags.select_related("provision", "provision_text__revision")
        return Response(TagSerializer(tags, many=True).data, headers={"ETag": versions.etag(tags_snapshot(case))})
