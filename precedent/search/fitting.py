"""Choosing how similar decisions' signals combine (fusion.Weights) on judgements of which
precedents are similar to which cases: a relevance set's grades (bench/quality.py), or the
casebook's own. A decision that cites a precedent says it was on point, whatever the
treatment (a decision distinguishes only what bears on it); a reviewer's mark says a
suggestion was not. The weights are found a weight at a time over GRID, starting from those
in use, until no change helps; weights refitted on the casebook are proposed only when they
agree better with judgements they were not fitted on."""

import math
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from casebook.models import Case, Citation
from precedent.models import SimilarityFeedback
from precedent.search import fusion, semantic
from precedent.search.fusion import CaseFacts, Scored, Weights

# The values each weight is tried at.
GRID = {
    "words": (0.0, 0.25, 0.5, 1.0, 2.0),
    "tags": (0.0, 1.0, 2.0, 4.0, 8.0),
    "facts": (0.0, 0.5, 1.0, 2.0, 4.0),
    "conflicts": (0.0, 0.1, 0.3, 1.0),
    "seeds": (1, 2, 3),
    "feedback": (0.0, 0.5, 1.0, 2.0),
    "seed_meaning": (0.0, 0.5, 1.0),
    "seed_tags": (0.0, 0.5, 1.0),
    "seed_words": (0.0, 0.5, 1.0),
}
ROUNDS = 5
# Fewer judged cases than this say too little to refit on; more than the most recent
# MAX_JUDGED only make a refit slower.
MIN_JUDGED = 20
MAX_JUDGED = 300
# How much better the refitted weights must agree with held-out judgements to be proposed.
MARGIN = 0.01
# A list of similar decisions is read to its tenth; a reviewer sees the first five at once.
DEPTH = 10
SHOWN = 5


def ranked(scored: Scored, weights: Weights, *, n: int = DEPTH) -> list[int]:
    """The case ids of the n best candidates by these weights, best first (ties to the
    newer entry, as similar decisions breaks them)."""
    score, _ = fusion.rank(scored, weights)
    n = min(n, len(score))
    if not n:
        return []
    entries = scored.candidates.index.entry_ids[scored.candidates.rows]
    best = np.argpartition(-score, n - 1)[:n].tolist()
    best = sorted((i for i in best if np.isfinite(score[i])), key=lambda i: (-score[i], -entries[i]))
    return scored.candidates.index.case_ids[scored.candidates.rows[best]].tolist()


def ascend(quality: Callable[[Weights], float], start: Weights) -> Weights:
    """The weights that `quality` rates best, found a weight at a time over GRID from
    `start` (a change is kept only when it helps, so ties keep what was there)."""
    best, best_quality = start, quality(start)
    for _ in range(ROUNDS):
        improved = False
        for name, values in GRID.items():
            for value in values:
                tried = replace(best, **{name: value})
                if tried == best:
                    continue
                q = quality(tried)
                if q > best_quality + 1e-9:
                    best, best_quality, improved = tried, q, True
        if not improved:
            break
    return best


@dataclass(frozen=True)
class Judged:
    scored: Scored
    cited: frozenset[int]
    marked: frozenset[int]


def agreement(judged: list[Judged], weights: Weights) -> float:
    """How well these weights rank the judged cases' precedents, from 0 to 1: the nDCG@10
    of those their decisions cited, less the share of the first five that reviewers marked
    not similar, averaged over the cases."""
    total = 0.0
    for case in judged:
        top = ranked(case.scored, weights)
        if case.cited:
            gain = sum(1 / math.log2(rank + 2) for rank, c in enumerate(top) if c in case.cited)
            ideal = sum(1 / math.log2(rank + 2) for rank in range(min(len(case.cited), DEPTH)))
            total += gain / ideal
        else:
            total += 1.0
        total -= sum(1 for c in top[:SHOWN] if c in case.marked) / SHOWN
    return total / len(judged) if judged else 0.0


def judgements(*, tagged: bool) -> list[Judged]:
    """The most recent cases the casebook has judged suggestions for, each ranked as the
    board sees it (every case): as tagged, or as a draft not tagged yet."""
    cited: dict[int, set[int]] = {}
    for case_id, precedent_id in Citation.objects.values_list("citing__case_id", "cited__case_id"):
        cited.setdefault(case_id, set()).add(precedent_id)
    marked: dict[int, set[int]] = {}
    for case_id, precedent_id in SimilarityFeedback.objects.values_list("case_id", "similar_case_id"):
        marked.setdefault(case_id, set()).add(precedent_id)
    judged = []
    for case in Case.objects.filter(pk__in=set(cited) | set(marked)).order_by("-pk").prefetch_related("data"):
        draft = CaseFacts.of(case)
        if tagged and not draft.tags:
            continue
        scored = fusion.gather_all(draft if tagged else replace(draft, tags=()))
        judged.append(Judged(scored, frozenset(cited.get(case.pk, ())), frozenset(marked.get(case.pk, ()))))
        if len(judged) == MAX_JUDGED:
            break
    return judged


@dataclass(frozen=True)
class Refit:
    tagged: bool
    semantic: bool
    judged: int
    current: Weights
    # None when there were too few judgements, or the refitted weights did no better.
    weights: Weights | None = None
    before: float = 0.0
    after: float = 0.0
    needed: int = 0  # how many judged cases a refit needs


def refit(*, tagged: bool) -> Refit:
    """Weights refitted on the casebook's judgements, proposed when, fitted on each half of
    the judged cases, they rank the other half better than the weights in use. They are
    for the signals this deployment has: with closeness in meaning, or without."""
    meaning = semantic.available()
    current = fusion.weights_for(tagged=tagged, meaning=meaning)
    judged = judgements(tagged=tagged)
    if len(judged) < MIN_JUDGED:
        return Refit(tagged, meaning, len(judged), current, needed=MIN_JUDGED)
    halves = (judged[::2], judged[1::2])
    before = after = 0.0
    for fitted_on, held_out in (halves, halves[::-1]):
        fitted = ascend(lambda weights, cases=fitted_on: agreement(cases, weights), current)
        before += agreement(held_out, current) / 2
        after += agreement(held_out, fitted) / 2
    if after < before + MARGIN:
        return Refit(tagged, meaning, len(judged), current, before=before, after=after, needed=MIN_JUDGED)
    weights = ascend(lambda weights: agreement(judged, weights), current)
    return Refit(tagged, meaning, len(judged), current, weights, before, after, needed=MIN_JUDGED)
