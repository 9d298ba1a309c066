"""PostgreSQL's engine: the generated, weighted tsvector column of casebook_searchentry under
a GIN index (migration 0009), ranked by ts_rank_cd, snippets from ts_headline."""

from casebook.search.backends.base import MARK_END, MARK_START, WEIGHTS, Hit, Scope, SearchBackend
from casebook.search.query import Query, to_tsquery

# ts_rank_cd takes the weights of D, C, B and A, in that order: notes, rationale, proposed
# use, and title with holding (which share A).
RANK_WEIGHTS = "{" + ", ".join(f"{w / WEIGHTS[0]:.2f}" for w in (WEIGHTS[4], WEIGHTS[3], WEIGHTS[2], WEIGHTS[0])) + "}"
HEADLINE = (
    f'StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=20, MinWords=8, MaxFragments=2, FragmentDelimiter=" … "'
)


class PostgreSQLBackend(SearchBackend):
    def match(self, query: Query) -> tuple[str, str, tuple]:
        return (
            "casebook_searchentry e",
            "e.search_vector @@ to_tsquery('english', %s)",
            (to_tsquery(query),),
        )

    def ranked(self, query: Query, scope: Scope, *, limit: int, offset: int, snippets: bool = True) -> list[Hit]:
        if not query:  # nothing left to match (only common words): every entry, newest first
            return self.browse(scope, limit=limit, offset=offset)
        frm, where, params = self.match(query)
        sql = (
            f"SELECT e.id, ts_rank_cd(%s, e.search_vector, to_tsquery('english', %s)) AS score "
            f"FROM {frm} WHERE {where} AND {scope.sql} "
            "ORDER BY score DESC, e.issued_at DESC NULLS LAST, e.id DESC LIMIT %s OFFSET %s"
        )
        page = self._rows(sql, (RANK_WEIGHTS, *params, *params, *scope.params, limit, offset))
        if not page or not snippets:
            return [Hit(entry_id, score, None) for entry_id, score in page]
        # Headlines are costly: only for the page, in a second query.
        snippets = dict(
            self._rows(
                "SELECT e.id, ts_headline('english', concat_ws(' … ', NULLIF(e.holding, ''), e.proposed_use, "
                "NULLIF(e.rationale, ''), e.notes), to_tsquery('english', %s), %s) "
                "FROM casebook_searchentry e WHERE e.id = ANY(%s)",
                (*params, HEADLINE, [entry_id for entry_id, _ in page]),
            )
        )
        return [Hit(entry_id, score, snippets.get(entry_id)) for entry_id, score in page]

    def year(self, column: str) -> str:
        return f"CAST(EXTRACT(YEAR FROM {column}) AS TEXT)"

    def rebuild(self) -> None:
        # The tsvector is generated from the entries' own columns; reindexing refreshes GIN.
        self._execute("REINDEX INDEX casebook_search_vector")
