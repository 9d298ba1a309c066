"""The assigned reviewers' opinions."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from audit import log as audit
from casebook.choices import AWAITING_DECISION, STANCES_BY_KIND, Duty
from casebook.models import Case, User
from core.errors import Conflict
from notifications.choices import NotificationKind
from notifications.services import notify
from principles.models import Revision
from reviews.models import Opinion

OPINION_FIELDS = ["recommended_outcome", "reasoning", "proposed_tags"]


@transaction.atomic
def opinion_file(
    *, case: Case, by: User, recommended_outcome: str, reasoning: str, proposed_tags: list[dict] = ()
) -> Opinion:
    """File, or revise, an assigned reviewer's opinion; possible until the decision issues."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case.assignments.active().filter(person=by, duty=Duty.REVIEWER).exists():
        raise PermissionDenied(f"Only a reviewer assigned to {case.docket}, and not recused, files an opinion on it.")
    if case.status not in AWAITING_DECISION:
        raise Conflict(f"{case.docket} is {case.get_status_display().lower()}: its opinions are closed.")
    errors = _tag_errors(list(proposed_tags))
    now = timezone.now()
    opinion = case.opinions.filter(author=by, decision__isnull=True).first()
    before = {field: getattr(opinion, field) for field in OPINION_FIELDS} if opinion else None
    opinion = opinion or Opinion(case=case, author=by, filed_at=now)
    opinion.recommended_outcome, opinion.reasoning = recommended_outcome, reasoning.strip()
    opinion.proposed_tags, opinion.revised_at = [dict(t) for t in proposed_tags], now
    try:
        opinion.full_clean(exclude=["decision"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    opinion.save()
    after = {field: getattr(opinion, field) for field in OPINION_FIELDS}
    if before is None:
        audit.record("opinion.filed", actor=by, obj=case, after=after)
        notify(
            recipients=[case.accountable_decision_maker()],
            kind=NotificationKind.OPINION_FILED,
            message=f"{case.docket}: {by.display_name} recommends {opinion.get_recommended_outcome_display().lower()}.",
            key=f"opinion-filed:{opinion.pk}",
            case=case,
        )
    else:
        audit.record_changes("opinion.revised", actor=by, obj=case, before=before, after=after)
    return opinion


def _tag_errors(tags: list[dict]) -> dict:
    current = Revision.objects.in_force()
    texts = current.texts_by_code() if current else {}
    for tag in tags:
        text = texts.get(str(tag.get("code")))
        if text is None or tag.get("stance") not in STANCES_BY_KIND[text.provision.kind]:
            return {
                "proposed_tags": [f"{tag.get('code')!r} {tag.get('stance')!r} is not a stance on a provision in force."]
            }
    return {}
