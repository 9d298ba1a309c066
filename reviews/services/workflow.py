"""A case's way through review: submitted (its docket number), put before the board,
reopened, withdrawn. Each step is taken on a locked, fresh copy and put on the record."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from audit import log as audit
from casebook.choices import CaseStatus
from casebook.models import Case, DocketCounter, User
from casebook.signals import case_changed
from core.locks import transaction_lock


@transaction.atomic
def case_submit(*, case: Case, by: User, at: datetime | None = None) -> Case:
    """Submit a draft for review. It takes the next docket number of the year, which is
    never issued twice, however many reviewers submit at once. `at` (here and below) dates
    a record loaded from the past, as the demo casebook is; pages and API never pass it."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    case.submit(by=by)
    now = at or timezone.now()
    transaction_lock("casebook.docket")
    counter, _ = DocketCounter.objects.select_for_update().get_or_create(year=now.year)
    counter.last += 1
    counter.save(update_fields=["last"])
    case.docket = f"NS-{now.year}-{counter.last:04d}"
    case.submitted_at = now
    case.save(update_fields=["docket", "status", "submitted_at", "updated_at"])
    audit.record(
        "case.submitted",
        actor=by,
        obj=case,
        before={"status": CaseStatus.DRAFT},
        after={"status": case.status, "docket": case.docket},
    )
    case_changed.send(sender=Case, case=case)
    return case


def _transition(case: Case, *, by: User | None, action: str, audit_action: str, **details) -> Case:
    """Take one workflow step on a locked, fresh copy of the case, and put it on the record."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    before = case.status
    getattr(case, action)(by=by, **details)
    case.save(update_fields=["status", "updated_at"])
    audit.record(audit_action, actor=by, obj=case, before={"status": before}, after={"status": case.status, **details})
    return case


@transaction.atomic
def case_start_review(*, case: Case, by: User | None) -> Case:
    return _transition(case, by=by, action="start_review", audit_action="case.review_started")


@transaction.atomic
def case_reopen(*, case: Case, by: User | None, reason: str) -> Case:
    """Reopen a decided case (reconsideration, continuing review, a partner reassessment):
    it goes back into review, and its next decision supersedes the one in force."""
    return _transition(case, by=by, action="reopen", audit_action="case.reopened", reason=reason.strip())


@transaction.atomic
def case_withdraw(*, case: Case, by: User) -> Case:
    case = _transition(case, by=by, action="withdraw", audit_action="case.withdrawn")
    case_changed.send(sender=Case, case=case)
    return case
