"""The precedent API: search, similar past decisions, saved searches, the revision impact
queue and citation graphs."""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from audit.denials import get_visible_or_404
from casebook.choices import Architecture, DataCategory, ForceProximity, HumanJudgment, MissionArea, Stance
from casebook.models import Case, Decision, Partner
from casebook.shortcuts import get_case_or_404
from precedent import search
from precedent.citator import citation_graph
from precedent.filtersets import ImpactFilterSet, SearchFilterSet
from precedent.models import ImpactItem, SavedSearch, SearchEntry
from precedent.search.similar import Draft, similar
from precedent.services import impact_item_review, saved_search_delete, saved_search_save, similarity_mark


class PrecedentStatusSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())


class SearchResultSerializer(serializers.Serializer):
    entry = serializers.IntegerField(source="entry.pk")
    case = serializers.IntegerField(source="entry.case_id")
    docket = serializers.CharField(source="case.docket", allow_null=True)
    title = serializers.CharField(source="case.title")
    partner = serializers.CharField(source="case.partner.name")
    decision = serializers.IntegerField(source="entry.decision_id", allow_null=True)
    outcome = serializers.CharField(source="entry.outcome", help_text="Blank while the case is undecided.")
    issued_at = serializers.DateTimeField(source="entry.issued_at", allow_null=True)
    revision = serializers.IntegerField(
        source="decision.revision.number", allow_null=True, default=None, help_text="The revision decided under."
    )
    holding = serializers.CharField(source="entry.holding")
    precedent = PrecedentStatusSerializer(source="status", allow_null=True, help_text="The citator's flag.")
    snippet = serializers.CharField(allow_null=True, help_text="HTML: the text escaped, matched words in <mark>.")
    score = serializers.FloatField()


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class SearchPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    revision_in_force = serializers.IntegerField(allow_null=True, help_text="At the as-of date, or now.")
    results = SearchResultSerializer(many=True)
    facets = serializers.DictField(child=FacetValueSerializer(many=True))


class PageSerializer(serializers.Serializer):
    page = serializers.IntegerField(min_value=1, max_value=10_000, default=1)


class SearchView(GenericAPIView):
    """Search the precedent: decisions, with their cases, and cases not yet decided, best
    match first, with facet counts. Restricted cases exist only for those cleared for them."""

    queryset = SearchEntry.objects.all()
    filter_backends = [DjangoFilterBackend]
    filterset_class = SearchFilterSet
    serializer_class = SearchPageSerializer
    pagination_class = None

    @extend_schema(parameters=[OpenApiParameter("page", int, description="Page of 20 results, from 1.")])
    def get(self, request):
        filterset = self.filter_backends[0]().get_filterset(request, self.get_queryset(), self)
        paging = PageSerializer(data={"page": request.query_params.get("page", 1)})
        valid = [filterset.is_valid(), paging.is_valid()]
        if not all(valid):
            raise ValidationError({**filterset.errors, **paging.errors})
        found = search.search_with(filterset, user=request.user, page=paging.validated_data["page"])
        return Response(SearchPageSerializer(found).data)


class MarkSerializer(serializers.Serializer):
    by = serializers.CharField(source="by.username")
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()


class SimilarResultSerializer(serializers.Serializer):
    case = serializers.IntegerField(source="entry.case_id")
    docket = serializers.CharField(source="case.docket")
    title = serializers.CharField(source="case.title")
    partner = serializers.CharField(source="case.partner.name")
    decision = serializers.IntegerField(source="entry.decision_id")
    outcome = serializers.CharField(source="entry.outcome")
    issued_at = serializers.DateTimeField(source="entry.issued_at")
    revision = serializers.IntegerField(source="decision.revision.number")
    holding = serializers.CharField(source="entry.holding")
    precedent = PrecedentStatusSerializer(source="status")
    score = serializers.FloatField(help_text="The fused score (reciprocal rank fusion); higher is closer.")
    components = serializers.DictField(
        child=serializers.DictField(), help_text="Each signal's rank and score for this result: lexical, structural …"
    )
    reasons = serializers.ListField(child=serializers.CharField(), help_text="Why it is similar, in words.")
    marks = MarkSerializer(many=True, help_text='Reviewers who marked it "not similar", and why.')


class SimilaritySerializer(serializers.Serializer):
    results = SimilarResultSerializer(many=True)
    decided_differently = SimilarResultSerializer(
        many=True, help_text="Similar decisions that reached the opposite kind of outcome."
    )
    contrast = serializers.CharField(allow_null=True, help_text="The kind of outcome they are contrasted with.")
    semantic = serializers.BooleanField(help_text="Whether closeness in meaning took part (the [semantic] extra).")
    semantic_note = serializers.CharField(help_text="Why closeness in meaning did not take part; blank when it did.")


class DraftTagSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=12)
    stance = serializers.ChoiceField(choices=Stance.choices)


class DraftSerializer(serializers.Serializer):
    """A case's facts as far as they are written; every field may still be empty."""

    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    proposed_use = serializers.CharField(max_length=20000, required=False, allow_blank=True, default="")
    partner = serializers.PrimaryKeyRelatedField(queryset=Partner.objects.all(), required=False, allow_null=True)
    mission_area = serializers.ChoiceField(choices=MissionArea.choices, required=False, allow_blank=True, default="")
    architecture = serializers.ChoiceField(choices=Architecture.choices, required=False, allow_blank=True, default="")
    human_judgment = serializers.ChoiceField(
        choices=HumanJudgment.choices, required=False, allow_blank=True, default=""
    )
    force_proximity = serializers.ChoiceField(
        choices=ForceProximity.choices, required=False, allow_blank=True, default=""
    )
    data_involved = serializers.ListField(
        child=serializers.ChoiceField(choices=DataCategory.choices), required=False, max_length=20, default=list
    )
    tags = DraftTagSerializer(many=True, required=False, default=list, max_length=100)

    def draft(self) -> Draft:
        data = self.validated_data
        return Draft(
            title=data["title"],
            proposed_use=data["proposed_use"],
            partner_id=data["partner"].pk if data.get("partner") else None,
            mission_area=data["mission_area"],
            architecture=data["architecture"],
            human_judgment=data["human_judgment"],
            force_proximity=data["force_proximity"],
            data_involved=tuple(data["data_involved"]),
            tags=tuple((tag["code"], tag["stance"]) for tag in data["tags"]),
        )


class SimilarDraftView(GenericAPIView):
    """Similar past decisions for a case still being written, from whatever it says so far."""

    serializer_class = DraftSerializer

    @extend_schema(request=DraftSerializer, responses=SimilaritySerializer)
    def post(self, request):
        data = DraftSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(SimilaritySerializer(similar(user=request.user, draft=data.draft())).data)


class NotSimilarSerializer(serializers.Serializer):
    similar_case = serializers.IntegerField(min_value=1, help_text="The suggested case that is not similar.")
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class SavedSearchSerializer(serializers.ModelSerializer):
    query = serializers.CharField(max_length=2000, help_text="The search's query string, as /api/search/ takes it.")
    name = serializers.CharField(max_length=200)

    class Meta:
        model = SavedSearch
        fields = ["id", "name", "query", "created_at"]
        read_only_fields = ["created_at"]


class SavedSearchViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The caller's saved searches; each alerts them when a newly issued decision matches.
    Saving under a name already used replaces that search."""

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


class ImpactItemSerializer(serializers.ModelSerializer):
    revision = serializers.IntegerField(source="revision.number")
    case = serializers.IntegerField(source="decision.case_id")
    docket = serializers.CharField(source="decision.case.docket")
    title = serializers.CharField(source="decision.case.title")
    reviewed_by = serializers.CharField(source="reviewed_by.username", allow_null=True, default=None)

    class Meta:
        model = ImpactItem
        fields = [
            "id",
            "revision",
            "decision",
            "case",
            "docket",
            "title",
            "provisions",
            "reviewed_by",
            "reviewed_at",
            "note",
        ]


class ImpactReviewSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=5000, help_text="What the re-examination found.")


class ImpactViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The revision impact queue: decisions in force that relied on provisions a published
    revision changed, for legal to re-examine and mark done."""

    serializer_class = ImpactItemSerializer
    filterset_class = ImpactFilterSet
    queryset = ImpactItem.objects.none()

    def get_queryset(self):
        return ImpactItem.objects.visible_to(self.request.user).select_related(
            "revision", "decision__case", "reviewed_by"
        )

    def get_object(self):
        return get_visible_or_404(self.request, self.get_queryset(), pk=self.kwargs["pk"])

    @extend_schema(request=ImpactReviewSerializer, responses=ImpactItemSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        data = ImpactReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = impact_item_review(item=self.get_object(), by=request.user, **data.validated_data)
        return Response(ImpactItemSerializer(item).data)


class GraphNodeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField()
    docket = serializers.CharField()
    title = serializers.CharField()
    outcome = serializers.CharField()
    issued = serializers.DateField()
    flag = serializers.CharField()
    flag_label = serializers.CharField()
    tone = serializers.CharField()
    focus = serializers.BooleanField()


class GraphEdgeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    source = serializers.IntegerField(help_text="The citing decision.")
    target = serializers.IntegerField(help_text="The cited decision.")
    treatment = serializers.CharField()
    provision = serializers.CharField()
    reason = serializers.CharField()


class GraphSerializer(serializers.Serializer):
    nodes = GraphNodeSerializer(many=True)
    edges = GraphEdgeSerializer(many=True)


class DecisionGraphView(GenericAPIView):
    """The citation graph around a decision, two steps each way, as far as the caller may see."""

    serializer_class = GraphSerializer

    @extend_schema(responses=GraphSerializer)
    def get(self, request, pk):
        decisions = Decision.objects.visible_to(request.user).select_related("case")
        decision = get_visible_or_404(request, decisions, pk=pk)
        return Response(GraphSerializer(citation_graph(decision, seen_by=request.user)).data)


class CaseSimilarViewSet(viewsets.GenericViewSet):
    """Similar past decisions for a case the caller may see, and the marks on them."""

    serializer_class = SimilaritySerializer
    queryset = Case.objects.none()

    def get_object(self):
        return get_case_or_404(self.request, self.kwargs["pk"])

    @extend_schema(responses=SimilaritySerializer)
    @action(detail=True, methods=["get"])
    def similar(self, request, pk):
        """Similar past decisions: the fused ranking, each with its reasons, and those that
        were decided the other way."""
        found = similar(user=request.user, draft=Draft.of(self.get_object()))
        return Response(SimilaritySerializer(found).data)

    @extend_schema(request=NotSimilarSerializer, responses={201: None})
    @action(detail=True, methods=["post"], url_path="similar/feedback", url_name="similar-feedback")
    def similar_feedback(self, request, pk):
        """Mark a suggested decision as not similar to this case, with an optional reason."""
        case = self.get_object()
        data = NotSimilarSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        suggested = Case.objects.filter(pk=data.validated_data["similar_case"]).first()
        if suggested is None:
            raise serializers.ValidationError({"similar_case": ["There is no decided case like that for you to mark."]})
        similarity_mark(case=case, similar_case=suggested, by=request.user, reason=data.validated_data["reason"])
        return Response(status=status.HTTP_201_CREATED)
