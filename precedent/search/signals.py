"""What similar past decisions weighs, for every candidate at once: closeness in meaning,
the telling words a draft shares with each precedent, agreement on provisions and stances,
shared facts, and stances that contradict the draft's. precedent.search.fusion combines
them. Each is a score for every decision the searcher may see, never a truncated list, so
a precedent that one signal misses can still be carried by the others.

Agreement on tags and on facts is the cosine of weighted features
(precedent.search.features), over the arrays' rows."""

import math
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import tantivy

from casebook.choices import Stance
from precedent.search import arrays, engine, features
from precedent.search.query import STOP_WORDS, TOKEN
from precedent.search.scope import Scope

# Stances that contradict each other on one provision.
OPPOSED = {
    Stance.CROSSED: {Stance.NOT_IMPLICATED},
    Stance.IMPLICATED_MITIGATED: {Stance.NOT_IMPLICATED},
    Stance.NOT_IMPLICATED: {Stance.CROSSED, Stance.IMPLICATED_MITIGATED},
    Stance.ADVANCES: {Stance.IN_TENSION},
    Stance.IN_TENSION: {Stance.ADVANCES},
}
# As in a "more like this" query, the words asked for are the text's most telling: frequent
# in it and rare in the casebook. A title says more than the body, a holding more than the
# rationale that argues it.
WORDS_ASKED = 25
WORDS_READ = 500
DRAFT_TEXTS = {"title": 3, "proposed_use": 1}
PRECEDENT_TEXTS = {"title": 3, "holding": 2, "proposed_use": 1, "rationale": 1}
# Words too common in review memos to say anything about similarity.
GENERIC = frozenset(
    "use uses used would could should may might also will data model models system systems provider "
    "partner partners case cases review board proposed proposes request requests".split()
)


@dataclass(frozen=True)
class Word:
    stem: str
    word: str  # as first written, for the reasons shown
    weight: float


def telling_words(searcher: tantivy.Searcher, texts: dict[str, str], weights: dict[str, int]) -> list[Word]:
    """The WORDS_ASKED most telling words of these texts, most telling first; none the
    casebook lacks."""
    counts: Counter[str] = Counter()
    written: dict[str, str] = {}
    for name, text in texts.items():
        for word in TOKEN.findall(text.lower()):
            if len(word) <= 2 or word.isdigit() or word in STOP_WORDS or word in GENERIC:
                continue
            for stem in engine.ANALYZER.analyze(word):
                counts[stem] += weights[name]
                written.setdefault(stem, word)
    entries = max(searcher.num_docs, 1)
    found = []
    for stem, n in counts.items():
        frequency = max(searcher.doc_freq(name, stem) for name in engine.TEXTS)
        # The engine counts entries deleted and not yet merged away, so a word in all of
        # them can seem commoner than there are entries: it tells nothing, and is left out.
        if frequency and (weight := n * math.log((entries + 1) / frequency)) > 0:
            found.append(Word(stem, written[stem], weight))
    found.sort(key=lambda w: -w.weight)
    return found[:WORDS_ASKED]


def _like_words(words: list[Word]) -> tantivy.Query:
    """Each word sought in every text, a match in each worth its weight (engine.TEXTS)
    times the word's share of the most telling one's weight. One flat disjunction of
    boosted terms: nested, the engine scores the same but takes half as long again."""
    most = words[0].weight
    return tantivy.Query.boolean_query(
        [
            (
                tantivy.Occur.Should,
                tantivy.Query.boost_query(
                    tantivy.Query.term_query(engine.SCHEMA, name, w.stem), boost * w.weight / most
                ),
            )
            for w in words
            for name, boost in engine.TEXTS.items()
        ]
    )


def _cosine(dot: np.ndarray, own_norm: float, norms: np.ndarray) -> np.ndarray:
    if not own_norm:
        return np.zeros_like(dot)
    return np.divide(dot, own_norm * norms, out=np.zeros_like(dot), where=norms > 0)


# Each signal is worked out over every row, and the candidates' taken once at the end:
# picking the candidates out of each column first would cost more than the sum itself.


def tag_agreement(index: arrays.Index, tags: list[tuple[str, str]], rows: np.ndarray) -> np.ndarray:
    """For each of `rows`, the weighted cosine of its tags and `tags`."""
    column, lean_of = index.column, {v: n for n, v in enumerate(index.leans)}
    provision_of = {code: n for n, code in enumerate(index.provisions)}
    w = index.weights
    kinds = [(index.tags, w["stance_idf"], {column[t] for t in tags if t in column})]
    leans_of = features.LEANS
    leans = {lean_of[(c, leans_of[s])] for c, s in tags if s in leans_of and (c, leans_of[s]) in lean_of}
    kinds.append((index.has_lean, w["lean_idf"], leans))
    provisions = {provision_of[c] for c, s in tags if c in provision_of and s != Stance.NOT_ENGAGED}
    kinds.append((index.has_provision, w["provision_idf"], provisions))
    dot = np.zeros(index.rows, np.float32)
    own = 0.0
    for has, idf, keys in kinds:
        for key in keys:
            weight = idf[key] ** 2
            dot += has[:, key] * weight
            own += float(weight)
    return _cosine(dot[rows], math.sqrt(own), index.tag_norms[rows])


def conflicts(index: arrays.Index, tags: list[tuple[str, str]], rows: np.ndarray) -> np.ndarray:
    """For each of `rows`, on how many of the provisions in `tags` it takes a contradicting stance."""
    column = index.column
    found = np.zeros(index.rows, np.float32)
    for code, stance in tags:
        for other in OPPOSED.get(stance, ()):
            if (code, other) in column:
                found += index.tags[:, column[(code, other)]]  # a provision has one stance
    return found[rows]


def fact_agreement(index: arrays.Index, facts: dict, rows: np.ndarray) -> np.ndarray:
    """For each of `rows`, the weighted cosine of its facts (partner, mission area,
    architecture, human judgment, proximity to force, kinds of data) and `facts`."""
    dot = np.zeros(index.rows, np.float32)
    own = 0.0
    for n, kind in enumerate(features.CODES):
        code = features.code_of(kind, facts.get(kind) or "")
        if code:
            weight = index.weights["fact_idf"][n][code] ** 2
            dot += (index.facts[:, n] == code) * weight
            own += float(weight)
    partner = facts.get("partner_id")
    weight = features.partner_idf(index.partner, partner) ** 2 if partner else 0.0
    if weight:
        dot += (index.partner == partner) * np.float32(weight)
        own += weight
    for category in facts.get("data_involved", ()):
        if category in features.CATEGORIES:
            n = features.CATEGORIES.index(category)
            weight = index.weights["data_idf"][n] ** 2
            dot += index.data[:, n] * weight
            own += float(weight)
    return _cosine(dot[rows], math.sqrt(own), index.fact_norms[rows])


def facts_of_row(index: arrays.Index, row: int) -> tuple[list[tuple[str, str]], dict]:
    """A case's tags and facts as the index holds them."""
    tags = [index.stances[n] for n in np.flatnonzero(index.tags[row])]
    facts = {
        kind: (values[index.facts[row, n] - 1] if index.facts[row, n] else "")
        for n, (kind, values) in enumerate(features.CODES.items())
    }
    facts["partner_id"] = int(index.partner[row])
    facts["data_involved"] = [c for n, c in enumerate(features.CATEGORIES) if index.data[row, n]]
    return tags, facts


@dataclass
class Candidates:
    """The decisions a draft may be compared with, as rows of the index, and what the
    engine found of the draft's words in them."""

    index: arrays.Index
    rows: np.ndarray
    searcher: tantivy.Searcher
    scope: Scope
    position: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.position = np.full(self.index.rows, -1, np.int64)
        self.position[self.rows] = np.arange(len(self.rows))

    def words(self, words: list[Word]) -> np.ndarray:
        """For each candidate, the engine's score (BM25, weighted by field) of these words;
        zero below the WORDS_READ best."""
        scores = np.zeros(len(self.rows), np.float32)
        if not words:
            return scores
        hits = self.searcher.search(self.scope.query(_like_words(words)), WORDS_READ).hits
        cases = self.searcher.fast_field_values("case", [address for _, address in hits])
        row_of = self.index.row_of
        for (score, _), case_id in zip(hits, cases, strict=True):
            row = row_of.get(case_id)
            if row is not None and self.position[row] >= 0:
                scores[self.position[row]] = max(scores[self.position[row]], score)
        return scores

    def meaning(self, vector: np.ndarray) -> np.ndarray:
        """For each candidate, its cosine similarity to the embedding `vector` (zero for a
        case not yet embedded)."""
        # Over every row, then the candidates': a copy of their vectors would cost more.
        closeness = self.index.vectors @ vector
        return np.where(self.index.embedded[self.rows], closeness[self.rows], np.float32(0))

    def tags(self, tags: list[tuple[str, str]]) -> np.ndarray:
        return tag_agreement(self.index, tags, self.rows)

    def conflicts(self, tags: list[tuple[str, str]]) -> np.ndarray:
        return conflicts(self.index, tags, self.rows)

    def facts(self, facts: dict) -> np.ndarray:
        return fact_agreement(self.index, facts, self.rows)
