"""Provision-by-provision comparison of two revisions, with a word-level diff of each text."""

import difflib
import re
from dataclasses import dataclass

from principles.choices import Change, ProvisionKind
from principles.models import Provision, ProvisionText, Revision

TOKEN = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Segment:
    op: str  # "equal", "insert" or "delete"
    text: str


@dataclass(frozen=True)
class ProvisionChange:
    provision: Provision
    change: Change
    old: ProvisionText | None
    new: ProvisionText | None
    title_segments: list[Segment]
    body_segments: list[Segment]
    # How many live decisions, that the reader may see, rested on the old wording (reliance).
    rested_on: int | None = None

    @property
    def code(self) -> str:
        return self.provision.code

    @property
    def kind(self) -> ProvisionKind:
        return ProvisionKind(self.provision.kind)


def word_diff(old: str, new: str) -> list[Segment]:
    """Segments that, read in order, show the deletions and insertions turning old into new."""
    a, b = TOKEN.findall(old), TOKEN.findall(new)
    segments: list[Segment] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op in ("equal",):
            segments.append(Segment("equal", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            segments.append(Segment("delete", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            segments.append(Segment("insert", "".join(b[j1:j2])))
    return segments


def revision_diff(old: Revision | None, new: Revision, *, changed_only: bool = False) -> list[ProvisionChange]:
    """How `new` differs from `old`; against no revision at all, everything is added."""
    before, after = old.texts_by_code() if old else {}, new.texts_by_code()
    provisions = {t.provision.code: t.provision for t in [*before.values(), *after.values()]}
    changes = []
    for code, provision in sorted(provisions.items(), key=lambda item: (item[1].position, item[1].id)):
        was, now = before.get(code), after.get(code)
        if was is None:
            change = Change.ADDED
        elif now is None:
            change = Change.RETIRED
        elif now.same_wording(was):
            change = Change.UNCHANGED
        else:
            change = Change.CHANGED
        if change == Change.UNCHANGED:
            if changed_only:
                continue
            # Nothing to align: skip the word diff, the costly part of comparing revisions.
            title, body = [Segment("equal", now.title)], [Segment("equal", now.body)]
        else:
            title = word_diff(was.title if was else "", now.title if now else "")
            body = word_diff(was.body if was else "", now.body if now else "")
        changes.append(
            ProvisionChange(
                provision=provision,
                change=change,
                old=was,
                new=now,
                title_segments=title,
                body_segments=body,
            )
        )
    return changes
