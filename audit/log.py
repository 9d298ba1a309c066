"""The audit trail: every change and every denied access, in one append-only hash chain.

`record` writes every new entry; `append` is the same step for entries that happened
elsewhere (a merged casebook's log). Each entry's hash is an HMAC, under a key kept outside the
database (settings.AUDIT_KEY), of its content and the previous entry's hash; a signed
head records the last entry. Editing, deleting, inserting or reordering entries anywhere,
the last ones included, breaks the chain or the head, which `verify` finds; cutting the
log back and putting an older head in place, or emptying it, contradicts its anchor outside
the database (audit.anchor). What it cannot catch is someone who holds the key as well as
the database, and the anchor's file as well.
"""

import json
from dataclasses import dataclass
from functools import partial

from django.apps import apps
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from audit import anchor
from audit.models import AuditEvent, AuditHead
from core.context import request_id_var
from core.locks import transaction_lock

GENESIS = "0" * 64


# The log names a record by its model's label when the log began naming it. Models that
# moved to another app since keep their first label here, so that one record's history
# stays under one name: entries already written can never be renamed.
FIRST_LABELS = {
    "audit.auditevent": "casebook.auditevent",
    "audit.audithead": "casebook.audithead",
    "casebook.assignment": "reviews.assignment",
    "notifications.notification": "reviews.notification",
    "precedent.caseembedding": "casebook.caseembedding",
    "precedent.impactitem": "casebook.impactitem",
    "precedent.savedsearch": "casebook.savedsearch",
    "precedent.searchentry": "casebook.searchentry",
    "precedent.similarityfeedback": "casebook.similarityfeedback",
}


def object_type(record: models.Model) -> str:
    """How the log names `record`'s kind (through _meta, which a lazy request.user passes on)."""
    label = record._meta.label_lower
    return FIRST_LABELS.get(label, label)


def model_named(name: str) -> type[models.Model] | None:
    """The model whose records the log names `name`, if any."""
    label = {first: now for now, first in FIRST_LABELS.items()}.get(name, name)
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _key() -> bytes:
    return settings.AUDIT_KEY.encode()


def _text(value: str) -> str:
    # PostgreSQL cannot store NUL; a denied request's path may well contain one.
    return value.replace("\x00", "\\x00")


def _plain(value):
    """JSON-safe copy, so that what is hashed is exactly what the database returns."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder).replace("\\u0000", "\\\\x00"))


def record(
    action: str,
    *,
    actor: AbstractBaseUser | None,
    obj: models.Model | None = None,
    before: dict | None = None,
    after: dict | None = None,
    object_repr: str | None = None,
) -> AuditEvent:
    """Append one entry. Call it inside the transaction of the change it records, so the
    change and its entry are committed, or rolled back, together."""
    actor = actor if actor is not None and actor.is_authenticated else None
    return append(
        at=timezone.now(),
        actor=actor,
        actor_username=actor.username if actor else "",
        action=action,
        object_type=object_type(obj) if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=_text(object_repr if object_repr is not None else str(obj) if obj is not None else "")[:200],
        before=_plain(before),
        after=_plain(after),
        request_id=request_id_var.get(),
    )


def append(**fields) -> AuditEvent:
    """Chain one entry, given all its fields but the hashes, onto the end of the log."""
    with transaction.atomic():
        # Entries must be appended one at a time or two writers would share a prev_hash.
        transaction_lock("casebook.audit")
        last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        event = AuditEvent(**fields, prev_hash=last or GENESIS)
        event.hash = event.compute_hash(_key())
        event.save()
        signature = AuditHead.sign(_key(), event.pk, event.hash)
        AuditHead.objects.update_or_create(
            pk=1, defaults={"last_id": event.pk, "last_hash": event.hash, "signature": signature}
        )
        # Robust: the entry is committed whatever befalls the file; a later append moves it on.
        first = event.prev_hash == GENESIS
        transaction.on_commit(partial(anchor.advance, _key(), event.pk, event.hash, create=first), robust=True)
        return event


def record_changes(
    action: str, *, actor: AbstractBaseUser | None, obj: models.Model, before: dict, after: dict
) -> None:
    """Record only what changed between two snapshots of a record; nothing if nothing did."""
    changed = [key for key in after if before.get(key) != after[key]]
    if changed:
        record(
            action,
            actor=actor,
            obj=obj,
            before={k: before.get(k) for k in changed},
            after={k: after[k] for k in changed},
        )


@dataclass(frozen=True)
class ChainBreak:
    event_id: int
    reason: str


def verify(*, anchored: bool = True) -> tuple[int, ChainBreak | None]:
    """Walk the whole chain in order, then check it ends where the signed head says and
    reaches its anchor outside the database. Returns how many entries were checked and the
    first break, if any. `anchored=False` lets a log have no anchor yet (before its first
    verify_audit --anchor); one that is there is checked all the same."""
    key = _key()
    expected_prev = GENESIS
    checked, last = 0, None
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if event.prev_hash != expected_prev:
            return checked, ChainBreak(
                event.pk,
                "its previous-hash does not match the entry before it (an entry was deleted, inserted or reordered)",
            )
        if event.compute_hash(key) != event.hash:
            return checked, ChainBreak(event.pk, "its content does not match its hash (the entry was edited or forged)")
        expected_prev, last = event.hash, event
        checked += 1
    head = AuditHead.objects.filter(pk=1).first()
    if last is None and head is None:
        return 0, _check_anchor(key, 0, anchored=anchored)  # a new log, unless its anchor remembers entries
    last_id = last.pk if last else 0
    if head is None or head.signature != AuditHead.sign(key, head.last_id, head.last_hash):
        return checked, ChainBreak(last_id, "the signed head of the log is missing or forged")
    if (head.last_id, head.last_hash) != (last_id, last.hash if last else ""):
        return checked, ChainBreak(
            last_id,
            f"the log ends here but its signed head records entry #{head.last_id} "
            "(entries were deleted from, or appended to, the end)",
        )
    return checked, _check_anchor(key, last_id, anchored=anchored)


def anchor_at_end() -> int:
    """Anchor the log at its last entry, replacing any anchor there was (an installation from
    before anchors, or one restored from a backup); returns the entry's id. Call it once the
    log has been verified (verify(anchored=False))."""
    last = AuditEvent.objects.order_by("-id").only("hash").first()
    if last is None:
        return 0
    anchor.advance(_key(), last.pk, last.hash, create=True)
    return last.pk


def _check_anchor(key: bytes, last_id: int, *, anchored: bool) -> ChainBreak | None:
    """The log must reach at least as far as its anchor, through the very entry it names."""
    record = anchor.read()
    if record is None:
        if not anchored or last_id == 0:
            return None
        return ChainBreak(
            last_id,
            f"the log holds entries but it has no anchor outside the database ({anchor.path()}): the anchor "
            "was deleted, or this installation predates anchors (verify_audit --anchor writes one)",
        )
    if not anchor.is_genuine(key, record):
        return ChainBreak(last_id, f"its anchor outside the database ({anchor.path()}) is unreadable or forged")
    anchored_id, anchored_hash = record["last_id"], record["last_hash"]
    if not AuditEvent.objects.filter(pk=anchored_id, hash=anchored_hash).exists():
        return ChainBreak(
            last_id,
            f"the log ends at entry #{last_id} but its anchor outside the database records entry "
            f"#{anchored_id} (the newest entries were deleted and an older head put back, or the log emptied; "
            "if the database was reset on purpose, delete the anchor and run verify_audit --anchor)",
        )
    return None
