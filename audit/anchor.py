"""The log's anchor outside the database: the newest committed head, signed, in a file
(settings.AUDIT_ANCHOR_FILE) that someone who can rewrite the database cannot. The signed
head in the database proves the log ends where it says, but an older copy of it, put back
after deleting the newest entries (or an emptied log with no head at all), looks as
genuine; the anchor only ever moves forward, so it catches both.

It is written after each append commits, so a rolled-back entry never moves it; a process
that dies between the commit and the write leaves it a little behind, which is harmless
(the log may be longer than its anchor, never shorter). With no anchor file yet (a new
installation, or one from before anchors), nothing is checked against it; `manage.py
verify_audit --anchor` writes one after a verification succeeds."""

import fcntl
import json
import os
from pathlib import Path

from django.conf import settings

from audit.models import AuditHead


def path() -> Path:
    return Path(settings.AUDIT_ANCHOR_FILE)


def read() -> dict | None:
    """The anchor as last written ({"last_id", "last_hash", "signature"}), or None."""
    try:
        return json.loads(path().read_text())
    except FileNotFoundError:
        return None
    except ValueError:
        return {"last_id": None, "last_hash": "", "signature": ""}  # unreadable: fails verification


def advance(key: bytes, last_id: int, last_hash: str) -> None:
    """Move the anchor forward to entry `last_id`; never back (two writers may finish in
    either order)."""
    target = path()
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.with_name(target.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        current = read()
        if current and isinstance(current.get("last_id"), int) and current["last_id"] >= last_id:
            return
        signed = {"last_id": last_id, "last_hash": last_hash, "signature": AuditHead.sign(key, last_id, last_hash)}
        written = target.with_name(target.name + ".new")
        with open(written, "w") as file:
            json.dump(signed, file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(written, target)
