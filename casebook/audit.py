"""The audit trail: every change and every denied access, in one append-only hash chain.

`record` is the only writer. Each entry's hash covers its content and the previous
entry's hash, so editing, deleting, inserting or reordering any entry breaks the chain
from that point on, which `verify` finds.
"""

import contextvars
import json
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from casebook.models import AuditEvent, User

GENESIS = "0" * 64

# Set per request by casebook.middleware.RequestIdMiddleware, so that every entry a
# request writes carries its id without passing the request down to the services.
request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")


def _plain(value):
    """JSON-safe copy, so that what is hashed is exactly what the database returns."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _lock_chain() -> None:
    # Entries must be appended one at a time or two writers would share a prev_hash.
    # SQLite already serialises writers (transactions begin IMMEDIATE, see settings).
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('casebook.audit'))")


def record(
    action: str,
    *,
    actor: User | None,
    obj: models.Model | None = None,
    before: dict | None = None,
    after: dict | None = None,
    object_repr: str | None = None,
) -> AuditEvent:
    """Append one entry. Call it inside the transaction of the change it records, so the
    change and its entry are committed, or rolled back, together."""
    with transaction.atomic():
        _lock_chain()
        last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        actor = actor if actor is not None and actor.is_authenticated else None
        event = AuditEvent(
            at=timezone.now(),
            actor=actor,
            actor_username=actor.username if actor else "",
            action=action,
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            object_repr=(object_repr if object_repr is not None else str(obj) if obj is not None else "")[:200],
            before=_plain(before),
            after=_plain(after),
            request_id=request_id_var.get(),
            prev_hash=last or GENESIS,
        )
        event.hash = event.compute_hash()
        event.save()
        return event


@dataclass(frozen=True)
class ChainBreak:
    event_id: int
    reason: str


def verify() -> tuple[int, ChainBreak | None]:
    """Walk the whole chain in order. Returns how many entries were checked and the
    first break, if any."""
    expected_prev = GENESIS
    checked = 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if event.prev_hash != expected_prev:
            return checked, ChainBreak(
                event.pk,
                "its previous-hash does not match the entry before it (an entry was deleted, inserted or reordered)",
            )
        if event.compute_hash() != event.hash:
            return checked, ChainBreak(event.pk, "its content does not match its hash (the entry was edited)")
        expected_prev = event.hash
        checked += 1
    return checked, None
