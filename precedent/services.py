"""What precedent search keeps besides its index: reviewers' marks on suggestions, the
weights of similar decisions refitted on the casebook's judgements, saved searches and
their alerts, and the queue of decisions a new revision puts in question."""

from dataclasses import asdict

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Prefetch
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils import timezone

from audit import log as audit
from casebook.choices import NEUTRAL_STANCES
from casebook.models import Case, Decision, Tag, User
from casebook.services import cases_record_shown
from casebook.visibility import need_to_know, sees_everything
from core.errors import Conflict
from core.roles import PARTICIPANTS, Role
from notifications.choices import NotificationKind
from notifications.services import notify
from precedent import search
from precedent.choices import AlertFrequency
from precedent.digest import Period, digest
from precedent.filtersets import SearchFilterSet
from precedent.models import (
    DigestSent,
    DigestSubscription,
    FittedWeights,
    ImpactItem,
    SavedSearch,
    SearchEntry,
    SimilarityFeedback,
)
from principles.models import Revision


@transaction.atomic
def similarity_mark(*, case: Case, similar_case_id: int | None, by: User, reason: str = "") -> SimilarityFeedback:
    """Mark a suggested precedent (a decided case `by` may see) as not similar to a case;
    marking it again restates why."""
    if not by.has_role(*PARTICIPANTS):
        raise PermissionDenied("Only those who take part in reviews mark suggestions.")
    similar_case = (
        Case.objects.visible_to(by).filter(pk=similar_case_id, decisions__isnull=False).exclude(pk=case.pk).first()
        if similar_case_id
        else None
    )
    if similar_case is None:
        raise ValidationError({"similar_case": "There is no decided case like that for you to mark."})
    mark, created = SimilarityFeedback.objects.update_or_create(
        case=case,
        similar_case=similar_case,
        by=by,
        defaults={"reason": reason.strip()[:500], "created_at": timezone.now()},
    )
    audit.record(
        "similarity.marked",
        actor=by,
        obj=mark,
        after={"case": case.docket, "not_similar_to": similar_case.docket, "reason": mark.reason},
    )
    return mark


def audited_marks(user):
    """The marks whose audit entries `user` may read (None: all): a mark names two cases."""
    if sees_everything(user):
        return None
    return SimilarityFeedback.objects.filter(need_to_know(user, via="case"), need_to_know(user, via="similar_case"))


def similarity_refit() -> list[search.Refit]:
    """Refit how similar decisions weighs its signals on the casebook's own judgements (the
    precedents its decisions cited, the suggestions marked "not similar"), for tagged cases
    and for drafts not tagged yet. Weights that rank held-out judgements better are kept,
    and the change is on record; otherwise the weights in use stay."""
    refits = []
    for tagged in (True, False):
        refit = search.refit_weights(tagged=tagged)
        if refit.weights is not None:
            with transaction.atomic():
                kept = FittedWeights.objects.create(
                    tagged=tagged,
                    semantic=refit.semantic,
                    weights=asdict(refit.weights),
                    judged=refit.judged,
                    before=refit.before,
                    after=refit.after,
                    fitted_at=timezone.now(),
                )
                audit.record(
                    "similarity.refitted",
                    actor=None,
                    obj=kept,
                    before={"weights": asdict(refit.current), "agreement": round(refit.before, 4)},
                    after={
                        "weights": asdict(refit.weights),
                        "agreement": round(refit.after, 4),
                        "judged": refit.judged,
                    },
                )
        refits.append(refit)
    return refits


SAVED_QUERY_LIMIT = 2000


def _saved_query(query: str) -> QueryDict:
    """A search's query string as the search page reads it, without its page number (or a
    download's format)."""
    params = QueryDict(query, mutable=True)
    for name in ("page", "format"):
        params.pop(name, None)
    return params


@transaction.atomic
def saved_search_save(
    *, owner: User, name: str, query: str, frequency: str = AlertFrequency.IMMEDIATELY
) -> SavedSearch:
    """Keep a search under a name, to be told of new decisions that match it as often as
    asked (saving it again under the same name replaces it)."""
    name, params = name.strip(), _saved_query(query)
    errors = {}
    if not name:
        errors["name"] = ["Give the search a name."]
    if frequency not in AlertFrequency.values:
        errors["frequency"] = [f"Choose how often: {', '.join(AlertFrequency.values)}; not {frequency!r}."]
    filterset = SearchFilterSet(params, queryset=SearchEntry.objects.none())
    if not any(value for value in params.values()):
        errors["query"] = ["There is nothing to save: search for some words or choose a filter first."]
    elif not filterset.is_valid():
        errors["query"] = [f"{field}: {' '.join(messages)}" for field, messages in filterset.errors.items()]
    encoded = params.urlencode()
    if len(encoded) > SAVED_QUERY_LIMIT:
        errors["query"] = ["That search is too long to save."]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    saved, _ = SavedSearch.objects.update_or_create(
        owner=owner,
        name=name[:200],
        defaults={"query": encoded, "frequency": frequency, "told_until": now, "created_at": now},
    )
    audit.record(
        "saved_search.saved",
        actor=owner,
        obj=saved,
        after={"name": saved.name, "query": encoded, "frequency": frequency},
    )
    return saved


@transaction.atomic
def saved_search_delete(*, saved: SavedSearch, by: User) -> None:
    """A saved search is its owner's alone to delete (to anyone else it does not exist)."""
    if saved.owner_id != by.pk:
        raise PermissionDenied("Only its owner deletes a saved search.")
    audit.record("saved_search.deleted", actor=by, obj=saved, before={"name": saved.name, "query": saved.query})
    saved.delete()


def saved_searches_alert(*, decision: Decision) -> int:
    """Tell the owner of each saved search that a newly issued decision matches it. The
    search runs as its owner, so nobody hears of a decision they may not see; telling
    someone twice about one decision adds nothing. Returns how many were told."""
    told = 0
    entry_ids = list(SearchEntry.objects.filter(decision=decision).values_list("pk", flat=True))
    immediate = SavedSearch.objects.filter(owner__is_active=True, frequency=AlertFrequency.IMMEDIATELY)
    for saved in immediate.select_related("owner"):
        found = _matching(saved, entry_ids, limit=1)
        if found is not None and found.count:
            told += len(
                notify(
                    recipients=[saved.owner],
                    kind=NotificationKind.SAVED_SEARCH,
                    message=f"“{saved.name}”: {decision.case.docket} was "
                    f"{decision.get_outcome_display().lower()}. {decision.holding[:300]}",
                    key=f"saved-search:{saved.pk}:{decision.pk}",
                    case=decision.case,
                    anchor=f"decision-{decision.pk}",
                )
            )
    return told


def saved_searches_round_up(*, frequency: str) -> int:
    """Tell the owner of each saved search kept for a daily or weekly round-up of the
    decisions issued since the last that match it, in one notification; then nothing
    until the next round-up. Returns how many were told."""
    now, told = timezone.now(), 0
    kept = SavedSearch.objects.filter(owner__is_active=True, frequency=frequency).select_related("owner")
    for saved in kept:
        since = saved.told_until or saved.created_at
        issued = SearchEntry.objects.filter(issued_at__gt=since, issued_at__lte=now)
        found = _matching(saved, list(issued.values_list("pk", flat=True)), limit=ROUND_UP_NAMED)
        with transaction.atomic():  # told, and so marked, together: a retry tells nobody twice
            if found is not None and found.count:
                dockets = ", ".join(result.case.docket for result in found.results)
                more = f" and {found.count - len(found.results)} more" if found.count > len(found.results) else ""
                told += len(
                    notify(
                        recipients=[saved.owner],
                        kind=NotificationKind.SAVED_SEARCH,
                        message=f"“{saved.name}”: {found.count} new decision{'s' if found.count != 1 else ''} "
                        f"since {timezone.localtime(since):%-d %B}: {dockets}{more}.",
                        key=f"saved-search:{saved.pk}:until:{now.isoformat()}",
                    )
                )
            SavedSearch.objects.filter(pk=saved.pk).update(told_until=now)
    return told


# A round-up names this many of the decisions it tells of; the search shows them all.
ROUND_UP_NAMED = 10


def _matching(saved: SavedSearch, entry_ids: list[int], *, limit: int):
    """The search `saved` keeps, run as its owner over these entries only; None when its
    filters no longer fit (a partner since renamed away: the search page says so)."""
    if not entry_ids:
        return None
    filterset = SearchFilterSet(_saved_query(saved.query), queryset=SearchEntry.objects.none())
    if not filterset.is_valid():
        return None
    data = filterset.form.cleaned_data
    text = data.get("q") or ""
    return search.search(user=saved.owner, text=text, filters=data, entries=entry_ids, per_page=limit, facets=False)


# The impact of a revision ---------------------------------------------------------------


def impact_queue_build(*, revision: Revision, changed: list[str]) -> list[ImpactItem]:
    """When `revision` is published with these provisions changed: the citator flags every
    decision made against them, and each such decision still in force is queued for legal
    to re-examine. Called in the publishing transaction (principles' revision_published)."""
    bearing = Tag.objects.filter(provision__code__in=changed).exclude(stance__in=NEUTRAL_STANCES)
    relied = Decision.objects.filter(case__tags__in=bearing).distinct()
    search.refresh_precedent(relied)
    items = []
    for decision in relied.in_force().prefetch_related(
        Prefetch("case__tags", queryset=bearing.select_related("provision"))
    ):
        codes = sorted({tag.provision.code for tag in decision.case.tags.all()})
        items.append(ImpactItem(revision=revision, decision=decision, provisions=", ".join(codes)))
    return ImpactItem.objects.bulk_create(items)


@transaction.atomic
def impact_item_review(*, item: ImpactItem, by: User, note: str) -> ImpactItem:
    """Legal marks a queued decision re-examined, saying what they found."""
    if not by.has_role(Role.LEGAL):
        raise PermissionDenied("Legal re-examines the decisions a revision affects.")
    item = ImpactItem.objects.select_for_update().get(pk=item.pk)
    if item.reviewed_at is not None:
        raise Conflict(f"{item.decision.case.docket} was already re-examined for {item.revision}.")
    if not note.strip():
        raise ValidationError({"note": "Say what the re-examination found."})
    item.reviewed_by, item.reviewed_at, item.note = by, timezone.now(), note.strip()
    item.save(update_fields=["reviewed_by", "reviewed_at", "note"])
    search.refresh_precedent([item.decision])  # re-examined against the new wording: no longer flagged for it
    audit.record(
        "impact.reviewed",
        actor=by,
        obj=item.decision.case,
        after={"revision": item.revision.number, "provisions": item.provisions, "note": item.note},
    )
    return item


@transaction.atomic
def digest_subscribe(*, by: User) -> DigestSubscription:
    """Receive the monthly precedent digest by e-mail: anyone with a role may."""
    if not by.roles:
        raise PermissionDenied("Only people with a role in the board's work receive its digest.")
    subscription, created = DigestSubscription.objects.get_or_create(user=by, defaults={"created_at": timezone.now()})
    if created:
        audit.record("digest.subscribed", actor=by, obj=by)
    return subscription


@transaction.atomic
def digest_unsubscribe(*, by: User) -> None:
    deleted, _ = DigestSubscription.objects.filter(user=by).delete()
    if deleted:
        audit.record("digest.unsubscribed", actor=by, obj=by)


def digest_recipients(*, period: Period) -> list[int]:
    """The subscribers still owed the digest of `period`: active, with a role and an address."""
    sent = DigestSent.objects.filter(month=period.slug).values("user")
    return [
        user.pk
        for user in User.objects.filter(digest_subscription__isnull=False, is_active=True)
        .exclude(email="")
        .exclude(pk__in=sent)
        .order_by("pk")
        if user.roles
    ]


def digest_email(*, user: User, period: Period) -> bool:
    """E-mail `user` the digest of `period` as they may see it, at most once: the claim on
    the send commits only with the send, so a mail server that fails leaves it unclaimed for
    the retry (SMTP and network errors are retried with backoff), and a second task waits
    on the claim and then finds it taken."""
    with transaction.atomic():
        _, claimed = DigestSent.objects.get_or_create(
            user=user, month=period.slug, defaults={"sent_at": timezone.now()}
        )
        if not claimed:
            return False
        found = digest(seen_by=user, start=period.start, end=period.end)
        context = {"digest": found, "user": user, "site_url": settings.SITE_URL}
        body = render_to_string("precedent/digest_email.txt", context)
        send_mail(f"Casebook: the precedent digest for {period.label}", body, None, [user.email])
        cases_record_shown(case_ids=[d.case_id for d in found.decisions], by=user, via="the precedent digest by e-mail")
    return True
