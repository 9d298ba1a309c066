import hashlib
import hmac
import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from core.querysets import AppendOnlyQuerySet


class AuditEvent(models.Model):
    """One entry of the hash-chained audit log. Write through audit.log.record."""

    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=80, db_index=True)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=80, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    before = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    request_id = models.CharField(max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        # The tables keep the names they had in the casebook app.
        db_table = "casebook_auditevent"
        ordering = ["id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"#{self.pk} {self.action} {self.object_repr}".strip()

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit log is append-only.")

    def content(self) -> dict:
        """The fields the hash covers, in a form that survives a database round trip."""
        return {
            "at": self.at.isoformat(),
            "actor_id": self.actor_id,
            "actor": self.actor_username,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "object_repr": self.object_repr,
            "before": self.before,
            "after": self.after,
            "request_id": self.request_id,
            "prev_hash": self.prev_hash,
        }

    def compute_hash(self, key: bytes) -> str:
        # Keyed (HMAC), so that someone who can write to the database but does not hold
        # the key cannot forge an entry or re-chain the log after editing it.
        canonical = json.dumps(self.content(), sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder)
        return hmac.new(key, canonical.encode(), hashlib.sha256).hexdigest()


class AuditHead(models.Model):
    """The last entry of the audit log, signed. Without it, deleting entries from the end
    of the chain (or appending to it) would leave an intact-looking chain behind."""

    last_id = models.BigIntegerField()
    last_hash = models.CharField(max_length=64)
    signature = models.CharField(max_length=64)

    class Meta:
        db_table = "casebook_audithead"

    def __str__(self):
        return f"Audit head at #{self.last_id}"

    @staticmethod
    def sign(key: bytes, last_id: int, last_hash: str) -> str:
        return hmac.new(key, f"{last_id}:{last_hash}".encode(), hashlib.sha256).hexdigest()
