from django.core.mail.backends.base import BaseEmailBackend


class Backend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("mail server down")


class Slow(BaseEmailBackend):
    """A mail server that takes a while, and notes the outbox rows that a relay working
    alongside would take while one is being sent (their claim looks expired)."""

    seconds = 0.3
    free_while_sending: list = []

    def send_messages(self, email_messages):
        import time

        from django.utils import timezone

        from outbox import services
        from outbox.models import QueuedTask

        held = QueuedTask.objects.filter(claimed_at__isnull=False)
        Slow.free_while_sending += list(held.filter(claimed_at__lt=timezone.now() - services.CLAIM_EXPIRES))
        time.sleep(self.seconds)
        return len(email_messages)
