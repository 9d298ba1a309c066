"""The demo casebook: about thirty decided cases, in demo/data/demo_casebook.toml, with
their discussion and a partner reassessment, loaded through the same services that
reviewers and decision-makers use, each step dated as the file says. The demo users
(load_demo) play the people."""

import datetime
import tomllib
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from casebook import services
from casebook.choices import Duty
from casebook.models import Case, Partner, User
from core.errors import Conflict
from notifications.models import Notification
from principles.models import Provision
from reviews.services import (
    assignment_add,
    case_reopen,
    case_start_review,
    case_submit,
    comment_add,
    condition_update,
    decision_issue,
    headnotes_set,
    opinion_file,
    reassessment_open,
)

DEMO_FILE = Path(__file__).parent / "data" / "demo_casebook.toml"


class DemoError(Exception):
    pass


def _moment(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)


# What happens on one day happens in this order: filings, decisions, comments, reassessments.
FILE, DECIDE, COMMENT, REASSESS = range(4)


def _steps(data: dict) -> list[tuple]:
    """Every filing, decision, comment and reassessment of the file, in the order they
    happened, as (day, kind, position in the file, case entry, the step's own entry)."""
    steps = []
    for n, case in enumerate(data["cases"]):
        steps.append((case["submitted"], FILE, n, case, None))
        steps.extend((decision["issued"], DECIDE, n, case, decision) for decision in case.get("decisions", []))
        steps.extend((comment["on"], COMMENT, n, case, comment) for comment in case.get("comments", []))
    for n, reassessment in enumerate(data.get("reassessments", [])):
        steps.append((reassessment["opened"], REASSESS, n, reassessment, reassessment))
    return sorted(steps, key=lambda step: step[:3])


@transaction.atomic
def load_demo_casebook(path: Path = DEMO_FILE) -> int:
    """Load the demo casebook into a database without cases. Returns how many cases were
    loaded: none if there were cases already."""
    if Case.objects.exists():
        return 0
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    people = {user.username: user for user in User.objects.all()}
    partners = {
        entry["name"]: services.partner_save(partner=Partner(), facts=entry, by=people["admin"])
        for entry in data["partners"]
    }
    safeguards = {p.code: p for p in Provision.objects.filter(kind="safeguard")}
    cases: dict[str, Case] = {}
    for day, kind, _, entry, step in _steps(data):
        try:
            if kind == FILE:
                cases[entry["key"]] = _file(entry, day, people, partners, safeguards)
            elif kind == DECIDE:
                _decide(cases[entry["key"]], step, day, people, cases)
            elif kind == COMMENT:
                comment_add(case=cases[entry["key"]], by=people[step["author"]], body=step["body"], at=_moment(day, 11))
            else:
                reassessment_open(
                    partner=partners[step["partner"]],
                    by=people[step["opened_by"]],
                    reasons=step["reasons"],
                    at=_moment(day, 10),
                )
        except (ValidationError, PermissionDenied, Conflict, LookupError) as exc:
            what = f"case {entry['key']!r}" if "key" in entry else f"reassessment of {entry.get('partner')!r}"
            raise DemoError(f"{path.name}, {what} on {day}: {exc}") from exc
    # The demo's history is not news: its notifications wait in the app, but are not mailed.
    Notification.objects.filter(emailed_at__isnull=True).update(emailed_at=timezone.now())
    return len(cases)


def _file(entry: dict, day, people, partners, safeguards) -> Case:
    filer = people[entry["filed_by"]]
    case = services.case_file(
        by=filer,
        facts={
            "title": entry["title"],
            "partner": partners[entry["partner"]],
            "mission_area": entry["mission_area"],
            "proposed_use": entry["proposed_use"].strip(),
            "architecture": entry["architecture"],
            "human_judgment": entry["human_judgment"],
            "force_proximity": entry["force_proximity"],
            "restricted": entry.get("restricted", False),
            "data_involved": entry["data_involved"],
            "safeguards": [safeguards[code] for code in entry.get("safeguards", [])],
            "access_list": [people[name] for name in entry.get("access_list", [])],
        },
    )
    at = _moment(day, 9)
    # Filing stamps the time it happens; a case from the past was opened on its own day.
    Case.objects.filter(pk=case.pk).update(created_at=at, updated_at=at)
    services.case_set_tags(case=case, by=filer, tags=entry["tags"], at=at)
    return case_submit(case=case, by=filer, at=at)


def _decide(case: Case, entry: dict, day, people, cases: dict[str, Case]) -> None:
    at = _moment(day, 15)
    citations = []
    for cite in entry.get("citations", []):
        # A citation relies on the decision that stood on the cited case at the time.
        cited = cases[cite["case"]].decisions.filter(issued_at__lt=at).order_by("-issued_at").first()
        if cited is None:
            raise DemoError(f"cites {cite['case']!r}, which was not yet decided on {day}")
        citations.append({**cite, "decision": cited.pk})
    answers = {}
    for key, answer in entry.get("answers", {}).items():
        # The precedent check asked about the decision standing on that case then.
        answered = cases[key].decisions.filter(issued_at__lt=at).order_by("-issued_at").first()
        if answered is None:
            raise DemoError(f"answers on {key!r}, which was not yet decided on {day}")
        answers[answered.pk] = answer
    decider = people[entry["decided_by"]]
    case.refresh_from_db()
    if case.can("reopen"):
        case = case_reopen(case=case, by=decider, reason=entry.get("reopened_because", "Reconsideration."))
    if case.accountable_decision_maker() is None:
        assignment_add(case=case, person=decider, duty=Duty.DECISION_MAKER, by=people["admin"])
    case = case_start_review(case=case, by=decider)
    for opinion in entry.get("opinions", []):
        author = people[opinion["author"]]
        if not case.assignments.filter(person=author).exists():
            assignment_add(case=case, person=author, duty=Duty.REVIEWER, by=people["admin"])
        opinion_file(
            case=case, by=author, recommended_outcome=opinion["recommended_outcome"], reasoning=opinion["reasoning"]
        )
    decision = decision_issue(
        case=case,
        by=decider,
        outcome=entry["outcome"],
        holding=entry["holding"],
        rationale=entry["rationale"],
        public_digest=entry.get("public_digest", ""),
        conditions=[
            {"text": c["text"], "owner": c["owner"], "due_date": c.get("due")} for c in entry.get("conditions", [])
        ],
        citations=citations,
        answers=answers,
        at=at,
    )
    if entry.get("headnotes"):  # written by legal once the decision issued
        headnotes_set(decision=decision, by=people["legal"], headnotes=entry["headnotes"])
    for condition, wanted in zip(decision.conditions.order_by("id"), entry.get("conditions", []), strict=True):
        if wanted.get("status", "open") != "open":
            condition_update(
                condition=condition, by=decider, status=wanted["status"], evidence=wanted.get("evidence", "")
            )
