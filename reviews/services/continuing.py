"""What comes due after a decision: continuing review of running engagements, and the
conditions falling due."""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from casebook.choices import CaseStatus, ConditionStatus
from casebook.models import Case, Condition, Decision, in_force
from notifications.choices import NotificationKind
from notifications.services import notify
from reviews.services.workflow import case_reopen


def reviews_reopen_due(*, today: date | None = None) -> list[Case]:
    """Continuing review: reopen each engagement whose decision in force is due for review,
    and tell its filer, decision-maker and the people assigned. Each case is reopened in its
    own transaction, so one failure leaves the others done and the next run retries it."""
    today = today or timezone.localdate()
    due = Decision.objects.filter(in_force(), review_by__lte=today, case__status=CaseStatus.DECIDED).select_related(
        "case__filed_by", "decided_by"
    )
    reopened = []
    for decision in due:
        with transaction.atomic():
            case = case_reopen(
                case=decision.case, by=None, reason=f"Continuing review, due {decision.review_by:%-d %B %Y}."
            )
            notify(
                recipients=case.people_concerned(),
                kind=NotificationKind.REVIEW_DUE,
                message=f"{case.docket} is reopened for its continuing review (due {decision.review_by:%-d %B %Y}).",
                key=f"review-due:{decision.pk}",
                case=case,
            )
        reopened.append(case)
    return reopened


def conditions_flag(*, today: date | None = None) -> dict[str, int]:
    """Announce the open conditions of decisions in force that fall due soon or are overdue
    to the case's filer and decision-maker, once each."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=settings.CONDITION_WARNING_DAYS)
    due = (
        Condition.objects.filter(in_force(via="decision"), status=ConditionStatus.OPEN, due_date__lte=horizon)
        .select_related("decision__case__filed_by", "decision__decided_by")
        .order_by("due_date", "id")
    )
    counts = {"due": 0, "overdue": 0}
    for condition in due:
        case = condition.decision.case
        overdue = condition.due_date < today
        when = f"was due {condition.due_date:%-d %B %Y}" if overdue else f"is due {condition.due_date:%-d %B %Y}"
        made = notify(
            recipients=[case.filed_by, condition.decision.decided_by],
            kind=NotificationKind.CONDITION_OVERDUE if overdue else NotificationKind.CONDITION_DUE,
            message=f"{case.docket}: the condition “{condition.text[:200]}” ({condition.owner}) {when}.",
            key=f"condition-{'overdue' if overdue else 'due'}:{condition.pk}",
            case=case,
        )
        counts["overdue" if overdue else "due"] += len(made)
    return counts
