"""What the engine answers: a page of the best matches in a scope, their number, their
facet counts, snippets of their texts, and how many entries hold each of some words. Each
call first brings the index up to date with the change feed; what it could not apply is
left out of the scope."""

from dataclasses import dataclass

import tantivy

from precedent.search import engine, feed
from precedent.search.query import Query, Term, to_engine
from precedent.search.scope import Scope

# Snippets come back with these around each matched word; precedent.search escapes the text
# and turns them into <mark>. Control characters: a stored text that holds them anyway has
# them taken out of its passages (_marked), so that only ours become markup.
MARK_START, MARK_END = "\x02", "\x03"
SNIPPET_CHARS = 160
# How much of the text before the first match a passage shows, and how much the engine is
# asked for to choose from.
CONTEXT_BEFORE = 50
FRAGMENT_CHARS = 3 * SNIPPET_CHARS
# Every value of every facet is counted (a terms aggregation this large is exact).
FACETS = {
    "outcome": "outcome",
    "tag": "tag",
    "partner_id": "partner",
    "country": "country",
    "mission_area": "mission_area",
    "architecture": "architecture",
    "year": "year",
    "precedent": "precedent",
}
FACET_SIZE = 65_000


@dataclass(frozen=True)
class Hit:
    entry_id: int
    score: float


def fresh(scope: Scope) -> tuple[tantivy.Searcher, Scope]:
    """A searcher over the index brought up to date, and the scope less what could not be."""
    hidden = feed.sync()
    return engine.searcher(), scope.without(hidden)


# How a search may be sorted, and the fast field each order reads (None: by score).
ORDERS = {"relevance": None, "newest": "recency", "cited": "cited"}


def ranked(
    searcher: tantivy.Searcher, query: Query, scope: Scope, *, limit: int, offset: int, order: str = "relevance"
) -> tuple[list[Hit], int]:
    """The page of matches in scope, and how many match in all: best first (equal scores go
    to the latest decision, then the newest entry), newest first, or most cited first (then
    the latest). With no words (only common ones were typed), every entry in scope matches,
    and "best" is the newest."""
    field = ORDERS[order] if query or order != "relevance" else "recency"
    engine_query = scope.query(to_engine(query)) if query else scope.query()
    return _page(searcher, engine_query, limit=limit, offset=offset, by=field)


def _page(searcher, query: tantivy.Query, *, limit: int, offset: int, by: str | None) -> tuple[list[Hit], int]:
    wanted = offset + limit
    asked = wanted + 10
    while True:
        found = searcher.search(query, asked, count=True, order_by_field=by)
        hits = found.hits
        # More to read when the last read shares its place with the last wanted: a tie
        # the engine may have broken otherwise than by recency.
        if len(hits) < asked or len(hits) < wanted or hits[-1][0] != hits[wanted - 1][0]:
            break
        asked *= 2
    addresses = [address for _, address in hits]
    entries = searcher.fast_field_values("entry", addresses)
    recency = entries if by == "recency" else searcher.fast_field_values("recency", addresses)
    order = sorted(range(len(hits)), key=lambda n: (hits[n][0], recency[n], entries[n]), reverse=True)
    page = [Hit(entries[n], float(hits[n][0]) if by is None else 0.0) for n in order[offset:wanted]]
    return page, found.count


def facet_counts(searcher: tantivy.Searcher, query: Query, scope: Scope) -> dict[str, dict[str, int]]:
    """How many of the matches in scope have each value of each facet; for tags, each
    stance on each provision ("RL-1 crossed"), a case counted once for each of its entries."""
    aggregations = {name: {"terms": {"field": field, "size": FACET_SIZE}} for name, field in FACETS.items()}
    answer = searcher.aggregate(scope.query(to_engine(query) if query else None), aggregations)
    counts = {name: {str(b["key"]): b["doc_count"] for b in answer[name]["buckets"]} for name in FACETS}
    counts["year"].pop("", None)  # not yet decided
    return counts


def snippets(searcher: tantivy.Searcher, query: Query, texts: dict[int, dict[str, str]]) -> dict[int, str]:
    """Each entry's passages around the matched words (up to two, from its holding, proposed
    use, rationale, notes and title, in that order), marked with MARK_START and MARK_END.
    `texts` holds each entry's texts, read from the database."""
    if not query or not texts:
        return {}
    words = to_engine(Query(groups=query.groups))  # exclusions match nothing to show
    generators = {}
    for field in engine.SNIPPET_TEXTS:
        generators[field] = tantivy.SnippetGenerator.create(searcher, words, engine.SCHEMA, field)
        generators[field].set_max_num_chars(FRAGMENT_CHARS)
    found = {}
    for entry_id, fields in texts.items():
        passages = []
        for field, generator in generators.items():
            wanted = not passages if field == "title" else len(passages) < 2
            if fields.get(field) and wanted:
                snippet = generator.snippet_from_doc(tantivy.Document(**{field: fields[field]}))
                if snippet.highlighted():
                    passages.append(_marked(snippet))
        if passages:
            found[entry_id] = " … ".join(passages)
    return found


def _marked(snippet: tantivy.Snippet) -> str:
    """The passage around the first matched words: some words before them, as many after
    as fit, cut between words, with the matches marked."""
    text = snippet.fragment()
    raw = text.encode()
    # The engine's ranges count bytes of UTF-8, from the fragment's start.
    spans = [
        (len(raw[: r.start].decode(errors="ignore")), len(raw[: r.end].decode(errors="ignore")))
        for r in snippet.highlighted()
    ]
    start = max(0, spans[0][0] - CONTEXT_BEFORE)
    if start:
        space = text.find(" ", start, spans[0][0])
        start = space + 1 if space >= 0 else spans[0][0]
    end = min(len(text), start + SNIPPET_CHARS)
    if end < len(text):
        space = text.rfind(" ", spans[0][1], end)
        end = space if space >= 0 else max(end, spans[0][1])
    parts, at = [], start
    for begin, finish in spans:
        if begin >= at and finish <= end:
            parts += [_unmarked(text[at:begin]), MARK_START, _unmarked(text[begin:finish]), MARK_END]
            at = finish
    parts.append(_unmarked(text[at:end]))
    return "".join(parts).strip()


def _unmarked(text: str) -> str:
    return text.replace(MARK_START, "").replace(MARK_END, "")


def word_counts(searcher: tantivy.Searcher, words: list[str]) -> dict[str, int]:
    """How many entries hold each of `words`, in any text."""
    return {word: searcher.search(_word(word), 1, count=True).count for word in words}


def _word(word: str) -> tantivy.Query:
    return to_engine(Query(groups=((Term(words=(word,)),),)))
