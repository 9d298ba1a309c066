"""Who reviews and who decides a case: assignment, recusal, and an admin's escalation of
a case that crosses a red line."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from audit import log as audit
from casebook.choices import CaseStatus, Duty
from casebook.models import Assignment, Case, User
from core.errors import Conflict
from core.roles import Role
from notifications.choices import NotificationKind
from notifications.services import notify
from reviews.models import Escalation
from reviews.scrutiny import crossed_red_lines


@transaction.atomic
def assignment_add(*, case: Case, person: User, duty: Duty, by: User) -> Assignment:
    """Assign a reviewer, or the one accountable decision-maker, to a case."""
    if not by.has_role(Role.ADMIN, Role.DECISION_MAKER):
        raise PermissionDenied("Only an admin or a decision-maker assigns people to a case.")
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status in (CaseStatus.DRAFT, CaseStatus.WITHDRAWN):
        raise Conflict(f"{case.docket or 'A draft'} is {case.get_status_display().lower()}: nobody is assigned to it.")
    needed = Role.REVIEWER if duty == Duty.REVIEWER else Role.DECISION_MAKER
    if not person.has_role(needed):
        raise ValidationError({"person": f"{person.display_name} does not hold the {needed.label.lower()} role."})
    if case.is_filer(person):
        # Who files a case argues for it: neither their review nor their decision is the board's.
        role = "decide" if duty == Duty.DECISION_MAKER else "review"
        raise ValidationError({"person": f"The filer of a case cannot {role} it."})
    earlier = case.assignments.filter(person=person).first()
    if earlier is not None:
        state = "recused from" if earlier.recused_at else "already assigned to"
        raise Conflict(f"{person.display_name} is {state} {case.docket}.")
    if duty == Duty.DECISION_MAKER and case.assignments.active().filter(duty=duty).exists():
        raise Conflict(f"{case.docket} already has an accountable decision-maker.")
    assignment = Assignment.objects.create(
        case=case, person=person, duty=duty, assigned_by=by, assigned_at=timezone.now()
    )
    audit.record("case.assigned", actor=by, obj=case, after={"person": person.username, "duty": duty})
    notify(
        recipients=[person],
        kind=NotificationKind.ASSIGNED,
        message=f"{case.docket}: you are assigned as {assignment.get_duty_display().lower()}. {case.title}",
        key=f"assigned:{assignment.pk}",
        case=case,
    )
    return assignment


@transaction.atomic
def assignment_recuse(*, case: Case, by: User, statement: str) -> Assignment:
    """Step aside from a case, saying what the conflict of interest is."""
    assignment = case.assignments.active().select_for_update().filter(person=by).first()
    if assignment is None:
        raise Conflict(f"You are not assigned to {case.docket}, so there is nothing to recuse from.")
    if not statement.strip():
        raise ValidationError({"statement": "State the conflict of interest."})
    assignment.recused_at = timezone.now()
    assignment.recusal_statement = statement.strip()
    assignment.full_clean()
    assignment.save(update_fields=["recused_at", "recusal_statement"])
    audit.record(
        "case.recused",
        actor=by,
        obj=case,
        after={"duty": assignment.duty, "statement": assignment.recusal_statement},
    )
    return assignment


@transaction.atomic
def escalation_record(*, case: Case, by: User, reasons: str) -> Escalation:
    """An admin's leave for a case that crosses a red line to end otherwise than declined
    or terminated. The next decision on the case displays it."""
    if not by.has_role(Role.ADMIN):
        raise PermissionDenied("Only an admin records an escalation.")
    if not reasons.strip():
        raise ValidationError({"reasons": "Give the reasons for the escalation."})
    if not crossed_red_lines(case):
        raise Conflict(f"{case.docket} crosses no red line: there is nothing to escalate.")
    escalation = Escalation.objects.create(case=case, by=by, reasons=reasons.strip(), created_at=timezone.now())
    audit.record("case.escalated", actor=by, obj=case, after={"reasons": escalation.reasons})
    return escalation
