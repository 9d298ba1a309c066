"""Partner reassessment: every live engagement with a partner reopens together."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from audit import log as audit
from casebook.choices import CONTINUING_OUTCOMES, CaseStatus
from casebook.models import Case, Partner, User, in_force
from core.roles import Role
from notifications.choices import NotificationKind
from notifications.services import notify
from reviews.models import Reassessment
from reviews.services.workflow import case_reopen


@transaction.atomic
def reassessment_open(*, partner: Partner, by: User, reasons: str, at: datetime | None = None) -> Reassessment:
    """Call a partner's fitness into question: each of its live engagements (a decision in
    force that lets it go ahead) reopens for a new decision, and its people are told. One
    already back under review joins the reassessment as it stands. `at`, as in
    reviews.services.workflow, dates a record loaded from the past."""
    if not by.has_role(Role.ADMIN, Role.DECISION_MAKER):
        raise PermissionDenied("Only an admin or a decision-maker opens a reassessment of a partner.")
    reasons = reasons.strip()
    if not reasons:
        raise ValidationError({"reasons": "Say why the partner is reassessed."})
    # Serialised per partner, so two reassessments opened at once cannot miss each other's
    # engagements. A second while one is open is allowed: a new concern reopens what has
    # gone ahead since, and what is already back under review joins it as it stands.
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    live = (
        Case.objects.filter(
            in_force(via="decisions"),
            partner=partner,
            decisions__outcome__in=CONTINUING_OUTCOMES,
            status__in=[CaseStatus.DECIDED, CaseStatus.REOPENED, CaseStatus.IN_REVIEW],
        )
        .distinct()
        .order_by("docket")
    )
    cases = list(live)
    reassessment = Reassessment.objects.create(
        partner=partner, opened_by=by, reasons=reasons, opened_at=at or timezone.now()
    )
    reassessment.cases.set(cases)
    audit.record(
        "partner.reassessment_opened",
        actor=by,
        obj=partner,
        # Not which cases it reopened: the partner's entry is read by those the restricted
        # ones are kept from. Each case's own entry says it joined.
        after={"reassessment": reassessment.pk, "reasons": reasons},
    )
    for case in cases:
        audit.record("case.reassessment_joined", actor=by, obj=case, after={"reassessment": reassessment.pk})
        state = "is reopened"
        if case.can("reopen"):
            case = case_reopen(case=case, by=by, reason=f"Reassessment of {partner}: {reasons}"[:2000])
        else:
            state = "is already under review, and joins the reassessment"
        notify(
            recipients=[person for person in case.people_concerned() if person != by],
            kind=NotificationKind.REASSESSMENT_OPENED,
            message=f"{case.docket} {state}: {partner} is under reassessment. {reasons[:300]}",
            key=f"reassessment:{reassessment.pk}:{case.pk}",
            case=case,
        )
    return reassessment
