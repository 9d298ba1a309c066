"""The review workflow's own steps (assignment, recusal) and telling people what concerns
them: in the app at once, by e-mail once the change that prompted it is committed."""

import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from audit import log as audit
from casebook.access import COMMENTERS
from casebook.choices import CONTINUING_OUTCOMES, STANCES_BY_KIND, CaseStatus, ConditionStatus
from casebook.models import Case, Condition, Decision, Partner, User
from core.errors import Conflict
from core.roles import Role
from principles.models import Revision
from reviews.choices import Duty, NotificationKind
from reviews.models import Assignment, Comment, Escalation, Notification, Opinion, Reassessment
from reviews.scrutiny import crossed_red_lines
from reviews.tasks import email_notification


def notify(
    *,
    recipients: Iterable[User | None],
    kind: NotificationKind,
    message: str,
    key: str,
    case: Case | None = None,
    anchor: str = "",
) -> list[Notification]:
    """Tell each active recipient about one event, named by `key`; someone already told
    about it is not told again. Returns the notifications made now. The link goes to the
    case, at `anchor` on its page when given."""
    url = reverse("case-detail", args=[case.pk]) if case is not None else ""
    if url and anchor:
        url = f"{url}#{anchor}"
    made = []
    for person in {p.pk: p for p in recipients if p is not None and p.is_active}.values():
        notification, created = Notification.objects.get_or_create(
            recipient=person,
            key=key,
            defaults={"kind": kind, "case": case, "message": message[:500], "url": url, "created_at": timezone.now()},
        )
        if created:
            made.append(notification)
            transaction.on_commit(partial(email_notification.delay, notification.pk))
    return made


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
    if duty == Duty.DECISION_MAKER and case.is_filer(person):
        raise ValidationError({"person": "The filer of a case cannot decide it."})
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


OPINION_FIELDS = ["recommended_outcome", "reasoning", "proposed_tags"]


@transaction.atomic
def opinion_file(
    *, case: Case, by: User, recommended_outcome: str, reasoning: str, proposed_tags: list[dict] = ()
) -> Opinion:
    """File, or revise, an assigned reviewer's opinion; possible until the decision issues."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case.assignments.active().filter(person=by, duty=Duty.REVIEWER).exists():
        raise PermissionDenied(f"Only a reviewer assigned to {case.docket}, and not recused, files an opinion on it.")
    if case.status not in (CaseStatus.SUBMITTED, CaseStatus.IN_REVIEW, CaseStatus.REOPENED):
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
    current = Revision.objects.current()
    texts = current.texts_by_code() if current else {}
    for tag in tags:
        text = texts.get(str(tag.get("code")))
        if text is None or tag.get("stance") not in STANCES_BY_KIND[text.provision.kind]:
            return {
                "proposed_tags": [f"{tag.get('code')!r} {tag.get('stance')!r} is not a stance on a provision in force."]
            }
    return {}


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


def reviews_reopen_due(*, today: date | None = None) -> list[Case]:
    """Continuing review: reopen each engagement whose decision in force is due for review,
    and tell its filer, decision-maker and the people assigned. Each case is reopened in its
    own transaction, so one failure leaves the others done and the next run retries it."""
    from casebook.services import case_reopen  # here: casebook.services notifies through this module

    today = today or timezone.localdate()
    due = Decision.objects.filter(
        superseded_by__isnull=True, review_by__lte=today, case__status=CaseStatus.DECIDED
    ).select_related("case__filed_by", "decided_by")
    reopened = []
    for decision in due:
        with transaction.atomic():
            case = case_reopen(
                case=decision.case, by=None, reason=f"Continuing review, due {decision.review_by:%-d %B %Y}."
            )
            notify(
                recipients=case.people_concerned(),
                kind=NotificationKind.REVIEW_DUE,
                message=f"{case.docket} is reopened for its continuing review (due {decision.review_by:%-d %B %Y}).",
                key=f"review-due:{decision.pk}",
                case=case,
            )
        reopened.append(case)
    return reopened


def notification_mark_read(*, user: User, notification: Notification | None = None) -> int:
    """Mark one of the user's notifications read, or all of them."""
    unread = Notification.objects.unread().filter(recipient=user)
    if notification is not None:
        unread = unread.filter(pk=notification.pk)
    return unread.update(read_at=timezone.now())


def conditions_flag(*, today: date | None = None) -> dict[str, int]:
    """Announce the open conditions of decisions in force that fall due soon or are overdue
    to the case's filer and decision-maker, once each."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=settings.CONDITION_WARNING_DAYS)
    due = (
        Condition.objects.filter(
            status=ConditionStatus.OPEN, due_date__lte=horizon, decision__superseded_by__isnull=True
        )
        .select_related("decision__case__filed_by", "decision__decided_by")
        .order_by("due_date", "id")
    )
    counts = {"due": 0, "overdue": 0}
    for condition in due:
        case = condition.decision.case
        overdue = condition.due_date < today
        when = f"was due {condition.due_date:%-d %B %Y}" if overdue else f"is due {condition.due_date:%-d %B %Y}"
        made = notify(
            recipients=[case.filed_by, condition.decision.decided_by],
            kind=NotificationKind.CONDITION_OVERDUE if overdue else NotificationKind.CONDITION_DUE,
            message=f"{case.docket}: the condition “{condition.text[:200]}” ({condition.owner}) {when}.",
            key=f"condition-{'overdue' if overdue else 'due'}:{condition.pk}",
            case=case,
        )
        counts["overdue" if overdue else "due"] += len(made)
    return counts


# An @ that starts a word (not the middle of an e-mail address), then a username; a
# full stop or comma after it ends the sentence, not the name.
MENTION = re.compile(r"(?<![\w.@])@([\w.+-]*[\w+-])")


@transaction.atomic
def comment_add(*, case: Case, by: User, body: str, at: datetime | None = None) -> Comment:
    """Comment on a case; each @username mentioned is told. A mention must name someone who
    may read the case and take part in it, or the comment is refused: telling anyone else
    would reveal a restricted case, or call in someone recused."""
    if not by.has_role(*COMMENTERS):
        raise PermissionDenied("Only reviewers, decision-makers, legal and admins comment on cases.")
    if case.is_recused(by):
        raise PermissionDenied(f"You are recused from {case.docket}: you take no part in its discussion.")
    body = body.strip()
    if not body:
        raise ValidationError({"body": "Write the comment."})
    names = list(dict.fromkeys(MENTION.findall(body)))
    named = Q(pk__in=[])
    for name in names:
        named |= Q(username__iexact=name)
    people = {u.username.lower(): u for u in User.objects.filter(named, is_active=True)}
    problems, mentioned = [], []
    for name in names:
        person = people.get(name.lower())
        if person is None:
            problems.append(f"Nobody here is called @{name}.")
        elif not Case.objects.visible_to(person).filter(pk=case.pk).exists():
            problems.append(f"@{name} is not cleared for this case: add them to its need-to-know list first.")
        elif case.is_recused(person):
            problems.append(f"@{name} is recused from this case.")
        elif person != by:
            mentioned.append(person)
    if problems:
        raise ValidationError({"body": problems})
    comment = Comment(case=case, author=by, body=body, created_at=at or timezone.now())
    comment.full_clean()
    comment.save()
    comment.mentions.set(mentioned)
    audit.record(
        "comment.added",
        actor=by,
        obj=case,
        after={"comment": comment.pk, "body": body, "mentions": [p.username for p in mentioned]},
    )
    # A restricted case's discussion stays in the app: the e-mail says only where to look.
    quoted = "" if case.restricted else f": “{body[:300]}”"
    notify(
        recipients=mentioned,
        kind=NotificationKind.MENTIONED,
        message=f"{case.docket or 'A draft'}: {by.display_name} mentioned you{quoted}",
        key=f"mentioned:{comment.pk}",
        case=case,
        anchor=f"comment-{comment.pk}",
    )
    return comment


@transaction.atomic
def reassessment_open(*, partner: Partner, by: User, reasons: str, at: datetime | None = None) -> Reassessment:
    """Call a partner's fitness into question: each of its live engagements (a decision in
    force that lets it go ahead) reopens for a new decision, and its people are told. One
    already back under review joins the reassessment as it stands. `at`, as in
    casebook.services, dates a record loaded from the past."""
    from casebook.services import case_reopen  # here: casebook.services notifies through this module

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
            partner=partner,
            decisions__superseded_by__isnull=True,
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
        after={"reassessment": reassessment.pk, "reasons": reasons, "cases": [c.docket for c in cases]},
    )
    for case in cases:
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
