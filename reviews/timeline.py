"""A case's steps in the order they were taken, as its page shows them: filed, submitted,
each assignment and recusal, each opinion (to those who may read them), escalations, each
decision and a withdrawal."""

from dataclasses import dataclass
from datetime import datetime

from casebook.choices import CaseStatus
from casebook.models import Assignment, Case, Decision


@dataclass(frozen=True)
class Step:
    at: datetime
    what: str
    kind: str  # for the mark beside it: filed, assigned, opinion, escalated, decided, withdrawn


def case_timeline(
    case: Case, *, assignments: list[Assignment], decisions: list[Decision], opinions_shown: bool
) -> list[Step]:
    steps = [Step(case.created_at, f"Filed by {case.filed_by.display_name}", "filed")]
    if case.submitted_at:
        steps.append(Step(case.submitted_at, f"Submitted as {case.docket}", "filed"))
    for a in assignments:
        duty = a.get_duty_display().lower()
        steps.append(Step(a.assigned_at, f"{a.person.display_name} assigned, {duty}", "assigned"))
        if a.recused_at:
            steps.append(Step(a.recused_at, f"{a.person.display_name} recused", "assigned"))
    if opinions_shown:
        for opinion in case.opinions.select_related("author"):
            outcome = opinion.get_recommended_outcome_display().lower()
            steps.append(Step(opinion.filed_at, f"{opinion.author.display_name} recommended {outcome}", "opinion"))
    for escalation in case.escalations.select_related("by"):
        steps.append(Step(escalation.created_at, f"Escalated by {escalation.by.display_name}", "escalated"))
    for decision in decisions:
        verb = "Decided again" if decision.supersedes_id else "Decided"
        steps.append(Step(decision.issued_at, f"{verb}: {decision.get_outcome_display().lower()}", "decided"))
    if case.status == CaseStatus.WITHDRAWN:
        steps.append(Step(case.updated_at, "Withdrawn", "withdrawn"))
    return sorted(steps, key=lambda step: step.at)
