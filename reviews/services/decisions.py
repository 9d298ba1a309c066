"""Issuing the board's decision on a case, and tracking the conditions it imposes."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from audit import log as audit
from casebook.choices import CONTINUING_OUTCOMES, ConditionStatus, Duty, Outcome, Treatment
from casebook.models import Case, Citation, Condition, Decision, User
from casebook.signals import case_changed
from core import versions
from core.errors import Conflict
from core.roles import Role
from notifications.choices import NotificationKind
from notifications.services import notify
from outbox.services import enqueue
from precedent import search
from precedent.check import Check, Draft, precedent_check
from precedent.tasks import alert_saved_searches
from principles.models import Provision, Revision
from reviews.models import Opinion, PrecedentCheck
from reviews.scrutiny import HEIGHTENED_OPINIONS, RED_LINE_OUTCOMES, crossed_red_lines, scrutiny_reasons
from reviews.services.headnotes import headnote_from_holding


def _citations(citations: list[dict], *, by: User, errors: dict) -> list[Citation]:
    """Unsaved citations from {"decision": id, "provision": code, "treatment", "reason"} and
    optionally "headnote" (the cited decision's hn number: the one point of law treated; the
    provision is then the headnote's); a decision the issuer may not see cannot be cited
    (it does not exist for them)."""
    citable = Decision.objects.visible_to(by)
    cites, seen = [], set()
    for n, item in enumerate(citations):
        cited = citable.filter(pk=getattr(item.get("decision"), "pk", item.get("decision"))).first()
        problems = []
        headnote = None
        if item.get("headnote") and cited is not None:
            headnote = cited.headnotes.select_related("provision").filter(number=item["headnote"]).first()
            if headnote is None:
                problems.append(f"{cited.case.docket} has no headnote {item['headnote']}.")
        provision = Provision.objects.filter(code=item.get("provision") or getattr(headnote, "provision", "")).first()
        if cited is None:
            problems.append(f"There is no decision #{item.get('decision')} you may cite.")
        if provision is None:
            problems.append(f"{item.get('provision')!r} is not a provision of the framework.")
        elif headnote is not None and headnote.provision_id != provision.pk:
            problems.append(
                f"hn {headnote.number} of {cited.case.docket} concerns {headnote.provision.code}, not {provision.code}."
            )
        if item.get("treatment") not in Treatment.values:
            problems.append(f"{item.get('treatment')!r} is not a treatment.")
        reason = str(item.get("reason", "")).strip()
        if not reason or len(reason) > 500:
            problems.append("Say in a sentence (at most 500 characters) why.")
        key = (getattr(cited, "pk", None), getattr(provision, "pk", None), getattr(headnote, "pk", None))
        if not problems and key in seen:
            problems.append("That decision is already cited on that provision (or that headnote).")
        seen.add(key)
        if problems:
            errors[f"citations.{n}"] = problems
        else:
            cites.append(
                Citation(
                    cited=cited,
                    provision=provision,
                    treatment=item["treatment"],
                    reason=reason,
                    headnote=headnote,
                )
            )
    return cites


def _review_by(outcome: str, wanted: date | None, *, issued: date, errors: dict) -> date | None:
    """An engagement that goes ahead comes back for continuing review: on the date the
    decision sets, twelve months on by default. One that ends does not."""
    if outcome not in CONTINUING_OUTCOMES:
        return None
    if wanted is None:
        return (
            issued.replace(year=issued.year + 1)
            if (issued.month, issued.day) != (2, 29)
            else date(issued.year + 1, 2, 28)
        )
    if wanted <= issued:
        errors["review_by"] = ["The continuing review must fall after the decision."]
    return wanted


def _answers(check: Check, answers: dict, *, errors: dict) -> dict[str, str]:
    """What the decision-maker said of the contrary precedents shown: each departure (a
    contrary precedent close on point that the draft does not cite) needs a sentence on why
    it does not apply, unless the decision cites it."""
    kept = {}
    for authority in check.contrary:
        pk = authority.decision.pk
        text = str(answers.get(pk) or answers.get(str(pk)) or "").strip()
        if len(text) > 500:
            errors[f"answers.{pk}"] = ["Say it in a sentence (at most 500 characters)."]
        elif text:
            kept[str(pk)] = text
        elif authority.departs:
            errors[f"answers.{pk}"] = [
                f"{authority.decision.case.docket} reached the other kind of outcome "
                f"({authority.decision.get_outcome_display().lower()}) on {', '.join(authority.shared_labels)}. "
                "Cite it with a treatment, or say in a sentence why it does not apply."
            ]
    return kept


def decision_check_precedent(
    *, case: Case, by: User, outcome: str = "", citations: list[dict] = (), headnotes: list[dict] = ()
) -> Check:
    """Check a draft decision on `case` against precedent, as its decision-maker may see it;
    nothing is written. The draft's citations name decisions by id ({"decision", "treatment"}),
    its headnotes their provision code and stance."""
    if not by.has_role(Role.DECISION_MAKER):
        raise PermissionDenied("Only a decision-maker checks a draft decision.")
    if not case.can("decide"):
        case.decide()  # refuses, saying why
    draft = Draft(outcome=outcome or "", citations=list(citations), headnotes=list(headnotes))
    return precedent_check(case, draft, seen_by=by)


def _check_record(check: Check, answers: dict[str, str]) -> dict:
    """The audit entry's account of the check: how much was shown and what was answered,
    naming only decisions the whole board may see (the entry is read by anyone who may see
    this case); the PrecedentCheck kept with the decision names them all."""
    named = {
        str(a.decision.pk): a.decision.case.docket if not a.decision.case.restricted else "a restricted decision"
        for a in check.contrary
    }
    return {
        "on_point": check.on_point,
        "uncited": len(check.uncited),
        "contrary": len(check.contrary),
        "warnings": len(check.warnings),
        "departures": len(check.departures),
        "answers": {named[pk]: text for pk, text in answers.items()},
        "shown": versions.version_of(check.snapshot()),
    }


def decision_snapshot(decision: Decision) -> dict:
    return {
        "outcome": decision.outcome,
        "holding": decision.holding,
        "revision": decision.revision.number,
        "review_by": decision.review_by,
        "supersedes": decision.supersedes_id,
        "conditions": [{"text": c.text, "owner": c.owner, "due_date": c.due_date} for c in decision.conditions.all()],
        "citations": [
            {"decision": c.cited_id, "provision": c.provision.code, "treatment": c.treatment}
            for c in decision.citations.select_related("provision")
        ],
    }


@transaction.atomic
def decision_issue(
    *,
    case: Case,
    by: User,
    outcome: str,
    holding: str,
    rationale: str,
    public_digest: str = "",
    conditions: list[dict] = (),
    citations: list[dict] = (),
    review_by: date | None = None,
    answers: dict | None = None,
    at: datetime | None = None,
) -> Decision:
    """Issue the board's decision on a case in review, under the revision in force. Only its
    assigned, unrecused decision-maker may, never its filer; heightened scrutiny and the
    red-line gate apply. A reopened case is reconsidered: the new decision supersedes the
    last, which stays readable. The reviewers' open opinions become this decision's.

    The draft is checked against precedent first (precedent.check): a contrary precedent
    close on point that it does not cite needs `answers[its decision id]`, a sentence on why
    it does not apply. What the check showed and what was answered is kept with the decision."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not by.has_role(Role.DECISION_MAKER):
        raise PermissionDenied("Only a decision-maker issues decisions.")
    if case.is_filer(by):
        raise PermissionDenied("The filer of a case cannot decide it.")
    case.decide()
    if case.accountable_decision_maker() != by:
        raise PermissionDenied(f"Only the accountable decision-maker assigned to {case.docket} issues its decision.")
    reviewers = case.assignments.active().filter(duty=Duty.REVIEWER).values("person")
    opinions = Opinion.objects.filter(case=case, decision__isnull=True, author__in=reviewers)
    scrutiny = scrutiny_reasons(case)
    # The filer is never assigned to review their own case, but an assignment made before
    # that rule may still carry their opinion: it is kept, and counts for nothing.
    counted = opinions.exclude(author=case.filed_by_id).count()
    if scrutiny and counted < HEIGHTENED_OPINIONS:
        raise Conflict(
            f"Heightened scrutiny applies to {case.docket} ({'; '.join(scrutiny)}): it needs opinions from at "
            f"least {HEIGHTENED_OPINIONS} reviewers other than its filer before a decision, and has {counted}."
        )
    crossed = crossed_red_lines(case)
    escalation = case.escalations.first() if crossed and outcome not in RED_LINE_OUTCOMES else None
    if crossed and outcome not in RED_LINE_OUTCOMES and escalation is None:
        raise ValidationError(
            {
                "outcome": f"{case.docket} crosses {', '.join(crossed)}: it can only be declined or terminated, "
                "unless an admin records an escalation."
            }
        )
    revision = Revision.objects.in_force(at=at)
    if revision is None:
        raise Conflict("No revision of the framework is in force to decide under.")
    previous = case.decisions.in_force().first()
    errors = {}
    decision = Decision(
        case=case,
        outcome=outcome,
        holding=holding.strip(),
        rationale=rationale.strip(),
        public_digest=public_digest.strip(),
        decided_by=by,
        revision=revision,
        issued_at=at or timezone.now(),
        supersedes=previous,
        review_by=_review_by(outcome, review_by, issued=(at or timezone.now()).date(), errors=errors),
        scrutiny="; ".join(scrutiny),
        escalation=escalation,
    )
    decision.full_clean(exclude=["supersedes", "escalation"])
    rows = [Condition(decision=decision, **condition) for condition in conditions]
    for n, row in enumerate(rows):
        try:
            row.full_clean(exclude=["decision"])
        except ValidationError as exc:
            errors[f"conditions.{n}"] = [
                f"{field}: {' '.join(messages)}" for field, messages in exc.message_dict.items()
            ]
    if outcome == Outcome.APPROVED_WITH_CONDITIONS and not rows:
        errors["conditions"] = ["An approval with conditions needs at least one condition."]
    cites = _citations(citations, by=by, errors=errors)
    draft = Draft(outcome=outcome, citations=[{"decision": c.cited_id, "treatment": c.treatment} for c in cites])
    check = precedent_check(case, draft, seen_by=by, at=decision.issued_at)
    answered = _answers(check, answers or {}, errors=errors)
    if errors:
        raise ValidationError(errors)
    decision.save()
    for row in rows:
        row.decision = decision
    Condition.objects.bulk_create(rows)
    for cite in cites:
        cite.citing = decision
    Citation.objects.bulk_create(cites)
    headnote_from_holding(decision)
    PrecedentCheck.objects.create(
        decision=decision, shown=check.snapshot(), answers=answered, checked_at=decision.issued_at
    )
    opinions.update(decision=decision)
    case.save(update_fields=["status", "updated_at"])
    audit.record("decision.issued", actor=by, obj=case, after=decision_snapshot(decision))
    audit.record("decision.precedent_checked", actor=by, obj=case, after=_check_record(check, answered))
    case_changed.send(sender=Case, case=case)
    # How this decision treats the ones it cites changes their flags, and the flags of the
    # decisions relying on them; so does superseding the last.
    cited = Decision.objects.filter(pk__in=[cite.cited_id for cite in cites])
    search.refresh_precedent([*cited, *Decision.objects.filter(citations__cited__in=cited).distinct()])
    enqueue(alert_saved_searches, decision.pk)
    notify(
        recipients=[
            person
            for person in [case.filed_by, *case.access_list.all(), *(a.person for a in case.assignments.active())]
            if person != by
        ],
        kind=NotificationKind.DECISION_ISSUED,
        message=f"{case.docket}: {decision.get_outcome_display().lower()}. {decision.holding[:300]}",
        key=f"decision-issued:{decision.pk}",
        case=case,
    )
    return decision


def condition_snapshot(condition: Condition) -> dict:
    return {"status": condition.status, "evidence": condition.evidence}


@transaction.atomic
def condition_update(
    *, condition: Condition, by: User, status: str, evidence: str, version: str | None = None
) -> Condition:
    """Record progress on a condition (Condition.check_trackable_by says who may). Meeting or
    waiving it needs its evidence or reason. With `version`, only if the condition is still
    as the editor read it."""
    condition = Condition.objects.select_for_update().select_related("decision__case").get(pk=condition.pk)
    condition.check_trackable_by(by)
    before = condition_snapshot(condition)
    versions.check(before, version)
    condition.status, condition.evidence = status, evidence.strip()
    condition.full_clean()
    if condition.status != ConditionStatus.OPEN and not condition.evidence:
        raise ValidationError({"evidence": "Say how the condition was met, or why it was waived."})
    condition.save(update_fields=["status", "evidence"])
    audit.record_changes(
        "condition.updated",
        actor=by,
        obj=condition,
        before=before,
        after=condition_snapshot(condition),
    )
    return condition
