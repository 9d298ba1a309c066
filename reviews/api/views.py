"""The review workflow's API: a case's way through review, its assignments, opinions and
discussion, its decision and conditions, and partner reassessments. The routes sit under the
case's and the partner's own (/api/cases/{id}/submit/ …)."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.denials import get_visible_or_404, refusal_on_record
from casebook.api.serializers import CaseSerializer
from casebook.choices import ConditionStatus
from casebook.filtersets import CaseFilterSet, PartnerFilterSet
from casebook.models import Case, Condition, Decision, Headnote, Partner
from casebook.services import cases_record_shown
from casebook.shortcuts import get_case_or_404
from core import versions
from core.actions import WHOLE_LIST
from core.serializers import StrictInput
from reviews.access import refuse_if_recused
from reviews.api.serializers import (
    AssignmentInputSerializer,
    AssignmentSerializer,
    CommentSerializer,
    ConditionSerializer,
    DecisionInputSerializer,
    DecisionSerializer,
    EscalationSerializer,
    HeadnoteInputSerializer,
    HeadnoteSerializer,
    OpinionSerializer,
    PrecedentCheckSerializer,
    PrecedentDraftSerializer,
    ReassessmentSerializer,
    RecusalSerializer,
    WorkQueuesSerializer,
    with_treatments,
)
from reviews.queues import work_for
from reviews.services import (
    assignment_add,
    assignment_recuse,
    case_reopen,
    case_start_review,
    case_submit,
    case_withdraw,
    comment_add,
    condition_snapshot,
    condition_update,
    decision_check_precedent,
    decision_issue,
    escalation_record,
    headnotes_set,
    headnotes_snapshot,
    opinion_file,
    reassessment_open,
)
from reviews.services.headnotes import check_may_write_headnotes


class ReopenSerializer(StrictInput, serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="Why: reconsideration, continuing review, reassessment …")


class CaseReviewViewSet(viewsets.GenericViewSet):
    """The review of a case the caller may see. A restricted case is absent for anyone not
    cleared for it."""

    lookup_value_regex = r"[0-9]+"

    serializer_class = CaseSerializer
    queryset = Case.objects.none()
    # The case's list filters, as on its own routes (the schema lists them for every action).
    filterset_class = CaseFilterSet

    def get_object(self):
        return get_case_or_404(self.request, self.kwargs["pk"])

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
        decision = case.decisions.in_force().first()
        if decision is None:
            raise Http404("This case has no decision yet.")
        return Response(DecisionSerializer(decision, context={"request": request}).data)

    @extend_schema(request=PrecedentDraftSerializer, responses=PrecedentCheckSerializer)
    @action(detail=True, methods=["post"], url_path="precedent-check")
    def precedent_check(self, request, pk):
        """Check a draft decision on the case against precedent, as the caller may see it:
        on-point precedents it does not cite, the strongest contrary authority and whether it
        is addressed, cited decisions with a warning flag. Nothing is written; issuing runs the
        same check, and asks for an answer on each departure (`departs`)."""
        case = self.get_object()
        data = PrecedentDraftSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        draft = data.validated_data
        check = decision_check_precedent(
            case=case,
            by=request.user,
            outcome=draft["outcome"],
            citations=draft["citations"],
            headnotes=draft["headnotes"],
        )
        return Response(PrecedentCheckSerializer(check.snapshot()).data)

    @extend_schema(request=None, responses=CaseSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk):
        """Submit a draft for review; it receives its docket number."""
        case = self.get_object()
        with refusal_on_record(request):
            case.check_filed_by(request.user)
        case = case_submit(case=case, by=request.user)
        return Response(CaseSerializer(case).data, status=status.HTTP_200_OK)

    @extend_schema(methods=["GET"], responses=AssignmentSerializer(many=True))
    @extend_schema(methods=["POST"], request=AssignmentInputSerializer, responses={201: AssignmentSerializer})
    @action(detail=True, **WHOLE_LIST, methods=["get", "post"])
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
    @action(detail=True, **WHOLE_LIST, methods=["get", "post"])
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
    @action(detail=True, **WHOLE_LIST, methods=["get", "post"])
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


class PartnerReassessmentViewSet(viewsets.GenericViewSet):
    lookup_value_regex = r"[0-9]+"
    serializer_class = ReassessmentSerializer
    queryset = Partner.objects.all()
    filterset_class = PartnerFilterSet

    @extend_schema(methods=["GET"], responses=ReassessmentSerializer(many=True))
    @extend_schema(methods=["POST"], request=ReassessmentSerializer, responses={201: ReassessmentSerializer})
    @action(detail=True, **WHOLE_LIST, methods=["get", "post"])
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


class ConditionProgressSerializer(StrictInput, serializers.Serializer):
    status = serializers.ChoiceField(choices=ConditionStatus.choices)
    evidence = serializers.CharField(max_length=5000, allow_blank=True, required=False, default="")


class ConditionViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Conditions of decisions on cases the caller may see; PATCH records progress."""

    lookup_value_regex = r"[0-9]+"

    serializer_class = ConditionSerializer

    def get_queryset(self):
        return Condition.objects.visible_to(self.request.user).select_related("decision__case")

    def get_object(self):
        condition = get_visible_or_404(self.request, self.get_queryset(), pk=self.kwargs["pk"])
        cases_record_shown(case_ids=[condition.decision.case_id], by=self.request.user, via="a condition")
        return condition

    @extend_schema(request=ConditionProgressSerializer, responses=ConditionSerializer)
    def partial_update(self, request, pk):
        condition = self.get_object()
        with refusal_on_record(request):
            condition.check_trackable_by(request.user)
        data = ConditionProgressSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        condition = condition_update(
            condition=condition, by=request.user, version=versions.if_match(request), **data.validated_data
        )
        return Response(
            ConditionSerializer(condition).data, headers={"ETag": versions.etag(condition_snapshot(condition))}
        )

    def retrieve(self, request, pk):
        condition = self.get_object()
        return Response(
            ConditionSerializer(condition).data, headers={"ETag": versions.etag(condition_snapshot(condition))}
        )


class DecisionHeadnotesView(GenericAPIView):
    """A decision's headnotes, its points of law, numbered; PUT replaces them (legal, or the
    decision-maker who issued it), keeping the number of any a later citation relies on."""

    serializer_class = HeadnoteSerializer
    queryset = Headnote.objects.none()  # for the schema: the headnotes come from their decision

    def get_object(self):
        decisions = Decision.objects.visible_to(self.request.user).select_related("case")
        decision = get_visible_or_404(self.request, decisions, pk=self.kwargs["pk"])
        cases_record_shown(case_ids=[decision.case_id], by=self.request.user, via="a decision's headnotes")
        return decision

    def _answer(self, decision):
        headnotes = with_treatments(decision.headnotes.all(), self.request.user)
        return Response(
            HeadnoteSerializer(headnotes, many=True, context={"request": self.request}).data,
            headers={"ETag": versions.etag(headnotes_snapshot(decision))},
        )

    @extend_schema(responses=HeadnoteSerializer(many=True))
    def get(self, request, pk):
        return self._answer(self.get_object())

    @extend_schema(request=HeadnoteInputSerializer(many=True), responses=HeadnoteSerializer(many=True))
    def put(self, request, pk):
        decision = self.get_object()
        with refusal_on_record(request):
            check_may_write_headnotes(decision, request.user)
        data = HeadnoteInputSerializer(data=request.data, many=True)
        data.is_valid(raise_exception=True)
        headnotes_set(
            decision=decision, by=request.user, headnotes=data.validated_data, version=versions.if_match(request)
        )
        return self._answer(decision)


class MyWorkView(APIView):
    """The caller's work queues, as on the page they land on after signing in."""

    @extend_schema(responses=WorkQueuesSerializer)
    def get(self, request):
        return Response(WorkQueuesSerializer(work_for(request.user)).data)
