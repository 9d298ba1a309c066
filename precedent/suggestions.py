"""Suggested tags: the provisions and stances the case law suggests for a draft, each with
its reason and the precedents behind it, for the reviewer to accept or reject in a click.

Two sources. The nearest precedents (similar past decisions, found from the draft's words
and facts alone): the stances they took, each weighed by how similar its case is; a stance
counts where it holds more of the neighbourhood than any other on its provision. And the
red lines whose wording the draft's facts engage: words of a red line's text that few other
provisions use, found in the draft, suggest it is implicated, each such word counting for a
little (never that it is crossed: that is for the precedents and the reviewer). A stance is
suggested where the two together make a good part of the whole (`SHARE`).

The reviewers' verdicts are used: a suggestion rejected on a case is not made on it again,
and across the casebook a stance rejected more often than accepted is suggested less."""

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache

from casebook.choices import NEUTRAL_STANCES, Stance
from casebook.models import Case, Tag, TagVerdict, User
from precedent.search import CaseFacts, similar
from principles.models import Provision, ProvisionText, Revision

NEIGHBOURS = 8
SHARE = 0.3  # how strongly the case law must suggest a stance (0 to 1), for it to be suggested
LEAD = 0.15  # the least share of the neighbourhood a stance is taken into account with
WORD_SHARE = 0.12  # what each telling word of a red line's wording, found in the facts, counts for
WORDING_WORDS = 2  # distinct telling words of its wording the facts must use
TELLING = 2  # a word of a provision's text is telling if at most this many provisions use it
WORD = re.compile(r"[a-z][a-z'-]{3,}")
STEM = 6  # words compared by their first letters, so "surveil" meets "surveillance"


@dataclass
class Suggestion:
    provision: Provision
    stance: str
    share: float  # how strongly the case law suggests it, 0 to 1
    reasons: list[str] = field(default_factory=list)
    precedents: list[Case] = field(default_factory=list)

    @property
    def stance_label(self) -> str:
        return Stance(self.stance).label

    @property
    def pair(self) -> tuple[str, str]:
        return (self.provision.code, self.stance)


def suggest_tags(*, draft: CaseFacts, seen_by: User, case: Case | None = None) -> list[Suggestion]:
    """What the case law suggests tagging `draft` (the facts of `case`, if it is saved), as
    `seen_by` may see it, strongest first; tags it already has, and suggestions rejected on
    it, left out."""
    revision = Revision.objects.in_force()
    if revision is None:
        return []
    found: dict[tuple[str, str], Suggestion] = {}
    _from_precedents(draft, seen_by, found)
    _from_wording(draft, revision, found)
    had = set(draft.tags)
    rejected = set()
    if case is not None:
        rejected = set(TagVerdict.objects.filter(case=case, accepted=False).values_list("provision__code", "stance"))
    judged = _verdicts(seen_by)
    suggestions = []
    for pair, suggestion in found.items():
        accepted, refused = judged.get(pair, (0, 0))
        suggestion.share = min(1.0, suggestion.share) * (accepted + 1) / (accepted + refused + 1)
        if refused > accepted:
            suggestion.reasons.append(f"Reviewers rejected it {refused} of {accepted + refused} times elsewhere.")
        if suggestion.share >= SHARE and pair not in had and pair not in rejected:
            suggestions.append(suggestion)
    suggestions.sort(key=lambda s: (-s.share, s.provision.position))
    return suggestions


def _from_precedents(draft: CaseFacts, seen_by: User, found: dict) -> None:
    nearest = similar(user=seen_by, draft=replace(draft, tags=()), limit=NEIGHBOURS).results
    if not nearest:
        return
    top = max(result.score for result in nearest) or 1.0
    weight = {result.case.pk: max(result.score, 0.0) / top for result in nearest}
    cases = {result.case.pk: result.case for result in nearest}
    total = sum(weight.values()) or 1.0
    votes: dict[int, Counter] = defaultdict(Counter)
    behind: dict[tuple[int, str], list[int]] = defaultdict(list)
    for case_id, provision_id, stance in Tag.objects.filter(case__in=list(weight)).values_list(
        "case", "provision", "stance"
    ):
        votes[provision_id][stance] += weight[case_id]
        behind[(provision_id, stance)].append(case_id)
    provisions = Provision.objects.in_bulk(list(votes))
    for provision_id, stances in votes.items():
        stance, held = stances.most_common(1)[0]
        if stance in NEUTRAL_STANCES or held / total < LEAD:
            continue
        provision = provisions[provision_id]
        ids = sorted(behind[(provision_id, stance)], key=lambda i: -weight[i])
        found[(provision.code, stance)] = Suggestion(
            provision=provision,
            stance=stance,
            share=held / total,
            reasons=[
                f"{len(ids)} of the {len(weight)} nearest precedents took it "
                f"({round(100 * held / total)}% of their similarity)."
            ],
            precedents=[cases[i] for i in ids],
        )


def _from_wording(draft: CaseFacts, revision: Revision, found: dict) -> None:
    facts = _stems(f"{draft.title} {draft.proposed_use}")
    for text, telling in _telling_words(revision.pk).items():
        used = sorted({word for stem, word in telling.items() if stem in facts})
        if len(used) < WORDING_WORDS:
            continue
        reason = f"The facts use words of its wording: {', '.join(used[:5])}."
        pair = (text.provision.code, Stance.IMPLICATED_MITIGATED)
        crossed = (text.provision.code, Stance.CROSSED)
        if crossed in found:  # the precedents say more than the words can
            found[crossed].reasons.append(reason)
            continue
        share = WORD_SHARE * len(used)
        if pair in found:
            found[pair].share += share
            found[pair].reasons.append(reason)
        else:
            found[pair] = Suggestion(
                provision=text.provision, stance=Stance.IMPLICATED_MITIGATED, share=share, reasons=[reason]
            )


@lru_cache(maxsize=4)
def _telling_words(revision_id: int) -> dict[ProvisionText, dict[str, str]]:
    """Per red line of a revision, the stems of its wording that few provisions use, each
    with a word it stands for. A revision's texts never change, so this is kept."""
    texts = list(ProvisionText.objects.filter(revision=revision_id).select_related("provision"))
    words_of = {text: _words(f"{text.title} {text.body}") for text in texts}
    used_by = Counter(stem for words in words_of.values() for stem in set(words))
    return {
        text: {stem: word for stem, word in words.items() if used_by[stem] <= TELLING}
        for text, words in words_of.items()
        if text.provision.kind == "red_line"
    }


def _words(text: str) -> dict[str, str]:
    return {word[:STEM]: word for word in WORD.findall(text.lower())}


def _stems(text: str) -> set[str]:
    return set(_words(text))


def _verdicts(seen_by: User) -> dict[tuple[str, str], tuple[int, int]]:
    """(accepted, rejected) per (provision code, stance), over the cases `seen_by` may see."""
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for code, stance, accepted in TagVerdict.objects.filter(case__in=Case.objects.visible_to(seen_by)).values_list(
        "provision__code", "stance", "accepted"
    ):
        counts[(code, stance)][0 if accepted else 1] += 1
    return {pair: (a, r) for pair, (a, r) in counts.items()}
