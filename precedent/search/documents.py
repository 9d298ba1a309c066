"""The searchable entries of a case: one per decision, or one for a case not yet decided,
with the texts the engine weighs (title and holding, then the proposed use, the rationale,
the notes) and the columns the facets count; and the engine's document of each entry,
which adds its case's tags and kinds of data."""

import hashlib
from collections.abc import Iterable, Iterator

import tantivy
from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from casebook.models import Case, CaseData, Citation, Condition, Decision, Headnote, Tag
from precedent.citator import PrecedentStatus, public_statuses
from precedent.models import SearchEntry
from precedent.search import engine


def with_records(cases: QuerySet) -> QuerySet:
    """These cases with what their entries are made of: partner, tags and decisions with
    their conditions and headnotes, as plain lists (a rebuild reads them for every case there is, and a
    related manager's all() makes a queryset each time). Only what an entry holds of a tag
    or a condition is read: a case has a tag on most provisions."""
    tags = Tag.objects.select_related("provision").only("case_id", "note", "provision__code", "provision__position")
    conditions = Condition.objects.only("decision_id", "text")
    headnotes = Headnote.objects.only("decision_id", "number", "text").order_by("number")
    decisions = Decision.objects.order_by("issued_at", "pk").prefetch_related(
        Prefetch("conditions", queryset=conditions, to_attr="indexed_conditions"),
        Prefetch("headnotes", queryset=headnotes, to_attr="indexed_headnotes"),
    )
    return cases.select_related("partner").prefetch_related(
        Prefetch("tags", queryset=tags.order_by("provision__position"), to_attr="indexed_tags"),
        Prefetch("decisions", queryset=decisions, to_attr="indexed_decisions"),
    )


def entries_for(case: Case, statuses: dict[int, PrecedentStatus] | None = None) -> list[SearchEntry]:
    """The case's entries, unsaved; the case comes from with_records. A caller indexing many
    cases passes their decisions' statuses, found for all of them at once."""
    decisions = case.indexed_decisions
    statuses = statuses if statuses is not None else public_statuses(decisions)
    notes = " ".join(
        [
            case.docket or "",
            case.partner.name,
            case.partner.country,
            *(f"{tag.provision.code} {tag.note}" for tag in case.indexed_tags),
        ]
    )
    common = {
        "case": case,
        "open_to_all": case.is_open_to_all,
        "partner_id": case.partner_id,
        "country": case.partner.country,
        "mission_area": case.mission_area,
        "architecture": case.architecture,
        "title": case.title,
        "proposed_use": case.proposed_use,
    }
    if not decisions:
        return [SearchEntry(**common, notes=notes)]
    later = {d.supersedes_id: d.issued_at for d in decisions if d.supersedes_id}
    return [
        SearchEntry(
            **common,
            decision=decision,
            issued_at=decision.issued_at,
            superseded_at=later.get(decision.pk),
            outcome=decision.outcome,
            precedent=statuses[decision.pk].code,
            # Headnotes are points of law as the holding is, and weigh as much.
            holding=" ".join(
                [decision.holding, *(h.text for h in decision.indexed_headnotes if h.text != decision.holding)]
            ),
            rationale=decision.rationale,
            notes=" ".join([notes, decision.public_digest, *(c.text for c in decision.indexed_conditions)]),
        )
        for decision in decisions
    ]


# What the engine holds of each entry --------------------------------------------------

# Read of an entry to index it: everything but its case's tags and kinds of data.
ENGINE_COLUMNS = (
    "pk",
    "case_id",
    "decision_id",
    "open_to_all",
    "issued_at",
    "superseded_at",
    "outcome",
    "partner_id",
    "country",
    "mission_area",
    "architecture",
    "precedent",
    *engine.TEXTS,
)
# Undecided entries sort after every decision, newest first among themselves.
UNDECIDED = -(2**62)


def engine_documents(case_ids: Iterable[int]) -> list[tantivy.Document]:
    """The engine's documents for every entry of these cases, read afresh."""
    return [tantivy.Document(**fields) for fields in engine_fields(case_ids)]


def engine_fields(case_ids: Iterable[int]) -> Iterator[dict]:
    """The fields of the engine's document of every entry of these cases, with `digest`,
    which changes whenever any other field does (check_index compares them)."""
    case_ids = list(case_ids)
    tags: dict[int, list[tuple[str, str]]] = {}
    for case_id, code, stance in Tag.objects.filter(case_id__in=case_ids).values_list(
        "case_id", "provision__code", "stance"
    ):
        tags.setdefault(case_id, []).append((code, stance))
    data: dict[int, list[str]] = {}
    for case_id, category in CaseData.objects.filter(case_id__in=case_ids).values_list("case_id", "category"):
        data.setdefault(case_id, []).append(category)
    # How often each decision is cited, as the whole board may see it (as its flag is), to
    # sort by; each reader is shown their own count (precedent.search.cited_counts).
    cited = dict(
        Citation.objects.filter(cited__case_id__in=case_ids, citing__case__restricted=False)
        .values("cited")
        .annotate(n=Count("pk"))
        .values_list("cited", "n")
    )
    entries = SearchEntry.objects.filter(case_id__in=case_ids).order_by().values_list(*ENGINE_COLUMNS)
    for row in entries:
        entry = dict(zip(ENGINE_COLUMNS, row, strict=True))
        entry["cited"] = cited.get(entry["decision_id"], 0)
        fields = _fields(entry, sorted(tags.get(entry["case_id"], [])), sorted(data.get(entry["case_id"], [])))
        fields["digest"] = _digest(fields)
        yield fields


def _fields(entry: dict, tags: list[tuple[str, str]], data: list[str]) -> dict:
    issued_at = entry["issued_at"]
    fields = {
        "entry": entry["pk"],
        "case": entry["case_id"],
        "partner": entry["partner_id"],
        "recency": _microseconds(issued_at) if issued_at else UNDECIDED + entry["pk"],
        "cited": entry["cited"],
        "open": entry["open_to_all"],
        "candidate": entry["decision_id"] is not None and entry["superseded_at"] is None,
        "outcome": entry["outcome"],
        "country": entry["country"],
        "country_key": entry["country"].lower(),
        "mission_area": entry["mission_area"],
        "architecture": entry["architecture"],
        "precedent": entry["precedent"],
        "year": str(timezone.localtime(issued_at).year) if issued_at else "",
        "tag": [f"{code} {stance}" for code, stance in tags],
        "provision": [code for code, _ in tags],
        "stance": [stance for _, stance in tags],
        "data": data,
        **{name: entry[name] for name in engine.TEXTS},
    }
    if issued_at:
        fields["issued_at"] = issued_at
    return {name: value for name, value in fields.items() if value != []}


def _digest(fields: dict) -> int:
    text = repr(sorted((name, str(value)) for name, value in fields.items()))
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big", signed=True)


def _microseconds(moment) -> int:
    return int(moment.timestamp()) * 1_000_000 + moment.microsecond
