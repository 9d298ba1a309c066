from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from audit.denials import get_visible_or_404
from casebook.access import refuse_if_recused
from casebook.models import Case, Partner
from casebook.search.similar import Draft, similar
from casebook.services import case_record_read
from core.forms import add_service_errors
from reviews.discussion import discussion_context
from reviews.forms import AssignmentForm, CommentForm, EscalationForm, OpinionForm, ReassessmentForm, RecusalForm
from reviews.services import (
    assignment_add,
    assignment_recuse,
    comment_add,
    escalation_record,
    opinion_file,
    reassessment_open,
)


def _case(request, pk) -> Case:
    return get_visible_or_404(request, Case.objects.visible_to(request.user), pk=pk)


@require_POST
def case_assign(request, pk):
    case = _case(request, pk)
    form = AssignmentForm(request.POST)
    if form.is_valid():
        try:
            assignment = assignment_add(case=case, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"{assignment.person.display_name} is assigned.")
    else:
        messages.error(request, "Choose a person and a duty.")
    return redirect("case-detail", pk=case.pk)


@require_POST
def case_recuse(request, pk):
    case = _case(request, pk)
    form = RecusalForm(request.POST)
    if form.is_valid():
        assignment_recuse(case=case, by=request.user, statement=form.cleaned_data["statement"])
        messages.success(request, "You are recused from this case.")
    else:
        messages.error(request, "State the conflict of interest to recuse.")
    return redirect("case-detail", pk=case.pk)


def case_opinion(request, pk):
    """An assigned reviewer files or revises their opinion."""
    case = _case(request, pk)
    mine = case.opinions.filter(author=request.user, decision__isnull=True).first()
    initial = {"recommended_outcome": mine.recommended_outcome, "reasoning": mine.reasoning} if mine else None
    form = OpinionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            opinion_file(case=case, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Opinion saved. You can revise it until the decision issues.")
            return redirect("case-detail", pk=case.pk)
    context = {
        "case": case,
        "form": form,
        "revising": mine is not None,
        "similarity": similar(user=request.user, draft=Draft.of(case)),
    }
    return render(request, "reviews/opinion_form.html", context)


@require_POST
def case_escalate(request, pk):
    case = _case(request, pk)
    form = EscalationForm(request.POST)
    if form.is_valid():
        try:
            escalation_record(case=case, by=request.user, reasons=form.cleaned_data["reasons"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Escalation recorded: the decision may now go beyond declining or terminating.")
    else:
        messages.error(request, "Give the reasons for the escalation.")
    return redirect("case-detail", pk=case.pk)


def case_comment(request, pk):
    """Post a comment. Through htmx the discussion is swapped in place; without it, a
    refused comment comes back on its own page with the error beside the field."""
    case = _case(request, pk)
    case_record_read(case=case, by=request.user)
    if request.method == "POST":
        refuse_if_recused(request, case, closed="its discussion is")
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            comment_add(case=case, by=request.user, body=form.cleaned_data["body"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if request.htmx:
                return render(request, "reviews/_comments.html", discussion_context(case, request.user))
            return redirect(f"{reverse('case-detail', args=[case.pk])}#comments")
    template = "reviews/_comments.html" if request.htmx else "reviews/comment_form.html"
    return render(request, template, discussion_context(case, request.user, form))


@require_POST
def partner_reassess(request, pk):
    partner = get_object_or_404(Partner, pk=pk)
    form = ReassessmentForm(request.POST)
    if form.is_valid():
        try:
            reassessment = reassessment_open(partner=partner, by=request.user, reasons=form.cleaned_data["reasons"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            # Counted as far as the opener may see: need-to-know covers counts too.
            count = reassessment.cases.filter(pk__in=Case.objects.visible_to(request.user)).count()
            messages.success(
                request,
                f"{partner} is under reassessment: {count} live engagement{'s' if count != 1 else ''} reopened.",
            )
            return redirect("partner-detail", pk=partner.pk)
    return render(request, "reviews/reassessment_form.html", {"partner": partner, "form": form})
