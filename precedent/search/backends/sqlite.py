"""SQLite's engine: the FTS5 table casebook_search_fts (casebook migration 0009), ranked by BM25 with
column weights, snippets from FTS5's snippet()."""

from contextlib import contextmanager

from precedent.search.backends.base import MARK_END, MARK_START, WEIGHTS, Scope, SearchBackend
from precedent.search.query import Query, Term, to_fts5

# Equal scores go to the latest decision (SQLite sorts no date after a date), then the newest entry.
TIES = "e.issued_at DESC, e.id DESC"
BM25 = f"bm25(casebook_search_fts, {', '.join(str(w) for w in WEIGHTS)})"


class SQLiteBackend(SearchBackend):
    # An entry's row holds its texts, several pages of them; the columns a scope, a sort
    # or a facet reads are also in one narrow index (casebook migration 0013), which SQLite reads
    # for an entry by id only when told to: a tenth of the pages, for a search of many matches.
    entries = "casebook_searchentry e INDEXED BY casebook_search_facets"

    def match(self, query: Query) -> tuple[str, str, tuple]:
        return (
            f"casebook_search_fts JOIN {self.entries} ON e.id = casebook_search_fts.rowid",
            "casebook_search_fts MATCH %s",
            (to_fts5(query),),
        )

    def best(self, query: Query, scope: Scope, *, limit: int, offset: int, depth: int | None) -> list[tuple]:
        match = to_fts5(query)
        if depth is None:
            sql = (
                f"SELECT e.id, -{BM25} AS score FROM casebook_search_fts "
                f"JOIN {self.entries} ON e.id = casebook_search_fts.rowid "
                f"WHERE casebook_search_fts MATCH %s AND {scope.sql} ORDER BY {BM25}, {TIES} LIMIT %s OFFSET %s"
            )
            return self._rows(sql, (match, *scope.params, limit, offset))
        # The cut, materialized: SQLite then scores the matches on the FTS5 table alone and
        # keeps only the best `depth` as it goes, instead of testing the scope on every one.
        sql = (
            f"WITH r AS MATERIALIZED (SELECT rowid AS id, -{BM25} AS score FROM casebook_search_fts "
            f"WHERE casebook_search_fts MATCH %s ORDER BY {BM25}, rowid DESC LIMIT %s) "
            "SELECT r.id, r.score, (SELECT COUNT(*) FROM r), (SELECT MIN(score) FROM r) "
            f"FROM r JOIN {self.entries} ON e.id = r.id WHERE {scope.sql} "
            f"ORDER BY r.score DESC, {TIES} LIMIT %s OFFSET %s"
        )
        return self._rows(sql, (match, depth, *scope.params, limit, offset))

    def snippets(self, query: Query, entry_ids: list[int]) -> dict[int, str]:
        ids = ", ".join(["%s"] * len(entry_ids))
        sql = (
            "SELECT rowid, snippet(casebook_search_fts, -1, %s, %s, '…', 20) FROM casebook_search_fts "
            f"WHERE casebook_search_fts MATCH %s AND rowid IN ({ids})"
        )
        return dict(self._rows(sql, (MARK_START, MARK_END, to_fts5(query), *entry_ids)))

    def word_match(self, word: str) -> tuple[str, str, str, tuple]:
        # On the FTS5 table alone: counting walks the word's own list rather than joining
        # each entry, and FTS5 seeks given entries by rowid in it (a join to the entries
        # would walk every row holding a common word).
        match = to_fts5(Query(groups=((Term(words=(word,)),),)))
        return "casebook_search_fts", "rowid", "casebook_search_fts MATCH %s", (match,)

    @contextmanager
    def bulk_load(self):
        # The triggers keep the FTS5 index entry by entry, and read each deleted entry back
        # to take it out. Set aside, and remade from their own SQL once the load is done;
        # should the load fail, the transaction's rollback restores them.
        triggers = self._rows(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'casebook_searchentry'", ()
        )
        for name, _ in triggers:
            self._execute(f'DROP TRIGGER "{name}"')
        self._execute("INSERT INTO casebook_search_fts(casebook_search_fts) VALUES ('delete-all')")
        yield
        for _, sql in triggers:
            self._execute(sql)
        self.rebuild()

    def joined(self, column: str) -> str:
        return f"group_concat({column})"

    def rebuild(self) -> None:
        self._execute("INSERT INTO casebook_search_fts(casebook_search_fts) VALUES ('rebuild')")
