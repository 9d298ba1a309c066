"""Similar past decisions for a case, saved or still being written: a fused ranking of
lexical similarity (the engine, on the case's key terms), structural similarity (shared
provisions and stances, partner, mission area, architecture, human judgment, force, data)
and, where the [semantic] extra is installed, closeness in meaning (precedent.search.semantic). Each list is ranked on
its own and the ranks are fused (reciprocal rank fusion), so no signal's scale can drown
the others; every result says in words why it is similar.

Only decisions in force on cases the searcher may see are candidates, and the filter is
inside each query. A pair someone marked "not similar" is demoted from then on."""

import math
from collections import Counter
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
from casebook.models import Case, Tag, User
from precedent import citator
from precedent.models import SearchEntry, SimilarityFeedback
from precedent.search import arrays, retrieval, semantic
from precedent.search.query import STOP_WORDS, TOKEN, Query, Term
from precedent.search.scope import Scope, term

# Reciprocal rank fusion's constant: a list's first place is worth 1/61, its tenth 1/70.
RRF_K = 60
# Each list offers this many candidates to the fusion.
DEPTH = 50
# How many of the draft's words count as its key terms (shown as shared, when they are),
# and how many of them the lexical signal asks the engine for, those weighing most by
# tf-idf: as in a "more like this" query, the words that say most about a text are frequent
# in it and rare in the casebook, and each common word asked for makes the engine rank most
# of the entries.
KEY_TERMS = 12
ASKED_TERMS = 5
# A pair marked "not similar" keeps this share of its fused score.
DEMOTION = 0.2
# Words too common in review memos to say anything about similarity.
GENERIC = frozenset(
    "use uses used would could should may might also will data model models system systems provider "
    "partner partners case cases review board proposed proposes request requests".split()
)
# What sharing each fact is worth to the structural signal.
SAME = {"partner": 2.0, "mission_area": 1.5, "architecture": 1.0, "human_judgment": 1.0, "force_proximity": 1.0}
SHARED_DATA = 0.75
# What sharing a stance on a provision is worth, by kind; a stance saying a provision is
# not in play says little, so it is worth less.
STANCE_WEIGHT = {
    "red_line": {Stance.CROSSED: 4.0, Stance.IMPLICATED_MITIGATED: 3.0, Stance.NOT_IMPLICATED: 0.5},
    "principle": {Stance.ADVANCES: 1.5, Stance.IN_TENSION: 2.0, Stance.NOT_ENGAGED: 0.0},
}
OTHER_STANCE_WEIGHT = {Stance.RELEVANT: 1.0, Stance.CONCERN: 1.5, Stance.NOT_ENGAGED: 0.0}
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

    def key_terms(self) -> list[tuple[str, int]]:
        """The draft's most frequent telling words with their counts, the title's counted thrice."""
        words = Counter()
        for weight, text in ((3, self.title), (1, self.proposed_use)):
            for word in TOKEN.findall(text.lower()):
                if len(word) > 2 and not word.isdigit() and word not in STOP_WORDS and word not in GENERIC:
                    words[word] += weight
        return words.most_common(KEY_TERMS)


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
    scope = Scope.for_user(user)
    if scope is None:
        return found
    # Candidates: decisions in force, on other cases.
    scope = scope.also(term("candidate", True), narrowing=False)
    if draft.case_id:
        scope = scope.without(frozenset({draft.case_id}))
    searcher, scope = retrieval.fresh(scope)
    index = arrays.current()
    # First, so that the encoder embeds the draft while the engine ranks it by its words.
    meaning = _meaning(index, draft) if semantic.available() else None
    counted = draft.key_terms()
    terms = [word for word, _ in counted]
    frequencies = arrays.document_frequencies(index, lambda words: retrieval.word_counts(searcher, words), terms)
    asked = _telling(counted, frequencies, len(index.case_ids))
    lexical = (
        retrieval.ranked(
            searcher, Query(groups=(tuple(Term(words=(w,)) for w in asked),)), scope, limit=DEPTH, offset=0
        )[0]
        if asked
        else []
    )
    structural = arrays.top(
        index,
        structural_scores(index, draft, _tag_weights(draft)),
        arrays.allowed(index, user, exclude_case=draft.case_id),
        DEPTH,
    )
    lists = {
        "lexical": [(hit.entry_id, hit.score) for hit in lexical],
        "structural": structural,
    }
    if not semantic.available():
        found.semantic_note = SEMANTIC_OFF
    elif meaning is not None:
        vector = meaning()
        if vector is None:
            found.semantic_note = SEMANTIC_UNAVAILABLE
        else:
            lists["semantic"] = semantic.nearest(user=user, vector=vector, exclude_case=draft.case_id, limit=DEPTH)
    found.semantic = not found.semantic_note
    fused: dict[int, float] = {}
    components: dict[int, dict] = {}
    for name, ranked in lists.items():
        for rank, (entry_id, score) in enumerate(ranked, start=1):
            fused[entry_id] = fused.get(entry_id, 0.0) + 1 / (RRF_K + rank)
            components.setdefault(entry_id, {})[name] = {"rank": rank, "score": round(score, 4)}
    # Checked against the database again: an entry gone, or of a case the user may no
    # longer see or whose change the engine has not applied yet, is left out.
    case_of, kind_of = {}, {}
    visible = visibility.need_to_know(user, via="case", involved=scope.involved)
    candidates = SearchEntry.objects.filter(visible, pk__in=list(fused))
    for entry_id, case_id, outcome in candidates.exclude(case_id__in=scope.hidden).values_list(
        "pk", "case_id", "outcome"
    ):
        case_of[entry_id], kind_of[entry_id] = case_id, outcome_kind(outcome)
    fused = {entry_id: score for entry_id, score in fused.items() if entry_id in case_of}
    marks = _marks(draft, list(case_of.values()))
    for entry_id in fused:
        if marks.get(case_of.get(entry_id)):
            fused[entry_id] *= DEMOTION
    # Ties go to the newer entry (a later id): the more recent statement of the rule.
    ranked = sorted(fused, key=lambda i: (-fused[i], -i))
    best = ranked[:limit]
    # Contrast with how the case itself was decided, or else with its closest precedent;
    # the contrary panel looks as far down as three times the list.
    found.contrast = _own_kind(draft) or next((kind_of[i] for i in best if kind_of[i]), None)
    contrary = (
        [i for i in ranked[: 3 * limit] if kind_of[i] not in (None, found.contrast)][:3] if found.contrast else []
    )
    shown = list(dict.fromkeys(best + contrary))
    entries = (
        SearchEntry.objects.select_related("case__partner", "decision__revision")
        .prefetch_related("case__data")
        .defer("proposed_use", "rationale", "notes", "case__proposed_use", "decision__rationale")
        .in_bulk(shown)
    )
    shared_terms = retrieval.words_in(searcher, shown, terms) if terms else {}
    tags = _tags_of([entries[i].case_id for i in shown])
    statuses = citator.statuses([entries[i].decision for i in shown], seen_by=user, involved=scope.involved)
    similar_to = {
        i: Similar(
            entry=entries[i],
            score=round(fused[i], 5),
            components=components[i],
            reasons=_reasons(
                draft, entries[i], tags.get(entries[i].case_id, []), shared_terms.get(i, []), components[i]
            ),
            marks=marks.get(entries[i].case_id, []),
            status=statuses[entries[i].decision_id],
        )
        for i in shown
    }
    found.results = [similar_to[i] for i in best]
    found.decided_differently = [similar_to[i] for i in contrary]
    return found


def _telling(counted: list[tuple[str, int]], frequencies: dict[str, int], cases: int) -> list[str]:
    """The ASKED_TERMS key terms that weigh most by tf-idf; none the casebook lacks. (The
    counts are of entries, a case having one for each decision: hence the larger total.)"""
    total = max([cases, *frequencies.values()]) + 1
    weight = {word: n * math.log(total / frequencies[word]) for word, n in counted if frequencies[word]}
    return sorted(weight, key=lambda word: -weight[word])[:ASKED_TERMS]


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


def structural_scores(index: arrays.Index, draft: CaseFacts, tag_weights: list[tuple[str, str, float]]):
    """Each row's structural score against the draft: weighted shared stances on
    provisions, and the same partner, mission area, architecture, human-judgment level,
    proximity to force (when there is any) and kinds of data."""
    scores = np.zeros(len(index.case_ids), np.float32)
    column = index.column
    for code, stance, weight in tag_weights:
        if (code, stance) in column:
            scores += index.tags[:, column[(code, stance)]] * np.float32(weight)
    if draft.partner_id:
        scores += (index.partner == draft.partner_id) * np.float32(SAME["partner"])
    for n, kind in enumerate(arrays.CODES):
        value = getattr(draft, kind)
        if value and not (kind == "force_proximity" and value == ForceProximity.NONE):
            scores += (index.facts[:, n] == arrays.code_of(kind, value)) * np.float32(SAME[kind])
    for category in draft.data_involved:
        if category in arrays.CATEGORIES:
            scores += index.data[:, arrays.CATEGORIES.index(category)] * np.float32(SHARED_DATA)
    return scores


def _tag_weights(draft: CaseFacts) -> list[tuple[str, str, float]]:
    from principles.models import Provision

    kinds = dict(Provision.objects.filter(code__in=[code for code, _ in draft.tags]).values_list("code", "kind"))
    weights = []
    for code, stance in draft.tags:
        weight = STANCE_WEIGHT.get(kinds.get(code), OTHER_STANCE_WEIGHT).get(stance, 1.0)
        if weight:
            weights.append((code, stance, weight))
    return weights


def _tags_of(case_ids: list[int]) -> dict[int, list[Tag]]:
    tags: dict[int, list[Tag]] = {}
    for tag in Tag.objects.filter(case_id__in=case_ids).select_related("provision"):
        tags.setdefault(tag.case_id, []).append(tag)
    return tags


def _marks(draft: CaseFacts, case_ids: list[int]) -> dict[int, list[SimilarityFeedback]]:
    if not draft.case_id:
        return {}
    marks: dict[int, list[SimilarityFeedback]] = {}
    feedback = SimilarityFeedback.objects.filter(case_id=draft.case_id, similar_case_id__in=case_ids)
    for mark in feedback.select_related("by"):
        marks.setdefault(mark.similar_case_id, []).append(mark)
    return marks


def _reasons(
    draft: CaseFacts, entry: SearchEntry, tags: list[Tag], terms: list[str], components: dict[str, dict]
) -> list[str]:
    reasons = []
    wanted = dict(draft.tags)
    shared = [t for t in tags if wanted.get(t.provision.code) == t.stance and t.stance not in (Stance.NOT_ENGAGED,)]
    shared.sort(key=lambda t: (t.provision.kind != "red_line", t.provision.position))
    if shared:
        described = [f"{t.provision.code} {t.get_stance_display().lower()}" for t in shared[:4]]
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
