"""Who may read which entries: the log shows nobody an entry about a record they may not see.
The audit app knows no other app's records, so each app that keeps records hidden from some
readers says which a reader may see, as it starts (`limit`, from its AppConfig.ready)."""

from collections.abc import Callable

from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

# object_type (as audit.log.object_type names it) -> the records of it a user may see.
_visible: dict[str, Callable] = {}


def limit(object_type: str, visible_to: Callable[..., QuerySet | None]) -> None:
    """Entries about a record of `object_type` are shown only to readers who may see it:
    `visible_to(reader)` is the records they may (None: every one). An entry about a record
    since deleted is shown only to those who see every one."""
    _visible[object_type] = visible_to


def readable_by(user, events: QuerySet) -> QuerySet:
    """The entries of `events` that `user` may read."""
    for object_type, visible_to in _visible.items():
        visible = visible_to(user)
        if visible is None:
            continue
        keys = visible.annotate(key=Cast("pk", CharField())).values("key")
        events = events.exclude(Q(object_type=object_type) & ~Q(object_id__in=keys))
    return events
