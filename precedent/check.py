"""The precedent check a decision-maker runs on a draft decision before issuing it, as a
brief checker reads a draft for the authorities it missed: the on-point precedents the draft
does not cite, the strongest contrary authority (on point, the other kind of outcome) and
whether the draft distinguishes or overrules it, and the cited decisions whose flag warns
against relying on them, with why.

On point means sharing an assessment with the draft: a (provision, stance) pair other than
the neutral ones ("not implicated", "not engaged"), from the case's tags or the draft's
headnotes. How close a precedent is is the overlap of the two cases' assessments, red lines
weighing most. A contrary precedent close on point (sharing at least half of what the two
cases engage, `CLOSE`) that the draft does not cite is a departure (a deferral decides neither
way, so it departs from nothing and nothing departs from it): the decision-maker
addresses it before issuing, by citing it with a treatment or by saying in a sentence why it
does not apply (reviews keeps what was shown and what was answered). Nothing is refused that
the framework would allow: the check asks, it does not forbid.

Only decisions the decision-maker may see, in force when the draft issues, are read."""

import datetime
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db import models
from django.db.models import Count, Q, Sum, When
from django.utils import timezone

from casebook.choices import CONTINUING_OUTCOMES, NEUTRAL_STANCES, STANCES_BY_KIND, Outcome, Stance, Treatment
from casebook.models import Case, Citation, Decision, Tag, User
from casebook.visibility import need_to_know
from precedent import citator
from principles.models import Provision

RED_LINE_WEIGHT = 3  # an assessment against a red line weighs three times any other
CLOSE = 0.5
UNCITED_SHOWN = 10
CONTRARY_SHOWN = 5
CANDIDATES = 200  # the closest cases by shared weight, read before ranking (bounds the work at scale)
WARNING = {
    citator.Flag.OVERRULED,
    citator.Flag.SUPERSEDED,
    citator.Flag.QUESTIONED,
    citator.Flag.RELIES_ON_OVERRULED,
    citator.Flag.REVISED,
}


@dataclass(frozen=True)
class Draft:
    """What the check reads of a draft decision: its outcome, the decisions it cites (as
    {"decision": id, "treatment": …}) and the (provision code, stance) of its headnotes."""

    outcome: str  # "" while the decision-maker has not chosen one
    citations: list[dict] = field(default_factory=list)
    headnotes: list[dict] = field(default_factory=list)

    @property
    def goes_ahead(self) -> bool:
        return self.outcome in CONTINUING_OUTCOMES

    @property
    def on_the_merits(self) -> bool:
        return self.outcome in Outcome.values and self.outcome != Outcome.DEFERRED


@dataclass
class Authority:
    decision: Decision
    status: citator.PrecedentStatus
    shared: list[tuple[str, str]]  # (provision code, stance) pairs in common with the draft
    closeness: float
    followed: int
    contrary: bool
    cited_as: str | None  # the draft's treatment of it, if it cites it

    @property
    def departs(self) -> bool:
        # An overruled decision is no longer authority to depart from.
        return (
            self.contrary
            and self.closeness >= CLOSE
            and self.cited_as is None
            and self.status.flag != citator.Flag.OVERRULED
        )

    @property
    def shared_labels(self) -> list[str]:
        return [f"{code} {Stance(stance).label.lower()}" for code, stance in self.shared]

    @property
    def addressed(self) -> str:
        if self.cited_as:
            return f"The draft {Treatment(self.cited_as).label.lower()} it."
        return "The draft does not cite it."

    def snapshot(self) -> dict:
        return {
            "decision": self.decision.pk,
            "case": self.decision.case_id,
            "docket": self.decision.case.docket,
            "outcome": self.decision.outcome,
            "flag": self.status.code,
            "reasons": list(self.status.reasons),
            "shared": [{"provision": code, "stance": stance} for code, stance in self.shared],
            "closeness": round(self.closeness, 3),
            "contrary": self.contrary,
            "cited_as": self.cited_as,
            "departs": self.departs,
        }


@dataclass
class Check:
    on_point: int  # on-point precedents in all, cited or not
    on_point_open: int  # of those, on cases open to all (what any reader of the decision may count)
    uncited: list[Authority]
    contrary: list[Authority]
    warnings: list[Authority]

    @property
    def departures(self) -> list[Authority]:
        return [authority for authority in self.contrary if authority.departs]

    @property
    def shown(self) -> list[Authority]:
        seen, shown = set(), []
        for authority in [*self.contrary, *self.uncited, *self.warnings]:
            if authority.decision.pk not in seen:
                seen.add(authority.decision.pk)
                shown.append(authority)
        return shown

    def snapshot(self) -> dict:
        return {
            "on_point": self.on_point,
            "on_point_open": self.on_point_open,
            "uncited": [a.snapshot() for a in self.uncited],
            "contrary": [a.snapshot() for a in self.contrary],
            "warnings": [a.snapshot() for a in self.warnings],
        }


def precedent_check(case: Case, draft: Draft, *, seen_by: User, at: datetime.datetime | None = None) -> Check:
    """Read `draft`, a decision on `case`, against the decisions `seen_by` may see that are in
    force at `at` (now unless given)."""
    at = at or timezone.now()
    pairs = _pairs(case, draft)
    cited = {int(c["decision"]): c.get("treatment") for c in draft.citations if str(c.get("decision", "")).isdigit()}
    standing = (
        Decision.objects.visible_to(seen_by)
        .filter(issued_at__lte=at)
        .exclude(superseded_by__issued_at__lte=at)
        .exclude(case=case)
    )
    on_point, on_point_open, uncited, contrary = 0, 0, [], []
    if pairs:
        matching = Tag.objects.filter(reduce(or_, (Q(provision_id=p, stance=s) for p, s in pairs)))
        on_point = matching.filter(case__in=standing.values("case")).values("case").distinct().count()
        open_to_all = standing.filter(case__restricted=False).values("case")
        on_point_open = matching.filter(case__in=open_to_all).values("case").distinct().count()
        # The other kind of outcome: went ahead or did not. A deferral decides neither.
        kind = ~Q(outcome__in=CONTINUING_OUTCOMES) if draft.goes_ahead else Q(outcome__in=CONTINUING_OUTCOMES)
        kind &= ~Q(outcome=Outcome.DEFERRED)
        everything = _authorities(standing, matching, pairs, draft, cited, seen_by=seen_by, at=at)
        uncited = [a for a in everything if a.cited_as is None][:UNCITED_SHOWN]
        if draft.on_the_merits:  # until it has one, nothing is contrary to it
            contrary = _authorities(standing.filter(kind), matching, pairs, draft, cited, seen_by=seen_by, at=at)
            contrary = contrary[:CONTRARY_SHOWN]
    warnings = []
    relied = list(Decision.objects.visible_to(seen_by).filter(pk__in=cited).select_related("case"))
    statuses = citator.statuses(relied, seen_by=seen_by, as_of=at)
    for decision in relied:
        if statuses[decision.pk].flag in WARNING:
            warnings.append(
                Authority(
                    decision=decision,
                    status=statuses[decision.pk],
                    shared=[],
                    closeness=0.0,
                    followed=0,
                    contrary=False,
                    cited_as=cited[decision.pk],
                )
            )
    return Check(on_point=on_point, on_point_open=on_point_open, uncited=uncited, contrary=contrary, warnings=warnings)


def _pairs(case: Case, draft: Draft) -> dict[tuple[int, str], int]:
    """The draft's assessments, as (provision id, stance) → weight: the case's tags and its
    headnotes, the neutral stances left out."""
    pairs = {}
    for provision, kind, stance in case.tags.values_list("provision_id", "provision__kind", "stance"):
        if stance not in NEUTRAL_STANCES:
            pairs[(provision, stance)] = _weight(kind)
    codes = {h.get("provision") for h in draft.headnotes}
    provisions = {p.code: p for p in Provision.objects.filter(code__in=codes)}
    for headnote in draft.headnotes:
        provision = provisions.get(headnote.get("provision"))
        stance = headnote.get("stance")
        if provision and stance in STANCES_BY_KIND[provision.kind] and stance not in NEUTRAL_STANCES:
            pairs[(provision.pk, stance)] = _weight(provision.kind)
    return pairs


def _weight(kind: str) -> int:
    return RED_LINE_WEIGHT if kind == "red_line" else 1


WEIGHED = Sum(models.Case(When(provision__kind="red_line", then=RED_LINE_WEIGHT), default=1))


def _authorities(standing, matching, pairs, draft, cited, *, seen_by, at) -> list[Authority]:
    """The decisions among `standing` on point with the draft, closest first; then good law
    before flagged, the most followed, the latest."""
    top = list(
        matching.filter(case__in=standing.values("case"))
        .values("case")
        .annotate(weight=WEIGHED)
        .order_by("-weight", "-case_id")
        .values_list("case", flat=True)[:CANDIDATES]
    )
    if not top:
        return []
    own = dict(
        Tag.objects.filter(case__in=top)
        .exclude(stance__in=NEUTRAL_STANCES)
        .values("case")
        .annotate(weight=WEIGHED)
        .values_list("case", "weight")
    )
    shared: dict[int, list[tuple[str, str]]] = {}
    shared_weight: dict[int, int] = {}
    for case_id, provision, code, stance in matching.filter(case__in=top).values_list(
        "case", "provision_id", "provision__code", "stance"
    ):
        shared.setdefault(case_id, []).append((code, stance))
        shared_weight[case_id] = shared_weight.get(case_id, 0) + pairs[(provision, stance)]
    visible_citations = Citation.objects.filter(need_to_know(seen_by, via="citing__case"), citing__issued_at__lte=at)
    decisions = list(
        standing.filter(case__in=top)
        .select_related("case")
        .defer("rationale", "case__proposed_use")
        .annotate(
            followed=Count(
                "cited_by",
                filter=Q(
                    cited_by__in=visible_citations, cited_by__treatment__in=[Treatment.FOLLOWS, Treatment.EXTENDS]
                ),
                distinct=True,
            )
        )
    )
    statuses = citator.statuses(decisions, seen_by=seen_by, as_of=at)
    total = sum(pairs.values())
    authorities = []
    for decision in decisions:
        common = shared_weight[decision.case_id]
        union = total + own.get(decision.case_id, 0) - common
        authorities.append(
            Authority(
                decision=decision,
                status=statuses[decision.pk],
                shared=shared[decision.case_id],
                closeness=common / union if union else 0.0,
                followed=decision.followed,
                contrary=draft.on_the_merits
                and decision.outcome != Outcome.DEFERRED
                and (decision.outcome in CONTINUING_OUTCOMES) != draft.goes_ahead,
                cited_as=cited.get(decision.pk),
            )
        )
    authorities.sort(
        key=lambda a: (
            -a.closeness,
            a.status.flag != citator.Flag.GOOD_LAW,
            -a.followed,
            -a.decision.issued_at.timestamp(),
        )
    )
    return authorities
