"""The precedent digest: what a period (a month, by default the last full one) added to the
case law, for sharing the precedent with the company. The decisions issued, with their
public digests, holdings and headnotes; the changes of precedent status their citations
made (overrulings, distinctions, doubts); the framework revisions published, with how many
live decisions rested on each changed wording; and the annotated pattern of the provisions
the period's decisions applied most. Always as one reader may see it: a restricted decision
is in nobody's digest but those cleared for it."""

import calendar
import datetime
import re
from collections import Counter
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone

from casebook.choices import NEUTRAL_STANCES, Treatment
from casebook.models import Citation, Decision, Headnote, Tag, User
from precedent.case_law import case_law
from principles.diff import ProvisionChange, revision_diff
from principles.models import Provision, Revision
from principles.reliance import with_reliance

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
MOST_APPLIED = 3
STATUS_CHANGES = [Treatment.OVERRULES, Treatment.DISTINGUISHES, Treatment.QUESTIONS]


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    @property
    def label(self) -> str:
        if self.start.day == 1 and self.end == _last_day(self.start):
            return f"{self.start:%B %Y}"
        return f"{self.start:%-d %B %Y} to {self.end:%-d %B %Y}"

    @property
    def slug(self) -> str:
        return f"{self.start:%Y-%m}"

    def moments(self) -> tuple[datetime.datetime, datetime.datetime]:
        zone = timezone.get_current_timezone()
        return (
            datetime.datetime.combine(self.start, datetime.time.min, tzinfo=zone),
            datetime.datetime.combine(self.end, datetime.time.max, tzinfo=zone),
        )


def month(text: str | None = None, *, today: datetime.date | None = None) -> Period:
    """The month "YYYY-MM", or the last full month before `today`. A month not yet begun
    is refused (ValueError, with why)."""
    today = today or timezone.localdate()
    if not text:
        last = today.replace(day=1) - datetime.timedelta(days=1)
        return Period(last.replace(day=1), last)
    found = MONTH.match(text)
    if found is None:
        raise ValueError("Give a month as YYYY-MM, such as 2026-11.")
    year, number = int(found[1]), int(found[2])
    start = datetime.date(year, number, 1)
    if start > today:
        raise ValueError(f"{start:%B %Y} has not begun.")
    return Period(start, _last_day(start))


def _last_day(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


@dataclass
class RevisionImpact:
    revision: Revision
    changes: list[ProvisionChange]

    @property
    def rested_on(self) -> int:
        return sum(c.rested_on or 0 for c in self.changes)


@dataclass
class Pattern:
    provision: Provision
    applied: int  # decisions of the period that applied it
    summary: str


@dataclass
class Digest:
    period: Period
    decisions: list[Decision]
    status_changes: list[Citation]
    revisions: list[RevisionImpact]
    patterns: list[Pattern]

    @property
    def empty(self) -> bool:
        return not (self.decisions or self.status_changes or self.revisions)

    @property
    def restricted(self) -> bool:
        """Whether it names a restricted decision (its reader is cleared for it), and so
        must be handled as need-to-know, as the decision memo is."""
        return any(d.case.restricted for d in self.decisions) or any(
            c.citing.case.restricted or c.cited.case.restricted for c in self.status_changes
        )


def digest(*, seen_by: User, start: datetime.date, end: datetime.date) -> Digest:
    """The digest of the days from `start` to `end`, both included, as `seen_by` may see it."""
    period = Period(start, end)
    start, end = period.moments()
    decisions = list(
        Decision.objects.visible_to(seen_by)
        .filter(issued_at__range=(start, end))
        .select_related("case")
        .defer("rationale", "case__proposed_use")
        .prefetch_related(Prefetch("headnotes", queryset=Headnote.objects.select_related("provision")))
        .order_by("issued_at", "pk")
    )
    changes = list(
        Citation.objects.to_visible(seen_by)
        .from_visible(seen_by)
        .filter(citing__issued_at__range=(start, end), treatment__in=STATUS_CHANGES)
        .select_related("citing__case", "cited__case", "provision", "headnote")
        .order_by("citing__issued_at", "pk")
    )
    revisions = []
    for revision in Revision.objects.filter(published_at__range=(start, end)).order_by("number"):
        before = Revision.objects.filter(number__lt=revision.number, published_at__isnull=False).order_by("-number")
        changed = revision_diff(before.first(), revision, changed_only=True)
        revisions.append(RevisionImpact(revision=revision, changes=with_reliance(changed, seen_by)))
    applied = Counter(
        Tag.objects.filter(case__decisions__in=decisions)
        .exclude(stance__in=NEUTRAL_STANCES)
        .values_list("provision", flat=True)
    )
    provisions = Provision.objects.in_bulk([pk for pk, _ in applied.most_common(MOST_APPLIED)])
    patterns = [
        Pattern(
            provision=provisions[pk],
            applied=n,
            summary=case_law(provisions[pk], seen_by=seen_by, as_of=period.end).summary,
        )
        for pk, n in applied.most_common(MOST_APPLIED)
    ]
    return Digest(period=period, decisions=decisions, status_changes=changes, revisions=revisions, patterns=patterns)
