"""Precedent search: the one small interface the rest of Casebook uses. Indexing
(index_case, forget_case, rebuild, rebuild_engine, check, refresh_precedent, embed_case,
embed_cases, embeds, and warm, as a process starts), searching (search, search_with,
with FACET_LABELS for the facets' names) and similar past decisions (similar, for a
case's CaseFacts; refit_weights, to refit how its signals combine on the casebook's own
judgements). Everything else in this package is private to it: the engine (engine: a
tantivy index on disk, for the embedded default and production alike), the change feed
that keeps it (feed), what it answers (retrieval), the scope of a search (scope), the
query language (query), the entries and their documents (documents), the memory-mapped
similarity arrays (arrays) and what their features are worth (features), the encoder
(semantic), the signals (signals) and their fusion (fusion).

The entries are derived from the records in the same transaction as the change they
reflect (the case record's case_changed signal calls index_case there), and so is the row
of the change feed that carries the change to the engine once it commits. Need-to-know is
applied inside the engine's query, so a restricted case is never returned, counted or
faceted for someone not cleared for it; each page of results is checked against the
database again before it is shown."""

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, time
from time import monotonic

import numpy as np
import tantivy
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from casebook import visibility
from casebook.choices import Architecture, MissionArea, Outcome, Stance
from casebook.models import Case, Citation, Decision, Partner, User
from precedent import citator
from precedent.models import SearchEntry
from precedent.search import arrays, engine, feed, history, retrieval, semantic
from precedent.search.documents import entries_for, with_records
from precedent.search.fitting import Refit
from precedent.search.fitting import refit as refit_weights
from precedent.search.fusion import CaseFacts, gather_all, similar
from precedent.search.query import Query, parse, to_engine
from precedent.search.retrieval import MARK_END, MARK_START, Hit
from precedent.search.scope import Scope
from principles.models import Revision

log = logging.getLogger(__name__)

__all__ = [
    "FACET_LABELS",
    "CaseFacts",
    "embed_case",
    "embed_cases",
    "embeds",
    "forget_case",
    "index_case",
    "check",
    "rebuild",
    "rebuild_engine",
    "Refit",
    "refit_weights",
    "refresh_precedent",
    "search",
    "search_with",
    "similar",
    "warm",
]

PER_PAGE = 20


# Indexing -----------------------------------------------------------------------------


def index_case(case: Case) -> None:
    """Make a case's entries match its records, and feed the change to the engine. Call
    inside the change's transaction."""
    case = with_records(Case.objects.filter(pk=case.pk)).get()
    with transaction.atomic():
        SearchEntry.objects.filter(case=case).delete()
        SearchEntry.objects.bulk_create(entries_for(case))
        feed.record([case.pk])


def forget_case(case_id: int) -> None:
    """A case deleted: its documents go from the engine. Call inside the deleting transaction."""
    feed.record([case_id])


def embed_case(case: Case) -> bool:
    """Store the case's sentence embedding, when closeness in meaning is on and its text
    changed since the last; whether one was made."""
    return semantic.available() and semantic.embed_case(case)


def embed_cases(cases: list[Case]) -> int:
    """embed_case for many at once (encoded together); how many were made."""
    return semantic.embed_cases(cases) if semantic.available() else 0


def embeds() -> bool:
    """Whether cases are embedded here: the [semantic] extra installed, and not switched off."""
    return semantic.available()


def refresh_precedent(decisions: Iterable[Decision]) -> None:
    """Recompute the stored citator flag of these decisions' entries (after a later
    decision treated them, or the framework was revised)."""
    by_flag: dict[str, list[int]] = {}
    decisions = list(decisions)
    for decision_id, status in citator.public_statuses(decisions).items():
        by_flag.setdefault(status.code, []).append(decision_id)
    for code, ids in by_flag.items():
        SearchEntry.objects.filter(decision_id__in=ids).update(precedent=code)
    feed.record({decision.case_id for decision in decisions})


def rebuild(*, chunk: int = 1000) -> int:
    """Every entry afresh from the records, then the engine's index over them (once they
    are committed). Returns the count."""
    made = 0
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        ids = list(Case.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), chunk):
            cases = list(with_records(Case.objects.filter(pk__in=ids[start : start + chunk])))
            statuses = citator.public_statuses([d for case in cases for d in case.indexed_decisions])
            entries = [entry for case in cases for entry in entries_for(case, statuses)]
            SearchEntry.objects.bulk_create(entries, batch_size=chunk)
            made += len(entries)
    if feed.in_transaction():
        transaction.on_commit(rebuild_engine)
    else:
        rebuild_engine()
    return made


def rebuild_engine(progress=None) -> None:
    """The engine's index built afresh from the stored entries, in the old one's place;
    `progress(done, total)` is told of each thousand cases or so."""
    feed.rebuild(progress)


def warm() -> None:
    """Open the engine's index and the similarity arrays and read them through once, as a
    process starts (config.wsgi), so that its first search and its first similar request
    are answered at warm speed. Only an optimisation: whatever goes wrong (a database not
    migrated yet, say) is logged, and the process starts all the same."""
    try:
        generation = engine.generation_path()
        if generation is None or not arrays.written(generation):
            # Not built yet (a new install, an upgrade): the first sync builds it, not a
            # process starting, which its server would give up on.
            log.info("No search index to warm yet")
            return
        started = monotonic()
        newest = SearchEntry.objects.order_by("-pk").values("title", "proposed_use").first()
        draft = CaseFacts(**newest) if newest else CaseFacts(title="")
        # The engine, the change feed and every array a similar request reads; not the
        # encoder, which a process starting must not wait for.
        scored = gather_all(draft, meaning=False)
        index = scored.candidates.index
        for name in index.files:
            np.add.reduce(getattr(index, name), axis=None)  # every page of the mapped files, once
        log.info("Search index and similarity arrays read in %.0f ms", (monotonic() - started) * 1000)
    except Exception:  # a cold start is slower, never fatal
        log.warning("Could not warm the search index; the first requests will read it", exc_info=True)


def check() -> dict[str, list[int]]:
    """The entries the engine's index lacks ("missing"), holds out of date ("stale") or
    holds though they are gone ("extra"), by id, and the cases whose similarity rows are
    out of date ("similarity"); all empty when the index agrees with the records."""
    feed.sync()
    return feed.differences()


# Searching ----------------------------------------------------------------------------


@dataclass
class Result:
    entry: SearchEntry
    score: float
    snippet: SafeString | None
    status: citator.PrecedentStatus | None
    # How many later decisions the reader may see cite it.
    cited: int = 0

    @property
    def case(self) -> Case:
        return self.entry.case

    @property
    def decision(self) -> Decision | None:
        return self.entry.decision


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    # The search filters that narrow a search to this value.
    params: dict[str, str] = field(default_factory=dict)


@dataclass
class SearchPage:
    query: Query
    revision_in_force: int | None = None
    results: list[Result] = field(default_factory=list)
    count: int = 0
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    page: int = 1
    per_page: int = PER_PAGE

    @property
    def pages(self) -> int:
        return max(1, -(-self.count // self.per_page))


def search(
    *,
    user: User,
    text: str,
    filters: dict | None = None,
    entries: list[int] | None = None,
    as_of: datetime | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
    facets: bool = True,
) -> SearchPage:
    """Entries matching `text` that `user` may see, narrowed by `filters` (a valid
    SearchFilterSet's cleaned data) and to `entries` (ids) when given, best first; with
    facet counts over all of them, and each result's citator flag as the user may see it
    (as it stood at `as_of`, when given)."""
    query = parse(text)
    found = SearchPage(query=query, page=max(1, page), per_page=per_page)
    scope = Scope.for_user(user)
    if scope is None:
        return found
    data = dict(filters or {})
    # As of a date, the precedent filter and facet read the flags as they stood then.
    restated = history.restated(as_of) if as_of is not None else None
    flag = data.pop("precedent", None) if restated else None
    scope = scope.filtered(data)
    if flag:
        scope = scope.also(restated.precedent_is(flag))
    if entries is not None:
        scope = scope.also(tantivy.Query.term_set_query(engine.SCHEMA, "entry", entries))
    searcher, scope = retrieval.fresh(scope)
    offset = (found.page - 1) * per_page
    order = data.get("sort") or "relevance"
    hits, found.count = retrieval.ranked(searcher, query, scope, limit=per_page, offset=offset, order=order)
    if facets:
        counts = retrieval.facet_counts(searcher, query, scope)
        if restated:
            counts["precedent"] = restated.recount(
                counts["precedent"], searcher, to_engine(query) if query else None, scope
            )
        found.facets = labelled(counts)
    found.results = hydrate(searcher, query, hits, user=user, as_of=as_of, involved=scope.involved)
    return found


def search_with(filterset, *, user: User, page: int = 1, per_page: int = PER_PAGE, facets: bool = True) -> SearchPage:
    """Search as a valid SearchFilterSet asks: its words, its filters, its order, its as-of date."""
    data = filterset.form.cleaned_data
    day = data.get("as_of")
    as_of = datetime.combine(day, time.max, tzinfo=timezone.get_current_timezone()) if day else None
    text = data.get("q") or ""
    found = search(user=user, text=text, filters=data, as_of=as_of, page=page, per_page=per_page, facets=facets)
    revision = Revision.objects.in_force(at=day)
    found.revision_in_force = revision.number if revision else None
    return found


def hydrate(
    searcher, query: Query, hits: list[Hit], *, user: User, as_of: datetime | None, involved: tuple[int, ...] | None
) -> list[Result]:
    # The page checked against the database again: an entry gone since the index was read,
    # or of a case the user may no longer see, is left out.
    visible = SearchEntry.objects.filter(visibility.need_to_know(user, via="case", involved=involved))
    entries = (
        visible.select_related("case__partner", "decision__revision")
        .defer("case__proposed_use", "decision__rationale")
        .in_bulk([hit.entry_id for hit in hits])
    )
    hits = [hit for hit in hits if hit.entry_id in entries]
    texts = {
        hit.entry_id: {name: getattr(entries[hit.entry_id], name) for name in engine.SNIPPET_TEXTS} for hit in hits
    }
    found = retrieval.snippets(searcher, query, texts)
    decisions = [entries[hit.entry_id].decision for hit in hits if entries[hit.entry_id].decision]
    statuses = citator.statuses(decisions, seen_by=user, as_of=as_of, involved=involved)
    citations = Citation.objects.filter(
        visibility.need_to_know(user, via="citing__case", involved=involved), cited__in=decisions
    )
    if as_of is not None:
        citations = citations.filter(citing__issued_at__lte=as_of)
    cited = dict(citations.values("cited").annotate(n=Count("pk")).values_list("cited", "n"))
    return [
        Result(
            entry=entries[hit.entry_id],
            score=hit.score,
            snippet=highlight(found[hit.entry_id]) if hit.entry_id in found else None,
            status=statuses.get(entries[hit.entry_id].decision_id),
            cited=cited.get(entries[hit.entry_id].decision_id, 0),
        )
        for hit in hits
    ]


def highlight(snippet: str) -> SafeString:
    """The engine's snippet as HTML: the text escaped, the matched words in <mark>."""
    html = escape(snippet).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    return mark_safe(html)  # escaped on the line above: only our own tags are added


def _params(facet: str, value: str) -> dict[str, str]:
    if facet == "tag":  # added to the tags asked for: each must hold
        return {"tag": value}
    if facet == "year":
        return {"decided_after": f"{value}-01-01", "decided_before": f"{value}-12-31"}
    if not value:  # undecided: there is no filter for "no outcome"
        return {}
    return {{"partner_id": "partner"}.get(facet, facet): value}


FACET_LABELS = {
    "outcome": "Outcome",
    "tag": "Provision and stance",
    "partner_id": "Partner",
    "country": "Country",
    "mission_area": "Mission area",
    "architecture": "Architecture",
    "year": "Year decided",
    "precedent": "Precedent status",
}


def labelled(counts: dict[str, dict[str, int]]) -> dict[str, list[FacetValue]]:
    names = {
        "outcome": {**dict(Outcome.choices), "": "Not yet decided"},
        "mission_area": dict(MissionArea.choices),
        "architecture": dict(Architecture.choices),
        "precedent": {**dict(citator.Flag.choices), "": "Not yet decided"},
        "partner_id": {
            str(pk): name
            for pk, name in Partner.objects.filter(pk__in=counts.get("partner_id", {})).values_list("pk", "name")
        },
    }
    stances = dict(Stance.choices)
    facets = {}
    for facet in FACET_LABELS:
        values = []
        for value, count in counts.get(facet, {}).items():
            if facet == "tag":
                code, _, stance = value.partition(" ")
                label = f"{code} {stances.get(stance, stance).lower()}"
            else:
                label = names.get(facet, {}).get(value, value)
            values.append(FacetValue(value=value, label=label, count=count, params=_params(facet, value)))
        order = (lambda v: v.value) if facet == "year" else (lambda v: (-v.count, v.label))
        facets[facet] = sorted(values, key=order, reverse=facet == "year")
    return facets
