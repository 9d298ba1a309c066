"""Drafting and publishing revisions of the framework. Pages, API and commands call these;
each checks its own rules, changes the records atomically and writes the audit trail."""

import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit import log as audit
from core import versions
from core.errors import Conflict
from core.locks import transaction_lock
from principles.choices import Change, RevisionState
from principles.diff import revision_diff
from principles.models import Provision, ProvisionText, Revision
from principles.signals import revision_published


def _text_snapshot(text: ProvisionText | None) -> dict | None:
    return None if text is None else {"code": text.provision.code, "title": text.title, "body": text.body}


def text_version(text: ProvisionText | None) -> str:
    """A provision's wording in a draft as an editor read it (core.versions); a code not yet
    in the draft has a version too, so that two admins adding it cannot both succeed."""
    return versions.version_of(_text_snapshot(text) or {})


def summary_snapshot(revision: Revision) -> dict:
    return {"change_summary": revision.change_summary}


def draft_snapshot(revision: Revision) -> dict:
    """All of a draft an admin publishing it has read: its summary and its wording."""
    texts = revision.texts.select_related("provision").order_by("provision__code")
    return {**summary_snapshot(revision), "texts": [_text_snapshot(text) for text in texts]}


def _locked_draft(revision: Revision) -> Revision:
    """Re-read the revision under a row lock and insist it is still a draft."""
    revision = Revision.objects.select_for_update().filter(pk=revision.pk).first()
    if revision is None:
        raise Conflict("That draft was discarded in the meantime.")
    if not revision.is_draft:
        raise Conflict(f"{revision} is {revision.get_state_display().lower()} and can no longer be changed.")
    return revision


@transaction.atomic
def revision_draft(*, by: AbstractBaseUser, change_summary: str = "") -> Revision:
    """Start the next revision as a copy of the one in force."""
    transaction_lock("principles.revisions")
    draft = Revision.objects.filter(state=RevisionState.DRAFT).first()
    if draft is not None:
        raise Conflict(f"{draft} is already being drafted: publish or discard it first.")
    current = Revision.objects.in_force()
    last_number = Revision.objects.order_by("-number").values_list("number", flat=True).first() or 0
    draft = Revision.objects.create(number=last_number + 1, change_summary=change_summary, created_by=by)
    if current is not None:
        ProvisionText.objects.bulk_create(
            ProvisionText(revision=draft, provision_id=t.provision_id, title=t.title, body=t.body)
            for t in current.texts.all()
        )
    audit.record(
        "revision.drafted",
        actor=by,
        obj=draft,
        after={"number": draft.number, "from": current.number if current else None, "change_summary": change_summary},
    )
    return draft


@transaction.atomic
def revision_update(
    *, revision: Revision, by: AbstractBaseUser, change_summary: str, version: str | None = None
) -> Revision:
    """Change a draft's summary; with `version`, only if it is still as the editor read it."""
    revision = _locked_draft(revision)
    before = summary_snapshot(revision)
    versions.check(before, version)
    if change_summary == revision.change_summary:
        return revision
    revision.change_summary = change_summary
    revision.save(update_fields=["change_summary"])
    audit.record("revision.updated", actor=by, obj=revision, before=before, after={"change_summary": change_summary})
    return revision


@transaction.atomic
def revision_set_text(
    *,
    revision: Revision,
    code: str,
    title: str,
    body: str,
    by: AbstractBaseUser,
    kind: str | None = None,
    source: str = "",
    adding: bool = False,
    version: str | None = None,
) -> ProvisionText:
    """Set a provision's wording in a draft. A code new to the framework adds a provision,
    which then needs its kind. With `adding`, a code already in the draft is refused; with
    `version` (text_version), only if the wording is still as the editor read it."""
    revision = _locked_draft(revision)
    title, body = title.strip(), body.strip()
    errors = {}
    if not title:
        errors["title"] = ["A provision needs a title."]
    if not body:
        errors["body"] = ["A provision needs its text."]
    provision = Provision.objects.filter(code=code).first()
    if provision is None and kind is None:
        errors["kind"] = ["A new provision needs its kind."]
    elif provision is None:
        provision = Provision(code=code, kind=kind, source=source)
        try:
            provision.full_clean()
        except ValidationError as exc:
            errors.update(exc.message_dict)
    elif kind is not None and kind != provision.kind:
        errors["kind"] = [f"{code} is a {provision.get_kind_display().lower()}; a provision keeps its kind."]
    text = None
    if provision is not None and provision.pk is not None:
        text = ProvisionText.objects.filter(revision=revision, provision=provision).select_related("provision").first()
        if text is not None and adding:
            errors["code"] = [f"{code} is already in {revision}; edit it there instead."]
    if errors:
        raise ValidationError(errors)
    versions.check(_text_snapshot(text) or {}, version)
    if provision.pk is None:
        provision.save()
    before = _text_snapshot(text)
    if text is None:
        text = ProvisionText(revision=revision, provision=provision)
    text.title, text.body = title, body
    text.full_clean()
    text.save()
    audit.record(
        "revision.text_set" if before else "revision.provision_added",
        actor=by,
        obj=revision,
        before=before,
        after={**_text_snapshot(text), **({"kind": provision.kind, "source": provision.source} if not before else {})},
    )
    return text


@transaction.atomic
def revision_retire_provision(*, revision: Revision, code: str, by: AbstractBaseUser) -> None:
    revision = _locked_draft(revision)
    text = ProvisionText.objects.filter(revision=revision, provision__code=code).select_related("provision").first()
    if text is None:
        raise ValidationError({"code": f"{code} is not part of {revision}."})
    before = _text_snapshot(text)
    text.delete()
    # A provision that never reached a published revision leaves no trace.
    provision = text.provision
    if not provision.texts.exists():
        provision.delete()
    audit.record("revision.provision_retired", actor=by, obj=revision, before=before)


@transaction.atomic
def revision_discard(*, revision: Revision, by: AbstractBaseUser) -> None:
    revision = _locked_draft(revision)
    snapshot = {"number": revision.number, "change_summary": revision.change_summary}
    new_provisions = list(
        Provision.objects.filter(texts__revision=revision).exclude(
            texts__revision__state__in=[RevisionState.PUBLISHED, RevisionState.SUPERSEDED]
        )
    )
    audit.record("revision.discarded", actor=by, obj=revision, before=snapshot)
    revision.delete()
    for provision in new_provisions:
        provision.delete()


@transaction.atomic
def revision_publish(
    *,
    revision: Revision,
    by: AbstractBaseUser,
    effective_date: datetime.date | None = None,
    version: str | None = None,
) -> Revision:
    """Put a draft in force: the current revision becomes superseded in the same
    transaction, so exactly one revision is ever in force. With `version`, only the draft
    as the admin read it (draft_snapshot), not one changed since."""
    revision = _locked_draft(revision)
    versions.check(draft_snapshot(revision), version)
    current = Revision.objects.select_for_update().filter(state=RevisionState.PUBLISHED).first()
    today = timezone.localdate()
    effective_date = effective_date or today
    errors = {}
    if not revision.change_summary.strip():
        errors["change_summary"] = "Say what this revision changes before publishing it."
    if not revision.texts.exists():
        errors["revision"] = f"{revision} has no provisions: there is nothing to publish."
    elif current is not None and not any(c.change != Change.UNCHANGED for c in revision_diff(current, revision)):
        errors["revision"] = f"{revision} makes no change to {current}: there is nothing to publish."
    # The revision in force is the one published last; publishing one that takes effect
    # later would make that untrue until then. Publish on the day it takes effect.
    if effective_date > today:
        errors["effective_date"] = "The effective date cannot be in the future: publish on the day it takes effect."
    elif current is not None and effective_date < current.effective_date:
        errors["effective_date"] = (
            f"The effective date cannot precede that of {current} ({current.effective_date:%Y-%m-%d})."
        )
    if errors:
        raise ValidationError(errors)
    if current is not None:
        current.state = RevisionState.SUPERSEDED
        current.save(update_fields=["state"])
    revision.state = RevisionState.PUBLISHED
    revision.effective_date = effective_date
    revision.published_by = by
    revision.published_at = timezone.now()
    revision.save(update_fields=["state", "effective_date", "published_by", "published_at"])
    audit.record(
        "revision.published",
        actor=by,
        obj=revision,
        before={"in_force": current.number if current else None},
        after={
            "in_force": revision.number,
            "effective_date": effective_date,
            "change_summary": revision.change_summary,
        },
    )
    if current is not None:
        # Decisions made against the provisions this revision rewords or retires now stand on
        # text since revised: the citator says so, and legal re-examines those still in force.
        changed = [c.code for c in revision_diff(current, revision) if c.change != Change.UNCHANGED]
        revision_published.send(sender=Revision, revision=revision, changed=changed)
    return revision
