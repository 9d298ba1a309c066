from rest_framework import serializers

from casebook.choices import Stance
from casebook.models import User
from reviews.choices import Duty
from reviews.models import Assignment, Escalation, Opinion


class AssignmentSerializer(serializers.ModelSerializer):
    person = serializers.CharField(source="person.username")
    assigned_by = serializers.CharField(source="assigned_by.username", allow_null=True)

    class Meta:
        model = Assignment
        fields = ["id", "person", "duty", "assigned_by", "assigned_at", "recused_at", "recusal_statement"]


class AssignmentInputSerializer(serializers.Serializer):
    person = serializers.SlugRelatedField(slug_field="username", queryset=User.objects.filter(is_active=True))
    duty = serializers.ChoiceField(choices=Duty.choices)


class RecusalSerializer(serializers.Serializer):
    statement = serializers.CharField(max_length=5000, help_text="The conflict of interest.")


class ProposedTagSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=12)
    stance = serializers.ChoiceField(choices=Stance.choices)


class OpinionSerializer(serializers.ModelSerializer):
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


class EscalationSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.username", read_only=True)
    reasons = serializers.CharField(max_length=20000)

    class Meta:
        model = Escalation
        fields = ["id", "by", "reasons", "created_at"]
        read_only_fields = ["created_at"]
