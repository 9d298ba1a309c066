"""What similar past decisions compares besides the words: a case's facts as codes, its
tags three ways, and how much each feature is worth.

A tag counts three ways: its exact stance, its lean (a red line implicated, crossed or
mitigated; a factor engaged, relevant or a concern) and its provision, each worth less
than the one before, so that "RL-3 implicated but mitigated" still agrees a little with
"RL-3 crossed", and "not engaged" (a provision not in play) counts for nothing. Each
feature is weighted by how rare it is in the casebook (its idf, as for words): two cases
that both cross a red line few cases cross have more in common than two that both
advance a principle most cases advance. The indexer works the weights out as it writes
the rows (precedent.search.arrays), with each row's length as a vector of them."""

import numpy as np

from casebook.choices import Architecture, DataCategory, ForceProximity, HumanJudgment, MissionArea, Stance

CODES = {
    "mission_area": MissionArea.values,
    "architecture": Architecture.values,
    "human_judgment": HumanJudgment.values,
    "force_proximity": ForceProximity.values,
}
CATEGORIES = DataCategory.values
# What agreeing on a provision's lean, or on the provision alone, is worth beside
# agreeing on its stance.
LEAN_WEIGHT = 0.5
PROVISION_WEIGHT = 0.3
LEANS = {
    Stance.CROSSED: "implicated",
    Stance.IMPLICATED_MITIGATED: "implicated",
    Stance.RELEVANT: "engaged",
    Stance.CONCERN: "engaged",
}


def code_of(kind: str, value: str) -> int:
    # 0 stands for "not stated", so a blank never matches a blank.
    return CODES[kind].index(value) + 1 if value in CODES[kind] else 0


def leans_of(stances: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The lean columns, (provision code, lean), for these tag columns."""
    return sorted({(code, LEANS[stance]) for code, stance in stances if stance in LEANS})


def provisions_of(stances: list[tuple[str, str]]) -> list[str]:
    return list(dict.fromkeys(code for code, _ in stances))


def derived(tags: np.ndarray, stances: list[tuple[str, str]]) -> tuple[np.ndarray, np.ndarray]:
    """For rows with these tags, which leans and which provisions (in play) they have."""
    leans, provisions = leans_of(stances), provisions_of(stances)
    has_lean = np.zeros((len(tags), len(leans)), bool, order="F")
    has_provision = np.zeros((len(tags), len(provisions)), bool, order="F")
    lean_of = {lean: n for n, lean in enumerate(leans)}
    provision_of = {code: n for n, code in enumerate(provisions)}
    for i, (code, stance) in enumerate(stances):
        if stance in LEANS:
            has_lean[:, lean_of[(code, LEANS[stance])]] |= tags[:, i]
        if stance != Stance.NOT_ENGAGED:
            has_provision[:, provision_of[code]] |= tags[:, i]
    return has_lean, has_provision


def idf(counts: np.ndarray, rows: int) -> np.ndarray:
    return np.log((rows + 1) / (np.asarray(counts) + 0.5)).astype(np.float32)


def partner_idf(partner: np.ndarray, partner_id: int) -> float:
    """What sharing this partner is worth (as in the rows' norms); zero for a partner no case has."""
    found = np.count_nonzero(partner == partner_id)
    return float(idf(found, len(partner))) if found else 0.0


def weighted_sum(has: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Each row's sum of the weights of the columns it has: column by column, as the few
    columns a row has make a product of the whole matrix mostly zeros."""
    total = np.zeros(len(has), np.float32)
    for n, weight in enumerate(weights):
        if weight:
            total += has[:, n] * weight
    return total


def weigh(columns: dict[str, np.ndarray], stances: list[tuple[str, str]]) -> tuple[dict, np.ndarray, np.ndarray]:
    """The weight of every feature over these rows (for meta.json), and each row's length
    as a vector of tag features and of fact features."""
    tags, facts = columns["tags"], columns["facts"]
    rows = len(tags)
    stance_idf = idf(tags.sum(axis=0), rows)
    stance_idf[[n for n, (_, stance) in enumerate(stances) if stance == Stance.NOT_ENGAGED]] = 0
    lean_idf = idf(columns["has_lean"].sum(axis=0), rows) * np.float32(LEAN_WEIGHT)
    provision_idf = idf(columns["has_provision"].sum(axis=0), rows) * np.float32(PROVISION_WEIGHT)
    tag_norms = np.sqrt(
        weighted_sum(tags, stance_idf**2)
        + weighted_sum(columns["has_lean"], lean_idf**2)
        + weighted_sum(columns["has_provision"], provision_idf**2)
    )
    fact_idf = [
        idf(np.bincount(facts[:, n].astype(np.int64), minlength=len(values) + 1), rows)
        for n, values in enumerate(CODES.values())
    ]
    for weights in fact_idf:
        weights[0] = 0  # not stated
    _, of_row, counts = np.unique(columns["partner"], return_inverse=True, return_counts=True)
    data_idf = idf(columns["data"].sum(axis=0), rows)
    squares = sum(weights[facts[:, n].astype(np.int64)] ** 2 for n, weights in enumerate(fact_idf))
    fact_norms = np.sqrt(squares + idf(counts, rows)[of_row] ** 2 + weighted_sum(columns["data"], data_idf**2))
    weights = {
        "stance_idf": stance_idf.tolist(),
        "lean_idf": lean_idf.tolist(),
        "provision_idf": provision_idf.tolist(),
        "fact_idf": [weights.tolist() for weights in fact_idf],
        "data_idf": data_idf.tolist(),
    }
    return weights, tag_norms.astype(np.float32), fact_norms.astype(np.float32)
