from django import forms

from casebook.choices import STANCES_BY_KIND, ConditionStatus, Duty, Outcome, Stance, Treatment
from casebook.models import Case, User
from core import versions
from core.roles import Role
from principles.models import CODE_PATTERN, Revision


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person: User) -> str:
        """By name, with what they do: "Robin Second (reviewer)"."""
        roles = ", ".join(sorted(Role(role).label.lower() for role in person.roles))
        return f"{person.display_name} ({roles})"


class AssignmentForm(forms.Form):
    """Whom to assign to `case`: anyone who reviews or decides, except its filer."""

    person = PersonChoiceField(
        queryset=User.objects.filter(is_active=True, groups__name__in=[Role.REVIEWER, Role.DECISION_MAKER])
        .distinct()
        .order_by("first_name", "last_name", "username"),
        widget=forms.Select(attrs={"class": "usa-select"}),
    )
    duty = forms.ChoiceField(choices=Duty.choices, widget=forms.Select(attrs={"class": "usa-select"}))

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = self.fields["person"].queryset.exclude(pk=case.filed_by_id)


class RecusalForm(forms.Form):
    statement = forms.CharField(label="Conflict of interest", widget=forms.Textarea, max_length=5000)


class OpinionForm(forms.Form):
    """A reviewer's opinion: no outcome chosen for them, and a stance on any provision in
    force where they would tag the case otherwise than its filer did (their proposed tags)."""

    recommended_outcome = forms.ChoiceField(choices=[("", "Choose the outcome"), *Outcome.choices])
    reasoning = forms.CharField(widget=forms.Textarea, max_length=20000)

    def __init__(self, *args, case: Case, proposed: list[dict] = (), **kwargs):
        super().__init__(*args, **kwargs)
        tagged = {tag.provision.code: tag for tag in case.tags.select_related("provision")}
        chosen = {tag["code"]: tag["stance"] for tag in proposed}
        current = Revision.objects.in_force()
        self.proposals = []
        for code, text in (current.texts_by_code() if current else {}).items():
            tag = tagged.get(code)
            keep = f"As tagged: {tag.get_stance_display().lower()}" if tag else "As tagged: not tagged"
            stances = [(s, Stance(s).label) for s in STANCES_BY_KIND[text.provision.kind] if not tag or s != tag.stance]
            name = f"propose_{code}"
            label = f"{code} {text.title}"
            initial = chosen.get(code, "")
            self.fields[name] = forms.ChoiceField(
                choices=[("", keep), *stances], required=False, label=label, initial=initial
            )
            self.proposals.append(self[name])

    def clean(self):
        data = super().clean()
        proposed = {name.removeprefix("propose_"): data.pop(name) for name in list(data) if name.startswith("propose_")}
        data["proposed_tags"] = [{"code": code, "stance": stance} for code, stance in proposed.items() if stance]
        return data


class EscalationForm(forms.Form):
    reasons = forms.CharField(widget=forms.Textarea(attrs={"class": "usa-textarea"}), max_length=20000)


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Comment",
        help_text="Mention someone with @username to tell them.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )


class ReassessmentForm(forms.Form):
    reasons = forms.CharField(
        label="Why the partner is reassessed",
        help_text="Every live engagement with this partner reopens for a new decision.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20000,
    )


class DecisionForm(forms.Form):
    # No outcome until the decision-maker chooses one: the precedent check reads it.
    outcome = forms.ChoiceField(choices=[("", "Choose the outcome"), *Outcome.choices])
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


ConditionFormSet = forms.formset_factory(ConditionForm, extra=1, max_num=20, validate_max=True)


class ConditionProgressForm(forms.Form):
    """Progress on a condition, from `snapshot` (reviews.services.condition_snapshot)."""

    status = forms.ChoiceField(choices=ConditionStatus.choices)
    evidence = forms.CharField(
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="How it was met, or why it was waived.",
    )

    def __init__(self, *args, snapshot: dict, **kwargs):
        super().__init__(*args, initial=snapshot, **kwargs)
        self.fields["seen"] = versions.seen_field(snapshot)

    def progress(self) -> dict:
        return {"status": self.cleaned_data["status"], "evidence": self.cleaned_data["evidence"]}


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
    headnote = forms.IntegerField(
        min_value=1,
        max_value=100,
        required=False,
        label="Headnote",
        help_text="The one point of law of it you rely on or treat (its hn number), if one.",
    )
    # A blank first choice, so that an untouched extra row counts as empty and is skipped.
    treatment = forms.ChoiceField(choices=[("", "Choose a treatment"), *Treatment.choices])
    reason = forms.CharField(max_length=500, help_text="A sentence on why.")

    def __init__(self, *args, dockets_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        # Typeahead: the docket offers the decisions the reader may cite as they type
        # (htmx fills the list), the provision the codes in force.
        self.fields["docket"].widget.attrs |= {"list": "docket-options", "autocomplete": "off"}
        if dockets_url:
            self.fields["docket"].widget.attrs |= {
                "hx-get": dockets_url,
                "hx-trigger": "input changed delay:250ms",
                "hx-target": "#docket-options",
                "hx-swap": "innerHTML",
            }
        self.fields["provision"].widget.attrs |= {"list": "provision-options", "autocomplete": "off"}


# One empty row to start with; the page adds and removes rows (js/rows.js).
CitationFormSet = forms.formset_factory(CitationForm, extra=1, max_num=20, validate_max=True)


class HeadnoteForm(forms.Form):
    """One headnote: a point of law keyed to a provision (and the stance it concerns)."""

    provision = forms.ChoiceField(required=False)
    stance = forms.ChoiceField(choices=[("", "Any stance"), *Stance.choices], required=False)
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        required=False,
        label="Point of law",
        help_text="A sentence or two; empty the row to drop it.",
    )

    def __init__(self, *args, provisions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provision"].choices = [("", "Choose a provision"), *provisions]

    def clean(self):
        data = super().clean()
        if not (data.get("text") or "").strip():
            return {}  # an emptied row: dropped
        if not data.get("provision"):
            self.add_error("provision", "Choose the provision this point of law concerns.")
        return data


HeadnoteFormSet = forms.formset_factory(HeadnoteForm, extra=2, max_num=20, validate_max=True)


class HeadnotesForm(forms.Form):
    """What the headnote rows were edited from (core.versions)."""

    def __init__(self, *args, snapshot: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seen"] = versions.seen_field(snapshot)
