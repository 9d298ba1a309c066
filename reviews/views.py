from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from casebook.access import get_visible_or_404
from casebook.forms import add_service_errors
from casebook.models import Case
from reviews.forms import AssignmentForm, EscalationForm, OpinionForm, RecusalForm
from reviews.models import Notification
from reviews.services import (
    assignment_add,
    assignment_recuse,
    escalation_record,
    notification_mark_read,
    opinion_file,
)


def notification_list(request):
    notifications = Notification.objects.filter(recipient=request.user).select_related("case")
    page = Paginator(notifications, 50).get_page(request.GET.get("page"))
    return render(request, "reviews/notification_list.html", {"page": page})


@require_POST
def notification_read(request, pk):
    """Mark it read and go where it points."""
    notification = get_visible_or_404(request, Notification.objects.filter(recipient=request.user), pk=pk)
    notification_mark_read(user=request.user, notification=notification)
    return redirect(notification.url or "notification-list")


@require_POST
def notification_read_all(request):
    notification_mark_read(user=request.user)
    return redirect("notification-list")


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
    return render(request, "reviews/opinion_form.html", {"case": case, "form": form, "revising": mine is not None})


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
