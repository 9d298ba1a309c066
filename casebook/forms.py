from django import forms
from django.contrib.auth.forms import AuthenticationForm

from casebook.choices import STANCES_BY_KIND, ConditionStatus, DataCategory, Outcome, Treatment
from casebook.models import Case, Partner, User
from principles.models import CODE_PATTERN, Provision, Revision


class SignInForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "The username or password is not correct.",
    }


class PartnerForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = ["name", "kind", "country", "eligibility_notes"]
        widgets = {"eligibility_notes": forms.Textarea(attrs={"rows": 5})}


class CaseForm(forms.ModelForm):
    """The facts of a case, as its filer states them."""

    data_involved = forms.MultipleChoiceField(
        choices=DataCategory.choices, required=False, widget=forms.CheckboxSelectMultiple, label="Data involved"
    )

    class Meta:
        model = Case
        fields = [
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
        ]
        widgets = {
            "proposed_use": forms.Textarea(attrs={"rows": 8}),
            "safeguards": forms.CheckboxSelectMultiple,
            "access_list": forms.CheckboxSelectMultiple,
        }
        labels = {"safeguards": "Safeguards proposed", "restricted": "Restrict to a need-to-know list"}
        help_texts = {"access_list": "Who may see the case when it is restricted (you always can)."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = Revision.objects.in_force()
        self.fields["safeguards"].queryset = Provision.objects.filter(kind="safeguard", texts__revision=current)
        self.fields["safeguards"].label_from_instance = lambda p: f"{p.code} {p.texts.get(revision=current).title}"
        self.fields["access_list"].queryset = User.objects.filter(is_active=True, groups__isnull=False).distinct()
        self.fields["access_list"].label_from_instance = lambda u: f"{u.display_name} ({u.username})"
        if self.instance.pk:
            self.initial["data_involved"] = self.instance.data_categories

    def facts(self) -> dict:
        return dict(self.cleaned_data)


class TagsForm(forms.Form):
    """One stance and note per provision of the revision in force, grouped by kind."""

    def __init__(self, *args, texts, tags, **kwargs):
        super().__init__(*args, **kwargs)
        self.texts = texts
        for text in texts:
            code = text.provision.code
            existing = tags.get(code)
            choices = [("", "Not tagged")] + [(s.value, s.label) for s in STANCES_BY_KIND[text.provision.kind]]
            self.fields[f"stance_{code}"] = forms.ChoiceField(
                choices=choices,
                required=False,
                label=f"{code} {text.title}",
                initial=existing.stance if existing else "",
            )
            self.fields[f"note_{code}"] = forms.CharField(
                required=False,
                max_length=5000,
                label=f"Note on {code}",
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=existing.note if existing else "",
            )

    def rows(self):
        """(kind label, [(text, stance field, note field)]) in framework order."""
        grouped = {}
        for text in self.texts:
            code = text.provision.code
            grouped.setdefault(text.provision.get_kind_display(), []).append(
                (text, self[f"stance_{code}"], self[f"note_{code}"])
            )
        return list(grouped.items())

    def tags(self) -> list[dict]:
        return [
            {
                "code": t.provision.code,
                "stance": self.cleaned_data[f"stance_{t.provision.code}"],
                "note": self.cleaned_data[f"note_{t.provision.code}"],
            }
            for t in self.texts
            if self.cleaned_data[f"stance_{t.provision.code}"]
        ]


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(choices=Outcome.choices)
    holding = forms.CharField(
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The rule a later reviewer can cite, in a sentence or two.",
    )
    rationale = forms.CharField(max_length=50000, widget=forms.Textarea(attrs={"rows": 10}))
    public_digest = forms.CharField(
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What may be shared beyond the need-to-know list.",
    )
    review_by = forms.DateField(
        required=False,
        label="Continuing review by",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="For an engagement that goes ahead; twelve months from today if left empty.",
    )


class ConditionForm(forms.Form):
    text = forms.CharField(max_length=2000, label="Condition", widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.CharField(max_length=200, help_text="Who must meet it.")
    due_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))


ConditionFormSet = forms.formset_factory(ConditionForm, extra=3, max_num=20, validate_max=True)


class ConditionProgressForm(forms.Form):
    status = forms.ChoiceField(choices=ConditionStatus.choices)
    evidence = forms.CharField(
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="How it was met, or why it was waived.",
    )


class CitationForm(forms.Form):
    docket = forms.RegexField(
        regex=r"^NS-\d{4}-\d{4,}$",
        max_length=20,
        label="Cites the decision on",
        help_text="A docket number, such as NS-2026-0007.",
        error_messages={"invalid": "Use a docket number such as NS-2026-0007."},
    )
    provision = forms.RegexField(
        regex=rf"^{CODE_PATTERN}$",
        max_length=12,
        help_text="The provision, such as RL-1.",
        error_messages={"invalid": "Use a provision code such as RL-1."},
    )
    # A blank first choice, so that an untouched extra row counts as empty and is skipped.
    treatment = forms.ChoiceField(choices=[("", "Choose a treatment"), *Treatment.choices])
    reason = forms.CharField(max_length=500, help_text="A sentence on why.")


CitationFormSet = forms.formset_factory(CitationForm, extra=2, max_num=20, validate_max=True)
