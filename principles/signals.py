"""What the framework tells the apps built on it. Receivers run synchronously, inside the
transaction that sent the signal, so what they write commits or rolls back with it."""

from django.dispatch import Signal

# Sent when a revision is published over an earlier one, with `revision` and `changed`
# (the codes of the provisions it rewords or retires). The precedent resting on them is
# re-examined: the citator's flags and legal's impact queue.
revision_published = Signal()
