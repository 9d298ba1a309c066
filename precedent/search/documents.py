"""The searchable entries of a case: one per decision, or one for a case not yet decided,
with the texts the engines weigh (title and holding, then the proposed use, the rationale,
the notes) and the columns the facets count."""

from django.db.models import Prefetch, QuerySet

from casebook.models import Case, Condition, Decision, Tag
from precedent.citator import PrecedentStatus, public_statuses
from precedent.models import SearchEntry


def with_records(cases: QuerySet) -> QuerySet:
    """These cases with what their entries are made of: partner, tags and decisions with
    their conditions, as plain lists (a rebuild reads them for every case there is, and a
    related manager's all() makes a queryset each time). Only what an entry holds of a tag
    or a condition is read: a case has a tag on most provisions."""
    tags = Tag.objects.select_related("provision").only("case_id", "note", "provision__code", "provision__position")
    conditions = Condition.objects.only("decision_id", "text")
    decisions = Decision.objects.order_by("issued_at", "pk").prefetch_related(
        Prefetch("conditions", queryset=conditions, to_attr="indexed_conditions")
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
            holding=decision.holding,
            rationale=decision.rationale,
            notes=" ".join([notes, decision.public_digest, *(c.text for c in decision.indexed_conditions)]),
        )
        for decision in decisions
    ]
