"""A provision's case law, as an annotated code gives its "notes of decisions": the decisions
that applied it, as far as the reader may see, grouped by the stance their case took on it
and then by outcome, each with its headnotes on the provision, its citator flag and how
often it has been cited; the leading ones (most followed, still good law) first; lines
overruled, or decided under wording since revised, set apart. As of any date, under the
wording then in force, with a summary of the pattern generated from the same figures."""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from casebook.choices import CONTINUING_OUTCOMES, NEUTRAL_STANCES, STANCES_BY_KIND, Outcome, Stance, Treatment
from casebook.models import Case, Citation, Condition, Decision, Headnote, Tag, User
from casebook.visibility import need_to_know
from precedent import citator
from principles.models import Provision, ProvisionText, Revision

SHOWN_PER_GROUP = 10  # decisions a page lists per group (stance and outcome, or set apart)


@dataclass
class Entry:
    decision: Decision
    tag: Tag
    status: citator.PrecedentStatus
    headnotes: list[Headnote]
    cited: int
    followed: int
    revised: bool  # its case was tagged against wording other than that in force as of

    @property
    def leading_key(self) -> tuple:
        return (
            self.status.flag != citator.Flag.GOOD_LAW,
            -self.followed,
            -self.cited,
            -self.decision.issued_at.timestamp(),
        )


@dataclass
class OutcomeGroup:
    outcome: Outcome
    entries: list[Entry]


@dataclass
class StanceGroup:
    stance: Stance
    outcomes: list[OutcomeGroup]

    @property
    def count(self) -> int:
        return sum(len(group.entries) for group in self.outcomes)

    @property
    def entries(self) -> list[Entry]:
        return [entry for group in self.outcomes for entry in group.entries]


@dataclass
class CaseLaw:
    provision: Provision
    as_of: datetime.date
    wording: ProvisionText | None
    stances: list[StanceGroup]
    overruled: list[Entry] = field(default_factory=list)
    revised: list[Entry] = field(default_factory=list)

    @property
    def entries(self) -> list[Entry]:
        return [*(e for group in self.stances for e in group.entries), *self.overruled, *self.revised]

    @property
    def count(self) -> int:
        return len(self.entries)

    @property
    def summary(self) -> str:
        return summarise(self)


def case_law(provision: Provision, *, seen_by: User, as_of: datetime.date | None = None) -> CaseLaw:
    """The case law of `provision` as `seen_by` may see it, as it stood at the end of `as_of`
    (today unless given): decisions issued by then and not yet superseded then."""
    as_of = as_of or timezone.localdate()
    moment = datetime.datetime.combine(as_of, datetime.time.max, tzinfo=timezone.get_current_timezone())
    revision = Revision.objects.in_force(at=as_of)
    wording = ProvisionText.objects.filter(revision=revision, provision=provision).first() if revision else None
    # Citations on this provision, that the reader may see, made by then.
    visible_citations = Citation.objects.filter(
        need_to_know(seen_by, via="citing__case"), citing__issued_at__lte=moment, provision=provision
    )
    decisions = list(
        Decision.objects.visible_to(seen_by)
        .filter(case__tags__provision=provision, issued_at__lte=moment)
        .exclude(superseded_by__issued_at__lte=moment)
        .select_related("case")
        .defer("rationale", "case__proposed_use")  # long texts the page does not show
        .prefetch_related(
            Prefetch("conditions", queryset=Condition.objects.only("decision_id", "text").order_by("id")),
            Prefetch(
                "headnotes",
                queryset=Headnote.objects.filter(provision=provision).order_by("number"),
                to_attr="on_provision",
            ),
        )
        .annotate(
            cited=Count("cited_by", filter=Q(cited_by__in=visible_citations), distinct=True),
            followed=Count(
                "cited_by",
                filter=Q(
                    cited_by__in=visible_citations, cited_by__treatment__in=[Treatment.FOLLOWS, Treatment.EXTENDS]
                ),
                distinct=True,
            ),
        )
    )
    tags = {
        tag.case_id: tag
        for tag in Tag.objects.filter(provision=provision, case__in=[d.case_id for d in decisions]).select_related(
            "provision_text"
        )
    }
    statuses = citator.statuses(decisions, seen_by=seen_by, as_of=moment)
    law = CaseLaw(provision=provision, as_of=as_of, wording=wording, stances=[])
    grouped: dict[str, dict[str, list[Entry]]] = defaultdict(lambda: defaultdict(list))
    for decision in decisions:
        tag = tags[decision.case_id]
        entry = Entry(
            decision=decision,
            tag=tag,
            status=statuses[decision.pk],
            headnotes=decision.on_provision,
            cited=decision.cited,
            followed=decision.followed,
            revised=wording is not None and not tag.provision_text.same_wording(wording),
        )
        if entry.status.flag == citator.Flag.OVERRULED:
            law.overruled.append(entry)
        elif entry.revised:
            law.revised.append(entry)
        else:
            grouped[tag.stance][decision.outcome].append(entry)
    for stance in STANCES_BY_KIND[provision.kind]:
        if stance in grouped:
            outcomes = [
                OutcomeGroup(outcome=Outcome(outcome), entries=sorted(entries, key=lambda e: e.leading_key))
                for outcome, entries in grouped[stance].items()
            ]
            outcomes.sort(key=lambda group: (-len(group.entries), list(Outcome).index(group.outcome)))
            law.stances.append(StanceGroup(stance=Stance(stance), outcomes=outcomes))
    for apart in (law.overruled, law.revised):
        apart.sort(key=lambda e: e.leading_key)
    return law


def summarise(law: CaseLaw) -> str:
    """One paragraph, generated from the groups: per stance, how many decisions and what
    became of the engagements (went ahead or not, and on which conditions)."""
    if not law.count:
        return f"No decision you may see has applied {law.provision.code} by {law.as_of:%-d %B %Y}."
    sentences = []
    for n, group in enumerate(law.stances):
        entries = group.entries
        label = group.stance.label if n else f"{law.provision.code} {group.stance.label.lower()}"
        counted = f"{len(entries)} decision{'s' if len(entries) != 1 else ''}" if n == 0 else str(len(entries))
        ahead = [e for e in entries if e.decision.outcome in CONTINUING_OUTCOMES]
        outcomes = Counter(e.decision.get_outcome_display().lower() for e in entries)
        breakdown = ", ".join(f"{k} {outcome}" for outcome, k in outcomes.most_common())
        if len(ahead) == len(entries):
            fate = "all went ahead" if len(entries) > 1 else "it went ahead"
        elif not ahead:
            fate = "none went ahead" if len(entries) > 1 else "it did not go ahead"
        else:
            fate = f"{len(ahead)} went ahead"
        sentence = f"{label}: {counted}, {fate} ({breakdown})"
        conditions = [
            c.text
            for e in entries
            if e.decision.outcome == Outcome.APPROVED_WITH_CONDITIONS
            for c in e.decision.conditions.all()
        ]
        if conditions:
            sentence += f", with conditions such as “{_clip(conditions[0])}”"
        sentences.append(sentence + ".")
    for entries, what in ((law.overruled, "overruled"), (law.revised, "decided under wording since revised")):
        if entries:
            sentences.append(f"Set apart: {len(entries)} {what}.")
    return " ".join(sentences)


def _clip(text: str, words: int = 14) -> str:
    parts = text.split()
    return " ".join(parts[:words]).rstrip(".,;") + ("…" if len(parts) > words else "")


def live_decisions_on(texts: list[ProvisionText], user: User) -> dict[int, int]:
    """For principles.reliance: per provision text, the decisions in force, that `user` may
    see, whose case was tagged against that wording (in whichever revision carried it) with
    a stance that bears on it."""
    counts = {}
    visible = Case.objects.visible_to(user)
    for text in texts:
        same = ProvisionText.objects.filter(provision=text.provision_id, title=text.title, body=text.body)
        counts[text.pk] = (
            Decision.objects.in_force()
            .filter(
                case__in=visible,
                case__tags__in=Tag.objects.filter(provision_text__in=same).exclude(stance__in=NEUTRAL_STANCES),
            )
            .values("pk")
            .distinct()
            .count()
        )
    return counts
