"""What a searcher types, parsed once and written out for each engine.

The language: words must all match (AND); `OR` between two items lets either match;
"quoted words" must match as a phrase; `word*` matches words starting so; `-word` or
`-"a phrase"` excludes. A word the tokenizers would split (RL-1, U.S.-person) is a phrase of
its parts. Common English words are dropped outside phrases, as PostgreSQL's dictionary
drops them, so both engines agree. Anything else is read as plain words: there is no
syntax error to show a searcher.
"""

import re
from dataclasses import dataclass

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


def to_fts5(query: Query) -> str:
    """An FTS5 MATCH expression. Every word is quoted, so nothing a searcher types is read
    as FTS5 syntax (column filters, NEAR, ^)."""

    def term(t: Term) -> str:
        return f'"{" ".join(t.words)}"' + ("*" if t.prefix else "")

    expression = " AND ".join(
        "(" + " OR ".join(term(t) for t in group) + ")" if len(group) > 1 else term(group[0]) for group in query.groups
    )
    for t in query.excluded:
        expression = f"{expression} NOT {term(t)}"
    return expression


def to_tsquery(query: Query) -> str:
    """A to_tsquery('english', …) expression: each word quoted as a lexeme for the english
    dictionary to stem; phrases with <->, prefixes with :*."""

    def term(t: Term) -> str:
        lexemes = " <-> ".join(f"'{word}'" for word in t.words)
        if t.prefix:
            lexemes += ":*"
        return f"({lexemes})" if len(t.words) > 1 else lexemes

    parts = [
        "(" + " | ".join(term(t) for t in group) + ")" if len(group) > 1 else term(group[0]) for group in query.groups
    ]
    parts += [f"!{term(t)}" for t in query.excluded]
    return " & ".join(parts)
