from django.db import models


class QueuedTask(models.Model):
    """A task a change asked for, written in the change's own transaction and deleted once
    the broker has it (outbox.relay), so that a committed change never loses its tasks."""

    task = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    # Taken by a relay that is sending it now; a claim older than CLAIM_EXPIRES is a relay
    # that died, and is taken again.
    claimed_at = models.DateTimeField(null=True, blank=True)
    # Counted only when the task itself failed (run in-process, without a broker); a broker
    # that is down costs no attempt, since waiting for it is all there is to do.
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"#{self.pk} {self.task}{tuple(self.args)}"
