from rest_framework import serializers

from core.serializers import StrictInput
from principles.choices import Change, ProvisionKind
from principles.models import Provision, ProvisionText, Revision
from principles.services import text_version


class ProvisionTextSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="provision.code")
    kind = serializers.ChoiceField(source="provision.kind", choices=ProvisionKind.choices)
    version = serializers.SerializerMethodField(
        help_text="This wording's ETag: send it as If-Match when setting it in a draft."
    )

    class Meta:
        model = ProvisionText
        fields = ["code", "kind", "title", "body", "version"]

    def get_version(self, text) -> str:
        return f'"{text_version(text)}"'


class ProvisionSerializer(serializers.ModelSerializer):
    """A provision with its wording in the revision in force (null if retired)."""

    current = serializers.SerializerMethodField()

    class Meta:
        model = Provision
        fields = ["code", "kind", "source", "current"]

    def get_current(self, provision) -> dict | None:
        text = self.context["current_texts"].get(provision.code)
        return None if text is None else {"title": text.title, "body": text.body}


class RevisionSerializer(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.username", read_only=True, allow_null=True)
    published_by = serializers.CharField(source="published_by.username", read_only=True, allow_null=True)

    class Meta:
        model = Revision
        fields = [
            "number",
            "state",
            "effective_date",
            "change_summary",
            "created_by",
            "created_at",
            "published_by",
            "published_at",
        ]
        read_only_fields = ["number", "state", "effective_date", "created_at", "published_at"]


class RevisionDetailSerializer(RevisionSerializer):
    texts = ProvisionTextSerializer(many=True, read_only=True)

    class Meta(RevisionSerializer.Meta):
        fields = [*RevisionSerializer.Meta.fields, "texts"]


class RevisionDraftSerializer(StrictInput, serializers.Serializer):
    change_summary = serializers.CharField(max_length=5000, allow_blank=True, required=False, default="")


class RevisionUpdateSerializer(StrictInput, serializers.Serializer):
    change_summary = serializers.CharField(max_length=5000, allow_blank=True, required=False)


class ProvisionTextInputSerializer(StrictInput, serializers.Serializer):
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=20000)
    kind = serializers.ChoiceField(
        choices=ProvisionKind.choices, required=False, help_text="Required when the code is new to the framework."
    )


class PublishSerializer(StrictInput, serializers.Serializer):
    effective_date = serializers.DateField(required=False, help_text="Defaults to today.")


class SegmentSerializer(serializers.Serializer):
    op = serializers.ChoiceField(choices=["equal", "insert", "delete"])
    text = serializers.CharField()


class TextSnapshotSerializer(serializers.Serializer):
    title = serializers.CharField()
    body = serializers.CharField()


class ProvisionChangeSerializer(serializers.Serializer):
    code = serializers.CharField()
    kind = serializers.ChoiceField(choices=ProvisionKind.choices)
    change = serializers.ChoiceField(choices=Change.choices)
    old = TextSnapshotSerializer(allow_null=True)
    new = TextSnapshotSerializer(allow_null=True)
    title_diff = SegmentSerializer(many=True, source="title_segments")
    body_diff = SegmentSerializer(many=True, source="body_segments")


class RevisionDiffSerializer(serializers.Serializer):
    from_revision = serializers.IntegerField(allow_null=True, help_text="Null when there is no earlier revision.")
    to_revision = serializers.IntegerField()
    changes = ProvisionChangeSerializer(many=True)


# "from" is a Python keyword, so this serializer's one field cannot be declared as a class attribute.
DiffQuerySerializer = type(
    "DiffQuerySerializer",
    (serializers.Serializer,),
    {
        "from": serializers.IntegerField(
            min_value=1, required=False, help_text="The revision to compare against; defaults to the one before."
        )
    },
)
