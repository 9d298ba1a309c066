"""The change feed: how every committed change to the entries (and to the embeddings)
reaches the search engine and the similarity arrays kept beside it.

A change writes a row naming its case (IndexChange) in its own transaction, so the row
commits with the change or not at all, and no broker or worker needs to be up for it to
be kept. Whoever syncs, under the engine's one writer lock, reads every row committed so
far, whatever their order of ids (a transaction given a lower id may commit after one
given a higher), re-indexes those cases from the entries as they stand, commits the
index, and only then deletes the rows it applied. A sync that dies in between leaves its
rows to the next, which indexes the same cases again to the same documents: each change
takes effect once, however often it is delivered.

Searches sync before they read, so a change is searchable from its commit, for its
author and everyone else. A search that cannot sync (a rebuild holds the lock, the disk
refused) leaves out the cases with changes pending: the index may hide a case for a
moment, never show one its last commit took from a reader."""

import logging
from collections.abc import Callable, Iterable

import tantivy
from django.db import DatabaseError, connection, transaction

from casebook.models import Case
from precedent.models import IndexChange
from precedent.search import arrays, documents, engine

log = logging.getLogger(__name__)

# How long a search waits for another process's write before leaving out what it changes.
SYNC_WAIT = 0.5
BATCH = 2000


def record(case_ids: Iterable[int]) -> None:
    """Note, inside the change's transaction, that these cases' entries changed; once it
    commits, sync there and then, so the author's next search finds the change."""
    IndexChange.objects.bulk_create([IndexChange(case_id=case_id) for case_id in set(case_ids)])
    if not in_transaction():
        return  # nothing to wait for: the next search syncs
    transaction.on_commit(quietly_sync)


def in_transaction() -> bool:
    """Whether a transaction of ours is open: what it wrote may yet roll back, so it must
    not reach the index, which outlives it. (Django's TestCase wraps each test in blocks it
    marks as its own; the tests treat what happened inside them as committed.)"""
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def pending() -> list[tuple[int, int]]:
    """(change id, case id) of every change committed and not yet applied, oldest first."""
    return list(IndexChange.objects.order_by("pk").values_list("pk", "case_id"))


def sync(*, wait: float | None = SYNC_WAIT) -> frozenset[int]:
    """Apply every pending change to the index. Returns the cases whose changes could not
    be applied, for a search to leave out: none, unless another process held the writer
    for longer than `wait` seconds, the index could not be written, or a transaction is
    open (its own changes are not committed)."""
    waiting = pending()
    if not waiting and arrays.written(engine.current_path()):
        return frozenset()
    if in_transaction():
        return frozenset(case_id for _, case_id in waiting)
    try:
        with engine.writing(wait=wait) as writing:
            if not arrays.written(writing.path):  # a generation made before there were arrays
                arrays.write(writing.path, None)
            waiting = pending()  # afresh, now that nobody else writes
            for start in range(0, len(waiting), BATCH):
                apply(writing, {case_id for _, case_id in waiting[start : start + BATCH]})
        _forget([change_id for change_id, _ in waiting])
    except (engine.Busy, OSError, ValueError):  # the writer busy, the disk, or tantivy (ValueError): the rows stay
        log.warning("Could not bring the search index up to date; leaving out what changed", exc_info=True)
        return frozenset(case_id for _, case_id in pending())
    return frozenset()


def quietly_sync() -> None:
    # After a commit, for the author: the change is committed whatever happens here, and
    # the next search applies it if this could not.
    try:
        sync()
    except DatabaseError:  # sync keeps the engine's own failures to itself
        log.warning("Could not sync the search index after a commit", exc_info=True)


def apply(writing: engine.Writing, case_ids: set[int]) -> None:
    """Replace the documents of these cases with their entries as they stand, and their
    rows of the similarity arrays with their records."""
    for case_id in case_ids:
        writing.writer.delete_documents_by_term("case", case_id)
    for document in documents.engine_documents(case_ids):
        writing.writer.add_document(document)
    arrays.write(writing.path, case_ids)


def _forget(change_ids: list[int]) -> None:
    for start in range(0, len(change_ids), BATCH):
        IndexChange.objects.filter(pk__in=change_ids[start : start + BATCH]).delete()


def build(writing: engine.Writing, progress: Callable[[int, int], None] | None = None) -> Callable[[], None]:
    """Every entry into an empty index, and every case into its similarity arrays. The
    changes committed before it began are in what it reads, so it returns what forgets
    them, for after its commit; those committed while it read stay pending, and the next
    sync applies them."""
    seen = [change_id for change_id, _ in pending()]
    case_ids = list(Case.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(case_ids), BATCH):
        for document in documents.engine_documents(case_ids[start : start + BATCH]):
            writing.writer.add_document(document)
        if progress:
            progress(min(start + BATCH, len(case_ids)), len(case_ids))
    arrays.write(writing.path, None)
    return lambda: _forget(seen)


def rebuild(progress: Callable[[int, int], None] | None = None) -> None:
    """A new index built from every entry, put in the old one's place."""
    engine.rebuilding(lambda writing: build(writing, progress))


def differences() -> dict[str, list[int]]:
    """How the index differs from the entries, by entry id: those it lacks ("missing"),
    those whose document is out of date ("stale") and those it holds that are gone
    ("extra"); and by case id, the cases whose rows of the similarity arrays differ from
    their records ("similarity"). Cases with changes still pending are not counted: the
    next sync applies them."""
    searcher = engine.searcher()
    found = searcher.search(tantivy.Query.all_query(), max(1, searcher.num_docs)).hits
    addresses = [address for _, address in found]
    entries, cases, digests = (searcher.fast_field_values(name, addresses) for name in ("entry", "case", "digest"))
    indexed = {entry: (case, digest) for entry, case, digest in zip(entries, cases, digests, strict=True)}
    waiting = {case_id for _, case_id in pending()}
    missing, stale, seen = [], [], set()
    case_ids = list(Case.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(case_ids), BATCH):
        for fields in documents.engine_fields(case_ids[start : start + BATCH]):
            seen.add(fields["entry"])
            if fields["case"] in waiting:
                continue
            if fields["entry"] not in indexed:
                missing.append(fields["entry"])
            elif indexed[fields["entry"]][1] != fields["digest"]:
                stale.append(fields["entry"])
    extra = [entry for entry, (case_id, _) in indexed.items() if entry not in seen and case_id not in waiting]
    similarity = arrays.differences(engine.current_path(), waiting)
    return {"missing": sorted(missing), "stale": sorted(stale), "extra": sorted(extra), "similarity": similarity}
