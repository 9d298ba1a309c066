from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from casebook.choices import Duty, Outcome, Stance, Treatment
from casebook.models import Assignment, Case, Citation, Condition, Decision, Headnote, User
from core.serializers import StrictInput
from reviews.models import Comment, Escalation, Opinion, PrecedentCheck, Reassessment


class AssignmentSerializer(serializers.ModelSerializer):
    person = serializers.CharField(source="person.username")
    assigned_by = serializers.CharField(source="assigned_by.username", allow_null=True)

    class Meta:
        model = Assignment
        fields = ["id", "person", "duty", "assigned_by", "assigned_at", "recused_at", "recusal_statement"]


class AssignmentInputSerializer(StrictInput, serializers.Serializer):
    person = serializers.SlugRelatedField(slug_field="username", queryset=User.objects.filter(is_active=True))
    duty = serializers.ChoiceField(choices=Duty.choices)


class RecusalSerializer(StrictInput, serializers.Serializer):
    statement = serializers.CharField(max_length=5000, help_text="The conflict of interest.")


class ProposedTagSerializer(StrictInput, serializers.Serializer):
    code = serializers.CharField(max_length=12)
    stance = serializers.ChoiceField(choices=Stance.choices)


class OpinionSerializer(StrictInput, serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", read_only=True)
    decision = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text="The decision it was filed towards, once issued."
    )
    proposed_tags = ProposedTagSerializer(many=True, required=False)
    concurs = serializers.BooleanField(
        read_only=True, allow_null=True, help_text="Whether it recommended the outcome decided; null until decided."
    )
    reasoning = serializers.CharField(max_length=20000)

    class Meta:
        model = Opinion
        fields = [
            "id",
            "author",
            "decision",
            "recommended_outcome",
            "reasoning",
            "proposed_tags",
            "concurs",
            "filed_at",
            "revised_at",
        ]
        read_only_fields = ["filed_at", "revised_at"]


class EscalationSerializer(StrictInput, serializers.ModelSerializer):
    by = serializers.CharField(source="by.username", read_only=True)
    reasons = serializers.CharField(max_length=20000)

    class Meta:
        model = Escalation
        fields = ["id", "by", "reasons", "created_at"]
        read_only_fields = ["created_at"]


class CommentSerializer(StrictInput, serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", read_only=True)
    body = serializers.CharField(max_length=5000, help_text="Mention someone with @username to tell them.")
    mentions = serializers.SlugRelatedField(slug_field="username", many=True, read_only=True)

    class Meta:
        model = Comment
        fields = ["id", "author", "body", "mentions", "created_at"]
        read_only_fields = ["created_at"]


class ReassessmentResultSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    docket = serializers.CharField()
    decision = serializers.IntegerField(allow_null=True, help_text="The new decision on it; null while it awaits one.")
    outcome = serializers.ChoiceField(choices=Outcome.choices, allow_null=True)


class ReassessmentSerializer(StrictInput, serializers.ModelSerializer):
    opened_by = serializers.CharField(source="opened_by.username", read_only=True)
    reasons = serializers.CharField(max_length=20000)
    is_open = serializers.SerializerMethodField(
        help_text="Until each reopened engagement the caller may see is decided again."
    )
    engagements = serializers.SerializerMethodField(help_text="The reopened engagements the caller may see.")

    class Meta:
        model = Reassessment
        fields = ["id", "partner", "opened_by", "reasons", "opened_at", "is_open", "engagements"]
        read_only_fields = ["partner", "opened_at"]

    def get_is_open(self, reassessment) -> bool:
        return reassessment.is_open_for(Case.objects.visible_to(self.context["request"].user))

    @extend_schema_field(ReassessmentResultSerializer(many=True))
    def get_engagements(self, reassessment):
        visible = Case.objects.visible_to(self.context["request"].user)
        return [
            {
                "case": case.pk,
                "docket": case.docket,
                "decision": decision.pk if decision else None,
                "outcome": decision.outcome if decision else None,
            }
            for case, decision in reassessment.results(visible)
        ]


class QueuedCaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Case
        fields = ["id", "docket", "title", "status"]


class ReviewQueueSerializer(QueuedCaseSerializer):
    opined = serializers.BooleanField(help_text="Whether the caller has filed an opinion for this round.")

    class Meta(QueuedCaseSerializer.Meta):
        fields = [*QueuedCaseSerializer.Meta.fields, "opined"]


class DueConditionSerializer(serializers.ModelSerializer):
    case = serializers.IntegerField(source="decision.case_id")
    docket = serializers.CharField(source="decision.case.docket")

    class Meta:
        model = Condition
        fields = ["id", "case", "docket", "text", "owner", "due_date"]


class QueuedReassessmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="reassessment.pk")
    partner = serializers.CharField(source="reassessment.partner.name")
    opened_at = serializers.DateTimeField(source="reassessment.opened_at")
    waiting = QueuedCaseSerializer(many=True, help_text="Engagements still awaiting a new decision.")


class WorkQueuesSerializer(serializers.Serializer):
    to_review = ReviewQueueSerializer(many=True)
    to_decide = QueuedCaseSerializer(many=True)
    to_assign = QueuedCaseSerializer(many=True, help_text="Submitted or reopened, for admins and decision-makers.")
    my_cases = QueuedCaseSerializer(many=True, help_text="Cases the caller filed that are not yet decided.")
    conditions_due = DueConditionSerializer(many=True)
    reassessments = QueuedReassessmentSerializer(many=True)


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
    headnote = serializers.IntegerField(
        source="headnote.number", allow_null=True, help_text="The cited decision's headnote treated; null: all of it."
    )

    class Meta:
        model = Citation
        fields = ["citing", "citing_docket", "cited", "cited_docket", "provision", "headnote", "treatment", "reason"]


class CitationInputSerializer(StrictInput, serializers.Serializer):
    decision = serializers.IntegerField(min_value=1, help_text="The earlier decision cited.")
    provision = serializers.CharField(max_length=12, required=False, help_text="Given a headnote, its provision.")
    headnote = serializers.IntegerField(
        min_value=1, max_value=100, required=False, help_text="The one point of law (hn number) of it that is treated."
    )
    treatment = serializers.ChoiceField(choices=Treatment.choices)
    reason = serializers.CharField(max_length=500)

    def validate(self, data):
        if not data.get("provision") and not data.get("headnote"):
            raise serializers.ValidationError({"provision": ["Name the provision, or the headnote, relied on."]})
        return data


class HeadnoteSerializer(serializers.ModelSerializer):
    provision = serializers.CharField(source="provision.code")
    written_by = serializers.CharField(
        source="written_by.username", allow_null=True, help_text="Null: the decision's holding, as issued."
    )
    treated_by = serializers.SerializerMethodField(help_text="Later decisions, that the caller may see, treating it.")

    class Meta:
        model = Headnote
        fields = ["number", "provision", "stance", "text", "written_by", "written_at", "treated_by"]

    @extend_schema_field(CitationSerializer(many=True))
    def get_treated_by(self, headnote):
        return CitationSerializer(headnote.visible_treatments, many=True).data


def with_treatments(headnotes, user):
    """Headnotes with the citations treating each that `user` may see (visible_treatments),
    read in one query for the lot."""
    treatments = Citation.objects.from_visible(user).select_related(
        "citing__case", "cited__case", "provision", "headnote"
    )
    return headnotes.select_related("provision", "written_by").prefetch_related(
        Prefetch("citations", queryset=treatments, to_attr="visible_treatments")
    )


class HeadnoteInputSerializer(StrictInput, serializers.Serializer):
    provision = serializers.CharField(max_length=12)
    stance = serializers.ChoiceField(choices=Stance.choices, required=False, allow_blank=True, default="")
    text = serializers.CharField(max_length=1000)


class SharedAssessmentSerializer(serializers.Serializer):
    provision = serializers.CharField()
    stance = serializers.ChoiceField(choices=Stance.choices)


class AuthoritySerializer(serializers.Serializer):
    decision = serializers.IntegerField()
    case = serializers.IntegerField()
    docket = serializers.CharField()
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    flag = serializers.CharField(help_text="Its citator flag, as the caller may see it.")
    reasons = serializers.ListField(child=serializers.CharField(), help_text="Why it is flagged.")
    shared = SharedAssessmentSerializer(many=True, help_text="The assessments it shares with the draft.")
    closeness = serializers.FloatField(help_text="How much of what the two cases engage they share, 0 to 1.")
    contrary = serializers.BooleanField(help_text="It reached the other kind of outcome (went ahead or not).")
    cited_as = serializers.CharField(
        allow_null=True, help_text="How the draft treats it (a treatment: follows, distinguishes …), if it cites it."
    )
    departs = serializers.BooleanField(
        help_text="Contrary, close on point and not cited: the decision needs an answer on it to issue."
    )
    answer = serializers.CharField(default="", help_text="What the decision-maker answered on it.")


class PrecedentCheckSerializer(serializers.Serializer):
    on_point = serializers.IntegerField(
        help_text="On-point precedents in all, cited or not: as the decision-maker saw it, or, for a kept check "
        "read by someone else, those open to all."
    )
    uncited = AuthoritySerializer(many=True, help_text="On-point precedents the draft does not cite, closest first.")
    contrary = AuthoritySerializer(many=True, help_text="The strongest contrary authority.")
    warnings = AuthoritySerializer(many=True, help_text="Cited decisions whose flag warns against relying on them.")


class DecisionSerializer(serializers.ModelSerializer):
    decided_by = serializers.CharField(source="decided_by.username")
    revision = serializers.IntegerField(source="revision.number", help_text="The revision in force when issued.")
    supersedes = serializers.PrimaryKeyRelatedField(read_only=True)
    conditions = ConditionSerializer(many=True)
    citations = serializers.SerializerMethodField(help_text="Earlier decisions it cites that the caller may see.")
    headnotes = serializers.SerializerMethodField(help_text="Its points of law, numbered (hn 1, hn 2…).")
    cited_by = serializers.SerializerMethodField(help_text="Later decisions citing this one that the caller may see.")
    precedent_check = serializers.SerializerMethodField(
        help_text="The precedent check it was issued after, as far as the caller may see it."
    )

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
            "headnotes",
            "cited_by",
            "precedent_check",
        ]

    @extend_schema_field(CitationSerializer(many=True))
    def get_citations(self, decision):
        cites = decision.citations.to_visible(self.context["request"].user).select_related(
            "citing__case", "cited__case", "provision", "headnote"
        )
        return CitationSerializer(cites, many=True).data

    @extend_schema_field(HeadnoteSerializer(many=True))
    def get_headnotes(self, decision):
        headnotes = with_treatments(decision.headnotes.all(), self.context["request"].user)
        return HeadnoteSerializer(headnotes, many=True, context=self.context).data

    @extend_schema_field(CitationSerializer(many=True))
    def get_cited_by(self, decision):
        cited_by = decision.cited_by.from_visible(self.context["request"].user)
        return CitationSerializer(cited_by, many=True).data

    @extend_schema_field(PrecedentCheckSerializer(allow_null=True))
    def get_precedent_check(self, decision):
        check = PrecedentCheck.objects.filter(decision=decision).first()
        return PrecedentCheckSerializer(check.shown_to(self.context["request"].user)).data if check else None


class AnswerSerializer(StrictInput, serializers.Serializer):
    decision = serializers.IntegerField(min_value=1, help_text="The contrary precedent answered.")
    answer = serializers.CharField(max_length=500, help_text="Why it does not apply, in a sentence.")


class DecisionInputSerializer(StrictInput, serializers.Serializer):
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
    answers = AnswerSerializer(
        many=True,
        required=False,
        default=list,
        help_text="For each contrary precedent close on point that it does not cite (the precedent "
        "check's departures), a sentence on why it does not apply.",
    )

    def validate_answers(self, answers):
        return {answer["decision"]: answer["answer"] for answer in answers}


class DraftHeadnoteSerializer(StrictInput, serializers.Serializer):
    provision = serializers.CharField(max_length=12)
    stance = serializers.ChoiceField(choices=Stance.choices)
    text = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class PrecedentDraftSerializer(DecisionInputSerializer):
    """A draft decision, as far as it is written: any of the decision's fields, and the
    headnotes it will have."""

    outcome = serializers.ChoiceField(choices=Outcome.choices, required=False, allow_blank=True, default="")
    holding = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    rationale = serializers.CharField(max_length=50000, required=False, allow_blank=True)
    headnotes = DraftHeadnoteSerializer(many=True, required=False, default=list)
