"""The searchable entries of a case: one per decision, or one for a case not yet decided,
with the texts the engines weigh (title and holding, then the proposed use, the rationale,
the notes) and the columns the facets count."""

from casebook.citator import PrecedentStatus, public_statuses
from casebook.models import Case, SearchEntry


def entries_for(case: Case, statuses: dict[int, PrecedentStatus] | None = None) -> list[SearchEntry]:
    """The case's entries, unsaved. A caller indexing many cases prefetches their partner,
    tags (with provisions) and decisions (with conditions), and passes their statuses."""
    decisions = sorted(case.decisions.all(), key=lambda d: (d.issued_at, d.pk))
    statuses = statuses if statuses is not None else public_statuses(decisions)
    tags = sorted(case.tags.all(), key=lambda t: t.provision.position)
    notes = " ".join(
        [
            case.docket or "",
            case.partner.name,
            case.partner.country,
            *(f"{tag.provision.code} {tag.note}" for tag in tags),
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
            notes=" ".join([notes, decision.public_digest, *(c.text for c in decision.conditions.all())]),
        )
        for decision in decisions
    ]
