"""Telling people what concerns them: in the app at once, by e-mail once the change that
prompted it is committed."""

from collections.abc import Iterable
from datetime import date, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from casebook.choices import ConditionStatus
from casebook.models import Case, Condition, User
from reviews.choices import NotificationKind
from reviews.models import Notification
from reviews.tasks import email_notification


def notify(
    *, recipients: Iterable[User | None], kind: NotificationKind, message: str, key: str, case: Case | None = None
) -> list[Notification]:
    """Tell each active recipient about one event, named by `key`; someone already told
    about it is not told again. Returns the notifications made now."""
    url = reverse("case-detail", args=[case.pk]) if case is not None else ""
    made = []
    for person in {p.pk: p for p in recipients if p is not None and p.is_active}.values():
        notification, created = Notification.objects.get_or_create(
            recipient=person,
            key=key,
            defaults={"kind": kind, "case": case, "message": message[:500], "url": url, "created_at": timezone.now()},
        )
        if created:
            made.append(notification)
            transaction.on_commit(partial(email_notification.delay, notification.pk))
    return made


def notification_mark_read(*, user: User, notification: Notification | None = None) -> int:
    """Mark one of the user's notifications read, or all of them."""
    unread = Notification.objects.unread().filter(recipient=user)
    if notification is not None:
        unread = unread.filter(pk=notification.pk)
    return unread.update(read_at=timezone.now())


def conditions_flag(*, today: date | None = None) -> dict[str, int]:
    """Announce the open conditions of decisions in force that fall due soon or are overdue
    to the case's filer and decision-maker, once each."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=settings.CONDITION_WARNING_DAYS)
    due = (
        Condition.objects.filter(
            status=ConditionStatus.OPEN, due_date__lte=horizon, decision__superseded_by__isnull=True
        )
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
