from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.utils.cache import patch_vary_headers
from django.utils.text import get_text_list
from django.views.decorators.http import require_POST

from audit.denials import get_visible_or_404, record_denial
from core import versions
from core.errors import Conflict
from core.forms import add_service_errors, stale_form
from principles import services
from principles.choices import Change
from principles.diff import ProvisionChange, revision_diff
from principles.filtersets import RevisionFilterSet
from principles.forms import (
    AsOfForm,
    CompareForm,
    EditProvisionTextForm,
    NewProvisionForm,
    PublishForm,
    RevisionSummaryForm,
)
from principles.models import Provision, ProvisionText, Revision
from principles.reliance import with_reliance


def _visible_revision(request, number) -> Revision:
    return get_visible_or_404(request, Revision.objects.visible_to(request.user), number=number)


def _draft(request, number) -> Revision:
    """The draft to edit. A published revision answers 409 (see ConflictMiddleware)."""
    revision = _visible_revision(request, number)
    if not revision.is_draft:
        raise Conflict(f"{revision} is {revision.get_state_display().lower()} and can no longer be changed.")
    return revision


def current(request):
    """The framework as it stands today, or as it stood on the "as of" date."""
    form = AsOfForm(request.GET or None)
    as_of = form.cleaned_data["as_of"] if form.is_valid() else None
    revision = Revision.objects.in_force(at=as_of)
    return render(
        request,
        "principles/framework.html",
        {
            "revision": revision,
            "texts": revision.texts.select_related("provision") if revision else [],
            "as_of_form": form,
            "as_of": as_of,
        },
    )


def revision_list(request):
    revisions = Revision.objects.visible_to(request.user).select_related("published_by")
    filterset = RevisionFilterSet(request.GET or None, queryset=revisions)
    return render(request, "principles/revision_list.html", {"filterset": filterset, "revisions": filterset.qs})


def revision_detail(request, number):
    revision = _visible_revision(request, number)
    return render(
        request,
        "principles/revision_detail.html",
        {"revision": revision, "texts": revision.texts.select_related("provision")},
    )


def revision_diff_view(request, number):
    """One revision against another (by default the one before it), provision by provision.
    Choosing another revision swaps the diff in place with htmx."""
    revision = _visible_revision(request, number)
    others = Revision.objects.visible_to(request.user).exclude(pk=revision.pk)
    form = CompareForm(request.GET or None, revisions=others)
    if form.is_bound:
        if not form.is_valid():
            raise Http404("No such revision to compare with.")
        other = others.get(number=form.cleaned_data["from"])
    else:
        other = others.filter(number__lt=revision.number).order_by("-number").first()
        form = CompareForm(initial={"from": other.number if other else None}, revisions=others)
    changes = with_reliance(revision_diff(other, revision), request.user)
    context = {
        "revision": revision,
        "other": other,
        "form": form,
        "changes": changes,
        "changed_count": sum(1 for c in changes if c.change != Change.UNCHANGED),
    }
    # A history restore (back, forward, reload) needs the whole page, not the fragment.
    partial = request.htmx and not request.htmx.history_restore_request
    response = render(request, "principles/_diff.html" if partial else "principles/revision_diff.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def provision_detail(request, code):
    """One provision's wording across every revision the reader may see."""
    provision = get_object_or_404(Provision, code=code)
    revisions = Revision.objects.visible_to(request.user).order_by("number")
    texts = {t.revision_id: t for t in ProvisionText.objects.filter(provision=provision, revision__in=revisions)}
    history, previous = [], None
    for revision in revisions:
        text = texts.get(revision.pk)
        if text is None and previous is None:
            continue
        changed = previous is None or text is None or not text.same_wording(previous)
        history.append({"revision": revision, "text": text, "changed": changed})
        previous = text
    if not history:
        record_denial(request)  # it exists only in a draft
        raise Http404("No such provision.")
    return render(request, "principles/provision_detail.html", {"provision": provision, "history": history[::-1]})


def revision_draft(request):
    form = RevisionSummaryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        draft = services.revision_draft(by=request.user, change_summary=form.cleaned_data["change_summary"])
        messages.success(request, f"{draft} drafted from the revision in force.")
        return redirect("principles:revision-edit", number=draft.number)
    return render(request, "principles/revision_draft.html", {"form": form})


def revision_edit(request, number):
    revision = _draft(request, number)
    form = RevisionSummaryForm(request.POST or None, instance=revision)
    if request.method == "POST" and form.is_valid():
        try:
            services.revision_update(
                revision=revision,
                by=request.user,
                change_summary=form.cleaned_data["change_summary"],
                version=versions.seen_version(form),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except versions.Stale:
            fresh = Revision.objects.get(pk=revision.pk)
            form = stale_form(
                lambda data: RevisionSummaryForm(data, instance=Revision.objects.get(pk=revision.pk)),
                request.POST,
                seen=versions.seen(form),
                current=services.summary_snapshot(fresh),
                what="draft's summary",
            )
        else:
            messages.success(request, "Summary saved.")
            return redirect("principles:revision-edit", number=revision.number)
    current = Revision.objects.in_force()
    return render(
        request,
        "principles/revision_edit.html",
        {
            "revision": revision,
            "form": form,
            "texts": revision.texts.select_related("provision"),
            "changes": {c.code: c.change for c in revision_diff(current, revision)},
            "current": current,
        },
    )


def revision_text(request, number, code):
    revision = _draft(request, number)
    text = get_object_or_404(ProvisionText.objects.select_related("provision"), revision=revision, provision__code=code)
    form = EditProvisionTextForm(request.POST or None, snapshot={"code": code, "title": text.title, "body": text.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.revision_set_text(
                revision=revision,
                code=code,
                by=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                version=versions.seen_version(form),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except versions.Stale:
            text.refresh_from_db()
            current = {"code": code, "title": text.title, "body": text.body}
            form = stale_form(
                lambda data: EditProvisionTextForm(data, snapshot=current),
                request.POST,
                seen=versions.seen(form),
                current=current,
                what="provision",
            )
        else:
            messages.success(request, f"{code} saved in {revision}.")
            return redirect("principles:revision-edit", number=revision.number)
    return render(request, "principles/revision_text.html", {"revision": revision, "text": text, "form": form})


def revision_add(request, number):
    revision = _draft(request, number)
    form = NewProvisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.revision_set_text(revision=revision, by=request.user, adding=True, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{form.cleaned_data['code']} added to {revision}.")
            return redirect("principles:revision-edit", number=revision.number)
    return render(request, "principles/revision_add.html", {"revision": revision, "form": form})


@require_POST
def revision_retire(request, number, code):
    revision = _draft(request, number)
    # The page asks first (static/js/confirm.js, or the box to tick without it).
    if not request.POST.get("confirm"):
        messages.error(request, "Nothing was retired: tick the box to confirm it.")
        return redirect("principles:revision-edit", number=revision.number)
    try:
        services.revision_retire_provision(revision=revision, code=code, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{code} retired in {revision}.")
    return redirect("principles:revision-edit", number=revision.number)


def revision_publish(request, number):
    """Preview the draft against the revision in force, then publish it."""
    revision = _draft(request, number)
    form = PublishForm(request.POST or None, snapshot=services.draft_snapshot(revision))
    if request.method == "POST" and not request.POST.get("confirm"):
        form.add_error(None, "Nothing was published: tick the box to confirm it.")
    if request.method == "POST" and form.is_valid():
        try:
            services.revision_publish(
                revision=revision,
                by=request.user,
                effective_date=form.cleaned_data["effective_date"],
                version=versions.seen_version(form),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except versions.Stale:
            # What is shown now is the draft as it is: the admin reads its diff again.
            now = services.draft_snapshot(revision)
            again = {"effective_date": request.POST.get("effective_date", ""), "seen": versions.sign(now)}
            form = PublishForm(again, snapshot=now)
            form.is_valid()
            form.add_error(
                None,
                "Someone changed this draft after you opened this page, so it was not published. "
                "Its changes as they are now are shown below; check them, then publish.",
            )
        else:
            messages.success(request, f"{revision} is published and in force.")
            return redirect("principles:revision-detail", number=revision.number)
    current = Revision.objects.in_force()
    changes = with_reliance(revision_diff(current, revision, changed_only=True), request.user)
    return render(
        request,
        "principles/revision_publish.html",
        {"revision": revision, "current": current, "changes": changes, "impact": _impact(changes), "form": form},
    )


def _impact(changes: list[ProvisionChange]) -> str:
    """What publishing changes, said before the admin publishes: the provisions, and the live
    decisions resting on each old wording (per provision: one decision can rest on several)."""
    changed = f"{len(changes)} provision{pluralize(len(changes))} change{pluralize(len(changes), 's,')}"
    resting = [f"{c.code} ({c.rested_on} live decision{pluralize(c.rested_on)})" for c in changes if c.rested_on]
    if not resting:
        return f"{changed}; no live decision rests on the old wording."
    return f"{changed}; live decisions rest on the old wording of {get_text_list(resting, 'and')}."


@require_POST
def revision_discard(request, number):
    revision = _draft(request, number)
    if not request.POST.get("confirm"):
        messages.error(request, "Nothing was discarded: tick the box to confirm it.")
        return redirect("principles:revision-edit", number=revision.number)
    services.revision_discard(revision=revision, by=request.user)
    messages.success(request, f"The draft of {revision} was discarded.")
    return redirect("principles:revision-list")
