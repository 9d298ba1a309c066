"""PostgreSQL's engine: the generated, weighted tsvector column of casebook_searchentry under
a GIN index (casebook migration 0009), ranked by ts_rank_cd, snippets from ts_headline."""

from django.db import connection, transaction

from precedent.search.backends.base import MARK_END, MARK_START, WEIGHTS, Scope, SearchBackend
from precedent.search.query import Query, to_tsquery

# ts_rank_cd takes the weights of D, C, B and A, in that order: notes, rationale, proposed
# use, and title with holding (which share A).
RANK_WEIGHTS = "{" + ", ".join(f"{w / WEIGHTS[0]:.2f}" for w in (WEIGHTS[4], WEIGHTS[3], WEIGHTS[2], WEIGHTS[0])) + "}"
# The planner's statistics of the search column: its most common lexemes, the share of
# entries holding each (the two shares past the lexemes are the least and the most), and
# the number of entries then.
STATISTICS = (
    "SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples FROM pg_stats s, pg_class c "
    "WHERE c.oid = 'casebook_searchentry'::regclass AND s.schemaname = current_schema() "
    "AND s.tablename = 'casebook_searchentry' AND s.attname = 'search_vector' AND c.reltuples >= %s"
)
# Below this many entries counting is quick, and a small table's statistics the least sure.
STATISTICS_FROM = 10_000
# Equal scores go to the latest decision, then the newest entry.
TIES = "e.issued_at DESC NULLS LAST, e.id DESC"
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

    def best(self, query: Query, scope: Scope, *, limit: int, offset: int, depth: int | None) -> list[tuple]:
        tsquery = to_tsquery(query)
        rank = "ts_rank_cd(%s, e.search_vector, to_tsquery('english', %s))"
        matches = "e.search_vector @@ to_tsquery('english', %s)"
        if depth is None:
            sql = (
                f"SELECT e.id, {rank} AS score FROM casebook_searchentry e WHERE {matches} AND {scope.sql} "
                f"ORDER BY score DESC, {TIES} LIMIT %s OFFSET %s"
            )
            return self._rows(sql, (RANK_WEIGHTS, tsquery, tsquery, *scope.params, limit, offset))
        sql = (
            f"WITH r AS MATERIALIZED (SELECT e.id, {rank} AS score FROM casebook_searchentry e "
            f"WHERE {matches} ORDER BY score DESC, {TIES} LIMIT %s) "
            "SELECT r.id, r.score, (SELECT COUNT(*) FROM r), (SELECT MIN(score) FROM r) "
            f"FROM r JOIN casebook_searchentry e ON e.id = r.id WHERE {scope.sql} "
            f"ORDER BY r.score DESC, {TIES} LIMIT %s OFFSET %s"
        )
        return self._rows(sql, (RANK_WEIGHTS, tsquery, tsquery, depth, *scope.params, limit, offset))

    def snippets(self, query: Query, entry_ids: list[int]) -> dict[int, str]:
        # Headlines are costly: for the page alone.
        return dict(
            self._rows(
                "SELECT e.id, ts_headline('english', concat_ws(' … ', NULLIF(e.holding, ''), e.proposed_use, "
                "NULLIF(e.rationale, ''), e.notes), to_tsquery('english', %s), %s) "
                "FROM casebook_searchentry e WHERE e.id = ANY(%s)",
                (to_tsquery(query), HEADLINE, entry_ids),
            )
        )

    def joined(self, column: str) -> str:
        return f"string_agg(CAST({column} AS TEXT), ',')"

    def document_frequencies(self, words: list[str]) -> dict[str, int]:
        # Counting a common word's entries reads most of the table. The planner's statistics
        # of the column (ANALYZE's, kept up by autovacuum) hold the share of entries of each
        # common lexeme; the rarer words are counted, which the index answers quickly.
        if not words:
            return {}
        common = {}
        for lexemes, shares, total in self._rows(STATISTICS, (STATISTICS_FROM,)):
            common = {lexeme: round(share * total) for lexeme, share in zip(lexemes or [], shares or [], strict=False)}
        stems = dict(
            self._rows(
                "SELECT w, array_to_string(tsvector_to_array(to_tsvector('english', w)), ' ') "
                "FROM unnest(%s::text[]) AS w",
                (words,),
            )
        )
        found = {word: common[stems[word]] for word in words if stems[word] in common}
        rest = [word for word in words if word not in found]
        return found | super().document_frequencies(rest) if rest else found

    @staticmethod
    def _rows(sql: str, params: tuple) -> list[tuple]:
        # Where most entries match, the planner would rather read the whole table and test
        # each row's tsvector than use the GIN index: it prices the test as cheap. But the
        # vectors are kept out of line (casebook migration 0014), so each test fetches one, where the
        # index tells the matches of a query of words without reading any (a phrase it
        # rechecks). At 100,000 entries that is 40 ms against 400 for a search of common
        # words. So for this engine's own questions the planner is told not to scan tables
        # whole, and the setting is put back after.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('enable_seqscan')")
            (before,) = cursor.fetchone()
            cursor.execute("SELECT set_config('enable_seqscan', 'off', true)")
            cursor.execute(sql, params)
            rows = cursor.fetchall()
            cursor.execute("SELECT set_config('enable_seqscan', %s, true)", (before,))
            return rows

    # No bulk_load of its own: dropping the GIN index for the rebuild would lock every reader
    # out of the entries until the rebuild commits, where a DELETE lets them read on.

    def rebuild(self) -> None:
        # The tsvector is generated from the entries' own columns; reindexing refreshes GIN.
        self._execute("REINDEX INDEX casebook_search_vector")
