"""Tasks take ids and fetch afresh: the row may have changed, or gone, since enqueueing."""

from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from notifications.models import Notification


@shared_task(
    # The name it had in the reviews app, so that e-mails queued before an upgrade still go.
    name="reviews.tasks.email_notification",
    autoretry_for=(SMTPException, OSError),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
)
def email_notification(notification_id: int) -> bool:
    """E-mail one notification, at most once: the send is claimed first, and the claim
    released if the mail server fails, so that the retry sends it."""
    claimed = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(emailed_at=timezone.now())
    if not claimed:
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    if not notification.recipient.email:
        return False
    try:
        send_mail(
            subject=f"Casebook: {notification.get_kind_display().lower()}",
            message=f"{notification.message}\n\n{settings.SITE_URL}{notification.url or '/'}",
            from_email=None,
            recipient_list=[notification.recipient.email],
        )
    except Exception:
        # Not swallowed: whatever failed, the mail was not sent, so give the claim back and
        # let the error through (SMTP and network errors are then retried with backoff).
        Notification.objects.filter(pk=notification_id).update(emailed_at=None)
        raise
    return True
