"""SQLite's engine: the FTS5 table casebook_search_fts (migration 0009), ranked by BM25 with
column weights, snippets from FTS5's snippet()."""

from casebook.search.backends.base import MARK_END, MARK_START, WEIGHTS, Hit, Scope, SearchBackend
from casebook.search.query import Query, to_fts5

BM25 = f"bm25(casebook_search_fts, {', '.join(str(w) for w in WEIGHTS)})"


class SQLiteBackend(SearchBackend):
    def match(self, query: Query) -> tuple[str, str, tuple]:
        return (
            "casebook_search_fts JOIN casebook_searchentry e ON e.id = casebook_search_fts.rowid",
            "casebook_search_fts MATCH %s",
            (to_fts5(query),),
        )

    def ranked(self, query: Query, scope: Scope, *, limit: int, offset: int, snippets: bool = True) -> list[Hit]:
        if not query:  # nothing left to match (only common words): every entry, newest first
            return self.browse(scope, limit=limit, offset=offset)
        frm, where, params = self.match(query)
        best = (
            f"SELECT e.id, -{BM25} AS score FROM {frm} WHERE {where} AND {scope.sql} "
            f"ORDER BY {BM25}, e.issued_at DESC LIMIT %s OFFSET %s"
        )
        if not snippets:
            rows = self._rows(best, (*params, *scope.params, limit, offset))
            return [Hit(entry_id, score, None) for entry_id, score in rows]
        # Rank first and cut to the page, then make snippets for that page alone: SQLite
        # would otherwise build a snippet for every match before sorting.
        sql = (
            f"SELECT page.id, page.score, snippet(casebook_search_fts, -1, %s, %s, '…', 20) "
            f"FROM ({best}) page "
            "JOIN casebook_search_fts ON casebook_search_fts.rowid = page.id "
            "WHERE casebook_search_fts MATCH %s ORDER BY page.score DESC, page.id DESC"
        )
        rows = self._rows(sql, (MARK_START, MARK_END, *params, *scope.params, limit, offset, *params))
        return [Hit(entry_id, score, snippet) for entry_id, score, snippet in rows]

    def year(self, column: str) -> str:
        return f"strftime('%%Y', {column})"

    def rebuild(self) -> None:
        self._execute("INSERT INTO casebook_search_fts(casebook_search_fts) VALUES ('rebuild')")
