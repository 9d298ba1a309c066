"""A case's discussion."""

import re
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from audit import log as audit
from casebook.models import Case, User
from core.roles import PARTICIPANTS
from notifications.choices import NotificationKind
from notifications.services import notify
from reviews.models import Comment

# An @ that starts a word (not the middle of an e-mail address), then a username; a
# full stop or comma after it ends the sentence, not the name.
MENTION = re.compile(r"(?<![\w.@])@([\w.+-]*[\w+-])")


@transaction.atomic
def comment_add(*, case: Case, by: User, body: str, at: datetime | None = None) -> Comment:
    """Comment on a case; each @username mentioned is told. A mention must name someone who
    may read the case and take part in it, or the comment is refused: telling anyone else
    would reveal a restricted case, or call in someone recused."""
    if not by.has_role(*PARTICIPANTS):
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
