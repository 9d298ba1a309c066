"""The figures the board and oversight follow, each counted only over what the reader may
see (need-to-know, casebook.visibility): caseload by month and status, outcomes by red
line and stance, time from submission to decision, open conditions by due date and owner,
the impact queue over time, and the citator's flags across the casebook."""

import datetime
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F
from django.db.models.functions import TruncMonth
from django.utils import timezone

from casebook.choices import CONTINUING_OUTCOMES, CaseStatus, ConditionStatus, MissionArea, Outcome, Stance
from casebook.models import Case, Condition, Decision, Tag, User
from precedent.citator import SEVERITY
from precedent.models import ImpactItem, SearchEntry
from principles.choices import ProvisionKind

MONTHS = 12
WEEKS = 12
SOON = 30  # days: a condition due within this many is "due soon"


@dataclass
class Series:
    """One chart's numbers: a label for each row (or column) and, per group, its values."""

    title: str
    rows: list[str]
    groups: list[str]
    values: dict[str, list[int]]  # group -> one value a row

    def total(self, row: int) -> int:
        return sum(self.values[g][row] for g in self.groups)

    @property
    def table(self) -> list[tuple[str, list[int], int]]:
        return [(label, [self.values[g][n] for g in self.groups], self.total(n)) for n, label in enumerate(self.rows)]


@dataclass
class Spread:
    label: str
    decided: int
    median: float | None = None
    lower: float | None = None  # the first quartile
    upper: float | None = None  # the third
    longest: float | None = None


@dataclass
class Dashboard:
    caseload: Series
    outcomes: Series
    outcomes_by_mission: Series
    opinions: Series
    time_to_decision: list[Spread]
    conditions: Series
    impact: Series
    flags: Series
    counted: dict[str, int] = field(default_factory=dict)


def dashboard(*, seen_by: User, today: datetime.date | None = None) -> Dashboard:
    today = today or timezone.localdate()
    cases = Case.objects.visible_to(seen_by)
    decisions = Decision.objects.visible_to(seen_by)
    return Dashboard(
        caseload=caseload(cases, today=today),
        outcomes=outcomes_by_red_line(decisions),
        outcomes_by_mission=outcomes_by_mission_area(decisions),
        opinions=opinions_per_case(decisions),
        time_to_decision=time_to_decision(decisions),
        conditions=open_conditions(decisions, today=today),
        impact=impact_over_time(ImpactItem.objects.visible_to(seen_by), today=today),
        flags=flags(SearchEntry.objects.filter(decision__in=decisions.in_force())),
        counted={"cases": cases.exclude(status=CaseStatus.DRAFT).count(), "decisions": decisions.count()},
    )


def _months(today: datetime.date) -> list[datetime.date]:
    first = today.replace(day=1)
    months = []
    for _ in range(MONTHS):
        months.append(first)
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return months[::-1]


def caseload(cases, *, today: datetime.date) -> Series:
    """Cases submitted in each of the last twelve months, by where they stand now."""
    months = _months(today)
    since = timezone.make_aware(datetime.datetime.combine(months[0], datetime.time.min))
    counts = (
        cases.filter(submitted_at__gte=since)
        .annotate(month=TruncMonth("submitted_at"))
        .values_list("month", "status")
        .annotate(n=Count("pk"))
    )
    statuses = [s for s in CaseStatus if s != CaseStatus.DRAFT]
    values = {s.label: [0] * len(months) for s in statuses}
    index = {month: n for n, month in enumerate(months)}
    for month, status, n in counts:
        day = timezone.localtime(month).date() if isinstance(month, datetime.datetime) else month
        if day.replace(day=1) in index:
            values[CaseStatus(status).label][index[day.replace(day=1)]] += n
    return Series(
        "Cases submitted, by month and where they stand", [f"{m:%b %Y}" for m in months], list(values), values
    )


def outcomes_by_red_line(decisions) -> Series:
    """For each red line and each stance taken on it, the decisions in force that went
    ahead and those that stopped it."""
    tags = (
        Tag.objects.filter(case__decisions__in=decisions.in_force(), provision__kind=ProvisionKind.RED_LINE)
        .exclude(stance=Stance.NOT_IMPLICATED)
        .values_list("provision__code", "provision__position", "stance", "case__decisions__outcome")
    )
    counted: dict[tuple, Counter] = defaultdict(Counter)
    for code, position, stance, outcome in tags:
        counted[(position, code, stance)]["Went ahead" if outcome in CONTINUING_OUTCOMES else "Stopped"] += 1
    rows = sorted(counted)
    groups = ["Went ahead", "Stopped"]
    return Series(
        "Decisions in force on each red line, by stance and outcome",
        [f"{code} {Stance(stance).label.lower()}" for _, code, stance in rows],
        groups,
        {g: [counted[row][g] for row in rows] for g in groups},
    )


def outcomes_by_mission_area(decisions) -> Series:
    """The decisions in force in each mission area, by outcome."""
    counts = Counter(decisions.in_force().values_list("case__mission_area", "outcome"))
    areas = [area for area in MissionArea if any(a == area for a, _ in counts)]
    outcomes = [outcome for outcome in Outcome if any(o == outcome for _, o in counts)]
    return Series(
        "Decisions in force in each mission area, by outcome",
        [area.label for area in areas],
        [outcome.label for outcome in outcomes],
        {outcome.label: [counts[(area.value, outcome.value)] for area in areas] for outcome in outcomes},
    )


def opinions_per_case(decisions) -> Series:
    """How many reviewers' opinions each decision was issued on: the board's breadth."""
    counts = Counter(decisions.annotate(n=Count("opinions")).values_list("n", flat=True))
    most = max(counts, default=0)
    rows = list(range(most + 1))
    return Series(
        "Decisions by how many opinions they were issued on",
        [f"{n} opinion{'s' if n != 1 else ''}" for n in rows],
        ["Decisions"],
        {"Decisions": [counts[n] for n in rows]},
    )


def time_to_decision(decisions) -> list[Spread]:
    """Days from submission to the first decision, by mission area, with heightened
    scrutiny apart: the median, the middle half and the longest."""
    firsts = decisions.filter(supersedes__isnull=True, case__submitted_at__isnull=False).values_list(
        "case__mission_area", "scrutiny", "issued_at", "case__submitted_at"
    )
    days: dict[str, list[float]] = defaultdict(list)
    for area, scrutiny, issued, submitted in firsts:
        waited = (issued - submitted).total_seconds() / 86400
        days[MissionArea(area).label].append(waited)
        days["Under heightened scrutiny" if scrutiny else "Without heightened scrutiny"].append(waited)
    order = [*(area.label for area in MissionArea), "Under heightened scrutiny", "Without heightened scrutiny"]
    return [_spread(label, days[label]) for label in order if days[label]]


def _spread(label: str, days: list[float]) -> Spread:
    if len(days) == 1:
        return Spread(label, 1, days[0], days[0], days[0], days[0])
    lower, median, upper = statistics.quantiles(days, n=4, method="inclusive")
    return Spread(label, len(days), median, lower, upper, max(days))


def open_conditions(decisions, *, today: datetime.date) -> Series:
    """The open conditions of decisions in force, by owner: overdue, due within a month,
    due later, and with no date."""
    rows = (
        Condition.objects.filter(decision__in=decisions.in_force(), status=ConditionStatus.OPEN)
        .values_list("owner", "due_date")
        .order_by()
    )
    groups = ["Overdue", f"Due within {SOON} days", "Due later", "No date"]
    by_owner: dict[str, Counter] = defaultdict(Counter)
    soon = today + datetime.timedelta(days=SOON)
    for owner, due in rows:
        when = groups[3] if due is None else groups[0] if due < today else groups[1] if due <= soon else groups[2]
        by_owner[owner.strip() or "No owner named"][when] += 1
    owners = sorted(by_owner, key=lambda o: (-by_owner[o][groups[0]], -sum(by_owner[o].values()), o))
    return Series(
        "Open conditions, by owner and when they fall due",
        owners,
        groups,
        {g: [by_owner[o][g] for o in owners] for g in groups},
    )


def impact_over_time(items, *, today: datetime.date) -> Series:
    """The impact queue at the end of each of the last twelve weeks: decisions queued by a
    revision and not yet re-examined, and those re-examined that week."""
    ends = [today - datetime.timedelta(weeks=n) for n in range(WEEKS - 1, -1, -1)]
    rows = list(items.values_list(F("revision__published_at"), "reviewed_at"))
    waiting, done = [], []
    for end in ends:
        moment = timezone.make_aware(datetime.datetime.combine(end, datetime.time.max))
        start = moment - datetime.timedelta(weeks=1)
        waiting.append(
            sum(
                1
                for queued, reviewed in rows
                if queued and queued <= moment and (reviewed is None or reviewed > moment)
            )
        )
        done.append(sum(1 for _, reviewed in rows if reviewed and start < reviewed <= moment))
    return Series(
        "The impact queue, week by week",
        [f"{end:%-d %b}" for end in ends],
        ["Waiting to be re-examined", "Re-examined that week"],
        {"Waiting to be re-examined": waiting, "Re-examined that week": done},
    )


def flags(entries) -> Series:
    """The decisions in force by their citator flag, as the whole board may see it."""
    counts = dict(entries.values_list("precedent").annotate(n=Count("pk")).values_list("precedent", "n"))
    order = [flag for flag in reversed(SEVERITY)]
    return Series(
        "Decisions in force, by precedent status",
        [flag.label for flag in order],
        ["Decisions"],
        {"Decisions": [counts.get(flag.value, 0) for flag in order]},
    )
