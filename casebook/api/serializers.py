from rest_framework import serializers

from casebook.choices import DataCategory, Stance
from casebook.models import Case, Partner, Tag, User
from core.serializers import StrictInput
from principles.models import Provision


class TokenRequestSerializer(StrictInput, serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()
    expiry = serializers.DateTimeField(help_text="When the token stops working.")


class TokenRevokeSerializer(StrictInput, serializers.Serializer):
    all = serializers.BooleanField(default=False, help_text="Every token of the caller's, not only this one.")
    revoked = serializers.IntegerField(read_only=True)


class MeSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name", "email", "roles"]

    def get_roles(self, user) -> list[str]:
        return sorted(role.value for role in user.roles)


class PartnerSerializer(StrictInput, serializers.ModelSerializer):
    class Meta:
        model = Partner
        fields = ["id", "name", "kind", "country", "eligibility_notes", "created_at"]
        read_only_fields = ["created_at"]


class CaseSerializer(StrictInput, serializers.ModelSerializer):
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


class TagInputSerializer(StrictInput, serializers.Serializer):
    code = serializers.CharField(max_length=12)
    stance = serializers.ChoiceField(choices=Stance.choices)
    note = serializers.CharField(max_length=5000, allow_blank=True, required=False, default="")
