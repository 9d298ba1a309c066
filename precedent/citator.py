"""The citator: each decision's precedent status, as a legal citator flags a case, derived
from how later decisions treated it, whether it was superseded, whether the provision
texts it relied on were revised since, and whether it leans on precedent since overruled.

A status depends on who asks: a later decision on a restricted case counts only for those
cleared for it. `seen_by=None` gives the status as the whole board may see it (citations
from unrestricted cases), which the search index keeps for its facet.
"""

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from django.db import models

from casebook.choices import NEUTRAL_STANCES, Treatment
from casebook.models import Citation, Decision, Tag, User
from casebook.visibility import need_to_know
from precedent.models import ImpactItem
from principles.models import ProvisionText, Revision


class Flag(models.TextChoices):
    GOOD_LAW = "good_law", "Good law"
    DISTINGUISHED = "distinguished", "Distinguished"
    REVISED = "revised", "Decided under text since revised"
    RELIES_ON_OVERRULED = "relies_on_overruled", "Relies on overruled precedent"
    QUESTIONED = "questioned", "Questioned"
    SUPERSEDED = "superseded", "Superseded"
    OVERRULED = "overruled", "Overruled"


# Most serious first: a decision shows the first flag that applies, and every reason.
SEVERITY = [
    Flag.OVERRULED,
    Flag.SUPERSEDED,
    Flag.QUESTIONED,
    Flag.RELIES_ON_OVERRULED,
    Flag.REVISED,
    Flag.DISTINGUISHED,
    Flag.GOOD_LAW,
]
TONE = {
    Flag.OVERRULED: "negative",
    Flag.SUPERSEDED: "negative",
    Flag.QUESTIONED: "warning",
    Flag.RELIES_ON_OVERRULED: "warning",
    Flag.REVISED: "caution",
    Flag.DISTINGUISHED: "caution",
    Flag.GOOD_LAW: "positive",
}
NEGATIVE = {Treatment.OVERRULES: Flag.OVERRULED, Treatment.QUESTIONS: Flag.QUESTIONED}
RELIANCE = {Treatment.FOLLOWS, Treatment.EXTENDS}


@dataclass(frozen=True)
class PrecedentStatus:
    flag: Flag
    reasons: tuple[str, ...]

    @property
    def code(self) -> str:
        return self.flag.value

    @property
    def label(self) -> str:
        return self.flag.label

    @property
    def tone(self) -> str:
        return TONE[self.flag]


def public_statuses(decisions: list[Decision]) -> dict[int, PrecedentStatus]:
    return statuses(decisions, seen_by=None)


def statuses(
    decisions: list[Decision],
    *,
    seen_by: User | None,
    as_of: datetime | None = None,
    involved: Collection[int] | None = None,
) -> dict[int, PrecedentStatus]:
    """The status of each decision, as `seen_by` may see it, now or as it stood at `as_of`;
    `involved`, the ids of the cases `seen_by` is involved in, when the caller has read them."""
    ids = [d.pk for d in decisions]
    if not ids:
        return {}
    citations = Citation.objects.all()
    if seen_by is None:
        citations = citations.filter(citing__case__restricted=False)
    else:
        citations = citations.filter(need_to_know(seen_by, via="citing__case", involved=involved))
    if as_of is not None:
        citations = citations.filter(citing__issued_at__lte=as_of)
    found: dict[int, list[tuple[Flag, str]]] = defaultdict(list)
    # Plain values throughout: a page of results asks this of twenty decisions, most of them
    # never cited, where building the records would cost more than the queries.
    later = citations.filter(cited__in=ids).order_by("citing__issued_at", "pk")
    followed: dict[int, int] = defaultdict(int)
    for cited, treatment, reason, docket, issued_at, code in later.values_list(
        "cited_id", "treatment", "reason", "citing__case__docket", "citing__issued_at", "provision__code"
    ):
        by = f"{docket} ({issued_at:%-d %B %Y}) on {code}"
        if treatment in NEGATIVE:
            negative = NEGATIVE[treatment]
            found[cited].append((negative, f"{negative.label} by {by}: {reason}"))
        elif treatment == Treatment.DISTINGUISHES:
            found[cited].append((Flag.DISTINGUISHED, f"Distinguished by {by}: {reason}"))
        else:
            followed[cited] += 1

    superseding = Decision.objects.filter(supersedes__in=ids).order_by()
    if as_of is not None:
        superseding = superseding.filter(issued_at__lte=as_of)
    for supersedes, issued_at in superseding.values_list("supersedes_id", "issued_at"):
        found[supersedes].append(
            (Flag.SUPERSEDED, f"Superseded on reconsideration by the decision of {issued_at:%-d %B %Y}.")
        )

    relied = Citation.objects.filter(citing__in=ids, treatment__in=RELIANCE).order_by("pk")
    relied = list(relied.values_list("citing_id", "cited_id", "treatment", "cited__case__docket"))
    if relied:  # rarely: the overruling of what they rely on is asked only then
        overruling = citations.filter(cited__in={cited for _, cited, _, _ in relied}, treatment=Treatment.OVERRULES)
        overruled_by = {
            cited: (docket, issued_at)
            for cited, docket, issued_at in overruling.order_by("pk").values_list(
                "cited_id", "citing__case__docket", "citing__issued_at"
            )
        }
        for citing, cited, treatment, cited_docket in relied:
            if cited in overruled_by:
                docket, issued_at = overruled_by[cited]
                found[citing].append(
                    (
                        Flag.RELIES_ON_OVERRULED,
                        f"{Treatment(treatment).label} {cited_docket}, since overruled by "
                        f"{docket} ({issued_at:%-d %B %Y}).",
                    )
                )

    notes: dict[int, list[str]] = defaultdict(list)
    for decision_id, revised, reason in _revised_since({d.pk: d.case_id for d in decisions}, as_of):
        if revised:
            found[decision_id].append((Flag.REVISED, reason))
        else:
            notes[decision_id].append(reason)

    result = {}
    for decision_id in ids:
        flags = found[decision_id]
        reasons = [reason for _, reason in sorted(flags, key=lambda f: SEVERITY.index(f[0]))]
        if followed[decision_id]:
            n = followed[decision_id]
            reasons.append(f"Followed or extended by {n} later decision{'s' if n != 1 else ''}.")
        reasons += notes[decision_id]
        flag = min((f for f, _ in flags), key=SEVERITY.index, default=Flag.GOOD_LAW)
        result[decision_id] = PrecedentStatus(flag=flag, reasons=tuple(reasons))
    return result


def _revised_since(case_of: dict[int, int], as_of: datetime | None):
    """(decision id, revised, reason) for each provision text a decision's case (`case_of`
    the decision's id) was tagged against, with a stance that bears on it, whose wording
    differs in the revision in force (now, or at `as_of`): revised, unless legal has since
    re-examined the decision against that wording (the impact queue), which is then said."""
    revision = Revision.objects.in_force(at=as_of)
    if revision is None:
        return
    in_force = _wording(revision.pk, revision.published_at)
    tags: dict[int, list[tuple]] = defaultdict(list)
    # Plain values, not Tag objects: a rebuild asks this of every decision there is.
    bearing = Tag.objects.filter(case_id__in=set(case_of.values())).exclude(stance__in=NEUTRAL_STANCES)
    for case_id, *tag in bearing.values_list(
        "case_id",
        "provision__code",
        "provision_text__title",
        "provision_text__body",
        "provision_text__revision__number",
    ):
        tags[case_id].append(tag)
    re_examined = _re_examined(list(case_of), as_of)
    for decision_id, case_id in case_of.items():
        for code, title, body, number in tags[case_id]:
            text = in_force.get(code)
            if text == (title, body):
                continue
            done = re_examined.get((decision_id, code))
            if done and _wording(done.revision_id, done.revision.published_at).get(code) == text:
                yield (
                    decision_id,
                    False,
                    (
                        f"Re-examined against {code} as worded in {done.revision} ({done.reviewed_at:%-d %B %Y}): "
                        f"{done.note}"
                    ),
                )
                continue
            change = f"revised in {revision}" if text else f"retired by {revision}"
            yield decision_id, True, f"Decided against {code} as worded in Revision {number}; {change}."


def _re_examined(decision_ids: list[int], as_of: datetime | None) -> dict[tuple[int, str], ImpactItem]:
    """The latest re-examination of each decision against each changed provision, by then."""
    items = ImpactItem.objects.filter(decision__in=decision_ids, reviewed_at__isnull=False)
    if as_of is not None:
        items = items.filter(reviewed_at__lte=as_of)
    found = {}
    for item in items.select_related("revision").order_by("reviewed_at"):
        for code in item.provisions.split(", "):
            found[(item.decision_id, code)] = item
    return found


@lru_cache(maxsize=8)
def _wording(revision_id: int, published_at: datetime) -> dict[str, tuple[str, str]]:
    """A published revision's texts by provision code: kept, since a published text never
    changes. Keyed by when it was published too, so a revision that is not the one cached
    (a database restored, or a test's rolled back) never passes for it."""
    texts = ProvisionText.objects.filter(revision_id=revision_id)
    return {code: (title, body) for code, title, body in texts.values_list("provision__code", "title", "body")}
