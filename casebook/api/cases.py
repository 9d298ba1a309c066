"""The case records' API: partners and cases. Need-to-know applies as on the pages."""

from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from audit.denials import get_visible_or_404, record_denial
from casebook.access import refuse_if_recused
from casebook.api.search import NotSimilarSerializer, SimilaritySerializer
from casebook.choices import ConditionStatus, DataCategory, Outcome, Stance, Treatment
from casebook.filtersets import CaseFilterSet, PartnerFilterSet
from casebook.models import Case, Citation, Condition, Decision, Partner, Tag, User
from casebook.search.similar import Draft, similar
from casebook.services import case_file, case_record_read, case_set_tags, case_update, partner_save, similarity_mark
from principles.models import Provision
from reviews.api.serializers import (
    AssignmentInputSerializer,
    AssignmentSerializer,
    CommentSerializer,
    EscalationSerializer,
    OpinionSerializer,
    ReassessmentSerializer,
    RecusalSerializer,
)
from reviews.services import (
    assignment_add,
    assignment_recuse,
    case_reopen,
    case_start_review,
    case_submit,
    case_withdraw,
    comment_add,
    condition_update,
    decision_issue,
    escalation_record,
    opinion_file,
    reassessment_open,
)


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


class TagSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="provision.code")
    kind = serializers.CharField(source="provision.kind")
    revision = serializers.IntegerField(
        source="provision_text.revision.number", help_text="The revision whose wording the tag was made against."
    )
    title = serializers.CharField(source="provision_text.title")

    class Meta:
        model = Tag
        fields = ["code", "kind", "stance", "note", "revision", "title"]


class TagInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=12)
    stance = serializers.ChoiceField(choices=Stance.choices)
    note = serializers.CharField(max_length=5000, allow_blank=True, required=False, default="")


class ConditionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Condition
        fields = ["id", "text", "owner", "due_date", "status", "evidence"]
        read_only_fields = ["id", "status", "evidence"]


class CitationSerializer(serializers.ModelSerializer):
    citing = serializers.IntegerField(source="citing_id", help_text="The citing decision.")
    citing_docket = serializers.CharField(source="citing.case.docket")
    cited = serializers.IntegerField(source="cited_id", help_text="The cited decision.")
    cited_docket = serializers.CharField(source="cited.case.docket")
    provision = serializers.CharField(source="provision.code")

    class Meta:
        model = Citation
        fields = ["citing", "citing_docket", "cited", "cited_docket", "provision", "treatment", "reason"]


class CitationInputSerializer(serializers.Serializer):
    decision = serializers.IntegerField(min_value=1, help_text="The earlier decision cited.")
    provision = serializers.CharField(max_length=12)
    treatment = serializers.ChoiceField(choices=Treatment.choices)
    reason = serializers.CharField(max_length=500)


class DecisionSerializer(serializers.ModelSerializer):
    decided_by = serializers.CharField(source="decided_by.username")
    revision = serializers.IntegerField(source="revision.number", help_text="The revision in force when issued.")
    supersedes = serializers.PrimaryKeyRelatedField(read_only=True)
    conditions = ConditionSerializer(many=True)
    citations = CitationSerializer(many=True)
    cited_by = serializers.SerializerMethodField(help_text="Later decisions citing this one that the caller may see.")

    class Meta:
        model = Decision
        fields = [
            "id",
            "outcome",
            "holding",
            "rationale",
            "public_digest",
            "decided_by",
            "revision",
            "issued_at",
            "review_by",
            "scrutiny",
            "supersedes",
            "conditions",
            "citations",
            "cited_by",
        ]

    @extend_schema_field(CitationSerializer(many=True))
    def get_cited_by(self, decision):
        visible = Case.objects.visible_to(self.context["request"].user)
        return CitationSerializer(decision.cited_by.filter(citing__case__in=visible), many=True).data


class DecisionInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    holding = serializers.CharField(max_length=1000)
    rationale = serializers.CharField(max_length=50000)
    public_digest = serializers.CharField(max_length=5000, allow_blank=True, required=False, default="")
    review_by = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Continuing review date for an engagement that goes ahead; twelve months on if omitted.",
    )
    conditions = ConditionSerializer(many=True, required=False, default=list)
    citations = CitationInputSerializer(many=True, required=False, default=list)


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

    @extend_schema(methods=["GET"], responses=ReassessmentSerializer(many=True))
    @extend_schema(methods=["POST"], request=ReassessmentSerializer, responses={201: ReassessmentSerializer})
    @action(detail=True, methods=["get", "post"])
    def reassessments(self, request, pk):
        """The partner's reassessments, newest first; POST opens one, which reopens every live
        engagement with the partner (admins and decision-makers)."""
        partner = self.get_object()
        context = {"request": request}
        if request.method == "POST":
            data = ReassessmentSerializer(data=request.data, context=context)
            data.is_valid(raise_exception=True)
            reassessment = reassessment_open(partner=partner, by=request.user, **data.validated_data)
            return Response(ReassessmentSerializer(reassessment, context=context).data, status=status.HTTP_201_CREATED)
        reassessments = partner.reassessments.select_related("opened_by")
        return Response(ReassessmentSerializer(reassessments, many=True, context=context).data)


class ReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="Why: reconsideration, continuing review, reassessment …")


class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Cases the caller may see. A restricted case is absent for anyone not cleared for it."""

    serializer_class = CaseSerializer
    filterset_class = CaseFilterSet

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
        if (
            self.action in ("partial_update", "tags", "submit")
            and self.request.method not in ("GET", "HEAD", "OPTIONS")
            and not case.is_filer(user)
        ):
            record_denial(self.request, self.request.resolver_match.view_name)
            self.permission_denied(self.request, message="Only the case's filer may change it.")
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

    @extend_schema(methods=["GET"], responses=DecisionSerializer)
    @extend_schema(methods=["POST"], request=DecisionInputSerializer, responses={201: DecisionSerializer})
    @action(detail=True, methods=["get", "post"])
    def decision(self, request, pk):
        """The decision in force on the case; POST issues one (superseding any before it)."""
        case = self.get_object()
        if request.method == "POST":
            data = DecisionInputSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            decision = decision_issue(case=case, by=request.user, **data.validated_data)
            return Response(
                DecisionSerializer(decision, context={"request": request}).data, status=status.HTTP_201_CREATED
            )
        decision = case.decisions.filter(superseded_by__isnull=True).first()
        if decision is None:
            raise Http404("This case has no decision yet.")
        return Response(DecisionSerializer(decision, context={"request": request}).data)

    @extend_schema(request=None, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk):
        """Submit a draft for review; it receives its docket number."""
        case = case_submit(case=self.get_object(), by=request.user)
        return Response(CaseSerializer(case).data, status=status.HTTP_200_OK)

    @extend_schema(methods=["GET"], responses=AssignmentSerializer(many=True))
    @extend_schema(methods=["POST"], request=AssignmentInputSerializer, responses={201: AssignmentSerializer})
    @action(detail=True, methods=["get", "post"])
    def assignments(self, request, pk):
        """Who is assigned to the case; POST assigns a reviewer or the accountable decision-maker."""
        case = self.get_object()
        if request.method == "POST":
            data = AssignmentInputSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            assignment = assignment_add(case=case, by=request.user, **data.validated_data)
            return Response(AssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)
        assignments = case.assignments.select_related("person", "assigned_by")
        return Response(AssignmentSerializer(assignments, many=True).data)

    @extend_schema(methods=["GET"], responses=OpinionSerializer(many=True))
    @extend_schema(methods=["POST"], request=OpinionSerializer, responses=OpinionSerializer)
    @action(detail=True, methods=["get", "post"])
    def opinions(self, request, pk):
        """The reviewers' opinions, every round; POST files or revises the caller's own
        (assigned reviewers, until the decision issues). A recused person may not read them."""
        case = self.get_object()
        refuse_if_recused(request, case, closed="its opinions are")
        if request.method == "POST":
            data = OpinionSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            opinion = opinion_file(case=case, by=request.user, **data.validated_data)
            return Response(OpinionSerializer(opinion).data)
        opinions = case.opinions.select_related("author", "decision")
        return Response(OpinionSerializer(opinions, many=True).data)

    @extend_schema(methods=["GET"], responses=CommentSerializer(many=True))
    @extend_schema(methods=["POST"], request=CommentSerializer, responses={201: CommentSerializer})
    @action(detail=True, methods=["get", "post"])
    def comments(self, request, pk):
        """The case's discussion, oldest first; POST adds a comment, telling each @username
        mentioned. A recused person takes no part in it and may not read it."""
        case = self.get_object()
        refuse_if_recused(request, case, closed="its discussion is")
        if request.method == "POST":
            data = CommentSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            comment = comment_add(case=case, by=request.user, **data.validated_data)
            return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)
        comments = case.comments.select_related("author").prefetch_related("mentions")
        return Response(CommentSerializer(comments, many=True).data)

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

    @extend_schema(request=EscalationSerializer, responses={201: EscalationSerializer})
    @action(detail=True, methods=["post"])
    def escalation(self, request, pk):
        """Record an admin's escalation, with reasons, for a case that crosses a red line."""
        data = EscalationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        escalation = escalation_record(case=self.get_object(), by=request.user, **data.validated_data)
        return Response(EscalationSerializer(escalation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RecusalSerializer, responses=AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def recuse(self, request, pk):
        """Step aside from a case you are assigned to, stating the conflict of interest."""
        data = RecusalSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assignment = assignment_recuse(case=self.get_object(), by=request.user, **data.validated_data)
        return Response(AssignmentSerializer(assignment).data)

    @extend_schema(request=None, responses=CaseSerializer)
    @action(detail=True, methods=["post"], url_path="start-review")
    def start_review(self, request, pk):
        """Put a submitted or reopened case before the board (admins and decision-makers)."""
        case = case_start_review(case=self.get_object(), by=request.user)
        return Response(CaseSerializer(case).data)

    @extend_schema(request=ReopenSerializer, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk):
        """Reopen a decided case, with the reason (admins and decision-makers)."""
        data = ReopenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = case_reopen(case=self.get_object(), by=request.user, reason=data.validated_data["reason"])
        return Response(CaseSerializer(case).data)

    @extend_schema(request=None, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk):
        """Withdraw a draft or submitted case (its filer, or an admin)."""
        case = case_withdraw(case=self.get_object(), by=request.user)
        return Response(CaseSerializer(case).data)


class ConditionProgressSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ConditionStatus.choices)
    evidence = serializers.CharField(max_length=5000, allow_blank=True, required=False, default="")


class ConditionViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Conditions of decisions on cases the caller may see; PATCH records progress."""

    serializer_class = ConditionSerializer

    def get_queryset(self):
        return Condition.objects.visible_to(self.request.user).select_related("decision__case")

    def get_object(self):
        return get_visible_or_404(self.request, self.get_queryset(), pk=self.kwargs["pk"])

    @extend_schema(request=ConditionProgressSerializer, responses=ConditionSerializer)
    def partial_update(self, request, pk):
        condition = self.get_object()
        if not condition.can_track(request.user):
            record_denial(request, request.resolver_match.view_name)
            self.permission_denied(request, message="Only the case's filer, its decision-maker, legal and admins.")
        data = ConditionProgressSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        condition = condition_update(condition=condition, by=request.user, **data.validated_data)
        return Response(ConditionSerializer(condition).data)
