"""The precedent API's shapes: search pages, similar decisions and drafts, saved searches,
the impact queue and citation graphs."""

from rest_framework import serializers

from casebook.choices import Architecture, DataCategory, ForceProximity, HumanJudgment, MissionArea, Stance, Treatment
from casebook.models import Partner, TagVerdict
from core.serializers import StrictInput
from precedent.choices import AlertFrequency
from precedent.digest import month
from precedent.filtersets import describe
from precedent.graph import DEPTHS
from precedent.models import ImpactItem, SavedSearch
from precedent.search import CaseFacts


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
    cited = serializers.IntegerField(help_text="How many later decisions the caller may see cite it.")
    score = serializers.FloatField(help_text="The match's score; 0 when sorted otherwise than by relevance.")


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


class SimilarLimitSerializer(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=50, default=8)


class MarkSerializer(StrictInput, serializers.Serializer):
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
    score = serializers.FloatField(help_text="The fused score of every signal; higher is closer.")
    components = serializers.DictField(
        child=serializers.DictField(),
        help_text="Each signal's score for this result and its rank among every candidate: lexical (shared telling "
        "words), provisions (agreement on tags), facts, closest (likeness to the closest precedents) and, with "
        "closeness in meaning, semantic.",
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


class DraftTagSerializer(StrictInput, serializers.Serializer):
    code = serializers.CharField(max_length=12)
    stance = serializers.ChoiceField(choices=Stance.choices)


class DraftSerializer(StrictInput, serializers.Serializer):
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

    def draft(self) -> CaseFacts:
        data = self.validated_data
        return CaseFacts(
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


class NotSimilarSerializer(StrictInput, serializers.Serializer):
    similar_case = serializers.IntegerField(min_value=1, help_text="The suggested case that is not similar.")
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class SuggestedPrecedentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    docket = serializers.CharField()
    title = serializers.CharField()


class TagSuggestionSerializer(serializers.Serializer):
    provision = serializers.CharField(source="provision.code")
    stance = serializers.ChoiceField(choices=Stance.choices)
    share = serializers.FloatField(help_text="How strongly the case law suggests it, 0 to 1.")
    reasons = serializers.ListField(child=serializers.CharField())
    precedents = SuggestedPrecedentSerializer(many=True, help_text="The nearest precedents that took it.")


class TagVerdictInputSerializer(StrictInput, serializers.Serializer):
    provision = serializers.CharField(max_length=12)
    stance = serializers.ChoiceField(choices=Stance.choices)
    accepted = serializers.BooleanField(help_text="True tags the case so; false rejects the suggestion.")


class TagVerdictSerializer(serializers.ModelSerializer):
    provision = serializers.CharField(source="provision.code")
    by = serializers.CharField(source="by.username")

    class Meta:
        model = TagVerdict
        fields = ["provision", "stance", "accepted", "by", "at"]


class SavedSearchSerializer(StrictInput, serializers.ModelSerializer):
    query = serializers.CharField(max_length=2000, help_text="The search's query string, as /api/search/ takes it.")
    name = serializers.CharField(max_length=200)
    description = serializers.SerializerMethodField(help_text="Its words and filters, as a reader would say them.")
    frequency = serializers.ChoiceField(
        choices=AlertFrequency.choices,
        default=AlertFrequency.IMMEDIATELY,
        help_text="When its owner is told of new decisions that match it.",
    )

    class Meta:
        model = SavedSearch
        fields = ["id", "name", "query", "description", "frequency", "created_at"]
        read_only_fields = ["created_at"]

    def get_description(self, saved: SavedSearch) -> str:
        return describe(saved.query)


class ImpactStanceSerializer(serializers.Serializer):
    code = serializers.CharField()
    stance = serializers.CharField()
    label = serializers.CharField()


class ImpactItemSerializer(serializers.ModelSerializer):
    revision = serializers.IntegerField(source="revision.number")
    stances = ImpactStanceSerializer(many=True, read_only=True)
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
            "stances",
            "reviewed_by",
            "reviewed_at",
            "note",
        ]


class ImpactReviewSerializer(StrictInput, serializers.Serializer):
    note = serializers.CharField(max_length=5000, help_text="What the re-examination found.")


class GraphAskedSerializer(serializers.Serializer):
    depth = serializers.ChoiceField(choices=DEPTHS, default=2, help_text="Steps each way from the decision.")
    treatment = serializers.MultipleChoiceField(
        choices=Treatment.choices, required=False, help_text="Only citations of these treatments (all unless given)."
    )


class GraphFoldedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    outcome = serializers.CharField()
    issued = serializers.DateField()


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
    step = serializers.IntegerField(help_text="Steps from the decision the graph is around.")
    folded = GraphFoldedSerializer(many=True, help_text="The case's earlier decisions, superseded by this one.")


class GraphEdgeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    source = serializers.IntegerField(help_text="The citing decision (its case's latest).")
    target = serializers.IntegerField(help_text="The cited decision (its case's latest).")
    treatment = serializers.CharField()
    provision = serializers.CharField(help_text="The provisions cited on, comma-separated.")
    reason = serializers.CharField()


class GraphSerializer(serializers.Serializer):
    nodes = GraphNodeSerializer(many=True)
    edges = GraphEdgeSerializer(many=True)


# A provision's case law (precedent.case_law) -------------------------------------------


class AsOfSerializer(StrictInput, serializers.Serializer):
    as_of = serializers.DateField(
        required=False, default=None, help_text="The case law as it stood at the end of this day (today unless given)."
    )

    def validate_as_of(self, value):
        from django.utils import timezone

        if value is not None and value > timezone.localdate():
            raise serializers.ValidationError("The case law cannot be read as of a day still to come.")
        return value


class CaseLawHeadnoteSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    stance = serializers.CharField()
    text = serializers.CharField()


class CaseLawEntrySerializer(serializers.Serializer):
    decision = serializers.IntegerField(source="decision.pk")
    case = serializers.IntegerField(source="decision.case_id")
    docket = serializers.CharField(source="decision.case.docket")
    title = serializers.CharField(source="decision.case.title")
    issued_at = serializers.DateTimeField(source="decision.issued_at")
    outcome = serializers.CharField(source="decision.outcome")
    stance = serializers.CharField(source="tag.stance", help_text="The stance its case took on the provision.")
    holding = serializers.CharField(source="decision.holding")
    headnotes = CaseLawHeadnoteSerializer(many=True, help_text="Its headnotes on this provision.")
    precedent = PrecedentStatusSerializer(source="status", help_text="The citator's flag, as of the date asked.")
    cited = serializers.IntegerField(help_text="How often later decisions you may see cite it.")
    followed = serializers.IntegerField(help_text="How often they follow or extend it.")
    revised = serializers.BooleanField(help_text="Its case was tagged against wording other than that in force.")


class CaseLawOutcomeSerializer(serializers.Serializer):
    outcome = serializers.CharField()
    label = serializers.CharField(source="outcome.label")
    decisions = CaseLawEntrySerializer(many=True, source="entries", help_text="The leading ones first.")


class CaseLawStanceSerializer(serializers.Serializer):
    stance = serializers.CharField()
    label = serializers.CharField(source="stance.label")
    count = serializers.IntegerField()
    outcomes = CaseLawOutcomeSerializer(many=True)


class CaseLawSerializer(serializers.Serializer):
    provision = serializers.CharField(source="provision.code")
    as_of = serializers.DateField()
    revision = serializers.IntegerField(source="wording.revision.number", allow_null=True, default=None)
    title = serializers.CharField(source="wording.title", allow_null=True, default=None)
    body = serializers.CharField(source="wording.body", allow_null=True, default=None)
    count = serializers.IntegerField()
    summary = serializers.CharField(help_text="The pattern of the decisions, generated from them.")
    stances = CaseLawStanceSerializer(many=True)
    overruled = CaseLawEntrySerializer(many=True, help_text="Set apart: decisions since overruled.")
    revised = CaseLawEntrySerializer(many=True, help_text="Set apart: decided under wording since revised.")


class MonthSerializer(StrictInput, serializers.Serializer):
    month = serializers.CharField(
        required=False, default="", allow_blank=True, help_text="YYYY-MM; the last full month unless given."
    )

    def validate_month(self, value):
        try:
            return month(value or None)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from None


class DigestHeadnoteSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    provision = serializers.CharField(source="provision.code")
    stance = serializers.CharField()
    text = serializers.CharField()


class DigestDecisionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    docket = serializers.CharField(source="case.docket")
    title = serializers.CharField(source="case.title")
    outcome = serializers.CharField()
    issued_at = serializers.DateTimeField()
    public_digest = serializers.CharField()
    holding = serializers.CharField()
    headnotes = DigestHeadnoteSerializer(source="headnotes.all", many=True)


class DigestStatusChangeSerializer(serializers.Serializer):
    citing = serializers.IntegerField(source="citing_id", help_text="The later decision.")
    citing_docket = serializers.CharField(source="citing.case.docket")
    cited = serializers.IntegerField(source="cited_id", help_text="The decision whose status it changed.")
    cited_docket = serializers.CharField(source="cited.case.docket")
    treatment = serializers.CharField()
    provision = serializers.CharField(source="provision.code")
    headnote = serializers.IntegerField(source="headnote.number", allow_null=True, default=None)
    reason = serializers.CharField()


class DigestChangeSerializer(serializers.Serializer):
    provision = serializers.CharField(source="code")
    change = serializers.CharField()
    rested_on = serializers.IntegerField(
        allow_null=True, help_text="Live decisions, that the caller may see, that rested on the old wording."
    )


class DigestRevisionSerializer(serializers.Serializer):
    number = serializers.IntegerField(source="revision.number")
    published_at = serializers.DateTimeField(source="revision.published_at")
    change_summary = serializers.CharField(source="revision.change_summary")
    rested_on = serializers.IntegerField()
    changes = DigestChangeSerializer(many=True)


class DigestPatternSerializer(serializers.Serializer):
    provision = serializers.CharField(source="provision.code")
    applied = serializers.IntegerField(help_text="Decisions of the month that applied it.")
    summary = serializers.CharField()


class DigestSerializer(serializers.Serializer):
    month = serializers.CharField(source="period.slug")
    label = serializers.CharField(source="period.label")
    decisions = DigestDecisionSerializer(many=True)
    status_changes = DigestStatusChangeSerializer(many=True)
    revisions = DigestRevisionSerializer(many=True)
    patterns = DigestPatternSerializer(many=True)
