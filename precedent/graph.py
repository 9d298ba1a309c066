"""The citation graph around a decision: the cases that cite it and that it cites, and
theirs in turn, as far as the reader may see them. One node a case: a case decided again
on reconsideration is its latest decision, the earlier ones folded into it (and marked),
so a docket never appears twice. Each node says how many steps it is from the focus;
each edge, the treatment and the provisions, so a page can filter by either."""

from collections import defaultdict
from collections.abc import Collection, Iterable

from django.db.models import Q

from casebook.models import Citation, Decision, User
from precedent.citator import statuses

DEPTHS = (1, 2, 3)


def citation_graph(
    decision: Decision, *, seen_by: User, depth: int = 2, treatments: Collection[str] | None = None
) -> dict:
    """The graph around `decision` to `depth` steps each way (1 to 3), along citations of
    these treatments (every one unless given)."""
    visible = Decision.objects.visible_to(seen_by)
    citations = Citation.objects.filter(citing__in=visible, cited__in=visible)
    if treatments:
        citations = citations.filter(treatment__in=treatments)
    # The decisions of a case stand or fall together here: a step from one reaches them all.
    case_of = dict(visible.filter(case=decision.case_id).values_list("pk", "case_id"))
    steps = {decision.case_id: 0}
    cites: dict[int, Citation] = {}
    frontier = set(case_of)
    for step in range(1, depth + 1):
        touching = citations.filter(Q(citing__in=frontier) | Q(cited__in=frontier)).select_related("provision")
        reached = set()
        for cite in touching:
            cites[cite.pk] = cite
            reached |= {cite.citing_id, cite.cited_id}
        new_cases = set(visible.filter(pk__in=reached).values_list("case_id", flat=True)) - set(steps)
        if not new_cases:
            break
        steps |= dict.fromkeys(new_cases, step)
        more = dict(visible.filter(case__in=new_cases).values_list("pk", "case_id"))
        case_of |= more
        frontier = set(more)
    decisions = list(visible.filter(case__in=steps).select_related("case").order_by("issued_at", "pk"))
    latest = _latest_of_each_case(decisions)
    flags = statuses(list(latest.values()), seen_by=seen_by)
    folded = defaultdict(list)
    for d in decisions:
        if d.pk != latest[d.case_id].pk:
            folded[d.case_id].append(d)
    nodes = [
        {
            "id": d.pk,
            "case": d.case_id,
            "docket": d.case.docket,
            "title": d.case.title,
            "outcome": d.get_outcome_display(),
            "issued": d.issued_at.date().isoformat(),
            "flag": flags[d.pk].code,
            "flag_label": flags[d.pk].label,
            "tone": flags[d.pk].tone,
            "focus": d.case_id == decision.case_id,
            "step": steps[d.case_id],
            "folded": [
                {"id": f.pk, "outcome": f.get_outcome_display(), "issued": f"{f.issued_at:%Y-%m-%d}"}
                for f in folded[d.case_id]
            ],
        }
        for d in sorted(latest.values(), key=lambda d: (steps[d.case_id], d.issued_at))
    ]
    return {"nodes": nodes, "edges": _edges(cites.values(), latest={d.pk: latest[d.case_id].pk for d in decisions})}


def _latest_of_each_case(decisions: list[Decision]) -> dict[int, Decision]:
    latest = {}
    for d in decisions:  # in the order issued: the last one stays
        latest[d.case_id] = d
    return latest


def _edges(cites: Iterable[Citation], *, latest: dict[int, int]) -> list[dict]:
    """The citations between nodes, one edge for each citing case, cited case and treatment
    (its provisions and reasons gathered); a case's citing of its own earlier decision,
    folded into one node, is no edge."""
    merged: dict[tuple[int, int, str], dict] = {}
    for cite in sorted(cites, key=lambda c: c.pk):
        source, target = latest[cite.citing_id], latest[cite.cited_id]
        if source == target:
            continue
        edge = merged.setdefault(
            (source, target, cite.treatment),
            {
                "id": cite.pk,
                "source": source,
                "target": target,
                "treatment": cite.treatment,
                "provisions": [],
                "reasons": [],
            },
        )
        if cite.provision.code not in edge["provisions"]:
            edge["provisions"].append(cite.provision.code)
        edge["reasons"].append(cite.reason)
    for edge in merged.values():
        edge["provision"] = ", ".join(edge.pop("provisions"))
        edge["reason"] = " ".join(edge.pop("reasons"))
    return list(merged.values())
