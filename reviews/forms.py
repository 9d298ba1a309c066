from django import forms

from casebook.choices import Duty, Outcome
from casebook.models import User
from core.roles import Role


class AssignmentForm(forms.Form):
    person = forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True, groups__name__in=[Role.REVIEWER, Role.DECISION_MAKER]).distinct(),
        widget=forms.Select(attrs={"class": "usa-select"}),
    )
    duty = forms.ChoiceField(choices=Duty.choices, widget=forms.Select(attrs={"class": "usa-select"}))


class RecusalForm(forms.Form):
    statement = forms.CharField(label="Conflict of interest", widget=forms.Textarea, max_length=5000)


class OpinionForm(forms.Form):
    recommended_outcome = forms.ChoiceField(choices=Outcome.choices, widget=forms.Select(attrs={"class": "usa-select"}))
    reasoning = forms.CharField(widget=forms.Textarea(attrs={"class": "usa-textarea"}), max_length=20000)


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
