from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.template.defaultfilters import pluralize

from casebook.choices import STANCES_BY_KIND, DataCategory
from casebook.models import Case, Partner, User
from casebook.services import case_snapshot, partner_snapshot
from core import versions
from principles.models import Provision, Revision

# How few attempts must be left before the sign-in form warns of the lockout to come.
LOCKOUT_WARNING_WITHIN = 2


def lockout_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


class SignInForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "The username or password is not correct.",
    }

    def lockout_warning(self) -> str:
        """What to say after a failure that leaves few attempts before django-axes locks this
        username and address out (nothing otherwise), so that the lockout is no surprise."""
        failures = getattr(self.request, "axes_failures_since_start", None)
        if not failures:
            return ""
        left = settings.AXES_FAILURE_LIMIT - failures
        if not 0 < left <= LOCKOUT_WARNING_WITHIN:
            return ""
        return (
            f"{left} attempt{pluralize(left)} left before signing in to this account from your address "
            f"is paused for {lockout_minutes()} minutes."
        )


class PartnerForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = ["name", "kind", "country", "eligibility_notes"]
        widgets = {"eligibility_notes": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["seen"] = versions.seen_field(partner_snapshot(self.instance))

    def facts(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "seen"}


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
            self.fields["seen"] = versions.seen_field(case_snapshot(self.instance))

    def facts(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "seen"}


class TagsForm(forms.Form):
    """One stance and note per provision of the revision in force, grouped by kind."""

    def __init__(self, *args, texts, tags, snapshot: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.texts = texts
        self.fields["seen"] = versions.seen_field(snapshot)
        for text in texts:
            code = text.provision.code
            existing = tags.get(code)
            choices = [("", "Not tagged")] + [(s.value, s.label) for s in STANCES_BY_KIND[text.provision.kind]]
            self.fields[f"stance_{code}"] = forms.ChoiceField(
                choices=choices,
                required=False,
                label=f"{code} {text.title}",
                initial=existing.stance if existing else "",
                # A row of segments, one click each: the page is 36 provisions long.
                widget=forms.RadioSelect(attrs={"class": "casebook-segment__input"}),
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
