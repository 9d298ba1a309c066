from django import forms
from django.utils import timezone

from core import versions
from principles.choices import ProvisionKind
from principles.models import CODE_PATTERN, Revision


class AsOfForm(forms.Form):
    as_of = forms.DateField(required=False, label="As of", widget=forms.DateInput(attrs={"type": "date"}))


class CompareForm(forms.Form):
    def __init__(self, *args, revisions, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(r.number, f"{r} ({r.get_state_display().lower()})") for r in revisions]
        self.fields["from"] = forms.TypedChoiceField(choices=choices, coerce=int, label="Compare with")


class RevisionSummaryForm(forms.ModelForm):
    class Meta:
        model = Revision
        fields = ["change_summary"]
        widgets = {"change_summary": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"change_summary": "What this revision changes, and why. Shown with every diff."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["seen"] = versions.seen_field({"change_summary": self.instance.change_summary})


class ProvisionTextForm(forms.Form):
    title = forms.CharField(max_length=200)
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 10}), max_length=20000, help_text="Separate paragraphs with a blank line."
    )


class EditProvisionTextForm(ProvisionTextForm):
    """A provision's wording in a draft, from `snapshot` (as the editor read it)."""

    def __init__(self, *args, snapshot: dict, **kwargs):
        super().__init__(*args, initial=snapshot, **kwargs)
        self.fields["seen"] = versions.seen_field(snapshot)


class NewProvisionForm(ProvisionTextForm):
    code = forms.RegexField(
        regex=rf"^{CODE_PATTERN}$",
        max_length=12,
        help_text="For example RL-5 or S-12.",
        error_messages={"invalid": "Use a kind prefix (P, RL, F, S or A), a hyphen and a number."},
    )
    kind = forms.ChoiceField(choices=ProvisionKind.choices)
    field_order = ["code", "kind", "title", "body"]


class PublishForm(forms.Form):
    """Publishing a draft, as it stood when its diff was shown (`snapshot`)."""

    effective_date = forms.DateField(
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The date from which this revision is in force.",
    )

    def __init__(self, *args, snapshot: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seen"] = versions.seen_field(snapshot)
