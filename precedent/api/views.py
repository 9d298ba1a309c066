"""The precedent API: search, similar past decisions, saved searches, the revision impact
queue and citation graphs."""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.denials import get_visible_or_404, refusal_on_record
from casebook.models import Case, Decision
from casebook.services import cases_record_shown, tag_suggestion_judge
from casebook.shortcuts import get_case_or_404
from core.actions import WHOLE_LIST
from precedent import search
from precedent.api.serializers import (
    AsOfSerializer,
    CaseLawSerializer,
    DigestSerializer,
    DraftSerializer,
    GraphAskedSerializer,
    GraphSerializer,
    ImpactItemSerializer,
    ImpactReviewSerializer,
    MonthSerializer,
    NotSimilarSerializer,
    PageSerializer,
    SavedSearchSerializer,
    SearchPageSerializer,
    SimilaritySerializer,
    SimilarLimitSerializer,
    TagSuggestionSerializer,
    TagVerdictInputSerializer,
    TagVerdictSerializer,
)
from precedent.case_law import case_law
from precedent.digest import digest
from precedent.filtersets import ImpactFilterSet, SearchFilterSet
from precedent.graph import citation_graph
from precedent.models import ImpactItem, SavedSearch, SearchEntry
from precedent.search import CaseFacts, similar
from precedent.services import (
    digest_subscribe,
    digest_unsubscribe,
    impact_item_review,
    saved_search_delete,
    saved_search_save,
    similarity_mark,
)
from precedent.suggestions import suggest_tags
from principles.models import Provision


class SearchView(GenericAPIView):
    """Search the precedent: decisions, with their cases, and cases not yet decided, best
    match first, with facet counts. Restricted cases exist only for those cleared for them."""

    queryset = SearchEntry.objects.all()
    filter_backends = [DjangoFilterBackend]
    filterset_class = SearchFilterSet
    serializer_class = SearchPageSerializer
    pagination_class = None

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "page",
                {"type": "integer", "minimum": 1, "maximum": 10_000},
                description="Page of 20 results, from 1 to 10,000 (400 outside that); past the last, none.",
            )
        ]
    )
    def get(self, request):
        filterset = self.filter_backends[0]().get_filterset(request, self.get_queryset(), self)
        paging = PageSerializer(data={"page": request.query_params.get("page", 1)})
        valid = [filterset.is_valid(), paging.is_valid()]
        if not all(valid):
            raise ValidationError({**filterset.errors, **paging.errors})
        found = search.search_with(filterset, user=request.user, page=paging.validated_data["page"])
        shown = [result.entry.case_id for result in found.results]
        cases_record_shown(case_ids=shown, by=request.user, via="the API's precedent search")
        return Response(SearchPageSerializer(found).data)


LIMIT = OpenApiParameter("limit", int, description="How many similar decisions to list, 1 to 50 (8 unless given).")


def _limit(request) -> int:
    asked = SimilarLimitSerializer(data={"limit": request.query_params.get("limit", 8)})
    asked.is_valid(raise_exception=True)
    return asked.validated_data["limit"]


class SimilarDraftView(GenericAPIView):
    """Similar past decisions for a case still being written, from whatever it says so far."""

    serializer_class = DraftSerializer

    @extend_schema(request=DraftSerializer, responses=SimilaritySerializer, parameters=[LIMIT])
    def post(self, request):
        data = DraftSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        found = similar(user=request.user, draft=data.draft(), limit=_limit(request))
        return Response(SimilaritySerializer(found).data)


class SavedSearchViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The caller's saved searches; each alerts them when a newly issued decision matches.
    Saving under a name already used replaces that search."""

    lookup_value_regex = r"[0-9]+"

    serializer_class = SavedSearchSerializer
    queryset = SavedSearch.objects.none()

    def get_queryset(self):
        return SavedSearch.objects.filter(owner=self.request.user)

    def get_object(self):
        return get_visible_or_404(self.request, self.get_queryset(), pk=self.kwargs["pk"])

    def perform_create(self, serializer):
        serializer.instance = saved_search_save(owner=self.request.user, **serializer.validated_data)

    def perform_destroy(self, instance):
        saved_search_delete(saved=instance, by=self.request.user)


class ImpactViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The revision impact queue: decisions in force that relied on provisions a published
    revision changed, for legal to re-examine and mark done."""

    lookup_value_regex = r"[0-9]+"

    serializer_class = ImpactItemSerializer
    filterset_class = ImpactFilterSet
    queryset = ImpactItem.objects.none()

    def get_queryset(self):
        return ImpactItem.objects.visible_to(self.request.user).listed()

    def get_object(self):
        return get_visible_or_404(self.request, self.get_queryset(), pk=self.kwargs["pk"])

    @extend_schema(request=ImpactReviewSerializer, responses=ImpactItemSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        data = ImpactReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = impact_item_review(item=self.get_object(), by=request.user, **data.validated_data)
        return Response(ImpactItemSerializer(item).data)


class DecisionGraphView(GenericAPIView):
    """The citation graph around a decision, as far as the caller may see: one node a case
    (a case decided again is its latest decision, the earlier folded in), to `depth` steps
    each way, along citations of the treatments asked for."""

    serializer_class = GraphSerializer

    @extend_schema(parameters=[GraphAskedSerializer], responses=GraphSerializer)
    def get(self, request, pk):
        decisions = Decision.objects.visible_to(request.user).select_related("case")
        decision = get_visible_or_404(request, decisions, pk=pk)
        asked = GraphAskedSerializer(data=request.query_params)
        asked.is_valid(raise_exception=True)
        graph = citation_graph(
            decision,
            seen_by=request.user,
            depth=asked.validated_data["depth"],
            treatments=asked.validated_data.get("treatment"),
        )
        cases_record_shown(case_ids=[node["case"] for node in graph["nodes"]], by=request.user, via="a citation graph")
        return Response(GraphSerializer(graph).data)


class CaseSimilarViewSet(viewsets.GenericViewSet):
    """Similar past decisions for a case the caller may see, and the marks on them."""

    lookup_value_regex = r"[0-9]+"

    serializer_class = SimilaritySerializer
    queryset = Case.objects.none()

    def get_object(self):
        return get_case_or_404(self.request, self.kwargs["pk"])

    @extend_schema(responses=SimilaritySerializer, parameters=[LIMIT])
    @action(detail=True, methods=["get"])
    def similar(self, request, pk):
        """Similar past decisions: the fused ranking, each with its reasons, and those that
        were decided the other way."""
        found = similar(user=request.user, draft=CaseFacts.of(self.get_object()), limit=_limit(request))
        return Response(SimilaritySerializer(found).data)

    @extend_schema(request=NotSimilarSerializer, responses={201: None})
    @action(detail=True, methods=["post"], url_path="similar/feedback", url_name="similar-feedback")
    def similar_feedback(self, request, pk):
        """Mark a suggested decision as not similar to this case, with an optional reason."""
        case = self.get_object()
        data = NotSimilarSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        similarity_mark(
            case=case,
            similar_case_id=data.validated_data["similar_case"],
            by=request.user,
            reason=data.validated_data["reason"],
        )
        return Response(status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses=TagSuggestionSerializer(many=True))
    @extend_schema(methods=["POST"], request=TagVerdictInputSerializer, responses={201: TagVerdictSerializer})
    @action(detail=True, **WHOLE_LIST, methods=["get", "post"], url_path="tag-suggestions", url_name="tag-suggestions")
    def tag_suggestions(self, request, pk):
        """The tags the case law suggests for the case, each with its reasons and the
        precedents behind it; POST is its filer's verdict on one (accepted tags the case so)."""
        case = self.get_object()
        with refusal_on_record(request):
            case.check_editable_by(request.user, what="tags")
        if request.method == "POST":
            data = TagVerdictInputSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            verdict = tag_suggestion_judge(
                case=case,
                by=request.user,
                code=data.validated_data["provision"],
                stance=data.validated_data["stance"],
                accepted=data.validated_data["accepted"],
            )
            return Response(TagVerdictSerializer(verdict).data, status=status.HTTP_201_CREATED)
        suggestions = suggest_tags(draft=CaseFacts.of(case), seen_by=request.user, case=case)
        return Response(TagSuggestionSerializer(suggestions, many=True).data)


class ProvisionCaseLawView(GenericAPIView):
    """A provision's case law: the decisions that applied it, as far as the caller may see,
    grouped by stance and outcome, leading ones first, with the pattern summarised."""

    serializer_class = CaseLawSerializer
    queryset = Provision.objects.none()  # for the schema

    @extend_schema(parameters=[AsOfSerializer], responses=CaseLawSerializer)
    def get(self, request, code):
        provision = get_visible_or_404(request, Provision.objects.visible_to(request.user), code=code)
        asked = AsOfSerializer(data=request.query_params)
        asked.is_valid(raise_exception=True)
        law = case_law(provision, seen_by=request.user, as_of=asked.validated_data["as_of"])
        shown = [entry.decision.case_id for entry in law.entries]
        cases_record_shown(case_ids=shown, by=request.user, via="a provision's case law")
        return Response(CaseLawSerializer(law).data)


class DigestView(GenericAPIView):
    """The precedent digest of a month, as the caller may see it: decisions issued with their
    digests and headnotes, changes of precedent status, revisions and their impact, and the
    pattern of the provisions most applied."""

    serializer_class = DigestSerializer
    queryset = Decision.objects.none()  # for the schema
    pagination_class = None

    @extend_schema(parameters=[MonthSerializer], responses=DigestSerializer)
    def get(self, request):
        asked = MonthSerializer(data=request.query_params)
        asked.is_valid(raise_exception=True)
        period = asked.validated_data["month"]
        found = digest(seen_by=request.user, start=period.start, end=period.end)
        cases_record_shown(case_ids=[d.case_id for d in found.decisions], by=request.user, via="the precedent digest")
        return Response(DigestSerializer(found).data)


class DigestSubscriptionView(APIView):
    """The caller's subscription to the monthly digest by e-mail: POST subscribes, DELETE ends it."""

    @extend_schema(request=None, responses={201: None})
    def post(self, request):
        digest_subscribe(by=request.user)
        return Response(status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        digest_unsubscribe(by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
