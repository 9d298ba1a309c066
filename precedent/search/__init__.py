"""Precedent search: the one small interface the rest of Casebook uses. Indexing
(index_case, rebuild, refresh_precedent, embed_case, embed_cases, embeds), searching
(search, search_with, with FACET_LABELS for the facets' names) and similar past decisions
(similar, for a case's CaseFacts). Everything else in this package is private to it: the engines
(backends/: SQLite FTS5 for the embedded default, PostgreSQL full-text search in
production, both passing the same contract tests), the query language (query), the
entries (documents), the in-process arrays (arrays), the encoder (semantic) and the fusion
of signals (fusion).

Need-to-know is applied inside the engine's query (casebook.visibility), so a restricted
case is never returned, counted or faceted for someone not cleared for it. Entries change
in the same transaction as the records they reflect: the case record's case_changed signal
calls index_case there, and the database keeps the engine's own index in step."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, time

import numpy as np
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from casebook.choices import Architecture, MissionArea, Outcome, Stance
from casebook.models import Case, Decision, Partner, User
from precedent import citator
from precedent.models import SearchEntry
from precedent.search import arrays, semantic
from precedent.search.backends import backend
from precedent.search.backends.base import MARK_END, MARK_START, Hit, Scope
from precedent.search.documents import entries_for, with_records
from precedent.search.fusion import CaseFacts, similar
from precedent.search.query import Query, parse
from principles.models import Revision

__all__ = [
    "FACET_LABELS",
    "CaseFacts",
    "embed_case",
    "embed_cases",
    "embeds",
    "index_case",
    "rebuild",
    "refresh_precedent",
    "search",
    "search_with",
    "similar",
]

PER_PAGE = 20


# Indexing -----------------------------------------------------------------------------


def index_case(case: Case) -> None:
    """Make a case's entries match its records. Call inside the change's transaction."""
    case = with_records(Case.objects.filter(pk=case.pk)).get()
    with transaction.atomic():
        SearchEntry.objects.filter(case=case).delete()
        SearchEntry.objects.bulk_create(entries_for(case))


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
    for decision_id, status in citator.public_statuses(list(decisions)).items():
        by_flag.setdefault(status.code, []).append(decision_id)
    for code, ids in by_flag.items():
        SearchEntry.objects.filter(decision_id__in=ids).update(precedent=code)


@transaction.atomic
def rebuild(*, chunk: int = 1000) -> int:
    """Every entry afresh from the records, and the engine's index over them. Returns the count."""
    engine = backend()
    made = 0
    with engine.bulk_load():
        SearchEntry.objects.all().delete()
        ids = list(Case.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), chunk):
            cases = list(with_records(Case.objects.filter(pk__in=ids[start : start + chunk])))
            statuses = citator.public_statuses([d for case in cases for d in case.indexed_decisions])
            entries = [entry for case in cases for entry in entries_for(case, statuses)]
            SearchEntry.objects.bulk_create(entries, batch_size=chunk)
            made += len(entries)
    return made


# Searching ----------------------------------------------------------------------------


@dataclass
class Result:
    entry: SearchEntry
    score: float
    snippet: SafeString | None
    status: citator.PrecedentStatus | None

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
    within: QuerySet | None = None,
    as_of: datetime | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
    facets: bool = True,
) -> SearchPage:
    """Entries matching `text` that `user` may see, narrowed to `within` (a filtered queryset
    of entries), best first; with facet counts over all of them, and each result's citator
    flag as the user may see it (as it stood at `as_of`, when given)."""
    query = parse(text)
    found = SearchPage(query=query, page=max(1, page), per_page=per_page)
    scope = Scope.for_user(user, within)
    if scope is None:
        return found
    engine = backend()
    # The index first: any match it then lacks was committed since, and it loads that.
    index = arrays.current() if facets else None
    matches = engine.matches(query, scope)
    found.count = sum(len(ids) for ids in matches.values())
    if facets:
        counts = arrays.facet_counts(index, np.concatenate([np.zeros(0, np.int64), *matches.values()]))
        counts["precedent"] = {flag: len(ids) for flag, ids in matches.items()}
        found.facets = labelled(counts)
    offset = (found.page - 1) * per_page
    hits = engine.ranked(query, scope, limit=per_page, offset=offset)  # browses when there are no words
    found.results = hydrate(hits, user=user, as_of=as_of)
    return found


def search_with(filterset, *, user: User, page: int = 1) -> SearchPage:
    """Search as a valid SearchFilterSet asks: its words, its filters, its as-of date."""
    data = filterset.form.cleaned_data
    day = data.get("as_of")
    as_of = datetime.combine(day, time.max, tzinfo=timezone.get_current_timezone()) if day else None
    found = search(user=user, text=data.get("q") or "", within=filterset.qs, as_of=as_of, page=page)
    revision = Revision.objects.in_force(at=day)
    found.revision_in_force = revision.number if revision else None
    return found


def hydrate(hits: list[Hit], *, user: User, as_of: datetime | None = None) -> list[Result]:
    # A result shows its headline facts and holding: the long texts stay unread.
    entries = (
        SearchEntry.objects.select_related("case__partner", "decision__revision")
        .defer("proposed_use", "rationale", "notes", "case__proposed_use", "decision__rationale")
        .in_bulk([hit.entry_id for hit in hits])
    )
    decisions = [entries[hit.entry_id].decision for hit in hits if entries[hit.entry_id].decision]
    statuses = citator.statuses(decisions, seen_by=user, as_of=as_of)
    return [
        Result(
            entry=entries[hit.entry_id],
            score=hit.score,
            snippet=highlight(hit.snippet) if hit.snippet else None,
            status=statuses.get(entries[hit.entry_id].decision_id),
        )
        for hit in hits
    ]


def highlight(snippet: str) -> SafeString:
    """The engine's snippet as HTML: the text escaped, the matched words in <mark>."""
    html = escape(snippet).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    return mark_safe(html)  # escaped on the line above: only our own tags are added


def _params(facet: str, value: str) -> dict[str, str]:
    if facet == "tag":
        code, _, stance = value.partition(" ")
        return {"provision": code, "stance": stance}
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
