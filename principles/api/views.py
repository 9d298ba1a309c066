from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from audit.denials import get_visible_or_404
from core import versions
from principles import services
from principles.api import serializers
from principles.diff import revision_diff
from principles.filtersets import ProvisionFilterSet, RevisionFilterSet
from principles.models import CODE_PATTERN, Provision, ProvisionText, Revision


class ProvisionViewSet(viewsets.ReadOnlyModelViewSet):
    """The framework's provisions, each with its wording in the revision in force."""

    serializer_class = serializers.ProvisionSerializer
    filterset_class = ProvisionFilterSet
    lookup_field = "code"
    lookup_value_regex = CODE_PATTERN

    def get_queryset(self):
        return Provision.objects.visible_to(self.request.user)

    def get_serializer_context(self):
        current = Revision.objects.in_force()
        return {**super().get_serializer_context(), "current_texts": current.texts_by_code() if current else {}}


class RevisionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Revisions of the framework, newest first. Drafts are visible to admins and oversight."""

    serializer_class = serializers.RevisionSerializer
    filterset_class = RevisionFilterSet
    lookup_field = "number"
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        revisions = Revision.objects.visible_to(self.request.user).select_related("created_by", "published_by")
        if self.action == "retrieve":
            texts = ProvisionText.objects.select_related("provision")
            revisions = revisions.prefetch_related(Prefetch("texts", queryset=texts))
        return revisions

    def get_object(self):
        return get_visible_or_404(self.request, self.get_queryset(), number=self.kwargs["number"])

    def get_serializer_class(self):
        return serializers.RevisionDetailSerializer if self.action == "retrieve" else super().get_serializer_class()

    @extend_schema(request=serializers.RevisionDraftSerializer, responses={201: serializers.RevisionDetailSerializer})
    def create(self, request):
        """Draft the next revision as a copy of the one in force."""
        data = serializers.RevisionDraftSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        draft = services.revision_draft(by=request.user, **data.validated_data)
        return Response(serializers.RevisionDetailSerializer(draft).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=serializers.RevisionUpdateSerializer, responses=serializers.RevisionDetailSerializer)
    def partial_update(self, request, number):
        """Change a draft's summary (with If-Match, only if it is still as the ETag says)."""
        data = serializers.RevisionUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        revision = self.get_object()
        summary = data.validated_data.get("change_summary", revision.change_summary)
        revision = services.revision_update(
            revision=revision, by=request.user, change_summary=summary, version=versions.if_match(request)
        )
        etag = versions.etag(services.summary_snapshot(revision))
        return Response(serializers.RevisionDetailSerializer(revision).data, headers={"ETag": etag})

    def retrieve(self, request, number):
        revision = self.get_object()
        etag = versions.etag(services.summary_snapshot(revision))
        return Response(serializers.RevisionDetailSerializer(revision).data, headers={"ETag": etag})

    @extend_schema(responses={204: None})
    def destroy(self, request, number):
        """Discard a draft."""
        services.revision_discard(revision=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(parameters=[serializers.DiffQuerySerializer], responses=serializers.RevisionDiffSerializer)
    @action(detail=True, methods=["get"])
    def diff(self, request, number):
        """Provision by provision, how this revision differs from another."""
        revision = self.get_object()
        query = serializers.DiffQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        visible = self.get_queryset()
        if "from" in query.validated_data:
            other = get_visible_or_404(request, visible, number=query.validated_data["from"])
        else:
            other = visible.filter(number__lt=revision.number).order_by("-number").first()
        changes = revision_diff(other, revision)
        payload = {"from_revision": other.number if other else None, "to_revision": revision.number, "changes": changes}
        return Response(serializers.RevisionDiffSerializer(payload).data)

    @extend_schema(request=serializers.PublishSerializer, responses=serializers.RevisionDetailSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, number):
        """Put a draft in force; the revision in force becomes superseded."""
        data = serializers.PublishSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        revision = services.revision_publish(revision=self.get_object(), by=request.user, **data.validated_data)
        return Response(serializers.RevisionDetailSerializer(revision).data)

    @extend_schema(
        methods=["PUT"], request=serializers.ProvisionTextInputSerializer, responses=serializers.ProvisionTextSerializer
    )
    @extend_schema(methods=["DELETE"], responses={204: None})
    @action(
        detail=True, methods=["put", "delete"], url_path=f"provisions/(?P<code>{CODE_PATTERN})", url_name="provision"
    )
    def provision(self, request, number, code):
        """Set a provision's wording in a draft (a new code adds a provision), or retire it.
        With If-Match (the text's `version`), only if the wording is still as it says."""
        revision = self.get_object()
        if request.method == "DELETE":
            services.revision_retire_provision(revision=revision, code=code, by=request.user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        data = serializers.ProvisionTextInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        text = services.revision_set_text(
            revision=revision, code=code, by=request.user, version=versions.if_match(request), **data.validated_data
        )
        return Response(
            serializers.ProvisionTextSerializer(text).data, headers={"ETag": f'"{services.text_version(text)}"'}
        )
