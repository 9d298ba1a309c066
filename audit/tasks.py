import logging

from celery import shared_task
from django.contrib.auth import get_user_model
from django.core.mail import send_mail

from audit import log as audit
from core.roles import ADMINS_AND_OVERSIGHT

log = logging.getLogger(__name__)


# Named as in the casebook app, where it was first, so that a run already queued still goes.
@shared_task(name="casebook.tasks.verify_audit_chain", acks_late=True)
def verify_audit_chain() -> dict:
    """Scheduled by beat: walk the audit chain and, if it is broken, tell the admins and
    oversight at once rather than at the operator's next `manage.py verify_audit`."""
    checked, failure = audit.verify()
    if failure is None:
        log.info("Audit chain verified: %s entries", checked)
        return {"checked": checked, "broken_at": None}
    log.error("Audit chain broken at entry %s: %s", failure.event_id, failure.reason)
    recipients = (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=ADMINS_AND_OVERSIGHT)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    send_mail(
        subject=f"Casebook audit chain broken at entry #{failure.event_id}",
        message=f"The audit log no longer verifies: entry #{failure.event_id} {failure.reason}. "
        f"{checked} entries before it verified. Run `manage.py verify_audit` and investigate.",
        from_email=None,
        recipient_list=sorted(recipients),
    )
    return {"checked": checked, "broken_at": failure.event_id}
