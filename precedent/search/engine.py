"""The search engine: a tantivy index of the entries on disk, in settings.SEARCH_INDEX_DIR,
one for the embedded default and production alike. The database is the source of truth;
this index is derived from it, fed by the change feed (precedent.search.feed), and can be
built again from it at any time.

One writer at a time: whoever writes (a sync, a rebuild) holds an exclusive lock on a file
beside the index, so gunicorn's workers and Celery's may all write in turn. Readers never
wait for it: each process opens the index once, memory-maps its files (so the processes
of a host share one copy, in the page cache), and reloads it when a writer has committed.

The directory holds `lock`, `current` (the name of the generation readers open) and the
generations, each a tantivy index: a rebuild writes a new one beside the old and then
points `current` at it, so readers move over between two searches and never see a half
built index."""

import fcntl
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import tantivy
from django.conf import settings

log = logging.getLogger(__name__)

# The texts, with what a match in each is worth: title and holding above the proposed use,
# the rationale and, least, the notes (docket, partner, tag notes, digest, conditions).
TEXTS = {"title": 10.0, "holding": 10.0, "proposed_use": 4.0, "rationale": 2.0, "notes": 1.0}
# The passages a snippet may come from, in the order they are preferred: the title, shown
# anyway, only when the words matched nothing else.
SNIPPET_TEXTS = ("holding", "proposed_use", "rationale", "notes", "title")
# Values kept whole, for filters (the term) and facets (a fast column), several per entry
# where a case has several (its tags, provisions, stances and kinds of data).
KEYWORDS = ("outcome", "country", "country_key", "mission_area", "architecture", "precedent", "year")
KEYWORD_LISTS = ("tag", "provision", "stance", "data")
NUMBERS = ("entry", "case", "partner", "recency", "cited", "digest")
FLAGS = ("open", "candidate")
DATES = ("issued_at",)
# A writer's memory for documents not yet written out: tantivy's least is 15 MB a thread.
SYNC_HEAP = 20_000_000
REBUILD_HEAP = 200_000_000


def schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    for name in NUMBERS:
        builder.add_integer_field(name, indexed=True, fast=True)
    for name in FLAGS:
        builder.add_boolean_field(name, indexed=True)
    for name in DATES:
        builder.add_date_field(name, indexed=True, fast=True)
    for name in (*KEYWORDS, *KEYWORD_LISTS):
        builder.add_text_field(name, tokenizer_name="raw", fast=True)
    # Not stored: snippets are made from the entries' own texts, read from the database.
    for name in TEXTS:
        builder.add_text_field(name, tokenizer_name="en_stem", index_option="position")
    return builder.build()


SCHEMA = schema()
# The words of a query, as the texts' tokenizer (en_stem) makes them: split on anything
# not a letter or digit, lower-cased, stemmed by the Snowball English stemmer.
ANALYZER = (
    tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
    .filter(tantivy.Filter.remove_long(40))
    .filter(tantivy.Filter.lowercase())
    .filter(tantivy.Filter.stemmer("english"))
    .build()
)


class Busy(Exception):
    """Another process has been writing for longer than this one would wait."""


def directory() -> Path:
    return Path(settings.SEARCH_INDEX_DIR)


# Part of each generation's name: an index written for another schema is never opened, but
# built again, once, by whoever comes first after an upgrade. Raise it when SCHEMA changes.
SCHEMA_VERSION = 2


def _generation() -> str | None:
    try:
        name = (directory() / "current").read_text().strip()
    except FileNotFoundError:
        return None
    return name if name.startswith(f"v{SCHEMA_VERSION}-") else None


@dataclass
class _Opened:
    generation: str
    index: tantivy.Index
    committed: tuple[int, int]  # meta.json's inode and change time when last reloaded


_opened: _Opened | None = None
_opening = threading.Lock()


def generation_path() -> Path | None:
    """The directory of the generation readers open; None before the first is made."""
    generation = _generation()
    return directory() / generation if generation else None


def current_path() -> Path:
    """The directory of the generation readers open, made first when there is none."""
    path = generation_path()
    if path is None:
        with _locked(None):
            path = directory() / _made()
    return path


def searcher() -> tantivy.Searcher:
    """A searcher over the index as last committed. Opens the index the first time, the new
    generation after a rebuild, and reloads after any other commit: a stat of one file,
    which each commit replaces (a new inode, whatever the clock's resolution)."""
    global _opened
    with _opening:
        path = current_path()
        generation = path.name
        meta = (path / "meta.json").stat()
        committed = (meta.st_ino, meta.st_mtime_ns)
        if _opened is None or _opened.generation != generation:
            index = tantivy.Index.open(str(path))
            index.config_reader("manual")
            _opened = _Opened(generation, index, committed)
        elif _opened.committed != committed:
            _opened.index.reload()
            _opened.committed = committed
        return _opened.index.searcher()


def forget() -> None:
    """Close this process's index (the tests do, as each test's database starts again)."""
    global _opened
    with _opening:
        _opened = None


@contextmanager
def _locked(wait: float | None) -> Iterator[None]:
    """The writer's lock: waited for up to `wait` seconds (None: as long as it takes)."""
    directory().mkdir(parents=True, exist_ok=True)
    with open(directory() / "lock", "a") as handle:
        if wait is None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        else:
            deadline = time.monotonic() + wait
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise Busy("The search index is being written by another process.") from None
                    time.sleep(0.005)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _commit(writer: tantivy.IndexWriter) -> None:
    writer.commit()
    # Files no commit refers to any more (segments merged away) are deleted now, and the
    # merges the commit started are waited for, so that none is abandoned half done.
    writer.garbage_collect_files()
    writer.wait_merging_threads()


@dataclass
class Writing:
    """The one writer: the engine's, and the generation's directory, where the indexer
    writes what else it keeps beside the engine's index (precedent.search.arrays)."""

    writer: tantivy.IndexWriter
    path: Path


@contextmanager
def writing(*, wait: float | None = None) -> Iterator[Writing]:
    """The index's one writer, under the lock; what it wrote is committed on leaving."""
    with _locked(wait):
        path = directory() / _made()
        writer = tantivy.Index.open(str(path)).writer(heap_size=SYNC_HEAP, num_threads=1)
        try:
            yield Writing(writer, path)
        except BaseException:
            writer.rollback()
            writer.wait_merging_threads()  # and let go of tantivy's own lock, now, not when collected
            raise
        _commit(writer)


def rebuilding(build: Callable[[Writing], Callable[[], None]]) -> None:
    """A new generation made by `build`, and readers pointed at it."""
    with _locked(None):
        _new_generation(build)


def _made() -> str:
    """Under the lock: the current generation, made first from every entry (feed.build)
    when there is none yet."""
    from precedent.search import feed

    return _generation() or _new_generation(feed.build)


def _new_generation(build: Callable[[Writing], Callable[[], None]]) -> str:
    """Under the lock: a fresh index filled by `build(writing)` in a directory of its own,
    made the current one, and the others deleted (a reader still holding one keeps its
    files until it lets go: they are memory-mapped). What `build` returns is called once
    the new index is the current one."""
    name = f"v{SCHEMA_VERSION}-g{time.time_ns()}-{os.getpid()}"
    path = directory() / name
    path.mkdir(parents=True)
    index = tantivy.Index(SCHEMA, path=str(path), reuse=False)
    writer = index.writer(heap_size=REBUILD_HEAP, num_threads=1)
    built = build(Writing(writer, path))
    _commit(writer)
    pointer = directory() / "current.new"
    pointer.write_text(name)
    pointer.replace(directory() / "current")  # atomic: readers see the old name or the new
    built()
    for other in directory().iterdir():
        if other.is_dir() and other.name != name:
            shutil.rmtree(other, ignore_errors=True)
    return name


def size_on_disk() -> int:
    generation = _generation()
    if generation is None:
        return 0
    return sum(f.stat().st_size for f in (directory() / generation).iterdir() if f.is_file())
