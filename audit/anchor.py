"""The log's anchor outside the database: the newest committed head, signed, in a file
(settings.AUDIT_ANCHOR_FILE) that someone who can rewrite the database cannot. The signed
head in the database proves the log ends where it says, but an older copy of it, put back
after deleting the newest entries (or an emptied log with no head at all), looks as
genuine; the anchor only ever moves forward, so it catches both.

It is written after each append commits, so a rolled-back entry never moves it; a process
that dies between the commit and the write leaves it a little behind, which is harmless
(the log may be longer than its anchor, never shorter). Appends create it only with the
log's first entry and never replace one that is unreadable or forged: an anchor deleted or
spoilt stays so, for verification to report, until an operator has verified the log and
run `manage.py verify_audit --anchor` (as an installation from before anchors does once)."""

import fcntl
import json
import logging
import os
from pathlib import Path

from django.conf import settings

from audit.models import AuditHead

logger = logging.getLogger(__name__)


def path() -> Path:
    return Path(settings.AUDIT_ANCHOR_FILE)


def read() -> dict | None:
    """The anchor as last written ({"last_id", "last_hash", "signature"}), or None. One that
    cannot be read as that is UNREADABLE, which fails verification."""
    try:
        anchored = json.loads(path().read_text())
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return UNREADABLE
    if not isinstance(anchored, dict) or not isinstance(anchored.get("last_id"), int):
        return UNREADABLE
    return {
        "last_id": anchored["last_id"],
        "last_hash": str(anchored.get("last_hash", "")),
        "signature": str(anchored.get("signature", "")),
    }


UNREADABLE = {"last_id": None, "last_hash": "", "signature": ""}


def is_genuine(key: bytes, anchored: dict) -> bool:
    last_id = anchored.get("last_id")
    return isinstance(last_id, int) and anchored["signature"] == AuditHead.sign(key, last_id, anchored["last_hash"])


def advance(key: bytes, last_id: int, last_hash: str, *, create: bool = False) -> bool:
    """Move the anchor forward to entry `last_id`; never back (two writers may finish in
    either order). Without `create` (the log's first entry, or an operator's verify_audit
    --anchor) a missing anchor is not written, and a spoilt one is never replaced by an
    append. Returns whether it was written."""
    target = path()
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.with_name(target.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        current = read()
        if current is None and not create:
            logger.error("The audit log's anchor %s is missing; run verify_audit --anchor once it verifies.", target)
            return False
        if current is not None and not is_genuine(key, current):
            if not create:
                logger.error("The audit log's anchor %s is unreadable or forged; it is left for verification.", target)
                return False
        elif current is not None and current["last_id"] >= last_id:
            return False
        signed = {"last_id": last_id, "last_hash": last_hash, "signature": AuditHead.sign(key, last_id, last_hash)}
        written = target.with_name(target.name + ".new")
        with open(written, "w") as file:
            json.dump(signed, file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(written, target)
        return True
