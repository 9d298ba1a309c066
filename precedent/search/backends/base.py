"""What every engine does, and the SQL they share. An engine supplies the text match (its
FROM and WHERE), the ranking, snippets and a full rebuild; the scope (need-to-know and the
searcher's filters) is written here once and put inside each engine's query."""

from abc import ABC, abstractmethod
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from django.db import connection
from django.db.models import QuerySet

from casebook import visibility
from precedent.search.query import Query, Term

# Snippets come back with these around each matched word; precedent.search escapes the text
# and turns them into <mark>. Control characters, so no text a reviewer writes holds them.
MARK_START, MARK_END = "\x02", "\x03"
# Column weights, in the FTS5 order: title, holding, proposed use, rationale, notes.
WEIGHTS = (10.0, 10.0, 4.0, 2.0, 1.0)


@dataclass(frozen=True)
class Hit:
    entry_id: int
    score: float
    snippet: str | None


@dataclass(frozen=True)
class Scope:
    """Which entries a search may return: a WHERE fragment over `e`, and its parameters.
    `narrowed` when a searcher's filters leave only some of the entries they may see."""

    sql: str
    params: tuple
    narrowed: bool = False

    def also(self, sql: str, params: tuple = ()) -> "Scope":
        """This scope, and only the entries `sql` (a condition on `e`) admits."""
        return Scope(sql=f"{self.sql} AND {sql}", params=(*self.params, *params), narrowed=self.narrowed)

    @classmethod
    def for_user(cls, user, within: QuerySet | None = None) -> "Scope | None":
        """Need-to-know as the engines apply it (casebook.visibility, in SQL over the entry's
        stored open_to_all), narrowed to `within`, a filtered queryset of entries. None when
        the user may see nothing."""
        from casebook.models import Case

        if visibility.sees_nothing(user):
            return None
        parts, params = [], []
        if not visibility.sees_everything(user):
            sql, inner = Case.objects.involving(user).values("pk").query.sql_with_params()
            parts.append(f"(e.open_to_all OR e.case_id IN ({sql}))")
            params.extend(inner)
        narrowed = within is not None and bool(within.query.where)
        if narrowed:
            sql, inner = within.values("pk").query.sql_with_params()
            parts.append(f"e.id IN ({sql})")
            params.extend(inner)
        return cls(sql=" AND ".join(parts) or "1 = 1", params=tuple(params), narrowed=narrowed)


class SearchBackend(ABC):
    """One engine. `query` may be empty: then every entry in scope matches, newest first."""

    # The entries, as the engine's queries name them.
    entries = "casebook_searchentry e"

    @abstractmethod
    def match(self, query: Query) -> tuple[str, str, tuple]:
        """(FROM clause naming the entries `e`, WHERE condition, parameters) for the text match."""

    @abstractmethod
    def best(self, query: Query, scope: Scope, *, limit: int, offset: int, depth: int | None) -> list[tuple]:
        """(entry id, score) of the best matches in scope, best first, ties to the latest
        decision. With a `depth`, only the `depth` best matches of all are tested against
        the scope, and each row also carries how many matches that cut kept and the lowest
        score among them."""

    @abstractmethod
    def snippets(self, query: Query, entry_ids: list[int]) -> dict[int, str]:
        """Each entry's passages around the matched words, marked with MARK_START and MARK_END."""

    def ranked(self, query: Query, scope: Scope, *, limit: int, offset: int, snippets: bool = True) -> list[Hit]:
        """The best matches in scope, best first, each with a snippet unless not wanted.

        Scoring is what costs: both engines score every match before they can sort. Where
        the scope is need-to-know alone, which leaves most entries in, the engine ranks on
        its own index first and tests the scope on the best few only. When that cannot be
        sure of the page (a reader who may see few of the best matches), the page is made
        again the exact way, with the scope tested on every match: the page is the same
        either way."""
        if not query:  # nothing left to match (only common words): every entry, newest first
            return self.browse(scope, limit=limit, offset=offset)
        page = None
        if not scope.narrowed:
            depth = 2 * (offset + limit) + 20
            cut = self.best(query, scope, limit=limit, offset=offset, depth=depth)
            kept, floor = cut[0][2:] if cut else (depth, None)
            # Certain when the cut kept every match, or filled the page with entries that all
            # score above the cut's lowest (one scoring just as that could be left out of it).
            if kept < depth or (len(cut) == limit and cut[-1][1] > floor):
                page = [(entry_id, score) for entry_id, score, *_ in cut]
        if page is None:
            page = self.best(query, scope, limit=limit, offset=offset, depth=None)
        found = self.snippets(query, [entry_id for entry_id, _ in page]) if snippets and page else {}
        return [Hit(entry_id, score, found.get(entry_id)) for entry_id, score in page]

    @abstractmethod
    def joined(self, column: str) -> str:
        """SQL aggregating an integer column's values into one text, separated by commas."""

    @abstractmethod
    def rebuild(self) -> None:
        """Rebuild the engine's index from the entries."""

    @contextmanager
    def bulk_load(self):
        """Around the remaking of every entry: the engine may set its own index aside, and
        build it once over every entry at the end, instead of entry by entry."""
        yield
        self.rebuild()

    def browse(self, scope: Scope, *, limit: int, offset: int) -> list[Hit]:
        sql = (
            f"SELECT e.id FROM casebook_searchentry e WHERE {scope.sql} "
            "ORDER BY e.issued_at DESC NULLS LAST, e.id DESC LIMIT %s OFFSET %s"
        )
        return [Hit(row[0], 0.0, None) for row in self._rows(sql, (*scope.params, limit, offset))]

    def matches(self, query: Query, scope: Scope) -> dict[str, np.ndarray]:
        """The ids of every entry the search matches in scope, by precedent flag. The flag is
        the one column of an entry that changes in place (precedent.search.refresh_precedent),
        so the engine counts it as it stands; the in-process index counts the other facets
        over these ids (arrays.facet_counts), where SQL would group every match by each."""
        frm, where, params = self.match(query) if query else (self.entries, "1 = 1", ())
        sql = f"SELECT e.precedent, {self.joined('e.id')} FROM {frm} WHERE {where} AND {scope.sql} GROUP BY e.precedent"
        return {
            precedent or "": np.fromstring(ids, dtype=np.int64, sep=",")
            for precedent, ids in self._rows(sql, (*params, *scope.params))
        }

    def word_match(self, word: str) -> tuple[str, str, str, tuple]:
        """(FROM clause, its entry id column, WHERE condition, parameters) for the entries
        holding one word: the questions asked word by word below."""
        frm, where, params = self.match(Query(groups=((Term(words=(word,)),),)))
        return frm, "e.id", where, params

    def document_frequencies(self, words: list[str]) -> dict[str, int]:
        """How many entries hold each of `words` (as the engine stems them)."""
        parts, params = [], []
        for word in words:
            frm, _, where, match_params = self.word_match(word)
            parts.append(f"SELECT %s, COUNT(*) FROM {frm} WHERE {where}")
            params.extend([word, *match_params])
        return dict(self._rows(" UNION ALL ".join(parts), tuple(params))) if words else {}

    def matching_terms(self, entry_ids: list[int], words: list[str]) -> dict[int, list[str]]:
        """Which of `words` each entry contains (as the engine stems them), in `words` order."""
        if not entry_ids or not words:
            return {}
        parts, params = [], []
        ids = ", ".join(["%s"] * len(entry_ids))
        for word in words:
            frm, id_column, where, match_params = self.word_match(word)
            parts.append(f"SELECT {id_column}, %s FROM {frm} WHERE {where} AND {id_column} IN ({ids})")
            params.extend([word, *match_params, *entry_ids])
        found: dict[int, list[str]] = {}
        for entry_id, word in self._rows(" UNION ALL ".join(parts), tuple(params)):
            found.setdefault(entry_id, []).append(word)
        return {entry_id: sorted(matched, key=words.index) for entry_id, matched in found.items()}

    @staticmethod
    def _execute(sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)

    @staticmethod
    def _rows(sql: str, params: tuple) -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
