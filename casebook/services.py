"""Accounts, roles and cases: the workflows every entry point (pages, API, admin, commands,
demo data) shares."""

from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from audit import log as audit
from casebook.choices import (
    STANCES_BY_KIND,
    Stance,
)
from casebook.models import Case, CaseData, Partner, Tag, TagVerdict, User
from casebook.signals import case_changed
from core import versions
from core.roles import Role
from principles.models import Provision, Revision


@transaction.atomic
def user_set_roles(*, user: User, roles: Iterable[Role], by: User | None) -> None:
    wanted = sorted({Role(r) for r in roles})
    before = sorted(user.groups.filter(name__in=Role.values).values_list("name", flat=True))
    after = [r.value for r in wanted]
    if before == after:
        return
    # Only the role groups change; any other group the user is in stays.
    user.groups.remove(*Group.objects.filter(name__in=Role.values).exclude(name__in=after))
    user.groups.add(*Group.objects.filter(name__in=after))
    # Admins manage users through the admin site, which needs is_staff.
    is_staff = Role.ADMIN in wanted
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])
    user.__dict__.pop("roles", None)
    audit.record("user.roles_changed", actor=by, obj=user, before={"roles": before}, after={"roles": after})


ACCOUNT_FIELDS = ["username", "first_name", "last_name", "email", "is_active"]


def user_record_saved(*, user: User, by: User | None, before: dict | None) -> None:
    """Audit a new account (no `before`) or the changed fields of an existing one. Callers
    that save a user themselves (the admin site) call this in the same transaction."""
    after = {field: getattr(user, field) for field in ACCOUNT_FIELDS}
    if before is None:
        audit.record("user.created", actor=by, obj=user, after=after)
        return
    audit.record_changes("user.changed", actor=by, obj=user, before=before, after=after)


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    roles: Iterable[Role],
    by: User | None,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    check_password: bool = True,
) -> User:
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": f"A user named {username!r} already exists."})
    user = User(username=username, email=email, first_name=first_name, last_name=last_name)
    user.full_clean(exclude=["password"])
    if check_password:
        validate_password(password, user)
    user.set_password(password)
    user.save()
    user_record_saved(user=user, by=by, before=None)
    user_set_roles(user=user, roles=roles, by=by)
    return user


# Cases ------------------------------------------------------------------------------

CASE_FIELDS = [
    "title",
    "partner",
    "mission_area",
    "proposed_use",
    "architecture",
    "human_judgment",
    "force_proximity",
    "restricted",
]


def case_snapshot(case: Case) -> dict:
    """A case's facts as plain values, for the audit trail."""
    return {
        **{field: getattr(case, field) for field in CASE_FIELDS if field != "partner"},
        "partner": case.partner.name,
        "data_involved": sorted(case.data.values_list("category", flat=True)),
        "safeguards": sorted(case.safeguards.values_list("code", flat=True)),
        "access_list": sorted(case.access_list.values_list("username", flat=True)),
    }


def _check_safeguards(safeguards) -> None:
    current = Revision.objects.in_force()
    in_force = set(current.texts.values_list("provision_id", flat=True)) if current else set()
    wrong = [p.code for p in safeguards if p.kind != "safeguard" or p.pk not in in_force]
    if wrong:
        raise ValidationError({"safeguards": f"Not a safeguard of the framework in force: {', '.join(wrong)}."})


def _set_case_facts(case: Case, facts: dict) -> None:
    """Apply facts (scalar fields and the lists) to a case and save it; validates first."""
    for field in CASE_FIELDS:
        if field in facts:
            setattr(case, field, facts[field])
    case.full_clean(exclude=["filed_by", "docket"])
    if "safeguards" in facts:
        _check_safeguards(facts["safeguards"])
    case.save()
    if "safeguards" in facts:
        case.safeguards.set(facts["safeguards"])
    if "access_list" in facts:
        case.access_list.set(facts["access_list"])
    if "data_involved" in facts:
        wanted = set(facts["data_involved"])
        case.data.exclude(category__in=wanted).delete()
        CaseData.objects.bulk_create(
            [CaseData(case=case, category=c) for c in sorted(wanted - set(case.data_categories))]
        )


def case_record_read(*, case: Case, by: User) -> None:
    """Oversight may read every restricted case; each read by someone not cleared for it
    is itself on the record."""
    if case.restricted and by.has_role(Role.OVERSIGHT) and not case.is_cleared(by):
        audit.record("case.restricted_read", actor=by, obj=case)


def cases_record_shown(*, case_ids: Iterable[int], by: User, via: str) -> None:
    """What a list shows of restricted cases (a page of cases, search results, a graph, a
    partner's cases, a condition) is a read of them too: each one oversight is not cleared
    for goes on the record, naming where it was shown."""
    if not by.is_authenticated or not by.has_role(Role.OVERSIGHT):
        return
    shown = Case.objects.filter(pk__in=set(case_ids), restricted=True)
    cleared = shown.filter(Q(filed_by=by) | Q(access_list=by)).values("pk")  # Case.is_cleared, for the lot
    for case in shown.exclude(pk__in=cleared).only("pk", "docket", "title").order_by("pk"):
        audit.record("case.restricted_read", actor=by, obj=case, after={"via": via})


@transaction.atomic
def case_file(*, by: User, facts: dict) -> Case:
    """Open a draft case in the filer's name."""
    case = Case(filed_by=by)
    _set_case_facts(case, facts)
    audit.record("case.filed", actor=by, obj=case, after=case_snapshot(case))
    case_changed.send(sender=Case, case=case)
    return case


@transaction.atomic
def case_update(*, case: Case, by: User, facts: dict, version: str | None = None) -> Case:
    """Change a case's facts. With `version` (core.versions), only if the case is still as
    the editor read it."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    case.check_editable_by(by)
    before = case_snapshot(case)
    versions.check(before, version)
    _set_case_facts(case, facts)
    audit.record_changes("case.updated", actor=by, obj=case, before=before, after=case_snapshot(case))
    case_changed.send(sender=Case, case=case)
    return case


# Partners ---------------------------------------------------------------------------

PARTNER_FIELDS = ["name", "kind", "country", "eligibility_notes"]


def partner_snapshot(partner: Partner) -> dict:
    return {field: getattr(partner, field) for field in PARTNER_FIELDS}


@transaction.atomic
def partner_save(*, partner: Partner, facts: dict, by: User, version: str | None = None) -> Partner:
    """Create (an unsaved `partner`) or change a partner; a change with `version` only if the
    partner is still as the editor read it."""
    before = partner_snapshot(Partner.objects.select_for_update().get(pk=partner.pk)) if partner.pk else None
    if before is not None:
        versions.check(before, version)
    for field in PARTNER_FIELDS:
        if field in facts:
            setattr(partner, field, facts[field])
    partner.full_clean()
    partner.save()
    after = partner_snapshot(partner)
    if before is None:
        audit.record("partner.created", actor=by, obj=partner, after=after)
    else:
        audit.record_changes("partner.updated", actor=by, obj=partner, before=before, after=after)
        for case in partner.cases.all():
            case_changed.send(sender=Case, case=case)
    return partner


# Tags -------------------------------------------------------------------------------


def tags_snapshot(case: Case) -> dict:
    """A case's tags as plain values: {code: {"stance", "note"}}."""
    return {t.provision.code: {"stance": t.stance, "note": t.note} for t in case.tags.select_related("provision")}


@transaction.atomic
def case_set_tags(
    *, case: Case, by: User, tags: list[dict], at: datetime | None = None, version: str | None = None
) -> list[Tag]:
    """Replace a case's tags. Each is {"code", "stance", "note"} for a provision of the
    revision in force, and pins that revision's wording. Errors are keyed by code. With
    `version`, only if the tags are still as the editor read them."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    case.check_editable_by(by, what="tags")
    before = tags_snapshot(case)
    versions.check(before, version)
    current = Revision.objects.in_force(at=at)
    texts = current.texts_by_code() if current else {}
    errors, seen = {}, set()
    for tag in tags:
        code, stance = tag.get("code", ""), tag.get("stance", "")
        text = texts.get(code)
        if text is None:
            errors[code or "code"] = [f"{code or 'A blank code'} is not a provision of the framework in force."]
        elif code in seen:
            errors[code] = [f"{code} is tagged twice."]
        elif stance not in STANCES_BY_KIND[text.provision.kind]:
            allowed = ", ".join(Stance(s).label.lower() for s in STANCES_BY_KIND[text.provision.kind])
            errors[code] = [f"A {text.provision.get_kind_display().lower()} is {allowed}; not {stance!r}."]
        elif len(tag.get("note", "")) > 5000:
            errors[code] = ["A note is at most 5,000 characters."]
        seen.add(code)
    if errors:
        raise ValidationError(errors)
    kept = {tag["code"] for tag in tags}
    case.tags.exclude(provision__code__in=kept).delete()
    saved = []
    for tag in tags:
        text = texts[tag["code"]]
        row, _ = Tag.objects.update_or_create(
            case=case,
            provision=text.provision,
            defaults={"provision_text": text, "stance": tag["stance"], "note": tag.get("note", ""), "tagged_by": by},
        )
        saved.append(row)
    after = {tag["code"]: {"stance": tag["stance"], "note": tag.get("note", "")} for tag in tags}
    if before != after:
        audit.record("case.tagged", actor=by, obj=case, before=before, after=after)
    case_changed.send(sender=Case, case=case)
    return saved


@transaction.atomic
def tag_suggestion_judge(*, case: Case, by: User, code: str, stance: str, accepted: bool) -> TagVerdict:
    """A reviewer's verdict on a suggested tag, in one click: accepted, the case is tagged so
    (its other tags, and a note already written on that provision, kept); rejected, only the
    verdict is kept. Whoever may tag the case may judge its suggestions."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    case.check_editable_by(by, what="tags")
    provision = Provision.objects.filter(code=code).first()
    if provision is None or stance not in STANCES_BY_KIND[provision.kind]:
        raise ValidationError({"stance": f"{code} {stance!r} is not a stance on a provision of the framework."})
    if accepted:
        tags = {code: {"code": code, **tag} for code, tag in tags_snapshot(case).items()}
        tags[code] = {"code": code, "stance": stance, "note": tags.get(code, {}).get("note", "")}
        case_set_tags(case=case, by=by, tags=list(tags.values()))
    verdict, _ = TagVerdict.objects.update_or_create(
        case=case,
        provision=provision,
        stance=stance,
        defaults={"accepted": accepted, "by": by, "at": timezone.now()},
    )
    audit.record(
        "case.tag_suggestion_accepted" if accepted else "case.tag_suggestion_rejected",
        actor=by,
        obj=case,
        after={"provision": code, "stance": stance},
    )
    return verdict
