"""The precedent status as it stood: the index keeps each decision's flag as it is today
(as the whole board may see it, for the facet and the filter), and a search "as of" a
date restates the few whose flag has changed since, so that its facet counts and its
filter agree with the flags its results show.

A flag changes only through what came later: a citation or a superseding decision issued
since, the overruling since of what a decision relied on, or a revision published since
that changed the wording a decision was tagged against. Only those decisions are read
again.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

import tantivy

from casebook.choices import Treatment
from casebook.models import Citation, Decision, Tag
from precedent import citator
from precedent.models import SearchEntry
from precedent.search import engine
from precedent.search.scope import Scope, term
from principles.models import ProvisionText, Revision

Occur = tantivy.Occur
# citator.statuses reads a batch at a time: a parameter list SQLite and PostgreSQL both take.
BATCH = 500


@dataclass(frozen=True)
class Restated:
    """The entries whose flag differs at `as_of`: {entry id: (flag today, flag then)}."""

    flags: dict[int, tuple[str, str]]

    def __bool__(self) -> bool:
        return bool(self.flags)

    def precedent_is(self, flag: str) -> tantivy.Query:
        """Entries whose flag was `flag` then: those indexed with it and not restated, and
        those restated to it."""
        restated = sorted(self.flags)
        indexed = [(Occur.Must, term("precedent", flag))]
        if restated:
            indexed.append((Occur.MustNot, tantivy.Query.term_set_query(engine.SCHEMA, "entry", restated)))
        either = [(Occur.Should, tantivy.Query.boolean_query(indexed))]
        then = sorted(entry for entry, (_, was) in self.flags.items() if was == flag)
        if then:
            either.append((Occur.Should, tantivy.Query.term_set_query(engine.SCHEMA, "entry", then)))
        return tantivy.Query.boolean_query(either)

    def recount(self, counts: dict[str, int], searcher: tantivy.Searcher, query: tantivy.Query, scope: Scope) -> dict:
        """The precedent facet's `counts` (today's flags) of the matches of `query` in
        `scope`, restated as the flags then."""
        restated = sorted(self.flags)
        within = scope.also(tantivy.Query.term_set_query(engine.SCHEMA, "entry", restated)).query(query)
        hits = searcher.search(within, len(restated)).hits
        moved = Counter()
        for entry in searcher.fast_field_values("entry", [address for _, address in hits]):
            today, then = self.flags[entry]
            moved[today] -= 1
            moved[then] += 1
        recounted = Counter(counts)
        recounted.update(moved)
        return {flag: n for flag, n in recounted.items() if n > 0}


def restated(as_of: datetime) -> Restated:
    """The entries of decisions issued by `as_of` whose flag (as the whole board may see
    it) was not then what it is now."""
    ids = _touched_since(as_of)
    entries = SearchEntry.objects.filter(decision__in=ids, decision__issued_at__lte=as_of)
    today = {decision: (entry, flag) for entry, decision, flag in entries.values_list("pk", "decision", "precedent")}
    decisions = list(Decision.objects.filter(pk__in=today).only("pk", "case_id"))
    flags = {}
    for start in range(0, len(decisions), BATCH):
        then = citator.statuses(decisions[start : start + BATCH], seen_by=None, as_of=as_of)
        for decision, status in then.items():
            entry, flag = today[decision]
            if status.code != flag:
                flags[entry] = (flag, status.code)
    return Restated(flags=flags)


def _touched_since(as_of: datetime) -> set[int]:
    """The decisions something since `as_of` may have changed the flag of."""
    later = Citation.objects.filter(citing__issued_at__gt=as_of, citing__case__restricted=False)
    touched = set(later.values_list("cited", flat=True))
    touched |= set(
        Decision.objects.filter(issued_at__gt=as_of, supersedes__isnull=False).values_list("supersedes", flat=True)
    )
    overruled = later.filter(treatment=Treatment.OVERRULES).values("cited")
    touched |= set(
        Citation.objects.filter(cited__in=overruled, treatment__in=citator.RELIANCE).values_list("citing", flat=True)
    )
    reworded = _reworded_since(as_of)
    if reworded:
        cases = Tag.objects.filter(provision__code__in=reworded).values("case")
        touched |= set(Decision.objects.filter(case__in=cases).values_list("pk", flat=True))
    return touched


def _reworded_since(as_of: datetime) -> set[str]:
    """The codes of the provisions whose wording in force now differs from that at `as_of`
    (revised, retired or added since)."""
    then, now = Revision.objects.in_force(at=as_of), Revision.objects.in_force()
    if then is None or now is None or then.pk == now.pk:
        return set()
    before, after = _wording(then), _wording(now)
    return {code for code in before.keys() | after.keys() if before.get(code) != after.get(code)}


def _wording(revision: Revision) -> dict[str, tuple[str, str]]:
    texts = ProvisionText.objects.filter(revision=revision)
    return {code: (title, body) for code, title, body in texts.values_list("provision__code", "title", "body")}
