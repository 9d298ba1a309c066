"""A person's work queues, for the "my work" page they land on: what waits for them to
review, decide, assign, track or reassess. Every queue is narrowed to what they may see."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from casebook.choices import AWAITING_DECISION, CaseStatus, ConditionStatus, Duty
from casebook.models import Case, Condition, User, in_force
from core.roles import Role
from reviews.models import Opinion, Reassessment


@dataclass
class WorkQueues:
    to_review: QuerySet = field(default_factory=Case.objects.none)
    to_decide: QuerySet = field(default_factory=Case.objects.none)
    to_assign: QuerySet = field(default_factory=Case.objects.none)
    my_cases: QuerySet = field(default_factory=Case.objects.none)
    conditions_due: QuerySet = field(default_factory=Condition.objects.none)
    reassessments: list = field(default_factory=list)

    def is_empty(self) -> bool:
        queues = [self.to_review, self.to_decide, self.to_assign, self.my_cases, self.conditions_due]
        return not self.reassessments and not any(q.exists() for q in queues)


def work_for(user: User, *, today: date | None = None) -> WorkQueues:
    today = today or timezone.localdate()
    if not user.roles:
        return WorkQueues()
    visible = Case.objects.visible_to(user).select_related("partner")
    mine = Q(assignments__person=user, assignments__recused_at__isnull=True)
    queues = WorkQueues(
        to_review=visible.filter(mine, assignments__duty=Duty.REVIEWER, status__in=AWAITING_DECISION).annotate(
            opined=Exists(Opinion.objects.filter(case=OuterRef("pk"), author=user, decision__isnull=True))
        ),
        to_decide=visible.filter(mine, assignments__duty=Duty.DECISION_MAKER, status__in=AWAITING_DECISION),
        my_cases=visible.filter(filed_by=user).exclude(status__in=[CaseStatus.DECIDED, CaseStatus.WITHDRAWN]),
        conditions_due=_conditions_due(user, today),
    )
    if user.has_role(Role.ADMIN, Role.DECISION_MAKER):
        # Waiting for someone to put them before the board (assign people, start the review).
        queues.to_assign = visible.filter(status__in=[CaseStatus.SUBMITTED, CaseStatus.REOPENED]).exclude(
            assignments__person=user, assignments__recused_at__isnull=False
        )
    queues.reassessments = _open_reassessments(user, visible)
    return queues


def _conditions_due(user: User, today: date) -> QuerySet:
    horizon = today + timedelta(days=settings.CONDITION_WARNING_DAYS)
    due = Condition.objects.visible_to(user).filter(
        in_force(via="decision"), status=ConditionStatus.OPEN, due_date__lte=horizon
    )
    if not user.has_role(Role.LEGAL, Role.ADMIN):
        due = due.filter(Q(decision__case__filed_by=user) | Q(decision__decided_by=user))
    return due.select_related("decision__case").order_by("due_date", "id")


def _open_reassessments(user: User, visible: QuerySet) -> list[dict]:
    """Open reassessments with the engagements this person may see that still wait for a
    new decision: all of them for those who run reassessments, else those they take part in."""
    mine = visible
    if not user.has_role(Role.ADMIN, Role.DECISION_MAKER):
        taking_part = Q(filed_by=user) | Q(assignments__person=user, assignments__recused_at__isnull=True)
        mine = visible.filter(pk__in=Case.objects.filter(taking_part).values("pk"))
    return [
        {"reassessment": reassessment, "waiting": list(reassessment.waiting(mine).order_by("docket"))}
        for reassessment in Reassessment.objects.awaiting(mine).select_related("partner")
    ]
