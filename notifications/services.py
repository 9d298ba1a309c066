"""Telling people what concerns them: in the app at once, by e-mail once the change that
prompted it is committed (through the outbox, so a broker that is down loses none)."""

from collections.abc import Iterable

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from audit import log as audit
from casebook.models import Case, User
from notifications.choices import NotificationKind
from notifications.models import Notification
from notifications.tasks import email_notification
from outbox.services import enqueue


def notify(
    *,
    recipients: Iterable[User | None],
    kind: NotificationKind,
    message: str,
    key: str,
    case: Case | None = None,
    anchor: str = "",
) -> list[Notification]:
    """Tell each active recipient about one event, named by `key`; someone already told
    about it is not told again. Returns the notifications made now. The link goes to the
    case, at `anchor` on its page when given."""
    url = reverse("case-detail", args=[case.pk]) if case is not None else ""
    if url and anchor:
        url = f"{url}#{anchor}"
    made = []
    for person in {p.pk: p for p in recipients if p is not None and p.is_active}.values():
        notification, created = Notification.objects.get_or_create(
            recipient=person,
            key=key,
            defaults={"kind": kind, "case": case, "message": message[:500], "url": url, "created_at": timezone.now()},
        )
        if created:
            made.append(notification)
            enqueue(email_notification, notification.pk)
    return made


def notification_mark_read(*, user: User, notification: Notification | None = None) -> int:
    """Mark one of the user's notifications read, or all of them."""
    unread = Notification.objects.unread().filter(recipient=user)
    if notification is not None:
        unread = unread.filter(pk=notification.pk)
    with transaction.atomic():
        marked = unread.update(read_at=timezone.now())
        if marked:
            audit.record(
                "notification.read",
                actor=user,
                obj=notification,
                # Not the notification's message, which may name a case kept from the log's readers.
                object_repr=f"notification #{notification.pk}" if notification else f"all of {user.username}'s",
                after={"count": marked},
            )
    return marked
