"""Similar past decisions for a case, saved or still being written. Every decision the
searcher may see is scored by every signal (precedent.search.signals): closeness in meaning
(where the [semantic] extra is installed), the draft's telling words, agreement on
provisions and stances, shared facts, and stances that contradict the draft's. Then, as a
lawyer reads on from the closest authority to the cases like it, a second pass adds each
decision's likeness to the few closest found first. How much each signal counts was
chosen on a relevance set (bench/quality.py --fit), not by hand; every result says in
words why it is similar.

Only decisions in force on cases the searcher may see are candidates, and need-to-know is
applied to the candidates before anything is scored; the decisions shown are checked
against the database again. A pair someone marked "not similar" is demoted from then on."""

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from casebook import visibility
from casebook.choices import (
    CONTINUING_OUTCOMES,
    Architecture,
    DataCategory,
    ForceProximity,
    HumanJudgment,
    MissionArea,
    Outcome,
    Stance,
)
from casebook.models import Case, Partner, Tag, User
from precedent import citator
from precedent.models import FittedWeights, SearchEntry, SimilarityFeedback
from precedent.search import arrays, engine, retrieval, semantic, signals
from precedent.search.scope import Scope, term


@dataclass(frozen=True)
class Weights:
    """How the signals combine. The text's closeness is meaning plus `words` times the
    words' score (each scaled to the candidates' range); agreement on tags and facts
    multiplies it, so a precedent must share both the subject and the doctrine to rank
    first; each contradicting stance takes `conflicts` off. The second pass adds
    `feedback` times the mean likeness to the `seeds` closest of the first."""

    words: float
    tags: float
    facts: float
    conflicts: float
    seeds: int
    feedback: float
    seed_meaning: float
    seed_tags: float
    seed_words: float


# Chosen by bench/quality.py --fit on bench/relevance/casebook.toml, for a tagged case or a
# draft not tagged yet, with closeness in meaning or without it (no [semantic] extra).
WEIGHTS = {
    (True, True): Weights(
        words=2.0, tags=4.0, facts=1.0, conflicts=0.3, seeds=2, feedback=0.5, seed_meaning=1.0, seed_tags=0.5,
        seed_words=0.0,
    ),
    (False, True): Weights(
        words=0.25, tags=0.0, facts=0.0, conflicts=0.0, seeds=1, feedback=2.0, seed_meaning=0.5, seed_tags=0.5,
        seed_words=0.5,
    ),
    # (Without meaning, the text is the words alone: `words` and `seed_meaning` do not count.)
    (True, False): Weights(
        words=2.0, tags=8.0, facts=2.0, conflicts=0.0, seeds=2, feedback=0.5, seed_meaning=1.0, seed_tags=0.5,
        seed_words=1.0,
    ),
    (False, False): Weights(
        words=0.25, tags=0.0, facts=1.0, conflicts=0.0, seeds=1, feedback=2.0, seed_meaning=0.5, seed_tags=0.5,
        seed_words=0.5,
    ),
}  # fmt: skip


def weights_for(*, tagged: bool, meaning: bool) -> Weights:
    """The weights in use: the newest refitted on the casebook's judgements, else those
    chosen on the relevance set. (Refitted weights of an older shape are not used.)"""
    fitted = FittedWeights.objects.filter(tagged=tagged, semantic=meaning).values_list("weights", flat=True).first()
    if fitted:
        try:
            return Weights(**fitted)
        except TypeError:
            pass
    return WEIGHTS[(tagged, meaning)]


# Text closeness a precedent with not one word or meaning in common still has, so that
# shared doctrine and facts can rank it.
TEXT_FLOOR = 0.1
# How many of the first pass's best the second reorders.
RERANKED = 1000
# A pair marked "not similar" keeps this share of its score.
DEMOTION = 0.2
# Outcomes that stop an engagement, against those that let it go ahead.
STOPPED = {Outcome.DECLINED, Outcome.SUSPENDED, Outcome.TERMINATED}


@dataclass(frozen=True)
class CaseFacts:
    """The facts similarity compares: a saved case's, or a filing form's before saving."""

    title: str = ""
    proposed_use: str = ""
    partner_id: int | None = None
    mission_area: str = ""
    architecture: str = ""
    human_judgment: str = ""
    force_proximity: str = ""
    data_involved: tuple[str, ...] = ()
    tags: tuple[tuple[str, str], ...] = ()  # (provision code, stance)
    case_id: int | None = None
    # The saved case's own text, so its stored embedding stands for it: nothing to encode.
    saved: bool = False

    @classmethod
    def of(cls, case: Case) -> "CaseFacts":
        return cls(
            title=case.title,
            proposed_use=case.proposed_use,
            partner_id=case.partner_id,
            mission_area=case.mission_area,
            architecture=case.architecture,
            human_judgment=case.human_judgment,
            force_proximity=case.force_proximity,
            data_involved=tuple(case.data_categories),
            tags=tuple(case.tags.values_list("provision__code", "stance")),
            case_id=case.pk,
            saved=True,
        )


@dataclass
class Similar:
    entry: SearchEntry
    score: float
    components: dict[str, dict] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)
    marks: list[SimilarityFeedback] = field(default_factory=list)
    status: citator.PrecedentStatus | None = None

    @property
    def case(self) -> Case:
        return self.entry.case

    @property
    def decision(self):
        return self.entry.decision


@dataclass
class Similarity:
    results: list[Similar] = field(default_factory=list)
    decided_differently: list[Similar] = field(default_factory=list)
    # The kind of outcome the "decided differently" panel contrasts with.
    contrast: str | None = None
    # Whether closeness in meaning took part, and if not, why not.
    semantic: bool = False
    semantic_note: str = ""


SEMANTIC_OFF = (
    "Semantic matching is off here: similarity comes from shared words and shared facts "
    "(install the [semantic] extra to add closeness in meaning)."
)
SEMANTIC_UNAVAILABLE = (
    "Semantic matching is unavailable for the moment: similarity comes from shared words and shared facts."
)


def outcome_kind(outcome: str) -> str | None:
    if outcome in CONTINUING_OUTCOMES:
        return "went ahead"
    if outcome in STOPPED:
        return "was stopped"
    return None


def similar(*, user: User, draft: CaseFacts, limit: int = 8) -> Similarity:
    found = Similarity()
    scored = gather(user, draft)
    if scored is None:
        return found
    found.semantic_note = scored.semantic_note
    found.semantic = not found.semantic_note
    candidates = scored.candidates
    marks = _marks(draft)
    demoted = np.isin(candidates.index.case_ids[candidates.rows], list(marks)) if marks else None
    weights = weights_for(tagged=bool(draft.tags), meaning=scored.meaning is not None)
    score, closest = rank(scored, weights, demoted=demoted)
    # The best, and as far down as the contrary panel looks (three times the list), checked
    # against the database again: an entry gone, or of a case the user may no longer see.
    # Ties go to the newer entry (a later id): the more recent statement of the rule.
    wanted = min(3 * limit, len(score))
    best = np.argpartition(-score, wanted - 1)[:wanted] if wanted else np.zeros(0, np.int64)
    entry_ids = candidates.index.entry_ids[candidates.rows]
    best = sorted((n for n in best.tolist() if np.isfinite(score[n])), key=lambda n: (-score[n], -entry_ids[n]))
    position_of = {int(entry_ids[n]): n for n in best}
    visible = visibility.need_to_know(user, via="case", involved=candidates.scope.involved)
    kind_of, case_of = {}, {}
    for entry_id, outcome, case_id in (
        SearchEntry.objects.filter(visible, pk__in=list(position_of))
        .exclude(case_id__in=candidates.scope.hidden)
        .values_list("pk", "outcome", "case_id")
    ):
        kind_of[entry_id], case_of[entry_id] = outcome_kind(outcome), case_id
    ranked = [entry_id for entry_id in position_of if entry_id in kind_of]
    shown_best = ranked[:limit]
    # Contrast with how the case itself was decided, or else with its closest precedent.
    found.contrast = _own_kind(draft) or next((kind_of[i] for i in shown_best if kind_of[i]), None)
    # A precedent a reviewer marked not similar is no authority against the case.
    contrary = [i for i in ranked if kind_of[i] not in (None, found.contrast) and case_of[i] not in marks]
    contrary = contrary[:3] if found.contrast else []
    shown = list(dict.fromkeys(shown_best + contrary))
    entries = (
        SearchEntry.objects.select_related("case__partner", "decision__revision")
        .prefetch_related("case__data")
        .defer("case__proposed_use", "decision__rationale")
        .in_bulk(shown)
    )
    words = _shared_words(draft, scored, entries)
    tags = _tags_of([entries[i].case_id for i in shown])
    statuses = citator.statuses([entries[i].decision for i in shown], seen_by=user, involved=candidates.scope.involved)
    similar_to = {}
    for i in shown:
        n = position_of[i]
        components = scored.components(n, closest)
        similar_to[i] = Similar(
            entry=entries[i],
            score=round(float(score[n]), 5),
            components=components,
            reasons=_reasons(draft, entries[i], tags.get(entries[i].case_id, []), words.get(i, []), components),
            marks=marks.get(entries[i].case_id, []),
            status=statuses[entries[i].decision_id],
        )
    found.results = [similar_to[i] for i in shown_best]
    found.decided_differently = [similar_to[i] for i in contrary]
    return found


@dataclass
class Scored:
    """A draft's signals over its candidates, each aligned with candidates.rows, and the
    likeness of candidates to one another, worked out for the few that need it."""

    candidates: signals.Candidates
    words_asked: list[signals.Word]
    words: np.ndarray
    tags: np.ndarray
    facts: np.ndarray
    conflicts: np.ndarray
    meaning: np.ndarray | None = None
    semantic_note: str = ""
    _tags_like: dict[int, np.ndarray] = field(default_factory=dict)
    _words_like: dict[int, np.ndarray] = field(default_factory=dict)

    def likeness(self, seed: int, among: np.ndarray, weights: Weights) -> np.ndarray:
        """How like candidate `seed` each of the candidates `among` is: in tags, in words
        (asked for only when they count, as they cost the engine a query) and, where there
        is meaning, in meaning, weighted."""
        c = self.candidates
        if seed not in self._tags_like:
            self._tags_like[seed] = c.tags(signals.facts_of_row(c.index, int(c.rows[seed]))[0])
        found = weights.seed_tags * self._tags_like[seed][among]
        if weights.seed_words:
            if seed not in self._words_like:
                # The seed's words among every candidate, as the draft's are asked (the
                # candidates `among` that fall outside its WORDS_READ best score zero):
                # limited to `among` in the engine's query, it would take longer.
                entry = SearchEntry.objects.filter(pk=int(c.index.entry_ids[c.rows[seed]]))
                texts = entry.values(*signals.PRECEDENT_TEXTS).first() or {}
                self._words_like[seed] = c.words(signals.telling_words(c.searcher, texts, signals.PRECEDENT_TEXTS))
            found += weights.seed_words * _scaled(self._words_like[seed][among])
        if weights.seed_meaning and self.meaning is not None and c.index.embedded[c.rows[seed]]:
            rows = c.rows[among]
            closeness = c.index.vectors[rows] @ c.index.vectors[c.rows[seed]]
            found += weights.seed_meaning * np.where(c.index.embedded[rows], closeness, np.float32(0))
        return found

    def components(self, n: int, closest: np.ndarray) -> dict[str, dict]:
        """Each signal's score for candidate `n`, and its rank among all candidates."""
        signals_of = {"lexical": self.words, "provisions": self.tags, "facts": self.facts, "closest": closest}
        if self.meaning is not None:
            signals_of["semantic"] = self.meaning
        return {
            name: {"rank": int((values > values[n]).sum()) + 1, "score": round(float(values[n]), 4)}
            for name, values in signals_of.items()
        }


def gather(user: User, draft: CaseFacts) -> Scored | None:
    """The draft's signals over every decision `user` may compare it with; None when they
    may see none."""
    scope = Scope.for_user(user)
    if scope is None:
        return None

    def visible(index: arrays.Index, scope: Scope) -> np.ndarray:
        return arrays.allowed(index, user, exclude_case=draft.case_id, involved=scope.involved)

    return _gather(scope, draft, visible)


def gather_all(draft: CaseFacts, *, meaning: bool = True) -> Scored:
    """The draft's signals over every decision, as the board itself compares them (to
    refit the weights on its judgements: precedent.search.fitting); without closeness in
    meaning when `meaning` is false."""

    def every(index: arrays.Index, scope: Scope) -> np.ndarray:
        return (index.entry_ids > 0) & (index.case_ids != (draft.case_id or 0))

    return _gather(Scope(), draft, every, meaning=meaning)


def _gather(
    scope: Scope, draft: CaseFacts, allowed: Callable[[arrays.Index, Scope], np.ndarray], *, meaning: bool = True
) -> Scored:
    # Candidates: decisions in force, on other cases.
    scope = scope.also(term("candidate", True), narrowing=False)
    if draft.case_id:
        scope = scope.without(frozenset({draft.case_id}))
    searcher, scope = retrieval.fresh(scope)
    index = arrays.current()
    # First, so that the encoder embeds the draft while the engine ranks it by its words.
    embedding = _meaning(index, draft) if meaning and semantic.available() else None
    mask = allowed(index, scope)
    if scope.hidden:
        mask &= ~np.isin(index.case_ids, list(scope.hidden))
    candidates = signals.Candidates(index=index, rows=np.flatnonzero(mask), searcher=searcher, scope=scope)
    asked = signals.telling_words(
        searcher, {"title": draft.title, "proposed_use": draft.proposed_use}, signals.DRAFT_TEXTS
    )
    facts = {
        "partner_id": draft.partner_id,
        "mission_area": draft.mission_area,
        "architecture": draft.architecture,
        "human_judgment": draft.human_judgment,
        # No proximity to force is what most cases share: it says nothing.
        "force_proximity": "" if draft.force_proximity == ForceProximity.NONE else draft.force_proximity,
        "data_involved": draft.data_involved,
    }
    tags = list(draft.tags)
    scored = Scored(
        candidates=candidates,
        words_asked=asked,
        words=candidates.words(asked),
        tags=candidates.tags(tags),
        facts=candidates.facts(facts),
        conflicts=candidates.conflicts(tags),
    )
    if not semantic.available():
        scored.semantic_note = SEMANTIC_OFF
    elif embedding is not None:
        vector = embedding()
        if vector is None:
            scored.semantic_note = SEMANTIC_UNAVAILABLE
        else:
            scored.meaning = candidates.meaning(vector)
    return scored


def rank(scored: Scored, weights: Weights, *, demoted: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Each candidate's score, and its likeness to the closest found by the first pass. A
    candidate the draft shares nothing with (no word, fact, tag or meaning) scores -inf: it
    is not similar, however like the others it may be. The `demoted` keep DEMOTION of their
    score, and are not among the closest the second pass compares with."""
    text = _scaled(scored.words)
    if scored.meaning is not None:
        text = _scaled(scored.meaning) + weights.words * text
    first = (TEXT_FLOOR + text) * (1 + weights.tags * scored.tags + weights.facts * scored.facts)
    first = _scaled(first - weights.conflicts * scored.conflicts)
    if demoted is not None:
        first = np.where(demoted, first * DEMOTION, first)
    evidence = (scored.words > 0) | (scored.tags > 0) | (scored.facts > 0)
    if scored.meaning is not None:
        evidence |= scored.meaning > 0
    closest = np.zeros_like(first)
    seeds = min(weights.seeds, int(evidence.sum()))
    if not seeds or not weights.feedback:
        return np.where(evidence, first, -np.inf), closest
    ranked_first = np.where(evidence, first, -np.inf)
    # The second pass reorders the first's best RERANKED: reading every candidate's vector
    # again for each of the closest would cost more than all the rest.
    among = np.argpartition(-ranked_first, min(RERANKED, len(first)) - 1)[:RERANKED]
    for seed in np.argpartition(-ranked_first, seeds - 1)[:seeds].tolist():
        closest[among] += scored.likeness(seed, among, weights)
    closest /= seeds
    score = first + weights.feedback * closest
    if demoted is not None:
        score = np.where(demoted, score * DEMOTION, score)
    return np.where(evidence, score, -np.inf), closest


def _scaled(values: np.ndarray) -> np.ndarray:
    """The values scaled to the candidates' range, 0 to 1."""
    if not len(values):
        return values
    low, high = values.min(), values.max()
    return (values - low) / (high - low) if high > low else np.zeros_like(values)


def _meaning(index: arrays.Index, draft: CaseFacts) -> Callable[[], np.ndarray | None] | None:
    """What gives the draft's embedding: a saved case's stored one, or else its text being
    encoded (the function waits for it, and gives None if it cannot be had). None for a
    draft with no text yet."""
    row = index.row_of.get(draft.case_id) if draft.saved else None
    if row is not None and index.embedded[row]:
        vector = index.vectors[row].copy()  # as it is now, whatever the index does next
        return lambda: vector
    text = semantic.text_of(title=draft.title, proposed_use=draft.proposed_use)
    return semantic.encode_draft(text) if text else None


def _shared_words(draft: CaseFacts, scored: Scored, entries: dict[int, SearchEntry]) -> dict[int, list[str]]:
    """The draft's telling words each shown entry holds in its texts, most telling first;
    not the words of the draft's partner's name or the entry's: places and agencies, rare
    and so "telling", that say nothing of what was asked of the board (a shared partner has
    a reason of its own)."""
    own = Partner.objects.filter(pk=draft.partner_id).values_list("name", flat=True).first() or ""
    wanted = [w for w in scored.words_asked if w.stem not in set(engine.ANALYZER.analyze(own))]
    shared = {}
    for i, entry in entries.items():
        held = set(engine.ANALYZER.analyze(" ".join(getattr(entry, name) for name in engine.TEXTS)))
        theirs = set(engine.ANALYZER.analyze(entry.case.partner.name))
        shared[i] = [w.word for w in wanted if w.stem in held and w.stem not in theirs][:5]
    return shared


@dataclass(frozen=True)
class ShownTag:
    code: str
    kind: str
    position: int
    stance: str


def _tags_of(case_ids: list[int]) -> dict[int, list[ShownTag]]:
    tags: dict[int, list[ShownTag]] = {}
    rows = Tag.objects.filter(case_id__in=case_ids).order_by()
    for case_id, *tag in rows.values_list(
        "case_id", "provision__code", "provision__kind", "provision__position", "stance"
    ):
        tags.setdefault(case_id, []).append(ShownTag(*tag))
    return tags


def _marks(draft: CaseFacts) -> dict[int, list[SimilarityFeedback]]:
    """The marks "not similar" on suggestions for the draft's case, by the case suggested."""
    if not draft.case_id:
        return {}
    marks: dict[int, list[SimilarityFeedback]] = {}
    feedback = SimilarityFeedback.objects.filter(case_id=draft.case_id)
    for mark in feedback.select_related("by"):
        marks.setdefault(mark.similar_case_id, []).append(mark)
    return marks


def _reasons(
    draft: CaseFacts, entry: SearchEntry, tags: list[ShownTag], terms: list[str], components: dict[str, dict]
) -> list[str]:
    reasons = []
    wanted = dict(draft.tags)
    shared = [t for t in tags if wanted.get(t.code) == t.stance and t.stance not in (Stance.NOT_ENGAGED,)]
    shared.sort(key=lambda t: (t.kind != "red_line", t.position))
    if shared:
        described = [f"{t.code} {Stance(t.stance).label.lower()}" for t in shared[:4]]
        more = f" and {len(shared) - 4} more" if len(shared) > 4 else ""
        reasons.append(f"Both tag {', '.join(described)}{more}.")
    case = entry.case
    if draft.partner_id and case.partner_id == draft.partner_id:
        reasons.append(f"Same partner ({case.partner}).")
    for field_name, choices, label in (
        ("mission_area", MissionArea, "mission area"),
        ("architecture", Architecture, "deployment architecture"),
        ("human_judgment", HumanJudgment, "human-judgment level"),
    ):
        value = getattr(draft, field_name)
        if value and getattr(case, field_name) == value:
            reasons.append(f"Same {label} ({choices(value).label.lower()}).")
    if draft.force_proximity not in ("", ForceProximity.NONE) and case.force_proximity == draft.force_proximity:
        reasons.append(f"Same proximity to force ({ForceProximity(draft.force_proximity).label.lower()}).")
    data = sorted(set(draft.data_involved) & set(case.data_categories), key=list(DataCategory.values).index)
    if data:
        labels = [_lower(DataCategory(d).label) for d in data]
        reasons.append(
            f"Both involve {' and '.join([', '.join(labels[:-1]), labels[-1]] if len(labels) > 1 else labels)}."
        )
    if terms:
        reasons.append(f"Shared key terms: {', '.join(terms)}.")
    if "semantic" in components and components["semantic"]["rank"] <= 10:
        reasons.append(f"Close in meaning (cosine similarity {components['semantic']['score']:.2f}).")
    return reasons


def _lower(label: str) -> str:
    return label if label.startswith("U.S.") else label[0].lower() + label[1:]


def _own_kind(draft: CaseFacts) -> str | None:
    if not draft.case_id:
        return None
    decision = Case.objects.get(pk=draft.case_id).decisions.in_force().first()
    return outcome_kind(decision.outcome) if decision else None
