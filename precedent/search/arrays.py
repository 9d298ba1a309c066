"""The in-process index that similar past decisions ranks over: every case's structural
facts as arrays, with its embedding when the [semantic] extra is on. Scoring a draft
against 100,000 cases is then a few array operations, not a scan in SQL.

Each process keeps one, and before each use brings it up to date with what changed since:
a case's entries are remade, under new ids, whenever the case changes, so the entries with
ids above the last one seen name every case to refresh; embeddings carry their update time.
Need-to-know is applied to the arrays before anything is ranked."""

import threading
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
from django.db.models import Max

from casebook import visibility
from casebook.choices import STANCES_BY_KIND, Architecture, DataCategory, ForceProximity, HumanJudgment, MissionArea
from casebook.models import Case, CaseData, Tag, User
from precedent.models import CaseEmbedding, SearchEntry
from principles.models import Provision

DIMENSIONS = 384
CODES = {
    "mission_area": MissionArea.values,
    "architecture": Architecture.values,
    "human_judgment": HumanJudgment.values,
    "force_proximity": ForceProximity.values,
}
CATEGORIES = DataCategory.values


def code_of(kind: str, value: str) -> int:
    # 0 stands for "not stated", so a blank never matches a blank.
    return CODES[kind].index(value) + 1 if value in CODES[kind] else 0


@dataclass
class Index:
    stances: list[tuple[str, str]]  # the tag columns: (provision code, stance)
    last_entry: int = 0
    last_embedding: datetime | None = None
    row_of: dict[int, int] = field(default_factory=dict)
    case_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    entry_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # 0: nothing in force
    open_to_all: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    partner: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    facts: np.ndarray = field(default_factory=lambda: np.zeros((0, len(CODES)), np.int8))
    data: np.ndarray = field(default_factory=lambda: np.zeros((0, len(CATEGORIES)), bool))
    tags: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), bool))
    vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, DIMENSIONS), np.float32))
    embedded: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    # Counts each reload of cases, so that what is worked out from the rows (the weights of
    # tags and facts, precedent.search.signals) is kept until they change.
    version: int = 0
    weighting: Any = None

    @property
    def column(self) -> dict[tuple[str, str], int]:
        return {stance: n for n, stance in enumerate(self.stances)}


_index: Index | None = None
_lock = threading.Lock()


def reset() -> None:
    """Forget this process's index (the tests do, as each test's database rolls back)."""
    global _index
    with _lock:
        _index = None


def _stances() -> list[tuple[str, str]]:
    return [
        (code, stance)
        for code, kind in Provision.objects.order_by("position", "id").values_list("code", "kind")
        for stance in STANCES_BY_KIND[kind]
    ]


def current() -> Index:
    """This process's index, brought up to date with every change committed since its last use."""
    global _index
    with _lock:
        stances = _stances()
        if _index is None or _index.stances != stances:
            _index = Index(stances=stances)  # a new provision: start afresh
        _refresh(_index)
        return _index


def _refresh(index: Index) -> None:
    newest = SearchEntry.objects.aggregate(last=Max("pk"))["last"] or 0
    if newest > index.last_entry:
        changed = set(SearchEntry.objects.filter(pk__gt=index.last_entry).values_list("case_id", flat=True))
        _load_cases(index, changed if index.last_entry else None)
        index.last_entry = newest
    embeddings = CaseEmbedding.objects.all()
    if index.last_embedding is not None:
        embeddings = embeddings.filter(updated_at__gt=index.last_embedding)
    # Which changed, then their vectors a chunk at a time. Not one streamed query: that is
    # a cursor on PostgreSQL, planned for a tenth of many rows, which there scans the whole
    # table before each request to find none.
    changed = list(embeddings.values_list("pk", "updated_at"))
    for start in range(0, len(changed), 2000):
        chunk = [pk for pk, _ in changed[start : start + 2000]]
        for case_id, vector in CaseEmbedding.objects.filter(pk__in=chunk).values_list("case_id", "vector"):
            row = index.row_of.get(case_id)
            if row is not None:
                index.vectors[row] = np.frombuffer(bytes(vector), dtype=np.float32)
                index.embedded[row] = True
    if changed:
        index.last_embedding = max(updated_at for _, updated_at in changed)


def _load_cases(index: Index, case_ids: set[int] | None) -> None:
    """(Re)load the rows of these cases, or of every case when `case_ids` is None."""
    index.version += 1
    cases = Case.objects.all() if case_ids is None else Case.objects.filter(pk__in=case_ids)
    entries = SearchEntry.objects.all() if case_ids is None else SearchEntry.objects.filter(case_id__in=case_ids)
    entries = entries.order_by().values_list("pk", "case_id", "decision_id", "superseded_at")
    in_force = {case: pk for pk, case, decision, superseded in entries if decision and superseded is None}
    rows = list(
        cases.values_list(
            "pk",
            "restricted",
            "submitted_at",
            "partner_id",
            "mission_area",
            "architecture",
            "human_judgment",
            "force_proximity",
        )
    )
    new = [row[0] for row in rows if row[0] not in index.row_of]
    if new:
        _grow(index, new)
    for pk, restricted, submitted_at, partner, *facts in rows:
        row = index.row_of[pk]
        index.entry_ids[row] = in_force.get(pk, 0)
        index.open_to_all[row] = visibility.is_open_to_all(restricted=restricted, submitted=submitted_at is not None)
        index.partner[row] = partner
        index.facts[row] = [code_of(kind, value) for kind, value in zip(CODES, facts, strict=True)]
        index.data[row] = False
        index.tags[row] = False
    data = CaseData.objects.all() if case_ids is None else CaseData.objects.filter(case_id__in=case_ids)
    for case_id, category in data.values_list("case_id", "category").iterator(5000):
        index.data[index.row_of[case_id], CATEGORIES.index(category)] = True
    column = index.column
    tags = Tag.objects.all() if case_ids is None else Tag.objects.filter(case_id__in=case_ids)
    for case_id, code, stance in tags.values_list("case_id", "provision__code", "stance").iterator(5000):
        if (code, stance) in column:
            index.tags[index.row_of[case_id], column[(code, stance)]] = True


def _grow(index: Index, case_ids: list[int]) -> None:
    start, n = len(index.case_ids), len(case_ids)
    index.row_of.update({case_id: start + i for i, case_id in enumerate(case_ids)})
    index.case_ids = np.concatenate([index.case_ids, np.array(case_ids, np.int64)])
    index.entry_ids = np.concatenate([index.entry_ids, np.zeros(n, np.int64)])
    index.open_to_all = np.concatenate([index.open_to_all, np.zeros(n, bool)])
    index.partner = np.concatenate([index.partner, np.zeros(n, np.int64)])
    index.facts = np.concatenate([index.facts, np.zeros((n, len(CODES)), np.int8)])
    index.data = np.concatenate([index.data, np.zeros((n, len(CATEGORIES)), bool)])
    tags = np.zeros((n, len(index.stances)), bool)
    index.tags = np.concatenate([index.tags.reshape(-1, len(index.stances)), tags])
    index.vectors = np.concatenate([index.vectors, np.zeros((n, DIMENSIONS), np.float32)])
    index.embedded = np.concatenate([index.embedded, np.zeros(n, bool)])


def visible(index: Index, user: User, *, involved: Collection[int] | None = None) -> np.ndarray:
    """The rows of the cases `user` may see: need-to-know (casebook.visibility) as a mask.
    A caller that has just read the user's involved case ids passes them."""
    if visibility.sees_nothing(user):
        return np.zeros(len(index.case_ids), bool)
    if visibility.sees_everything(user):
        return np.ones(len(index.case_ids), bool)
    if involved is None:
        involved = visibility.involved_ids(user)
    return index.open_to_all | np.isin(index.case_ids, np.array(list(involved), np.int64))


def allowed(
    index: Index, user: User, *, exclude_case: int | None, involved: Collection[int] | None = None
) -> np.ndarray:
    """The rows a similar-decisions list may offer `user`: decided, in force, not the case
    itself, and within need-to-know."""
    mask = (index.entry_ids > 0) & visible(index, user, involved=involved)
    if exclude_case:
        mask &= index.case_ids != exclude_case
    return mask


def top(index: Index, scores: np.ndarray, mask: np.ndarray, limit: int) -> list[tuple[int, float]]:
    """(entry id, score) of the best-scoring allowed rows, best first; none scoring zero."""
    scores = np.where(mask, scores, -np.inf)
    if not len(scores):
        return []
    best = np.argpartition(-scores, min(limit, len(scores) - 1))[:limit]
    best = best[np.argsort(-scores[best], kind="stable")]
    return [(int(index.entry_ids[i]), float(scores[i])) for i in best if np.isfinite(scores[i]) and scores[i] > 0]
