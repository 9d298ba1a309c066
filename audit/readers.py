"""Who may read which entries: the log shows nobody an entry about a record they may not see.
The audit app knows no other app's records, so each app that keeps records hidden from some
readers says which, for a reader, as it starts (`hide`, from its AppConfig.ready)."""

from collections.abc import Callable

from django.db.models import CharField, QuerySet
from django.db.models.functions import Cast

# object_type (as audit.log.object_type names it) -> the records of it hidden from a user.
_hidden: dict[str, Callable] = {}


def hide(object_type: str, hidden_from: Callable[..., QuerySet]) -> None:
    """Entries about a record of `object_type` are shown only to readers from whom
    `hidden_from(reader)` does not hide it."""
    _hidden[object_type] = hidden_from


def readable_by(user, events: QuerySet) -> QuerySet:
    """The entries of `events` that `user` may read."""
    for object_type, hidden_from in _hidden.items():
        hidden = hidden_from(user).annotate(key=Cast("pk", CharField())).values("key")
        events = events.exclude(object_type=object_type, object_id__in=hidden)
    return events
