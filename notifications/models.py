from django.conf import settings
from django.db import models

from notifications.choices import NotificationKind


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """Something a person should know about, shown in the app and sent by e-mail once.
    `key` names the event, so telling someone about the same event twice adds nothing."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notifications")
    kind = models.CharField(max_length=30, choices=NotificationKind.choices)
    case = models.ForeignKey("casebook.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    message = models.CharField(max_length=500)
    url = models.CharField(max_length=200, blank=True)
    key = models.CharField(max_length=120)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        db_table = "reviews_notification"  # the table it had in the reviews app
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="one_notification_per_event")]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return f"{self.recipient}: {self.message[:60]}"
