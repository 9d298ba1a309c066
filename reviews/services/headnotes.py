"""A decision's headnotes: its points of law, each keyed to a provision and numbered, which
later decisions cite one by one (casebook.models.Headnote)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from audit import log as audit
from casebook.choices import STANCES_BY_KIND, Stance
from casebook.models import Case, Decision, Headnote, Tag, User
from casebook.signals import case_changed
from core import versions
from core.roles import Role
from principles.models import Provision

MAX_HEADNOTES = 20
# The stance a decision's holding most likely concerns, most serious first: its first
# headnote is keyed to the provision the case took that stance on.
SERIOUSNESS = [
    Stance.CROSSED,
    Stance.IMPLICATED_MITIGATED,
    Stance.IN_TENSION,
    Stance.CONCERN,
    Stance.ADVANCES,
    Stance.RELEVANT,
]


def headnotes_snapshot(decision: Decision) -> dict:
    """A decision's headnotes as plain values, for their version (core.versions) and the log."""
    headnotes = decision.headnotes.select_related("provision").order_by("number")
    return {
        "headnotes": [
            {"number": h.number, "provision": h.provision.code, "stance": h.stance, "text": h.text} for h in headnotes
        ]
    }


def headnote_from_holding(decision: Decision) -> Headnote | None:
    """The first headnote of a decision just issued: its holding, keyed to the provision the
    case's most serious tag concerns (none if it has no tag that takes a position)."""
    tags: dict[str, Tag] = {}
    for tag in decision.case.tags.select_related("provision").order_by("provision__position"):
        tags.setdefault(tag.stance, tag)  # the first provision, in the framework's order, of each stance
    tag = next((tags[stance] for stance in SERIOUSNESS if stance in tags), None)
    if tag is None:
        return None
    return Headnote.objects.create(
        decision=decision,
        number=1,
        provision=tag.provision,
        stance=tag.stance,
        text=decision.holding,
        written_at=decision.issued_at,
    )


def may_write_headnotes(decision: Decision, user: User) -> bool:
    """Legal, and the decision-maker who issued it unless they have since recused, on a
    decision still in force (a superseded one's points of law are its successor's to state)."""
    if Decision.objects.filter(supersedes=decision).exists():
        return False
    if user.has_role(Role.LEGAL):
        return True
    recused = decision.case.assignments.filter(person=user, recused_at__isnull=False).exists()
    return decision.decided_by_id == user.pk and not recused


def check_may_write_headnotes(decision: Decision, user: User) -> None:
    if not may_write_headnotes(decision, user):
        raise PermissionDenied(
            "Only legal and the decision-maker who issued it write the headnotes of a decision in force."
        )


@transaction.atomic
def headnotes_set(*, decision: Decision, by: User, headnotes: list[dict], version: str | None = None) -> list[Headnote]:
    """Replace a decision's headnotes with `headnotes` ({"provision": code, "stance", "text"}),
    numbered in their order. A headnote a later citation relies on keeps its number: it may
    be reworded, not removed. With `version`, only if they are still as the editor read them."""
    decision = Decision.objects.select_for_update().select_related("case").get(pk=decision.pk)
    check_may_write_headnotes(decision, by)
    before = headnotes_snapshot(decision)
    versions.check(before, version)
    errors: dict = {}
    if len(headnotes) > MAX_HEADNOTES:
        errors.setdefault("headnotes", []).append(f"A decision has at most {MAX_HEADNOTES} headnotes: one point each.")
    provisions = {
        p.code: p for p in Provision.objects.filter(code__in=[str(h.get("provision", "")) for h in headnotes])
    }
    for n, item in enumerate(headnotes):
        problems = []
        provision = provisions.get(str(item.get("provision", "")))
        if provision is None:
            problems.append(f"{item.get('provision')!r} is not a provision of the revision it was decided under.")
        stance = item.get("stance") or ""
        if provision is not None and stance and stance not in STANCES_BY_KIND[provision.kind]:
            named = Stance(stance).label if stance in Stance.values else repr(stance)
            problems.append(f"{named} is not a stance on {provision.code}.")
        text = str(item.get("text", "")).strip()
        if not text:
            problems.append("State the point of law in a sentence or two.")
        elif len(text) > 1000:
            problems.append("Keep a headnote to 1,000 characters: one point of law.")
        if problems:
            errors[f"headnotes.{n}"] = [f"hn {n + 1}: {problem}" for problem in problems]
    # A headnote a later citation relies on keeps its number and its provision: a citation
    # never comes to point at another point of law. (Whoever cites it need not be visible
    # to the editor: the refusal names no one.)
    relied_on = dict(
        decision.headnotes.filter(citations__isnull=False).values_list("number", "provision__code").distinct()
    )
    for number, code in sorted(relied_on.items()):
        if number > len(headnotes):
            errors.setdefault("headnotes", []).append(
                f"hn {number} is relied on by a later citation: reword it, but keep it."
            )
        elif str(headnotes[number - 1].get("provision", "")) != code:
            errors.setdefault("headnotes", []).append(
                f"hn {number} is relied on by a later citation on {code}: keep it at number {number}, on {code}."
            )
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    existing = {h.number: h for h in decision.headnotes.all()}
    kept = []
    for number, item in enumerate(headnotes, start=1):
        headnote = existing.pop(number, None) or Headnote(decision=decision, number=number)
        headnote.provision = provisions[str(item["provision"])]
        headnote.stance = item.get("stance") or ""
        headnote.text = str(item["text"]).strip()
        headnote.written_by, headnote.written_at = by, now
        headnote.save()
        kept.append(headnote)
    Headnote.objects.filter(pk__in=[h.pk for h in existing.values()]).delete()
    after = headnotes_snapshot(decision)
    audit.record_changes("decision.headnotes_set", actor=by, obj=decision.case, before=before, after=after)
    case_changed.send(sender=Case, case=decision.case)  # headnotes are searched as holdings are
    return kept
