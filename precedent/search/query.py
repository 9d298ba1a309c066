"""What a searcher types, parsed once and written out as the engine's query.

The language: words must all match (AND); `OR` between two items lets either match;
"quoted words" must match as a phrase; `word*` matches words starting so; `-word` or
`-"a phrase"` excludes. A word the tokenizer would split (RL-1, U.S.-person) is a phrase of
its parts. Common English words are dropped outside phrases, where they would match most
entries and say little. Anything else is read as plain words: there is no syntax error to
show a searcher, and nothing typed is read as the engine's own query syntax.
"""

import re
from dataclasses import dataclass

import tantivy

from precedent.search import engine

# The words PostgreSQL's english dictionary leaves out, less a few that carry meaning here.
STOP_WORDS = frozenset(
    "a an and are as at be but by for from had has have he her his i if in into is it its me my "
    "of on or our she so such than that the their them then there these they this those to was "
    "we were what when where which while who will with you your".split()
)
TOKEN = re.compile(r"[^\W_]+")
ITEM = re.compile(r'(-?)"([^"]*)"?|(\S+)')


@dataclass(frozen=True)
class Term:
    """One item: a word or a phrase (several words in order), perhaps a prefix, perhaps excluded."""

    words: tuple[str, ...]
    prefix: bool = False
    excluded: bool = False


@dataclass(frozen=True)
class Query:
    """All of `groups` must match, and none of `excluded`; a group matches when any of its
    terms does (a group of one is a plain AND term)."""

    groups: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.groups)


def parse(text: str) -> Query:
    items: list[Term | str] = []
    for excluded_phrase, phrase, bare in ITEM.findall(text or ""):
        if bare == "OR":
            items.append("OR")
            continue
        if bare:
            excluded = bare.startswith("-") and len(bare) > 1
            word = bare[1:] if excluded else bare
            prefix = word.endswith("*")
            words = tuple(token.lower() for token in TOKEN.findall(word))
            if len(words) == 1 and words[0] in STOP_WORDS and not prefix:
                continue
        else:
            excluded, prefix = bool(excluded_phrase), False
            words = tuple(token.lower() for token in TOKEN.findall(phrase))
        if words:
            items.append(Term(words=words, prefix=prefix and len(words) == 1, excluded=excluded))
    groups: list[list[Term]] = []
    excluded_terms: list[Term] = []
    joining = False
    for item in items:
        if item == "OR":
            joining = bool(groups)
        elif item.excluded:
            excluded_terms.append(item)
            joining = False
        elif joining:
            groups[-1].append(item)
            joining = False
        else:
            groups.append([item])
    return Query(groups=tuple(tuple(group) for group in groups), excluded=tuple(excluded_terms))


def to_engine(query: Query) -> tantivy.Query:
    """The engine's query: each term sought in every text, a match in each worth its
    weight (engine.TEXTS), the scores of a term's matches added up by BM25."""
    groups = [_either([_term(t) for t in group]) for group in query.groups]
    excluded = [(tantivy.Occur.MustNot, _term(t)) for t in query.excluded]
    return tantivy.Query.boolean_query([(tantivy.Occur.Must, group) for group in groups] + excluded)


def stems(words: tuple[str, ...]) -> list[str]:
    """The words as the engine indexes them."""
    return [stem for word in words for stem in engine.ANALYZER.analyze(word)]


def _term(term: Term) -> tantivy.Query:
    found = stems(term.words)
    if not found:  # a word too long to be indexed: it matches nothing
        return tantivy.Query.empty_query()
    return _either([tantivy.Query.boost_query(_in(field, found, term.prefix), w) for field, w in engine.TEXTS.items()])


def _in(field: str, found: list[str], prefix: bool) -> tantivy.Query:
    if prefix:
        return tantivy.Query.regex_query(engine.SCHEMA, field, re.escape(found[0]) + ".*")
    if len(found) == 1:
        return tantivy.Query.term_query(engine.SCHEMA, field, found[0])
    return tantivy.Query.phrase_query(engine.SCHEMA, field, found)


def _either(queries: list[tantivy.Query]) -> tantivy.Query:
    if len(queries) == 1:
        return queries[0]
    return tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in queries])
